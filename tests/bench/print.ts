/**
 * Printing benchmark: the full outage pack of a 20-clinician, 600-appointment day (models, HTML, Chromium,
 * flushed files, manifest, atomic rename, `latest`) against Chromium printing the very same HTML strings
 * directly (page.setContent + page.pdf, one after another, nothing written). Target: the pack under 5 s.
 * Run alone with `npx tsx tests/bench/print.ts`, or call benchPrint(report) from run.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DEFAULT_STALE_AFTER_MINUTES } from '../../shared/api';
import { localToIso, type Appointment, type PatientFlag, type PracticeBook } from '../../shared/domain';
import { SHEET_KINDS } from '../../shared/sheets';
import { BROWSER_ARGS, findBrowser } from '../../electron/desk/print/browser';
import { sheetDocument, sheetInputOf, type DayReader } from '../../electron/desk/print/documents';
import { writeOutagePack } from '../../electron/desk/print/pack';
import { pagePdfOptions, PdfPrinter } from '../../electron/desk/print/pdf';
import { TEST_NOW } from '../support/clock';
import { bulkBook, FIXTURE_DATE, tempDir } from '../support/fixtures';
import { median } from './median';

interface Measurement {
  name: string;
  n: number;
  ms: number;
  baseline_ms: number;
}
type Report = (m: Measurement) => void;

const FLAGS: PatientFlag[] = ['suspected_cancer', 'anticoagulation', 'palliative', 'interpreter', 'wheelchair'];

/** bulkBook(600) made to look like a day: morning sessions, rooms, phones, some flags, some cancelled and DNA. */
export function benchBook(n = 600, date = FIXTURE_DATE): PracticeBook {
  const book = bulkBook(n, date);
  const sessions = book.clinicians.map((c) => ({
    id: `sess-${c.id}`,
    clinicianId: c.id,
    room: c.room,
    date,
    start: localToIso(date, '08:00'),
    end: localToIso(date, '13:00'),
    label: 'Morning',
  }));
  const patients = book.patients.map((p, i) => ({
    ...p,
    givenName: ['Amira', 'Tom', 'Siobhán', 'Kwame', 'Zoë'][i % 5] ?? 'Pat',
    phone: i % 9 === 0 ? null : `07700 900${String(i % 1000).padStart(3, '0')}`,
    flags: i % 13 === 0 ? [FLAGS[(i / 13) % FLAGS.length] ?? 'interpreter'] : [],
  }));
  const appointments: Appointment[] = book.appointments.map((a, i) => ({
    ...a,
    sessionId: `sess-${a.clinicianId}`,
    end: new Date(Date.parse(a.start) + 10 * 60_000).toISOString(),
    reason: i % 4 === 0 ? 'Medication review' : null,
    status: i % 25 === 0 ? 'cancelled' : i % 31 === 0 ? 'dna' : 'booked',
    cancelReason: i % 25 === 0 ? 'Patient phoned to cancel' : null,
  }));
  return { ...book, sessions, patients, appointments };
}

function readerOf(book: PracticeBook, date: string): DayReader {
  const byId = new Map(book.patients.map((p) => [p.id, p]));
  return {
    getDay: (d) => ({
      practice: book.practice,
      date: d,
      clinicians: book.clinicians,
      sessions: book.sessions.filter((s) => s.date === d),
      appointments: d === date ? book.appointments.map((a) => ({ ...a, patient: byId.get(a.patientId) ?? (book.patients[0] as PracticeBook['patients'][number]) })) : [],
      mirror: { asOf: TEST_NOW, loadedAt: TEST_NOW, source: 'bench', mode: 'online', staleAfterMinutes: DEFAULT_STALE_AFTER_MINUTES },
      journalSeq: 0,
    }),
  };
}

export async function benchPrint(report: Report): Promise<void> {
  const date = FIXTURE_DATE;
  const book = benchBook(600, date);
  const reader = readerOf(book, date);
  const executablePath = findBrowser();
  // Printed at the suite's pinned instant, a fresh mirror: the same pages whatever the hour the bench runs.
  const now = new Date(TEST_NOW);

  // The same HTML strings the pack prints, for the raw baseline.
  const docs = SHEET_KINDS.map((kind) => sheetDocument(kind, sheetInputOf(reader.getDay(date, null), now)));

  // Warm: steady state is what a refresh hook sees (browser running, fonts cached). The median of three packs
  // after one to warm up, against the median of three raw runs: one run on a shared 2-core machine says little.
  const printer = await PdfPrinter.launch(executablePath);
  const folder = tempDir('bench-pack-');
  try {
    await writeOutagePack({ desk: reader, folder, dates: [date], now, printer });
    const ours: number[] = [];
    let pages = 0;
    let files = 0;
    for (let run = 1; run <= 3; run++) {
      const started = performance.now();
      const pack = await writeOutagePack({ desk: reader, folder, dates: [date], now: new Date(now.getTime() + run * 1000), printer });
      ours.push(performance.now() - started);
      pages = pack.pages;
      files = pack.files.length;
    }

    const baseline: number[] = [];
    const browser = await chromium.launch({ executablePath, args: BROWSER_ARGS });
    try {
      const context = await browser.newContext();
      for (let run = 1; run <= 3; run++) {
        const t0 = performance.now();
        for (const doc of docs) {
          const page = await context.newPage();
          await page.setContent(doc.html);
          await page.pdf(pagePdfOptions(doc));
          await page.close();
        }
        baseline.push(performance.now() - t0);
      }
    } finally {
      await browser.close();
    }
    report({ name: `outage-pack-600-appointments-${pages}-pages`, n: files, ms: median(ours), baseline_ms: median(baseline) });
  } finally {
    await printer.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }

  // Cold: `standby-desk pack` from nothing, browser launch included, against a raw launch + the same prints.
  const coldFolder = tempDir('bench-pack-cold-');
  try {
    const t0 = performance.now();
    await writeOutagePack({ desk: reader, folder: coldFolder, dates: [date], now, browserPath: executablePath });
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const browser = await chromium.launch({ executablePath, args: BROWSER_ARGS });
    try {
      const page = await browser.newPage();
      for (const doc of docs) {
        await page.setContent(doc.html);
        await page.pdf({
          format: 'A4',
          landscape: doc.orientation === 'landscape',
          printBackground: true,
          displayHeaderFooter: doc.displayHeaderFooter,
          headerTemplate: doc.headerTemplate,
          footerTemplate: doc.footerTemplate,
          margin: doc.margin,
        });
      }
    } finally {
      await browser.close();
    }
    report({ name: 'outage-pack-600-appointments-cold', n: docs.length, ms, baseline_ms: performance.now() - t1 });
  } finally {
    fs.rmSync(coldFolder, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const round = (x: number) => Math.round(x * 100) / 100;
  benchPrint((m) => console.log(JSON.stringify({ ...m, ms: round(m.ms), baseline_ms: round(m.baseline_ms), ratio: round(m.ms / m.baseline_ms) }))).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
