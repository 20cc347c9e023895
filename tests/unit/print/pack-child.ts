/**
 * Run by pack.test.ts as a separate process that is killed with SIGKILL in the middle of writing a pack.
 * Usage: node --import tsx pack-child.ts DATA_DIR FOLDER DATE HANG_AFTER_FILES
 * Prints "WROTE <file>" as each PDF lands in the incomplete folder; after HANG_AFTER_FILES it stops there
 * (the other renders carry on), so the parent's kill always lands before the pack could be complete.
 */
import { TEST_CHROMIUM } from '../../support/chromium';
import path from 'node:path';
import { openDesk } from '../../../electron/desk/open';
import { writeOutagePack } from '../../../electron/desk/print';

const [dataDir, folder, date, hangAfter] = process.argv.slice(2);
if (!dataDir || !folder || !date || !hangAfter) {
  console.error('usage: pack-child.ts DATA_DIR FOLDER DATE HANG_AFTER_FILES');
  process.exit(2);
}
const desk = openDesk({ dataDir, user: 'child', desk: 'child' });
let written = 0;
await writeOutagePack({
  desk,
  folder,
  dates: [date],
  browserPath: process.env['STANDBY_DESK_BROWSER'] ?? TEST_CHROMIUM,
  async afterFile(file) {
    written++;
    process.stdout.write(`WROTE ${path.basename(file)}\n`);
    if (written >= Number(hangAfter)) await new Promise<never>(() => undefined);
  },
});
process.stdout.write('DONE\n');
desk.close();
