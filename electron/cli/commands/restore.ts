import { restoreBackup, RestoreRefusedError } from '../../desk/backup';
import { readRecoveryWords } from '../../desk/recovery/read-words';
import { RECOVERY_WORDS_ENV, restoreWithRecoveryWords, type RecoveryRestoreReport } from '../../desk/recovery/restore';
import { dataDirOf, oneArgument, parseOptions, type Command } from '../common';

export const restoreCommand: Command = {
  name: 'restore',
  usage: `restore FILE [--recovery-words] [--json]
                        put a backup in place as the desk database, after checking it in full; the database it
                        replaces is kept as standby-desk.sqlite.before-restore-<time>. Close the app first.
                        --recovery-words: the key is the recovery sheet's 24 words, read from standard input or
                        ${RECOVERY_WORDS_ENV} (never the command line), and kept for the data folder`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { 'recovery-words': { type: 'boolean', default: false } }, true);
    const file = oneArgument('restore', positionals, 'FILE', 'the backup to put in place');
    const dataDir = dataDirOf(v.data);
    try {
      // No lock between processes yet: if the app is open it keeps writing to the file it has open, which
      // is now the kept-aside one. The usage text and the README say to close it first.
      const recovery: RecoveryRestoreReport | null = v['recovery-words']
        ? restoreWithRecoveryWords(dataDir, file, await readRecoveryWords(process.env, process.stdin, (line) => out.error(line)))
        : null;
      const report = recovery ?? restoreBackup(dataDir, file);
      if (v.json) {
        out.log(JSON.stringify({ dataDir, ...report }));
      } else {
        out.log(`Restored ${report.restored}`);
        out.log(`      as ${report.database} (schema ${report.schemaVersion}, journal of ${report.journalEntries} entries verified)`);
        out.log(report.keptAs ? `The database it replaced is kept as ${report.keptAs}` : 'There was no database in place before.');
        if (recovery) {
          out.log(`With the recovery sheet's key, fingerprint ${recovery.keyFingerprint}: check that it is the one printed on the sheet.`);
          out.log(recovery.keyFile ? `The key is kept for this data folder in ${recovery.keyFile}` : 'This data folder already had that key.');
        }
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
