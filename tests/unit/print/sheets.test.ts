import { describe, expect, it } from 'vitest';
import { localToIso, type PracticeBook } from '../../../shared/domain';
import {
  buildSheet,
  callbackListSheet,
  clinicianListSheet,
  code128Checksum,
  code128Pattern,
  consultationRecordsSheet,
  encodeCode128B,
  masterListSheet,
  sheetFrame,
  SHEET_KINDS,
  walkInRegisterSheet,
  type SheetInput,
} from '../../../shared/sheets';
import { readSheetInput, ROWS_PER_PAGE, sheetDocument, sheetInputOf, walkInBlankRows } from '../../../electron/desk/print';
import { FIXTURE_DATE, openTestDesk, smallBook } from '../../support/fixtures';
import { dayOf, withStatus } from './support';

const PRINTED = new Date('2026-07-20T08:05:00Z'); // 09:05 in London (BST)

function input(book: PracticeBook = smallBook(), mirror: Parameters<typeof dayOf>[2] = { asOf: '2026-07-20T07:50:00.000Z' }, printedAt = PRINTED): SheetInput {
  return sheetInputOf(dayOf(book, FIXTURE_DATE, mirror), printedAt);
}

describe('the frame every page carries', () => {
  it('gives practice, date, sheet, printed-at and mirror age in London time', () => {
    const f = sheetFrame(input(), 'Master list');
    expect(f.practice).toBe('Test Street Surgery (Y99999)');
    expect(f.dateLabel).toBe('Monday 20 July 2026');
    expect(f.printedAtLabel).toBe('Printed 20/07/2026 09:05');
    expect(f.mirrorAsOfLabel).toBe('Mirror as of 20/07/2026 08:50 (15 min before printing)');
    expect(f.stale).toBe(false);
    expect(f.staleWarning).toBeNull();
    expect(f.confidential).toBe('Confidential: contains patient information');
  });

  it('uses GMT in winter', () => {
    const book = smallBook('2026-01-15');
    const f = sheetFrame(sheetInputOf(dayOf(book, '2026-01-15', { asOf: '2026-01-15T08:00:00.000Z' }), new Date('2026-01-15T08:05:00Z')), 'x');
    expect(f.printedAtLabel).toBe('Printed 15/01/2026 08:05');
    expect(f.dateLabel).toBe('Thursday 15 January 2026');
  });

  it("warns once the mirror is as old as the desk's limit (30 minutes unless set), or was never loaded", () => {
    expect(sheetFrame(input(smallBook(), { asOf: '2026-07-20T07:36:00.000Z' }), 'x').stale).toBe(false);
    const stale = sheetFrame(input(smallBook(), { asOf: '2026-07-20T07:35:00.000Z' }), 'x');
    expect(stale.stale).toBe(true);
    expect(stale.staleWarning).toContain('STALE MIRROR, 30 min old');
    expect(sheetFrame(input(smallBook(), { asOf: '2026-07-20T07:36:00.000Z', staleAfterMinutes: 20 }), 'x').stale).toBe(true);
    const old = sheetFrame(input(smallBook(), { asOf: '2026-07-19T16:00:00.000Z' }), 'x');
    expect(old.staleWarning).toContain('16 h 5 min old');
    const never = sheetFrame(input(smallBook(), { asOf: null }), 'x');
    expect(never.stale).toBe(true);
    expect(never.staleWarning).toContain('never been loaded');
  });

  it('says the age is unknown, and warns, when the book was loaded with no time for its data (H1)', () => {
    // Loaded a minute before printing: without a time for the data, that says nothing of how old it is.
    const unknown = sheetFrame(input(smallBook(), { asOf: null, loadedAt: '2026-07-20T08:04:00.000Z' }), 'x');
    expect(unknown.stale).toBe(true);
    expect(unknown.mirrorAsOfLabel).toBe('Mirror loaded 20/07/2026 09:04, age unknown');
    expect(unknown.staleWarning).toBe("WARNING: the mirror's age is unknown (no time came with its data). Bookings made or cancelled since may be missing.");
  });
});

describe('clinician list', () => {
  it('gives one group per session with the patients in time order and cancellations marked', () => {
    const sheet = clinicianListSheet(input());
    expect(sheet.sessions.map((s) => [s.clinicianName, s.label, s.start, s.end, s.room])).toEqual([
      ['Dr Asha Patel', 'Morning', '08:30', '12:00', 'Room 1'],
      ['Nurse Ben Okafor', 'Morning', '08:30', '12:00', 'Treatment room'],
    ]);
    const [patel, okafor] = sheet.sessions;
    expect(patel?.rows.map((r) => [r.time, r.patient.name])).toEqual([
      ['08:30', "O'BRIEN, Siobhán"],
      ['08:40', 'MÜLLER, Zoë'],
      ['09:00', 'SMITH, Anne'],
    ]);
    expect(okafor?.rows.map((r) => [r.patient.name, r.cancelled, r.statusNote])).toEqual([
      ['SMITH-JONES, Tom', false, null],
      ['SMITH, Anne', true, 'Cancelled: Patient phoned to cancel'],
    ]);
    expect(okafor?.expected).toBe(1);
    const tom = okafor?.rows[0]?.patient;
    expect(tom?.nhs).toEqual({ text: 'not recorded', trusted: false });
    expect(tom?.age).toBe('7y');
    expect(patel?.rows[0]?.patient.nhs.text).toMatch(/^999 \d{3} \d{4}$/);
    expect(patel?.rows[0]?.patient.dob).toBe('02/03/1984');
    expect(patel?.rows[0]?.patient.flags.map((f) => [f.short, f.timeSensitive])).toEqual([['2WW cancer', true]]);
  });

  it('pre-ticks what the mirror already knows', () => {
    const book = withStatus(smallBook(), {
      'appt-1': { status: 'seen', arrivedAt: '2026-07-20T07:28:00.000Z', seenAt: '2026-07-20T07:45:00.000Z' },
      'appt-2': { status: 'dna' },
      'appt-3': { status: 'arrived', arrivedAt: '2026-07-20T07:27:00.000Z' },
    });
    const rows = clinicianListSheet(input(book)).sessions.flatMap((s) => s.rows);
    const byId = new Map(rows.map((r) => [r.appointmentId, r]));
    expect(byId.get('appt-1')?.ticks).toEqual({ arrived: true, seen: true, dna: false });
    expect(byId.get('appt-1')?.statusNote).toBe('Seen 08:45');
    expect(byId.get('appt-2')?.ticks).toEqual({ arrived: false, seen: false, dna: true });
    expect(byId.get('appt-3')?.statusNote).toBe('Arrived 08:27');
    expect(byId.get('appt-5')?.ticks).toEqual({ arrived: false, seen: false, dna: false });
  });

  it('never drops an appointment outside every session, nor one of a clinician the mirror does not hold', () => {
    const book = smallBook();
    const extra = {
      ...book.appointments[0],
      id: 'appt-late',
      start: localToIso(FIXTURE_DATE, '14:00'),
      end: localToIso(FIXTURE_DATE, '14:10'),
      sessionId: null,
    } as PracticeBook['appointments'][number];
    const ghost = { ...extra, id: 'appt-ghost', clinicianId: 'clin-gone' };
    const sheet = clinicianListSheet(input({ ...book, appointments: [...book.appointments, extra, ghost] }));
    const labels = sheet.sessions.map((s) => `${s.clinicianName} / ${s.label}`);
    expect(labels).toContain('Dr Asha Patel / Outside booked sessions');
    expect(labels).toContain('Unknown clinician (clin-gone) / Day list');
    expect(sheet.sessions.flatMap((s) => s.rows).length).toBe(7);
  });

  it('narrows to one clinician', () => {
    const sheet = clinicianListSheet(input(), { clinicianId: 'clin-b' });
    expect(sheet.frame.scope).toBe('Nurse Ben Okafor');
    expect(sheet.sessions.map((s) => s.clinicianName)).toEqual(['Nurse Ben Okafor']);
  });
});

describe('master list', () => {
  it('is every clinician in time order, with rooms', () => {
    const sheet = masterListSheet(input());
    expect(sheet.rows.map((r) => [r.time, r.clinicianName, r.room, r.patient.familyName])).toEqual([
      ['08:30', 'Dr Asha Patel', 'Room 1', "O'Brien"],
      ['08:30', 'Nurse Ben Okafor', 'Treatment room', 'Smith-Jones'],
      ['08:40', 'Dr Asha Patel', 'Room 1', 'Müller'],
      ['08:45', 'Nurse Ben Okafor', 'Treatment room', 'Smith'],
      ['09:00', 'Dr Asha Patel', 'Room 1', 'Smith'],
    ]);
    expect(sheet.expected).toBe(4);
  });
});

describe('callback list', () => {
  it('puts time-sensitive care first (cancer, anticoagulation, palliative), then the rest by time', () => {
    const book = withStatus(smallBook(), { 'appt-1': { status: 'dna' }, 'appt-2': { status: 'dna' }, 'appt-3': { status: 'walked_out' } });
    const palliative = { ...book.patients[1], id: 'pat-9', familyName: 'Quinn', flags: ['palliative'] } as PracticeBook['patients'][number];
    const late = { ...book.appointments[1], id: 'appt-9', patientId: 'pat-9', status: 'dna', start: localToIso(FIXTURE_DATE, '08:00') } as PracticeBook['appointments'][number];
    const sheet = callbackListSheet(input({ ...book, patients: [...book.patients, palliative], appointments: [...book.appointments, late] }));
    const [urgent, routine] = sheet.sections;
    expect(urgent?.rows.map((r) => [r.number, r.patient.familyName, r.outcome])).toEqual([
      [1, "O'Brien", 'DNA (did not attend)'],
      [2, 'Smith', 'Cancelled'],
      [3, 'Quinn', 'DNA (did not attend)'],
    ]);
    expect(routine?.rows.map((r) => [r.number, r.patient.familyName, r.time])).toEqual([
      [4, 'Smith-Jones', '08:30'],
      [5, 'Müller', '08:40'],
    ]);
    const smith = urgent?.rows[1];
    expect(smith?.reason).toBe('Patient phoned to cancel');
    expect(smith?.alsoBooked).toEqual(['09:00 Dr Asha Patel']);
    expect(smith?.phone).toBe('07700 900404');
    expect(routine?.rows[0]?.phone).toBeNull();
    expect(sheet.total).toBe(5);
  });
});

describe('walk-in register', () => {
  it('is ready for registered walk-ins, then numbered blank rows', () => {
    const empty = walkInRegisterSheet(input(), { blankRows: 5 });
    expect(empty.registered).toBe(0);
    expect(empty.rows.map((r) => [r.number, r.entry])).toEqual([1, 2, 3, 4, 5].map((n) => [n, null]));

    const withOne = sheetInputOf(dayOf(smallBook(), FIXTURE_DATE), PRINTED, [
      {
        name: 'Jo Bloggs',
        dateOfBirth: '1990-05-04',
        phone: null,
        nhsNumber: '9990000018',
        reason: 'cut hand',
        triage: 'U',
        clinician: null,
        timeIn: '2026-07-20T08:01:00.000Z',
        timeOut: null,
      },
    ]);
    const sheet = walkInRegisterSheet(withOne, { blankRows: 2 });
    expect(sheet.rows.map((r) => [r.number, r.entry?.name ?? null, r.entry?.timeIn ?? null, r.entry?.dob ?? null, r.entry?.nhsNumber ?? null])).toEqual([
      [1, 'Jo Bloggs', '09:01', '04/05/1990', '999 000 0018'],
      [2, null, null, null, null],
      [3, null, null, null, null],
    ]);
  });

  it('lists the walk-ins registered at the desk, before the blank rows, with triage code and who sees them', () => {
    const desk = openTestDesk();
    try {
      const ctx = desk.context;
      desk.service.reception.registerWalkIn(
        {
          patient: { kind: 'new', details: { familyName: "O'Neill", givenName: 'Róisín', dateOfBirth: '1985-03-02', phone: '07700 900321', temporaryResident: true } },
          triage: 'urgent_today',
          reason: 'burnt hand',
          assignTo: { kind: 'duty' },
        },
        ctx,
      );
      const sheet = walkInRegisterSheet(readSheetInput(desk.service, FIXTURE_DATE, PRINTED), { blankRows: 1 });
      expect(sheet.registered).toBe(1);
      expect(sheet.rows.map((r) => r.entry && [r.number, r.entry.name, r.entry.dob, r.entry.phone, r.entry.reason, r.entry.triage, r.entry.clinician])).toEqual([
        [1, "O'NEILL, Róisín", '02/03/1985', '07700 900321', 'burnt hand', 'U', 'Duty list'],
        null,
      ]);
      expect(sheet.triageKey).toContain('U urgent today');
    } finally {
      desk.close();
    }
  });

  it('fills whole pages with blank rows', () => {
    expect(walkInBlankRows(0) % ROWS_PER_PAGE.walkIn).toBe(0);
    expect(walkInBlankRows(0)).toBe(2 * ROWS_PER_PAGE.walkIn);
    expect((walkInBlankRows(50) + 50) % ROWS_PER_PAGE.walkIn).toBe(0);
    expect(walkInBlankRows(50)).toBeGreaterThanOrEqual(10);
  });
});

describe('consultation records', () => {
  it('gives a record per appointment not cancelled, with the appointment id as reference and barcode', () => {
    const sheet = consultationRecordsSheet(input());
    expect(sheet.records.map((r) => r.reference)).toEqual(['appt-1', 'appt-2', 'appt-5', 'appt-3']);
    expect(sheet.omittedCancelled).toBe(1);
    const first = sheet.records[0];
    expect(first?.barcode?.text).toBe('appt-1');
    expect(first?.clinicianName).toBe('Dr Asha Patel');
    expect(first?.room).toBe('Room 1');
    expect(first?.date).toBe('20/07/2026');
    expect(first?.patient.flags[0]?.label).toBe('Suspected cancer (2WW)');
  });
});

// python-barcode's Code 128 table (WhyNotHugo/python-barcode, barcode/charsets/code128.py), as module bits:
// an independent transcription to check ours against.
const REFERENCE_BITS = `11011001100 11001101100 11001100110 10010011000 10010001100 10001001100 10011001000 10011000100 10001100100
11001001000 11001000100 11000100100 10110011100 10011011100 10011001110 10111001100 10011101100 10011100110 11001110010 11001011100
11001001110 11011100100 11001110100 11101101110 11101001100 11100101100 11100100110 11101100100 11100110100 11100110010 11011011000
11011000110 11000110110 10100011000 10001011000 10001000110 10110001000 10001101000 10001100010 11010001000 11000101000 11000100010
10110111000 10110001110 10001101110 10111011000 10111000110 10001110110 11101110110 11010001110 11000101110 11011101000 11011100010
11011101110 11101011000 11101000110 11100010110 11101101000 11101100010 11100011010 11101111010 11001000010 11110001010 10100110000
10100001100 10010110000 10010000110 10000101100 10000100110 10110010000 10110000100 10011010000 10011000010 10000110100 10000110010
11000010010 11001010000 11110111010 11000010100 10001111010 10100111100 10010111100 10010011110 10111100100 10011110100 10011110010
11110100100 11110010100 11110010010 11011011110 11011110110 11110110110 10101111000 10100011110 10001011110 10111101000 10111100010
11110101000 11110100010 10111011110 10111101110 11101011110 11110101110 11010000100 11010010000 11010011100 1100011101011`.split(/\s+/);

function bits(widths: string): string {
  return [...widths].map((w, i) => (i % 2 === 0 ? '1' : '0').repeat(Number(w))).join('');
}

describe('Code 128 subset B', () => {
  it('has the standard symbol table', () => {
    expect(REFERENCE_BITS).toHaveLength(107);
    REFERENCE_BITS.forEach((expected, value) => expect(bits(code128Pattern(value)), `symbol ${value}`).toBe(expected));
  });

  it('encodes start B, the data, the mod-103 checksum and stop', () => {
    const code = encodeCode128B('PJJ123C');
    expect(code.ok).toBe(true);
    if (!code.ok) return;
    // P=48 J=42 J=42 1=17 2=18 3=19 C=35; checksum = (104 + 1*48 + 2*42 + 3*42 + 4*17 + 5*18 + 6*19 + 7*35) mod 103 = 879 mod 103
    expect(code.value.values).toEqual([104, 48, 42, 42, 17, 18, 19, 35, 55, 106]);
    expect(code128Checksum([104, 48, 42, 42, 17, 18, 19, 35])).toBe(55);
    expect(code.value.modules).toBe(11 * 9 + 13);
  });

  it('refuses what subset B cannot carry', () => {
    expect(encodeCode128B('appt-é').ok).toBe(false);
    expect(encodeCode128B('').ok).toBe(false);
  });
});

describe('HTML', () => {
  const HOSTILE = `<img src=x onerror="alert(1)">`;
  const book = smallBook();
  const hostile: PracticeBook = {
    ...book,
    practice: { ...book.practice, name: `</title><script>alert('p')</script>` },
    clinicians: book.clinicians.map((c) => ({ ...c, name: `${c.name} <u>x</u>` })),
    patients: book.patients.map((p, i) => (i === 0 ? { ...p, familyName: HOSTILE, givenName: `</style><script>alert(2)</script>` } : p)),
    appointments: book.appointments.map((a) => ({ ...a, reason: `"><svg onload=alert(3)>`, id: a.id === 'appt-1' ? `appt-1"><script>x</script>` : a.id })),
  };

  it.each(SHEET_KINDS)('%s escapes every text, in the page and in its header and footer', (kind) => {
    const statusBook = withStatus(hostile, { 'appt-2': { status: 'dna' }, 'appt-4': { status: 'cancelled', cancelReason: '<marquee>why</marquee>' } });
    const withDna = statusBook.appointments.map((a) => (a.patientId === 'pat-1' ? { ...a, status: 'dna' as const } : a));
    const doc = sheetDocument(kind, input({ ...statusBook, appointments: withDna }));
    for (const text of [doc.html, doc.headerTemplate, doc.footerTemplate]) {
      expect(text).not.toMatch(/<script|<img|<svg onload|<u>|<marquee|onerror="/i);
    }
    expect(doc.html + doc.headerTemplate).toContain('&lt;/title&gt;&lt;script&gt;alert(&#39;p&#39;)&lt;/script&gt;');
    if (kind !== 'walk-in-register') expect(doc.html).toContain('&lt;IMG SRC=X ONERROR=&quot;ALERT(1)&quot;&gt;');
  });

  it('keeps apostrophes readable', () => {
    const doc = sheetDocument('master-list', input());
    expect(doc.html).toContain('O&#39;BRIEN, Siobhán');
  });

  it('builds every sheet for an empty day, saying so', () => {
    const empty = sheetInputOf(dayOf({ ...smallBook(), appointments: [], sessions: [] }, FIXTURE_DATE), PRINTED);
    for (const kind of SHEET_KINDS) {
      const sheet = buildSheet(kind, empty);
      expect(sheet.kind).toBe(kind);
      const doc = sheetDocument(kind, empty);
      if (kind !== 'walk-in-register' && kind !== 'callback-list') expect(doc.html).toContain('no appointments');
    }
  });
});

describe('the day as printed', () => {
  it('refuses a malformed day rather than print it', () => {
    const day = dayOf(smallBook(), FIXTURE_DATE);
    expect(() => sheetInputOf({ ...day, date: '20/07/2026' }, PRINTED)).toThrow();
  });
});
