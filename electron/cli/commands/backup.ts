import fs from 'node:fs';
import { backupDatabase, readBackupSettings } from '../../desk/backup';
import { savedBackupParts } from '../../desk/practice-settings';
import { closeDatabase, databasePath, openDatabase } from '../../desk/store/connection';
import { Db } from '../../desk/store/sql';
import { dataDirOf, intOption, parseOptions, type Command } from '../common';

export const backupCommand: Command = {
  name: 'backup',
  usage: `backup [--to DIR] [--keep N] [--json]
                        copy the desk database into DIR (default: the backup folder the app and serve use: the one
                        in backup-settings.json, else the one saved on screen, else <data>/backups), checked,
                        keeping the newest N (default 10); safe while the app is running`,
  async run(args, out) {
    const { values: v } = parseOptions(args, { to: { type: 'string' }, keep: { type: 'string' } });
    const dataDir = dataDirOf(v.data);
    const file = databasePath(dataDir);
    if (!fs.existsSync(file)) {
      out.error(`standby-desk: there is no desk database in ${dataDir}; nothing to back up`);
      return 1;
    }
    // Read-only: a backup never migrates or writes the desk's database, and can run beside the app (WAL).
    const db = openDatabase(file, { readonly: true });
    try {
      const { settings, problem } = readBackupSettings(dataDir, savedBackupParts(new Db(db)));
      if (problem) out.error(`standby-desk: ${problem}`);
      const keep = intOption('keep', v.keep, settings.keep, 1, 1000);
      const dir = v.to ?? settings.dir;
      const report = await backupDatabase(db, { dir, keep });
      if (v.json) {
        out.log(JSON.stringify({ dataDir, ...report }));
      } else {
        out.log(`Backed up ${file}`);
        out.log(`        to ${report.file} (${Math.round(report.bytes / 1024)} KiB, checked)`);
        out.log(`Kept the newest ${keep}${report.pruned.length ? `; removed ${report.pruned.join(', ')}` : ''}`);
      }
      return 0;
    } finally {
      closeDatabase(db);
    }
  },
};
