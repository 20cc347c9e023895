/**
 * The sheets as Chromium prints them: every PDF is checked through poppler (pdftotext, pdfinfo, pdftoppm),
 * the way a person would read the paper. One browser for the whole file. A PDF of each sheet of the demo day
 * is kept under test-artifacts/sheets/ (git-ignored) for looking at.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf, localTimeOf, localToIso, needsCallback, withNhsNumberStatus, type Appointment, type PracticeBook } from '../../../shared/domain';
import { SHEET_KINDS, type SheetKind } from '../../../shared/sheets';
import { generateDemoPractice } from '../../../electron/desk/demo/generate';
import { chromium, type Browser } from 'playwright-core';
import { BROWSER_ARGS } from '../../../electron/desk/print/browser';
import { hiddenOnScreen, pagePdfOptions } from '../../../electron/desk/print/pdf';
import { forSystemDialog } from '../../../electron/main/print';
import { countPdfPages, PdfPrinter, ROWS_PER_PAGE, sheetDocument, sheetInputOf, walkInBlankRows } from '../../../electron/desk/print';
import { smallBook, testNhsNumber, tempDir } from '../../support/fixtures';
import { CHROMIUM, dayOf, pdfInfoPages, pdfPages, saveArtifact, squash } from './support';

const DATE = '2026-07-20';
const PRINTED_AT = new Date('2026-07-20T08:05:00Z'); // 09:05 BST
const AS_OF = '2026-07-20T07:40:00.000Z'; // 08:40 BST, 25 minutes before printing

const TITLES: Record<SheetKind, string> = {
  'clinician-list': 'CLINICIAN LIST',
  'master-list': 'MASTER LIST',
  'walk-in-register': 'WALK-IN REGISTER',
  'callback-list': 'CALLBACK LIST',
  'consultation-records': 'CONSULTATION RECORD',
};

/** The demo day with the morning partly worked through, so ticks and the callback list have something to show. */
function demoBook(): PracticeBook {
  const book = generateDemoPractice({ date: DATE });
  const byTime = [...book.appointments].filter((a) => a.status === 'booked').sort((a, b) => (a.start < b.start ? -1 : 1));
  const set = (a: Appointment | undefined, change: Partial<Appointment>) => a && Object.assign(a, change);
  byTime.slice(0, 6).forEach((a, i) => set(a, i % 3 === 0 ? { status: 'dna' } : { status: 'seen', arrivedAt: a.start, seenAt: a.end }));
  set(byTime[6], { status: 'arrived', arrivedAt: byTime[6]?.start ?? null });
  // One missed patient in each kind of time-sensitive care.
  const flagged = book.patients.filter((p) => p.flags.length === 0).slice(0, 3);
  (['suspected_cancer', 'anticoagulation', 'palliative'] as const).forEach((flag, i) => {
    const p = flagged[i];
    if (p) p.flags = [flag];
    set(
      byTime.find((a) => a.patientId === p?.id),
      { status: 'dna' },
    );
  });
  return book;
}

let printer: PdfPrinter;
let work: string;
const book = demoBook();
const input = sheetInputOf(dayOf(book, DATE, { asOf: AS_OF }), PRINTED_AT);

beforeAll(async () => {
  printer = await PdfPrinter.launch(CHROMIUM);
  work = tempDir('standby-desk-print-');
}, 60_000);

afterAll(async () => {
  await printer?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function render(kind: SheetKind, sheetInput = input, name = `${kind}.pdf`, options: { clinicianId?: string } = {}): Promise<{ file: string; pages: string[] }> {
  const pdf = await printer.render(sheetDocument(kind, sheetInput, options));
  const file = path.join(work, name);
  fs.writeFileSync(file, pdf);
  const pages = pdfPages(file);
  // Three independent page counts must agree: poppler's, ours (read from the PDF), and the form feeds.
  expect(pdfInfoPages(file)).toBe(pages.length);
  expect(countPdfPages(pdf)).toBe(pages.length);
  return { file, pages };
}

/** Every page carries the whole frame: practice and day, the sheet, page N of M, printed at, mirror as of, confidentiality. */
function expectFramed(kind: SheetKind, pages: readonly string[]): void {
  pages.forEach((page, i) => {
    const text = squash(page);
    expect(text, `page ${i + 1}`).toContain(squash('Riverside Medical Practice (Y12345) · Monday 20 July 2026'));
    expect(text, `page ${i + 1}`).toContain(TITLES[kind]);
    expect(text, `page ${i + 1}`).toContain(squash(`Page ${i + 1} of ${pages.length}`));
    expect(text, `page ${i + 1}`).toContain(squash('Printed 20/07/2026 09:05'));
    expect(text, `page ${i + 1}`).toContain(squash('Mirror as of 20/07/2026 08:40 (25 min before printing)'));
    expect(text, `page ${i + 1}`).toContain(squash('Confidential: contains patient information'));
  });
}

function expectedPages(kind: SheetKind): number {
  const appts = input.appointments;
  switch (kind) {
    case 'clinician-list': {
      const perSession = input.sessions.map((s) => appts.filter((a) => a.sessionId === s.id).length);
      expect(perSession.reduce((n, x) => n + x, 0)).toBe(appts.length);
      return perSession.reduce((n, rows) => n + Math.max(1, Math.ceil(rows / ROWS_PER_PAGE.clinicianList)), 0);
    }
    case 'master-list':
      return Math.ceil(appts.length / ROWS_PER_PAGE.masterList);
    case 'walk-in-register':
      return walkInBlankRows(0) / ROWS_PER_PAGE.walkIn;
    case 'consultation-records':
      return appts.filter((a) => a.status !== 'cancelled').length;
    case 'callback-list': {
      // Two tables (time-sensitive, routine), each with its own heading rows, flowing one after the other.
      const rows = appts.filter((a) => ['dna', 'cancelled', 'walked_out'].includes(a.status)).length;
      return Math.ceil(rows / ROWS_PER_PAGE.callback) + 1;
    }
  }
}

/** The appointments a sheet must show, by time and family name. */
function listed(kind: SheetKind): Array<{ time: string; family: string }> {
  const rows = input.appointments.filter((a) =>
    kind === 'consultation-records' ? a.status !== 'cancelled' : kind === 'callback-list' ? needsCallback(a) : kind !== 'walk-in-register',
  );
  return rows.map((a) => ({ time: localTimeOf(a.start), family: a.patient.familyName.toLocaleUpperCase('en-GB') }));
}

describe('each sheet of the demo day, printed', () => {
  it.each(SHEET_KINDS)('%s: every page framed, every appointment listed, the expected pages', async (kind) => {
    const { file, pages } = await render(kind);
    saveArtifact(`${kind}.pdf`, fs.readFileSync(file));
    if (kind === 'callback-list') {
      expect(pages.length).toBeGreaterThanOrEqual(expectedPages(kind) - 1);
      expect(pages.length).toBeLessThanOrEqual(expectedPages(kind));
    } else {
      expect(pages.length).toBe(expectedPages(kind));
    }
    expectFramed(kind, pages);
    for (const page of pages) expect(squash(page)).not.toContain('STALE');
    if (kind === 'consultation-records') {
      // A page per appointment: each page's reference names its appointment, whose patient and time it shows.
      const byId = new Map(input.appointments.map((a) => [a.id, a]));
      const refs = pages.map((page, i) => {
        const ref = /Ref\s+(appt-[\w-]+)/.exec(page)?.[1] ?? '';
        const a = byId.get(ref);
        expect(a, `page ${i + 1} reference ${ref}`).toBeDefined();
        expect(page.toLocaleUpperCase('en-GB')).toContain(a?.patient.familyName.toLocaleUpperCase('en-GB'));
        expect(page).toContain(`${localTimeOf(a?.start ?? '')}-${localTimeOf(a?.end ?? '')}`);
        return ref;
      });
      expect(new Set(refs).size).toBe(pages.length);
      return;
    }
    // Each appointment's time and family name on one printed line (a row's first line), somewhere in the sheet.
    const lines = pages.flatMap((p) => p.split('\n')).map((l) => l.toLocaleUpperCase('en-GB'));
    const expected = listed(kind);
    if (kind === 'callback-list') expect(expected.length).toBeGreaterThan(6);
    for (const { time, family } of expected) {
      expect(
        lines.some((l) => l.includes(time) && l.includes(family)),
        `${time} ${family}`,
      ).toBe(true);
    }
  });

  it('warns on every page when the mirror is stale', async () => {
    const stale = sheetInputOf(dayOf(book, DATE, { asOf: '2026-07-20T06:00:00.000Z' }), PRINTED_AT);
    const { file, pages } = await render('master-list', stale, 'stale.pdf');
    saveArtifact('master-list-stale.pdf', fs.readFileSync(file));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(squash(page)).toContain(squash('WARNING: STALE MIRROR, 2 h 5 min old when printed'));
      expect(squash(page)).toContain(squash('Confidential: contains patient information'));
    }
    // The records carry their frame in the page: the warning must not push a record onto a second page.
    const clinicianId = input.appointments[0]?.clinicianId ?? '';
    const records = await render('consultation-records', stale, 'stale-records.pdf', { clinicianId });
    saveArtifact('consultation-records-stale.pdf', fs.readFileSync(records.file));
    expect(records.pages.length).toBe(input.appointments.filter((a) => a.clinicianId === clinicianId && a.status !== 'cancelled').length);
    records.pages.forEach((page, i) => {
      expect(squash(page)).toContain(squash('WARNING: STALE MIRROR, 2 h 5 min old when printed'));
      expect(squash(page)).toContain(squash('Confidential: contains patient information'));
      expect(squash(page)).toContain(squash(`Page ${i + 1} of ${records.pages.length}`));
    });
  });
});

describe('a long session', () => {
  /** One clinician, one session, 60 patients ten minutes apart: several pages. */
  function longSession(): PracticeBook {
    const base = smallBook(DATE);
    const patients = Array.from({ length: 60 }, (_v, i) =>
      withNhsNumberStatus({
        id: `lp-${i}`,
        familyName: `Longlist${String(i + 1).padStart(2, '0')}`,
        givenName: 'Pat',
        dateOfBirth: '1970-01-01',
        sex: 'unknown' as const,
        phone: null,
        flags: i % 7 === 0 ? (['suspected_cancer', 'interpreter'] as const).slice() : [],
        nhsNumber: testNhsNumber(5000 + i),
      }),
    );
    const appointments: Appointment[] = patients.map((p, i) => {
      const start = new Date(Date.parse(localToIso(DATE, '08:00')) + i * 10 * 60_000).toISOString();
      return {
        ...(base.appointments[0] as Appointment),
        id: `la-${i}`,
        patientId: p.id,
        clinicianId: 'clin-a',
        sessionId: 'sess-long',
        start,
        end: new Date(Date.parse(start) + 600_000).toISOString(),
        reason: i % 5 === 0 ? 'Medication review and blood pressure check' : null,
      };
    });
    return {
      ...base,
      sessions: [{ id: 'sess-long', clinicianId: 'clin-a', room: 'Room 1', date: DATE, start: localToIso(DATE, '08:00'), end: localToIso(DATE, '18:00'), label: 'All day' }],
      patients,
      appointments,
    };
  }

  it('runs over pages without splitting a row, headers repeated', async () => {
    const sheetInput = sheetInputOf(dayOf(longSession(), DATE, { asOf: AS_OF }), PRINTED_AT);
    const { file, pages } = await render('clinician-list', sheetInput, 'long-session.pdf');
    saveArtifact('clinician-list-60.pdf', fs.readFileSync(file));
    const perPage = ROWS_PER_PAGE.clinicianList;
    expect(pages.length).toBe(Math.ceil(60 / perPage));
    const seen = new Map<number, number>();
    pages.forEach((page, p) => {
      const lines = page.split('\n');
      expect(page, `page ${p + 1} repeats the session caption`).toContain('Dr Asha Patel');
      expect(
        lines.some((l) => /Time\s+Patient.*Arrived\s+Seen\s+DNA\s+Notes/.test(l)),
        `page ${p + 1} repeats the column heads`,
      ).toBe(true);
      for (let i = 0; i < 60; i++) {
        const name = `LONGLIST${String(i + 1).padStart(2, '0')}`;
        const time = localTimeOf(new Date(Date.parse(localToIso(DATE, '08:00')) + i * 10 * 60_000));
        const nameHere = page.includes(name);
        // A row split across a page break would leave its time on one page and its name (or its second line) on another.
        if (nameHere) {
          expect(
            lines.some((l) => l.includes(time) && l.includes(name)),
            `${name} and ${time} on one line`,
          ).toBe(true);
          expect(page, `${name}'s second line is on its page`).toMatch(
            new RegExp(`01/01/1970 \\(56y\\) · NHS ${testNhsNumber(5000 + i).replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3')}`),
          );
          seen.set(i, (seen.get(i) ?? 0) + 1);
          expect(Math.floor(i / perPage), `${name} on the page the layout predicts`).toBe(p);
        }
      }
    });
    expect([...seen.values()]).toEqual(Array.from({ length: 60 }, () => 1));
  });
});

/** Runs of one colour along a row of pixels (dark = true): [dark, length][]. */
function runsOf(row: boolean[]): Array<[boolean, number]> {
  const runs: Array<[boolean, number]> = [];
  for (const dark of row) {
    const last = runs[runs.length - 1];
    if (last && last[0] === dark) last[1]++;
    else runs.push([dark, 1]);
  }
  return runs;
}

/**
 * Decodes a Code 128 symbol from one row of pixels, with an independent reading of the table; null when the
 * row is not a valid symbol (wrong start, unknown pattern, bad checksum or stop). The symbol is the longest
 * stretch of bars between light gaps too wide to be a space inside it.
 */
function decodeRow(row: boolean[]): string | null {
  const all = runsOf(row);
  // A space inside the symbol is at most 4 modules; the quiet zone is 10. The median bar is 1-2 modules.
  const bars = all
    .filter(([dark]) => dark)
    .map(([, n]) => n)
    .sort((a, b) => a - b);
  const median = bars[Math.floor(bars.length / 2)] ?? 1;
  const groups: Array<Array<[boolean, number]>> = [[]];
  for (const run of all) {
    if (!run[0] && run[1] > 4 * median) groups.push([]);
    else groups[groups.length - 1]?.push(run);
  }
  const symbol = groups.map((g) => g.filter((_r, i) => i > 0 || g[0]?.[0] === true)).sort((a, b) => b.length - a.length)[0] ?? [];
  while (symbol.length && symbol[symbol.length - 1]?.[0] === false) symbol.pop();
  const runs = symbol.map(([, n]) => n);
  const symbols = (runs.length - 7) / 6;
  if (!Number.isInteger(symbols) || symbols < 3) return null;
  const module = runs.reduce((a, b) => a + b, 0) / (symbols * 11 + 13);
  const widths = runs.map((r) => Math.round(r / module));
  const table = REFERENCE_WIDTHS();
  const values = Array.from({ length: symbols }, (_v, s) => table.indexOf(widths.slice(s * 6, s * 6 + 6).join('')));
  if (values.some((v) => v < 0) || widths.slice(symbols * 6).join('') !== '2331112' || values[0] !== 104) return null;
  const data = values.slice(1, -1);
  if (values[values.length - 1] !== (104 + data.reduce((sum, v, i) => sum + v * (i + 1), 0)) % 103) return null;
  return String.fromCharCode(...data.map((v) => v + 32));
}

/** Element widths of symbols 0-105 from the module bits of python-barcode's table (see sheets.test.ts). */
function REFERENCE_WIDTHS(): string[] {
  const bits =
    `11011001100 11001101100 11001100110 10010011000 10010001100 10001001100 10011001000 10011000100 10001100100 11001001000 11001000100 11000100100 10110011100 10011011100 10011001110 10111001100 10011101100 10011100110 11001110010 11001011100 11001001110 11011100100 11001110100 11101101110 11101001100 11100101100 11100100110 11101100100 11100110100 11100110010 11011011000 11011000110 11000110110 10100011000 10001011000 10001000110 10110001000 10001101000 10001100010 11010001000 11000101000 11000100010 10110111000 10110001110 10001101110 10111011000 10111000110 10001110110 11101110110 11010001110 11000101110 11011101000 11011100010 11011101110 11101011000 11101000110 11100010110 11101101000 11101100010 11100011010 11101111010 11001000010 11110001010 10100110000 10100001100 10010110000 10010000110 10000101100 10000100110 10110010000 10110000100 10011010000 10011000010 10000110100 10000110010 11000010010 11001010000 11110111010 11000010100 10001111010 10100111100 10010111100 10010011110 10111100100 10011110100 10011110010 11110100100 11110010100 11110010010 11011011110 11011110110 11110110110 10101111000 10100011110 10001011110 10111101000 10111100010 11110101000 11110100010 10111011110 10111101110 11101011110 11110101110 11010000100 11010010000 11010011100`.split(
      ' ',
    );
  return bits.map((b) => (b.match(/1+|0+/g) ?? []).map((run) => String(run.length)).join(''));
}

describe('the consultation record barcode', () => {
  it('scans back to the appointment id from the printed page', async () => {
    // One clinician's records are enough (and quick); the demo's ids are long, so the bars are at their narrowest.
    const clinicianId = input.appointments[0]?.clinicianId ?? '';
    const { file } = await render('consultation-records', input, 'records-barcode.pdf', { clinicianId });
    // The reference block sits top right: crop it at 600 dpi (x 120-200 mm, y 20-70 mm) as greyscale PGM.
    const dpmm = 600 / 25.4;
    const crop = [
      '-r',
      '600',
      '-gray',
      '-f',
      '1',
      '-l',
      '1',
      '-x',
      String(Math.round(120 * dpmm)),
      '-y',
      String(Math.round(20 * dpmm)),
      '-W',
      String(Math.round(80 * dpmm)),
      '-H',
      String(Math.round(50 * dpmm)),
    ];
    const pgm = execFileSync('pdftoppm', [...crop, file], { maxBuffer: 64 * 1024 * 1024 });
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    expect(header).not.toBeNull();
    const [width, height] = [Number(header?.[1]), Number(header?.[2])];
    const pixels = pgm.subarray((header?.[0] ?? '').length);
    // Try the rows with the most edges first (the barcode's); text rows fail the checksum and are skipped.
    const rows = Array.from({ length: height }, (_v, y) => Array.from({ length: width }, (_w, x) => (pixels[y * width + x] ?? 255) < 128));
    const edges = (row: boolean[]) => row.reduce((n, dark, x) => n + (x > 0 && dark !== row[x - 1] ? 1 : 0), 0);
    const candidates = rows.filter((row) => edges(row) > 60).sort((a, b) => edges(b) - edges(a));
    const decoded = candidates.map(decodeRow).filter((text): text is string => text !== null);
    expect(decoded.length, 'rows that scan').toBeGreaterThan(10);
    const firstPageText = pdfPages(file)[0] ?? '';
    const reference = /Ref\s+(appt-[\w-]+)/.exec(firstPageText)?.[1];
    expect(reference).toBeDefined();
    expect(new Set(decoded)).toEqual(new Set([reference]));
    expect(input.appointments.some((a) => a.id === reference && localDateOf(a.start) === DATE)).toBe(true);
  });
});

describe('printing with the screen layout hidden', () => {
  it('gives the very pages Chromium prints from the sheet as it is', async () => {
    // PdfPrinter hides the body on screen (hiddenOnScreen); the print must not notice. Compared raster to raster
    // (the PDFs' creation dates differ), on a sheet with tables, boxes and a repeated header and footer.
    expect(hiddenOnScreen('<p>no head</p>')).toBe('<p>no head</p>');
    const doc = sheetDocument('clinician-list', input, { clinicianId: input.appointments[0]?.clinicianId ?? '' });
    expect(hiddenOnScreen(doc.html)).toContain('@media screen { body { display: none } }</style></head>');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
    let plain: Buffer;
    try {
      const page = await browser.newPage();
      await page.setContent(doc.html, { waitUntil: 'load' });
      plain = await page.pdf(pagePdfOptions(doc));
    } finally {
      await browser.close();
    }
    const ours = await printer.render(doc);
    const raster = (pdf: Buffer, name: string) => {
      const file = path.join(work, name);
      fs.writeFileSync(file, pdf);
      return execFileSync('pdftoppm', ['-r', '50', '-gray', file], { maxBuffer: 64 * 1024 * 1024 });
    };
    const expected = raster(plain, 'plain.pdf');
    expect(countPdfPages(ours)).toBe(countPdfPages(plain));
    expect(raster(ours, 'hidden-on-screen.pdf').equals(expected)).toBe(true);
  });
});

describe('printed through the system dialog (the app’s Print…)', () => {
  // The dialog cannot print the header and footer templates: the frame goes on every page as CSS page margin
  // boxes instead (forSystemDialog). Chromium prints the page as the dialog would: no templates, its own
  // header and footer off, the sheet's @page size and margins.
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  }, 60_000);
  afterAll(() => browser?.close());

  async function viaDialog(kind: SheetKind, sheetInput = input): Promise<string[]> {
    const doc = forSystemDialog(sheetDocument(kind, sheetInput));
    const page = await browser.newPage();
    try {
      await page.setContent(doc.html, { waitUntil: 'load' });
      const file = path.join(work, `dialog-${kind}.pdf`);
      fs.writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true, displayHeaderFooter: false }));
      saveArtifact(`dialog-${kind}.pdf`, fs.readFileSync(file));
      return pdfPages(file);
    } finally {
      await page.close();
    }
  }

  it.each(SHEET_KINDS.filter((k) => k !== 'consultation-records'))('%s: the same frame on every page, page N of M included', async (kind) => {
    const pages = await viaDialog(kind);
    expect(pages.length).toBeGreaterThan(0);
    expectFramed(kind, pages);
  });

  it('warns on every page when the mirror is stale', async () => {
    const stale = sheetInputOf(dayOf(book, DATE, { asOf: '2026-07-20T06:00:00.000Z' }), PRINTED_AT);
    const pages = await viaDialog('master-list', stale);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(squash(page)).toContain(squash('WARNING: STALE MIRROR, 2 h 5 min old when printed'));
  });
});
