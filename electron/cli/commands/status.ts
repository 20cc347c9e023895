import { DESK_STATUS_LABEL, DESK_STATUSES } from '../../../shared/domain';
import { ageMinutes, dataDirOf, parseOptions, withDesk, type Command } from '../common';

export const statusCommand: Command = {
  name: 'status',
  usage: `status [--json]       what the mirror holds, its age, the journal's size`,
  async run(args, out) {
    const { values: v } = parseOptions(args, {});
    const dataDir = dataDirOf(v.data);
    return withDesk(dataDir, (desk) => {
      const status = desk.service.getMirrorStatus();
      const age = ageMinutes(status.mirror.asOf, desk.service.clock());
      const { asOf, loadedAt, source } = status.mirror;
      const stale = status.upstream.stale ? ', STALE' : '';
      const appointments = status.dates.reduce((n, d) => n + d.total, 0);
      if (v.json) {
        out.log(JSON.stringify({ dataDir, ...status, appointments, registeredNotBooked: status.patients - status.bookedPatients, ageMinutes: age }));
        return 0;
      }
      const practice = status.practice;
      out.log(`Data folder: ${dataDir}`);
      out.log(`Practice:    ${practice ? `${practice.name}${practice.odsCode ? ` (${practice.odsCode})` : ''}` : '(empty mirror)'}`);
      out.log(`Mode:        ${status.mirror.mode.toUpperCase()}`);
      const from = `from ${source ?? 'unknown'}`;
      out.log(
        `Mirror:      ${
          asOf !== null
            ? `as of ${asOf} (${age} min ago${stale}), ${from}`
            : loadedAt !== null
              ? `age unknown (loaded ${loadedAt}; no time came with the data), STALE, ${from}`
              : 'never loaded'
        }`,
      );
      const unbooked = status.patients - status.bookedPatients;
      out.log(
        `Holds:       ${appointments} appointments, ${status.patients} patients (${status.bookedPatients} booked, ${unbooked} on the practice list with no appointment), ${status.clinicians} clinicians`,
      );
      for (const d of status.dates) {
        const parts = DESK_STATUSES.filter((s) => d.byStatus[s]).map((s) => `${DESK_STATUS_LABEL[s]} ${d.byStatus[s]}`);
        out.log(`  ${d.date}: ${d.total} (${parts.join(', ')})`);
      }
      out.log(`Journal:     ${status.journal.entries} entries${status.journal.lastAt ? `, last at ${status.journal.lastAt}` : ''}`);
      return 0;
    });
  },
};
