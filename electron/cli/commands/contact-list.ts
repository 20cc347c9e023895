/** The `contact-list` command: the batch-message list after an outage, in the shape a practice uploads (issue 21). */
import path from 'node:path';
import { CONTACT_LIST_FORMATS } from '../../../shared/merge';
import { writeFileAtomic } from '../../desk/durable-files';
import { choiceOption, dataDirOf, noArguments, orList, parseOptions, UsageError, withDesk, type Command } from '../common';

export const contactListCommand: Command = {
  name: 'contact-list',
  usage: `contact-list --format ${CONTACT_LIST_FORMATS.join('|')} --out FILE.csv [--json]
                        after an outage: the patients whose appointment was cancelled or missed, for batch
                        messaging (Accurx's EMIS or SystmOne upload, or a CSV with the new time); the deceased, those
                        who declined messages and those the format cannot reach are left out and listed`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { format: { type: 'string' }, out: { type: 'string' } }, true);
    noArguments('contact-list', positionals);
    const format = choiceOption('format', v.format, CONTACT_LIST_FORMATS);
    if (format === undefined) throw new UsageError(`contact-list needs --format ${orList(CONTACT_LIST_FORMATS)}`);
    if (!v.out || !/\.csv$/i.test(v.out)) throw new UsageError('contact-list needs --out FILE.csv');
    const file = path.resolve(v.out);
    return withDesk(dataDirOf(v.data), async (desk) => {
      const result = desk.service.handlers().exportContactList({ format }, desk.context);
      // UTF-8 with a byte-order mark, as the other CSVs: Excel on Windows otherwise misreads accented names.
      await writeFileAtomic(file, Buffer.from(`\ufeff${result.content}`, 'utf8'));
      if (v.json) out.log(JSON.stringify({ file, format, dates: result.dates, included: result.included, excluded: result.excluded }));
      else {
        out.log(`Wrote ${result.included} patient(s) to ${file} (${format}; outage days ${result.dates.join(', ') || 'none'}).`);
        if (result.excluded.length > 0) out.log(`Left out ${result.excluded.length}: contact them another way:`);
        for (const e of result.excluded) out.log(`  ${e.name}: ${e.reason}`);
      }
      return 0;
    });
  },
};
