/** The `find` command: the desk's own patient search, over the day's book and the whole practice list. */
import { DESK_STATUS_LABEL, formatNhsNumber, formatUkDate, localTimeOf } from '../../../shared/domain';
import { dataDirOf, dateOption, intOption, parseOptions, someArguments, withDesk, type Command } from '../common';

export const findCommand: Command = {
  name: 'find',
  usage: `find QUERY [--date YYYY-MM-DD] [--limit N] [--json]
                        find a patient as the desk does (surname, "o brien", DOB as dd/mm/yy or ddmmyyyy, NHS
                        number, phone), over the book and the practice list; those booked on the date first`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { date: { type: 'string' }, limit: { type: 'string' } }, true);
    // Unquoted words are one query: a receptionist types "find o brien" as they would at the desk.
    const query = someArguments('find', positionals, 'word to search for (a surname, DOB, NHS number or phone)').join(' ');
    const limit = intOption('limit', v.limit, 25, 1, 200);
    return withDesk(dataDirOf(v.data), (desk) => {
      const date = dateOption(v.date, desk.service.today());
      const hits = desk.service.searchPatients(query, date, limit);
      if (v.json) {
        out.log(JSON.stringify({ query, date, hits }));
        return 0;
      }
      if (hits.length === 0) {
        out.log(`No patient matches "${query}". Type a surname (or its start), a date of birth (dd/mm/yyyy, dd/mm/yy, ddmmyyyy), a 10-digit NHS number or a phone number.`);
        return 0;
      }
      const clinicianName = (id: string) => desk.service.mirror.clinician(id)?.name ?? id;
      for (const { patient: p, appointmentsOnDate } of hits) {
        const born = p.dateOfBirth ? `born ${formatUkDate(p.dateOfBirth)}` : 'born not recorded';
        const nhs = p.nhsNumber ? `NHS ${formatNhsNumber(p.nhsNumber)}` : 'NHS not recorded';
        const booked = appointmentsOnDate.length
          ? appointmentsOnDate.map((a) => `${localTimeOf(a.start)} ${clinicianName(a.clinicianId)} (${DESK_STATUS_LABEL[a.status]})`).join('; ')
          : `not booked on ${formatUkDate(date)}`;
        out.log(`${p.familyName.toUpperCase()}, ${p.givenName}  ${born}  ${nhs}${p.phone ? `  ${p.phone}` : ''}  ${booked}`);
      }
      return 0;
    });
  },
};
