import { localDateOf } from '../../../shared/domain';
import { generateDemoPractice } from '../../desk/demo/generate';
import type { OpenDesk } from '../../desk/open';
import { dataDirOf, dateOption, intOption, parseOptions, withDesk, type Command } from '../common';
import { deskNow } from '../../desk/clock';

export function loadDemo(desk: OpenDesk, date: string, days: number) {
  const book = generateDemoPractice({ date, days });
  return desk.service.loadBook(book, `demo practice (${date})`, desk.context);
}

export const demoCommand: Command = {
  name: 'demo',
  usage: `demo [--date YYYY-MM-DD] [--days N]
                        load the demo practice's book into the data folder`,
  async run(args, out) {
    const { values: v } = parseOptions(args, { date: { type: 'string' }, days: { type: 'string' } });
    const dataDir = dataDirOf(v.data);
    const date = dateOption(v.date, localDateOf(deskNow()));
    const days = intOption('days', v.days, 1, 1, 14);
    return withDesk(dataDir, (desk) => {
      const loaded = loadDemo(desk, date, days);
      if (v.json) out.log(JSON.stringify({ dataDir, date, days, appointments: loaded.appointments }));
      else out.log(`Loaded the demo practice: ${loaded.appointments} appointments from ${date} (${days} day(s)) into ${dataDir}`);
      return 0;
    });
  },
};
