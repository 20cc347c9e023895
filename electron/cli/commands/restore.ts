import { restoreBackup, RestoreRefusedError } from '../../desk/backup';
import { dataDirOf, oneArgument, parseOptions, type Command } from '../common';

export const restoreCommand: Command = {
  name: 'restore',
  usage: `restore FILE [--json]
                        put a backup in place as the desk database, after checking it in full; the database it
                        replaces is kept as standby-desk.sqlite.before-restore-<time>. Close the app first`,
  run(args, out) {
    const { values: v, positionals } = parseOptions(args, {}, true);
    const file = oneArgument('restore', positionals, 'FILE', 'the backup to put in place');
    const dataDir = dataDirOf(v.data);
    try {
      // No lock between processes yet: if the app is open it keeps writing to the file it has open, which
      // is now the kept-aside one. The usage text and the README say to close it first.
      const report = restoreBackup(dataDir, file);
      if (v.json) {
        out.log(JSON.stringify({ dataDir, ...report }));
      } else {
        out.log(`Restored ${report.restored}`);
        out.log(`      as ${report.database} (schema ${report.schemaVersion}, journal of ${report.journalEntries} entries verified)`);
        out.log(report.keptAs ? `The database it replaced is kept as ${report.keptAs}` : 'There was no database in place before.');
      }
      return 0;
    } catch (error) {
      if (!(error instanceof RestoreRefusedError)) throw error;
      if (v.json) out.log(JSON.stringify({ dataDir, restored: null, refused: error.problems }));
      out.error(`standby-desk: ${error.message}`);
      return 1;
    }
  },
};
