import path from 'node:path';
import { writeFileAtomic } from '../../desk/durable-files';
import { DeskLog } from '../../desk/log';
import { dataDirOf, parseOptions, withDesk, type Command } from '../common';

export const logCommand: Command = {
  name: 'log',
  usage: `log [--export DIR] [--json]
                        print the desk's log (<data>/logs, oldest line first: starts, stops, pulls, backups, packs,
                        errors; no patient data); --export DIR saves it there as one file, audited as an export`,
  async run(args, out) {
    const { values: v } = parseOptions(args, { export: { type: 'string' } });
    const dataDir = dataDirOf(v.data);
    if (v.export === undefined) {
      const log = new DeskLog(dataDir);
      const text = log.read();
      if (v.json) out.log(JSON.stringify({ dataDir, files: log.files(), lines: text.split('\n').filter(Boolean) }));
      else if (text === '') out.error(`standby-desk: ${log.file} holds nothing yet`);
      else out.log(text.replace(/\n$/, ''));
      return 0;
    }
    const dir = v.export;
    // Through the desk, so the export is on the audit trail like one made from the admin panel.
    const exported = await withDesk(dataDir, (desk) => desk.service.exportLog(desk.context));
    const file = path.join(path.resolve(dir), exported.fileName);
    await writeFileAtomic(file, exported.content);
    if (v.json) out.log(JSON.stringify({ dataDir, file, files: exported.files, bytes: Buffer.byteLength(exported.content) }));
    else out.log(`Saved the log (${exported.files} file(s)) to ${file}`);
    return 0;
  },
};
