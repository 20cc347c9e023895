/**
 * The merge-back worklist on paper: an NHS number is never split over two lines, whatever the length of the name
 * before it (a number broken as "999 000" / "0018" is keyed wrong). Checked in the PDF Chromium makes.
 */
import { DEFAULT_STALE_AFTER_MINUTES } from '../../../shared/api';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNhsNumber } from '../../../shared/domain';
import type { WorklistPatient } from '../../../shared/merge';
import { worklistSheet } from '../../../shared/sheets';
import { renderMergeSheet } from '../../../electron/desk/print/merge-sheets';
import { PdfPrinter } from '../../../electron/desk/print/pdf';
import { tempDir, testNhsNumber } from '../../support/fixtures';
import { CHROMIUM, pdfText } from './support';

let printer: PdfPrinter;
beforeAll(async () => {
  printer = await PdfPrinter.launch(CHROMIUM);
});
afterAll(async () => {
  await printer.close();
});

const LONG = 'Featherstonehaugh-Cholmondeley-Marjoribanks-Wolstenholme';

describe('the worklist PDF', () => {
  it('prints every NHS number whole on one line, whatever the name before it', { timeout: 60_000 }, async () => {
    // Names of every length from short to longer than a line, so one of them ends where a break would fall.
    const worklist: WorklistPatient[] = Array.from({ length: 48 }, (_v, i) => ({
      patientId: `pat-${i}`,
      name: `${LONG.slice(0, 6 + i * 2).toUpperCase()}, Alexandra`,
      nhsNumber: testNhsNumber(500 + i * 7),
      dateOfBirth: '1961-02-11',
      timeSensitive: i % 3 === 0,
      flags: i % 3 === 0 ? ['suspected_cancer', 'palliative'] : [],
      temporaryResident: i % 5 === 0,
      rank: 2,
      items: [
        {
          key: `status:appt-${i}`,
          action: 'Set the appointment to Arrived',
          why: 'key it by hand',
          when: '2026-07-20T08:00:00.000Z',
          clinician: 'Dr Asha Patel',
          attendance: false,
          entryIds: [`e${i}`],
        },
      ],
    }));
    const doc = renderMergeSheet(
      worklistSheet({
        practice: { id: 'p', name: 'Test Street Surgery', odsCode: null },
        date: '2026-07-20',
        mirror: { asOf: '2026-07-20T07:00:00.000Z', loadedAt: '2026-07-20T07:00:00.000Z', source: 'test', mode: 'online', staleAfterMinutes: DEFAULT_STALE_AFTER_MINUTES },
        printedAt: '2026-07-20T12:00:00.000Z',
        worklist,
        complete: false,
      }),
    );
    const file = path.join(tempDir('standby-worklist-'), 'worklist.pdf');
    fs.writeFileSync(file, await printer.render(doc));
    const lines = pdfText(file, { layout: true }).split('\n');
    const whole = worklist.filter((p) => lines.some((l) => l.includes(formatNhsNumber(p.nhsNumber ?? ''))));
    expect(whole.map((p) => p.patientId)).toEqual(worklist.map((p) => p.patientId));
    // Temporary residents are marked by their name, as on every desk sheet: one mark per such patient.
    const marks = lines.join('\n').match(/\(TR\) temporary resident/g) ?? [];
    expect(marks).toHaveLength(worklist.filter((p) => p.temporaryResident).length);
  });
});
