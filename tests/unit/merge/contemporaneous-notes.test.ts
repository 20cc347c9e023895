/**
 * A note a clinician typed in their room (issue 17) on the merge-back worklist: marked as an entry typed from a
 * contemporaneous note, with the clinician's name and the note's time, the prompt to re-check allergies and
 * medication, and the reference the consultation record page printed for that appointment.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STALE_AFTER_MINUTES } from '../../../shared/api';
import { buildWorklist, planMerge, worklistCsv, type PlanEntry, type UpstreamAppointment, type WorklistLookup } from '../../../shared/merge';
import { consultationRecordsSheet, worklistSheet } from '../../../shared/sheets';
import { sheetInputOf } from '../../../electron/desk/print';
import { renderMergeSheet } from '../../../electron/desk/print/merge-sheets';
import { PdfPrinter } from '../../../electron/desk/print/pdf';
import { upstreamAppointment } from '../../support/builders';
import { FIXTURE_DATE, smallBook, tempDir } from '../../support/fixtures';
import { CHROMIUM, dayOf, pdfText, squash } from '../print/support';

const book = smallBook();
const booked = book.appointments[0];
if (!booked) throw new Error('fixture: the small book has no appointment');
// 10:42 London (BST) on the fixture day: the note's time is the journal entry's, not the appointment's.
const NOTE_AT = '2026-07-20T09:42:00.000Z';

const noteEntry = (id: string, seq: number, after: Record<string, unknown>): PlanEntry => ({
  seq,
  id,
  at: NOTE_AT,
  user: 'dr-patel',
  desk: 'room-3',
  op: 'appointment.note',
  entityId: booked.id,
  before: null,
  after: { patientId: booked.patientId, ...after },
  baseVersion: null,
});

const base: UpstreamAppointment = upstreamAppointment(booked.id, { start: booked.start, end: booked.end, patientId: booked.patientId, clinicianId: booked.clinicianId });
const lookup: WorklistLookup = {
  patient: (id) => ({ id, name: 'TESTER, Pat', nhsNumber: null, dateOfBirth: null, phone: null, flags: [], temporaryResident: false }),
  clinicianName: () => 'Dr Asha Patel',
  appointment: () => null,
  attempt: () => null,
};

function worklistOf(entries: PlanEntry[]) {
  const plan = planMerge({
    entries,
    base: new Map([[base.id, base]]),
    upstream: { appointments: new Map([[base.id, base]]), byDeskIdentifier: new Map(), slots: new Map() },
    capability: 'fhir',
    today: FIXTURE_DATE,
  });
  return buildWorklist(plan, lookup).flatMap((p) => p.items);
}

describe('a clinician\u2019s contemporaneous note on the worklist', () => {
  it('is marked, names the clinician and the note\u2019s time, prompts the re-check and carries the consultation record\u2019s reference', () => {
    const [item] = worklistOf([noteEntry('n1', 1, { text: 'Chest clear. Review in 2 weeks.', contemporaneous: { clinicianName: 'Dr Asha Patel' } })]);
    if (!item) throw new Error('the note is not on the worklist');
    const page = consultationRecordsSheet(sheetInputOf(dayOf(book, FIXTURE_DATE), new Date('2026-07-20T07:00:00Z'))).records.find((r) => r.reference === booked.id);
    expect(page?.reference, 'the consultation record page for that appointment').toBe(booked.id);
    expect(item.reference).toBe(page?.reference);
    expect(item.contemporaneous).toEqual({ clinicianName: 'Dr Asha Patel', at: NOTE_AT });
    expect(item.action).toMatch(/^Entry typed from contemporaneous note by Dr Asha Patel at 20\/07\/2026 10:42\. /);
    expect(item.action).toContain(`(consultation record ref. ${booked.id})`);
    expect(item.action).toContain('\u201cChest clear. Review in 2 weeks.\u201d');
    expect(item.why).toMatch(/^Re-check allergies and medication when keying\. /);
    // The spreadsheet version keys from the same words.
    const csv = worklistCsv([
      { patientId: 'p', name: 'TESTER, Pat', nhsNumber: null, dateOfBirth: null, timeSensitive: false, flags: [], temporaryResident: false, rank: 2, items: [item] },
    ]);
    expect(csv).toContain('Entry typed from contemporaneous note by Dr Asha Patel');
    expect(csv).toContain('Re-check allergies and medication when keying');
  });

  it('leaves a note made at the desk as it was: not marked, no prompt', () => {
    const [item] = worklistOf([noteEntry('n2', 1, { text: 'Phoned to say running late.' })]);
    if (!item) throw new Error('the note is not on the worklist');
    expect(item.action).toMatch(/^Key the note into the record/);
    expect(item.action).not.toContain('contemporaneous');
    expect(item.why).not.toContain('Re-check');
    expect(item.contemporaneous).toBeUndefined();
    expect(item.reference).toBeUndefined();
  });

  it('ignores a malformed mark (no clinician name) rather than marking a note from nobody', () => {
    const [item] = worklistOf([noteEntry('n3', 1, { text: 'x', contemporaneous: { clinicianName: '  ' } })]);
    expect(item?.contemporaneous).toBeUndefined();
    expect(item?.action).not.toContain('contemporaneous');
  });
});

describe('the worklist sheet', () => {
  it('prints the marking, the clinician, the time, the re-check prompt and the reference (read from the PDF)', { timeout: 60_000 }, async () => {
    const items = worklistOf([noteEntry('n4', 1, { text: 'Chest clear.', contemporaneous: { clinicianName: 'Dr Asha Patel' } })]);
    const sheet = worklistSheet({
      practice: { id: 'p', name: 'Test Street Surgery', odsCode: null },
      date: FIXTURE_DATE,
      mirror: { asOf: '2026-07-20T07:00:00.000Z', loadedAt: '2026-07-20T07:00:00.000Z', source: 'test', mode: 'online', staleAfterMinutes: DEFAULT_STALE_AFTER_MINUTES },
      printedAt: '2026-07-20T12:00:00.000Z',
      worklist: [
        { patientId: booked.patientId, name: 'TESTER, Pat', nhsNumber: null, dateOfBirth: null, timeSensitive: false, flags: [], temporaryResident: false, rank: 2, items },
      ],
      complete: false,
    });
    expect(sheet.patients[0]?.rows[0]?.reference).toBe(booked.id);
    const printer = await PdfPrinter.launch(CHROMIUM);
    try {
      const file = path.join(tempDir('standby-worklist-notes-'), 'worklist.pdf');
      fs.writeFileSync(file, await printer.render(renderMergeSheet(sheet)));
      const text = squash(pdfText(file));
      for (const words of [
        'Entry typed from contemporaneous note by Dr Asha Patel at 20/07/2026 10:42',
        `consultation record ref. ${booked.id}`,
        'Re-check allergies and medication when keying',
        'Chest clear.',
      ]) {
        expect(text).toContain(squash(words));
      }
    } finally {
      await printer.close();
    }
  });
});
