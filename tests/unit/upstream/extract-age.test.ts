/**
 * Issue 19 item 5: the mirror's "as of" is when the extract was made, read from the extract itself, so an extract
 * a day behind says so: the desk's status is stale, and every sheet printed from it carries the stale warning with
 * its age (the screen's mirror age uses the same isStaleAt as the sheets' frame: shared/sheets/frame.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDesk } from '../../../electron/desk/open';
import { readSheetInput } from '../../../electron/desk/print/documents';
import { SHEET_KINDS, sheetFrame } from '../../../shared/sheets';
import { TEST_DAY, TEST_NOW } from '../../support/clock';
import { tempDir } from '../../support/fixtures';
import { emisExtract } from '../../fixtures/feeds/extracts';
import { cli } from './support';

describe('an extract a day behind', () => {
  it('is the mirror\'s "as of", and the status and every sheet say it is stale', async () => {
    // The same day's extract, its file names stamped a day earlier (06:30 on Sunday 19 July, London time).
    const dir = tempDir('standby-emis-old-');
    for (const [name, text] of emisExtract()) fs.writeFileSync(path.join(dir, name.replace('_20260720063000_', '_20260719063000_')), text);
    const dataDir = tempDir();
    const imported = await cli('import', dir, '--format', 'emis-extract', '--data', dataDir, '--json');
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)).toMatchObject({ asOf: '2026-07-19T05:30:00.000Z' });

    const status = await cli('status', '--json', '--data', dataDir);
    const parsed = JSON.parse(status.stdout) as { mirror: { asOf: string }; upstream: { stale: boolean }; ageMinutes: number };
    expect(parsed.mirror.asOf).toBe('2026-07-19T05:30:00.000Z');
    expect(parsed.upstream.stale).toBe(true);
    expect(parsed.ageMinutes).toBe((Date.parse(TEST_NOW) - Date.parse('2026-07-19T05:30:00.000Z')) / 60_000);

    const desk = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => new Date(TEST_NOW) });
    try {
      const input = readSheetInput(desk.service, TEST_DAY, new Date(TEST_NOW));
      for (const sheet of SHEET_KINDS) {
        const frame = sheetFrame(input, sheet);
        expect(frame.stale, sheet).toBe(true);
        expect(frame.staleWarning, sheet).toMatch(/^WARNING: STALE MIRROR, 28 h old when printed/);
        expect(frame.mirrorAsOfShort, sheet).toContain('19/07/2026 06:30');
      }
    } finally {
      desk.close();
    }
  });
});
