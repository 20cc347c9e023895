import path from 'node:path';
import { printRecoverySheet } from '../../desk/recovery/print';
import { dataDirOf, noArguments, parseOptions, requiredOption, UsageError, withDesk, type Command } from '../common';

export const recoverySheetCommand: Command = {
  name: 'recovery-sheet',
  usage: `recovery-sheet --out FILE.pdf [--json]
                        print the database key as a recovery sheet (24 words and a QR code) for the practice safe;
                        audited. Print the PDF, then delete it: the desk keeps no copy`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { out: { type: 'string' } }, true);
    noArguments('recovery-sheet', positionals);
    const file = path.resolve(requiredOption('recovery-sheet', 'out', v.out, 'FILE.pdf'));
    if (!/\.pdf$/i.test(file)) throw new UsageError('recovery-sheet needs --out FILE.pdf');
    const dataDir = dataDirOf(v.data);
    return withDesk(dataDir, async (desk) => {
      const printed = await printRecoverySheet({ desk, dataDir, out: file });
      if (v.json) {
        out.log(JSON.stringify(printed));
      } else {
        out.log(`Wrote the recovery sheet for the key with fingerprint ${printed.keyFingerprint} to ${printed.file}`);
        out.log('Print it for the practice safe, then delete the file: it holds the key to every patient detail on the desk.');
      }
      return 0;
    });
  },
};
