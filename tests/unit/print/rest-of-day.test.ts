/**
 * Issue 18, item 6: print what is left. A sheet printed "from 15:39" holds the rest of the day only and says so
 * in its heading; telephone appointments carry the number to ring; walk-ins show their triage; temporary
 * residents are marked TR wherever the patient appears. The outage pack still prints whole days. Models first,
 * then real PDFs read back with pdftotext, with the time pinned (no test here reads the clock).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localToIso, NO_DESK_INFO, type PracticeBook } from '../../../shared/domain';
import { buildSheet, clinicianListSheet, consultationRecordsSheet, isLeftAt, masterListSheet, walkInRegisterSheet, type SheetInput } from '../../../shared/sheets';
import { packJobs, PdfPrinter, prepareSheet, PrintInputError, sheetDocument, sheetInputOf } from '../../../electron/desk/print';
import { smallBook, tempDir } from '../../support/fixtures';
import { CHROMIUM, dayOf, pdfPages, readerOf, saveArtifact, squash } from './support';

/**
 * smallBook worked into the morning: O'Brien (08:30) was seen; Tom Smith-Jones (08:30, nurse) is waiting; Müller's
 * 08:40 is running at 08:45; the nurse's 08:45 is cancelled; Anne Smith's 09:00 is by telephone. Tom is a
 * temporary resident registered at the desk, and a walk-in (urgent today, duty list) came in at 10:05.
 */
function workedBook(date: string): PracticeBook {
  const book = smallBook(date);
  const at = (time: string) => localToIso(date, time);
  return {
    ...book,
    sessions: [...book.sessions, { id: 'sess-a-pm', clinicianId: 'clin-a', room: 'Room 1', date, start: at('14:00'), end: at('17:00'), label: 'Afternoon' }],
    patients: book.patients.map((p) => (p.id === 'pat-3' ? { ...p, desk: { origin: 'desk' as const }, temporaryResident: true as const } : p)),
    appointments: [
      ...book.appointments.map((a) =>
        a.id === 'appt-1'
          ? { ...a, status: 'seen' as const, arrivedAt: at('08:25'), seenAt: at('08:40') }
          : a.id === 'appt-3'
            ? { ...a, status: 'arrived' as const, arrivedAt: at('08:28') }
            : a.id === 'appt-5'
              ? { ...a, type: 'telephone' as const }
              : a,
      ),
      {
        ...book.appointments[0],
        id: 'walk-1',
        patientId: 'pat-3',
        clinicianId: 'clin-a',
        sessionId: null,
        start: at('10:05'),
        end: at('10:15'),
        status: 'arrived' as const,
        arrivedAt: at('10:05'),
        reason: 'Cut hand',
        desk: { ...NO_DESK_INFO, origin: 'walk_in' as const, triage: 'urgent_today' as const, dutyList: true, ticket: 1 },
      } as PracticeBook['appointments'][number],
    ],
  };
}

const DATE = '2026-07-20';
const PRINTED = new Date('2026-07-20T07:45:00Z'); // 08:45 BST
const inputOn = (date: string, from?: string): SheetInput => {
  const whole = sheetInputOf(dayOf(workedBook(date), date, { asOf: localToIso(date, '08:40') }), new Date(localToIso(date, '08:45')));
  return from === undefined ? whole : { ...whole, from };
};

describe('the rest of the day: what is left at a time', () => {
  it('keeps what starts then or later, what is running then, and patients here not yet seen; drops the rest', () => {
    const ids = masterListSheet(inputOn(DATE, '08:45')).rows.map((r) => r.appointmentId);
    // appt-1 (08:30, seen) is over; appt-2 (08:40-08:50) is running; appt-3 (08:30) is waiting here.
    expect(ids).toEqual(['appt-3', 'appt-2', 'appt-4', 'appt-5', 'walk-1']);
    expect(masterListSheet(inputOn(DATE)).rows.map((r) => r.appointmentId)).toContain('appt-1');
  });

  it('leaves out an early appointment nobody marked: the morning is what it saves reprinting', () => {
    const from = Date.parse(localToIso(DATE, '15:39'));
    const booked = { start: localToIso(DATE, '09:00'), end: localToIso(DATE, '09:10'), status: 'booked' as const };
    expect(isLeftAt(booked, from)).toBe(false);
    expect(isLeftAt({ ...booked, status: 'late' }, from)).toBe(true);
    expect(isLeftAt({ ...booked, status: 'sent_in' }, from)).toBe(true);
    expect(isLeftAt({ ...booked, status: 'dna' }, from)).toBe(false);
    expect(isLeftAt({ ...booked, start: localToIso(DATE, '15:39'), end: localToIso(DATE, '15:49') }, from)).toBe(true);
    expect(isLeftAt({ ...booked, start: localToIso(DATE, '15:30'), end: localToIso(DATE, '15:40') }, from)).toBe(true);
    expect(isLeftAt({ ...booked, start: localToIso(DATE, '15:29'), end: localToIso(DATE, '15:39') }, from)).toBe(false);
  });

  it('drops a session that is over with nobody left in it, and keeps one still to come even if empty', () => {
    const at1500 = clinicianListSheet(inputOn(DATE, '15:00'));
    expect(at1500.sessions.map((s) => `${s.clinicianName} ${s.label} ${s.rows.length}`)).toEqual([
      // The morning is over at 15:00, but the walk-in registered in it is still waiting, and so is Tom for the nurse.
      'Dr Asha Patel Morning 1',
      'Dr Asha Patel Afternoon 0',
      'Nurse Ben Okafor Morning 1',
    ]);
    expect(at1500.frame.fromLabel).toBe('from 15:00');
    expect(clinicianListSheet(inputOn(DATE)).frame.fromLabel).toBeNull();
  });

  it('consultation records from a time are the pages left, not the morning again', () => {
    const whole = consultationRecordsSheet(inputOn(DATE));
    const rest = consultationRecordsSheet(inputOn(DATE, '08:55'));
    expect(whole.records.map((r) => r.reference)).toEqual(['appt-1', 'appt-2', 'appt-5', 'walk-1', 'appt-3']);
    expect(rest.records.map((r) => r.reference)).toEqual(['appt-5', 'walk-1', 'appt-3']);
    expect(rest.frame.fromLabel).toBe('from 08:55');
  });

  it.each([
    ['2026-03-29', 'the spring clock change (BST from 01:00 GMT)'],
    ['2026-10-25', 'the autumn clock change (GMT from 02:00 BST)'],
    ['2026-01-15', 'a winter day (GMT)'],
  ])('reads the time as London wall-clock time on %s, %s', (date) => {
    expect(masterListSheet(inputOn(date, '08:45')).rows.map((r) => r.appointmentId)).toEqual(['appt-3', 'appt-2', 'appt-4', 'appt-5', 'walk-1']);
    expect(consultationRecordsSheet(inputOn(date, '09:00')).records.map((r) => r.reference)).toEqual(['appt-5', 'walk-1', 'appt-3']);
  });

  it('is refused for the sheets that print whole days, and for what is not a time', () => {
    const reader = readerOf(workedBook(DATE));
    expect(() => prepareSheet(reader, 'callback-list', DATE, null, PRINTED, '15:39')).toThrow(PrintInputError);
    expect(() => prepareSheet(reader, 'walk-in-register', DATE, null, PRINTED, '15:39')).toThrow(/prints the whole day/);
    expect(() => prepareSheet(reader, 'consultation-records', DATE, null, PRINTED, '3.39pm')).toThrow(/HH:MM/);
    expect(prepareSheet(reader, 'consultation-records', DATE, 'clin-a', PRINTED, '15:39').doc.title).toBe('Consultation record - Dr Asha Patel - Monday 20 July 2026 from 15:39');
  });

  it('the outage pack keeps printing whole days', () => {
    // The pack is built from the day as read (no time to start from): the morning's seen patient is in it.
    const jobs = packJobs(inputOn(DATE));
    const records = jobs.filter((j) => j.sheet === 'consultation-records');
    expect(records.some((j) => j.doc.html.includes('data-appointment="appt-1"'))).toBe(true);
    for (const job of jobs) expect(job.doc.title).not.toMatch(/from \d\d:\d\d/);
  });
});

describe('phone numbers, triage and temporary residents on the sheets', () => {
  const input = inputOn(DATE);

  it('a telephone appointment carries the number to ring; others do not', () => {
    const rows = clinicianListSheet(input).sessions.flatMap((s) => s.rows);
    expect(rows.find((r) => r.appointmentId === 'appt-5')?.phoneToCall).toEqual({ text: '07700 900404', onRecord: true });
    expect(rows.find((r) => r.appointmentId === 'appt-2')?.phoneToCall).toBeNull();
    const noPhone = { ...input, appointments: input.appointments.map((a) => (a.id === 'appt-5' ? { ...a, patient: { ...a.patient, phone: null } } : a)) };
    expect(
      clinicianListSheet(noPhone)
        .sessions.flatMap((s) => s.rows)
        .find((r) => r.appointmentId === 'appt-5')?.phoneToCall,
    ).toEqual({ text: 'No phone on record', onRecord: false });
    const html = sheetDocument('clinician-list', input).html;
    expect(html).toMatch(/<td><div class="phone">07700 900404<\/div><\/td>/);
  });

  it('a walk-in shows its triage on the lists and its record; a booked appointment shows none', () => {
    const line = clinicianListSheet(input)
      .sessions.flatMap((s) => s.rows)
      .find((r) => r.appointmentId === 'walk-1');
    expect(line?.walkIn).toBe('Walk-in: Urgent today (duty list)');
    expect(masterListSheet(input).rows.find((r) => r.appointmentId === 'walk-1')?.walkIn).toBe('Walk-in: Urgent today (duty list)');
    expect(masterListSheet(input).rows.find((r) => r.appointmentId === 'appt-2')?.walkIn).toBeNull();
    expect(consultationRecordsSheet(input).records.find((r) => r.reference === 'walk-1')?.walkIn).toBe('Walk-in: Urgent today (duty list)');
    for (const kind of ['clinician-list', 'master-list', 'consultation-records'] as const) {
      expect(sheetDocument(kind, input).html, kind).toContain('Walk-in: Urgent today (duty list)');
    }
  });

  it('a temporary resident is marked TR on every sheet they appear on, and nobody else is', () => {
    expect(walkInRegisterSheet(input).rows[0]?.entry).toMatchObject({ name: 'SMITH-JONES, Tom', temporaryResident: true });
    const mark = /SMITH-JONES, Tom<span class="mark" title="Temporary resident">TR<\/span>/g;
    for (const kind of ['clinician-list', 'master-list', 'walk-in-register', 'consultation-records'] as const) {
      const html = sheetDocument(kind, input).html;
      expect(html.match(mark)?.length ?? 0, kind).toBeGreaterThan(0);
      // Only Tom is a temporary resident: one mark per place he appears.
      expect(html.match(/class="mark"/g)?.length, kind).toBe(html.match(/<div class="name">SMITH-JONES, Tom/g)?.length);
    }
    expect(sheetDocument('consultation-records', input).html).toContain('<b>Temporary resident</b>');
    // The callback list prints patients through the same cell: a TR who missed an appointment is marked there too.
    const missed = { ...input, appointments: input.appointments.map((a) => (a.id === 'appt-3' ? { ...a, status: 'dna' as const, arrivedAt: null } : a)) };
    expect(buildSheet('callback-list', missed).kind).toBe('callback-list');
    expect(sheetDocument('callback-list', missed).html).toMatch(mark);
  });
});

describe('the rest of the day on paper (PDF)', () => {
  let printer: PdfPrinter;
  let work: string;
  beforeAll(async () => {
    printer = await PdfPrinter.launch(CHROMIUM);
    work = tempDir('standby-desk-rest-of-day-');
  });
  afterAll(async () => {
    await printer.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const print = async (name: string, doc: Parameters<PdfPrinter['render']>[0]): Promise<string> => {
    const pdf = await printer.render(doc);
    saveArtifact(name, pdf);
    const file = path.join(work, name);
    fs.writeFileSync(file, pdf);
    return file;
  };

  it('consultation records from 08:55: one page per appointment left, each headed "from 08:55"', async () => {
    const file = await print('rest-of-day-consultation-records.pdf', sheetDocument('consultation-records', inputOn(DATE, '08:55')));
    const pages = pdfPages(file);
    expect(pages).toHaveLength(3);
    pages.forEach((page, i) => {
      expect(squash(page)).toContain('CONSULTATION RECORD FROM 08:55');
      expect(squash(page)).toContain(`PAGE ${i + 1} OF 3`);
    });
    expect(squash(pages[0] ?? '')).toContain('SMITH, ANNE');
    expect(squash(pages[1] ?? '')).toContain('WALK-IN: URGENT TODAY (DUTY LIST)');
    expect(squash(pages[1] ?? '')).toContain('TEMPORARY RESIDENT');
    expect(squash(pages.join(''))).not.toContain("O'BRIEN");
  });

  it('the clinician list from 08:45 says so on every page, with the number to ring and the TR mark', async () => {
    const file = await print('rest-of-day-clinician-list.pdf', sheetDocument('clinician-list', inputOn(DATE, '08:45')));
    // Without -layout: the tick boxes' X would otherwise fall between the words of the cell beside them.
    const text = squash(pdfPages(file, false).join('\n'));
    expect(text).toContain('CLINICIAN LIST FROM 08:45');
    expect(text).toContain('07700 900404');
    expect(text).toMatch(/SMITH-JONES, TOM ?TR/);
    expect(text).toContain('WALK-IN: URGENT TODAY');
    expect(text).not.toContain("O'BRIEN");
    // A look at the first page, as a person would (kept with the test artefacts).
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      file,
      path.join(path.dirname(saveArtifact('rest-of-day-clinician-list.pdf', fs.readFileSync(file))), 'rest-of-day-clinician-list'),
    ]);
  });

  it('the whole day prints without a "from" in its heading', async () => {
    const file = await print('whole-day-master-list.pdf', sheetDocument('master-list', inputOn(DATE)));
    const text = squash(pdfPages(file).join('\n'));
    expect(text).toContain('MASTER LIST');
    expect(text).not.toMatch(/FROM \d\d:\d\d/);
    expect(text).toContain("O'BRIEN");
  });
});
