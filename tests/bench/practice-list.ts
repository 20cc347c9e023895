/**
 * The practice list's benchmarks (issue 19), for tests/bench/run.ts: a 30,000-patient practice (a 600-appointment
 * day, everyone else registered with no appointment) as a FHIR Bundle, imported into an empty mirror, refreshed
 * unchanged, and searched as the desk searches (surname starts, "o brien" readings, dates of birth, NHS numbers).
 * Baselines in the same process: the raw import and unchanged check of tests/bench/mirror.ts, and the same
 * lookups as plain prepared SELECTs on the same indexes. Search is reported at p99, the import and refresh as the
 * median of three runs.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Patient } from '../../shared/domain';
import { foldName } from '../../shared/domain';
import { openDesk } from '../../electron/desk/open';
import { closeDatabase, databasePath, openDatabase } from '../../electron/desk/store/connection';
import { bookToFhirBundle, Problems, readFhirBundleDocument } from '../../electron/desk/upstream';
import type { KnownFingerprints } from '../../electron/desk/upstream/batch';
import { testPatient } from '../support/builders';
import { bulkBook, FIXTURE_DATE, tempDir, testNhsNumber } from '../support/fixtures';
import { median } from './median';
import { rawImport, rawUnchangedCheck, type MirrorMeasurement } from './mirror';

const ctx = { user: 'bench', desk: 'bench' };

/** The demo's weighted name lists (electron/desk/demo/names.json): "Smith*10 Jones*8 ..." as plain names. */
function demoNames(): { family: string[]; given: string[] } {
  const groups = JSON.parse(fs.readFileSync(new URL('../../electron/desk/demo/names.json', import.meta.url), 'utf8')) as Array<{ family: string; given: unknown }>;
  const words = (s: string) =>
    s
      .split(/\s+/)
      .map((w) => w.replace(/\*\d+$/, ''))
      .filter((w) => w.length > 0);
  // Given names are nested by sex and generation: every string anywhere under them.
  const strings = (v: unknown): string[] => (typeof v === 'string' ? words(v) : typeof v === 'object' && v !== null ? Object.values(v).flatMap(strings) : []);
  return { family: groups.flatMap((g) => words(g.family)), given: groups.flatMap((g) => strings(g.given)) };
}

/** 600 booked patients (bulkBook) and the rest of a 30,000-patient list, with the spread of names a practice has. */
function practiceListText(total: number, booked: number): { text: string; patients: Patient[] } {
  const book = bulkBook(booked);
  const names = demoNames();
  const registered = Array.from({ length: total - booked }, (_v, i) => {
    const dob = new Date(Date.UTC(1930 + (i % 90), (i * 7) % 12, 1 + ((i * 13) % 28))).toISOString().slice(0, 10);
    return testPatient({
      id: `reg-${i}`,
      familyName: names.family[(i * 31) % names.family.length] ?? 'Smith',
      givenName: names.given[(i * 17) % names.given.length] ?? 'Sam',
      dateOfBirth: dob,
      nhsNumber: testNhsNumber(50_000 + i),
      phone: `07700 9${String(i).padStart(5, '0')}`,
    });
  });
  book.patients.push(...registered);
  return { text: JSON.stringify(bookToFhirBundle(book)), patients: book.patients };
}

/** The 99th percentile of a set of timings. */
function p99(values: readonly number[]): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

export function benchPracticeList(report: (m: MirrorMeasurement) => void, total = 30_000, booked = 600, runs = 3): void {
  const { text, patients } = practiceListText(total, booked);
  const read = (known?: KnownFingerprints) => readFhirBundleDocument(JSON.parse(text), { file: 'bench.json', source: 'bench', problems: new Problems(false), known });

  const ours: number[] = [];
  const baseline: number[] = [];
  let desk: ReturnType<typeof openDesk> | null = null;
  let raw: ReturnType<typeof openDatabase> | null = null;
  for (let i = 0; i < runs; i++) {
    desk?.close();
    if (raw) closeDatabase(raw);
    desk = openDesk({ dataDir: tempDir('bench-list-'), user: 'bench', desk: 'bench' });
    const d = desk;
    const start = performance.now();
    d.service.upstream.refresh(read(), ctx);
    ours.push(performance.now() - start);
    const held = d.service.getMirrorStatus();
    if (held.patients !== total || held.bookedPatients !== booked) throw new Error(`bench: the list holds ${held.patients} patients, ${held.bookedPatients} booked`);
    raw = openDatabase(databasePath(tempDir('bench-list-raw-')));
    const r = raw;
    const rawStart = performance.now();
    rawImport(r, text);
    baseline.push(performance.now() - rawStart);
  }
  if (!desk || !raw) throw new Error('bench: no runs');
  const d = desk;
  const r = raw;
  report({ name: `import-practice-list-${total}-patients-${booked}-appointments`, n: total, ms: median(ours), baseline_ms: median(baseline) });

  const unchanged: number[] = [];
  const check: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    d.service.upstream.refresh(read(d.service.upstream.knownFingerprints()), ctx);
    unchanged.push(performance.now() - start);
    const rawStart = performance.now();
    rawUnchangedCheck(r, text);
    check.push(performance.now() - rawStart);
  }
  report({ name: `refresh-unchanged-practice-list-${total}-patients`, n: total, ms: median(unchanged), baseline_ms: median(check) });

  // Searches as typed at the desk: a surname's first letters, a full surname with a given name's start, a date of
  // birth as dd/mm/yyyy, an NHS number. Ours through the contract (parse, query readings, booked first, the day's
  // appointments of each hit); the baseline the bare indexed SELECT for the same patients.
  const sample = Array.from({ length: 250 }, (_v, i) => patients[(i * 119) % patients.length]).filter((p): p is Patient => p !== undefined);
  const queries = sample.flatMap((p) => {
    const [y, m, day] = (p.dateOfBirth ?? '1980-01-01').split('-');
    return [p.familyName.slice(0, 3), `${p.familyName} ${p.givenName.slice(0, 2)}`, `${day}/${m}/${y}`, p.nhsNumber ?? p.familyName];
  });
  const ourTimes: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    const result = d.dispatch('searchPatients', { query, date: FIXTURE_DATE }, d.context);
    ourTimes.push(performance.now() - start);
    if (!result.ok) throw new Error(`bench: search "${query}": ${result.error.message}`);
  }
  const byName = r.prepare('SELECT * FROM patient WHERE family_fold >= ? AND family_fold < ? ORDER BY family_fold, given_fold LIMIT 25');
  const byDob = r.prepare('SELECT * FROM patient WHERE date_of_birth = ? ORDER BY family_fold, given_fold LIMIT 25');
  const byNhs = r.prepare('SELECT * FROM patient WHERE nhs_number = ? LIMIT 25');
  const rawTimes: number[] = [];
  for (const p of sample) {
    const fold = foldName(p.familyName);
    for (const run of [
      () => byName.all(fold.slice(0, 3), `${fold.slice(0, 3)}{`),
      () => byName.all(fold, `${fold}{`),
      () => byDob.all(p.dateOfBirth),
      () => byNhs.all(p.nhsNumber),
    ]) {
      const start = performance.now();
      run();
      rawTimes.push(performance.now() - start);
    }
  }
  report({ name: `search-practice-list-${total}-patients-p99`, n: queries.length, ms: p99(ourTimes), baseline_ms: p99(rawTimes) });
  d.close();
  closeDatabase(r);
}
