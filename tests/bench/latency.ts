/**
 * How long one contract operation holds the thread that runs the desk, on a 600-appointment day: the figure
 * that decides whether the desk may run in Electron's main process (docs/adr/0001-desk-in-main-process.md).
 * better-sqlite3 is synchronous, so while an operation runs the main process handles no input, no IPC and no
 * window events: every window of the app waits. The budget is 100 ms for the slowest call.
 *
 * Each operation is timed call by call through dispatch (zod parse, handler, transaction, journal) plus a
 * structuredClone of the result, which is what Electron's IPC does with a handler's return value on the same
 * thread. The slowest call and the 99th percentile are reported against a raw baseline: the same read (or
 * write) as one prepared better-sqlite3 statement on the same file, with the same pragmas, in the same process.
 * Not a test: nothing here asserts a time.
 */
import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { OPERATION_NAMES } from '../../shared/api';
import type { DeskStatus } from '../../shared/domain';
import { backupDatabase } from '../../electron/desk/backup';
import { openDesk, type OpenDesk } from '../../electron/desk/open';
import { closeDatabase, databasePath, openDatabase } from '../../electron/desk/store/connection';
import { bulkBook, FIXTURE_DATE, tempDir, testNhsNumber } from '../support/fixtures';
import { TEST_NOW } from '../support/clock';

export interface LatencyMeasurement {
  name: string;
  n: number;
  ms: number;
  baseline_ms: number;
}

export interface LatencyFigures {
  operation: string;
  n: number;
  p99: number;
  max: number;
  baselineP99: number;
  baselineMax: number;
  cpuP99: number;
  cpuMax: number;
}

/** The receptionist's path through a day, one step per call: every appointment ends up Left. */
const DAY_CYCLE: readonly DeskStatus[] = ['arrived', 'sent_in', 'seen', 'left'];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

interface Timings {
  /** Wall-clock ms per call, sorted: what a window waits. */
  wall: number[];
  /** CPU ms per call (this process), sorted: the same call without the time the OS gave to other programs. */
  cpu: number[];
}

function timeEach(n: number, call: (i: number) => void): Timings {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    call(i);
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

function dispatchOk(desk: OpenDesk, name: string, input: unknown): void {
  const result = desk.dispatch(name, input, desk.context);
  if (!result.ok) throw new Error(`bench: ${name} failed: ${result.error.message}`);
  // What ipcMain.handle does with the value before the call returns to the page.
  structuredClone(result);
}

export interface BenchLatencyOptions {
  appointments?: number;
  /** Calls per read operation (writes are set by the day: 4 per appointment). */
  reads?: number;
}

export function benchLatency(report: (m: LatencyMeasurement) => void, options: BenchLatencyOptions = {}): LatencyFigures[] {
  const n = options.appointments ?? 600;
  const reads = options.reads ?? 300;
  const book = bulkBook(n);
  const ids = book.appointments.map((a) => a.id);
  const figures: LatencyFigures[] = [];

  const dir = tempDir('bench-latency-');
  const desk = openDesk({ dataDir: dir, user: 'bench', desk: 'bench' });
  desk.service.loadBook(book, 'bench', desk.context);

  // Raw writes go to a copy of the same book (so they do not change what ours read); raw reads read our own
  // file, journal included, through a connection of their own.
  const rawDir = tempDir('bench-latency-raw-');
  const seed = openDesk({ dataDir: rawDir, user: 'bench', desk: 'bench' });
  seed.service.loadBook(book, 'bench', seed.context);
  seed.close();
  const raw = openDatabase(databasePath(rawDir));
  const rawRead = openDatabase(databasePath(dir), { readonly: true });

  const record = (operation: string, ours: Timings, baseline: Timings): void => {
    const f: LatencyFigures = {
      operation,
      n: ours.wall.length,
      p99: percentile(ours.wall, 99),
      max: percentile(ours.wall, 100),
      baselineP99: percentile(baseline.wall, 99),
      baselineMax: percentile(baseline.wall, 100),
      cpuP99: percentile(ours.cpu, 99),
      cpuMax: percentile(ours.cpu, 100),
    };
    figures.push(f);
    report({ name: `latency-${operation}-p99`, n: f.n, ms: f.p99, baseline_ms: f.baselineP99 });
    report({ name: `latency-${operation}-max`, n: f.n, ms: f.max, baseline_ms: f.baselineMax });
  };

  // Warm both sides once (statement caches, page cache) so the first call does not stand for the day.
  dispatchOk(desk, 'getDay', { date: FIXTURE_DATE });
  const rawDay = rawRead.prepare('SELECT * FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE a.local_date = ? ORDER BY a.clinician_id, a.start');
  rawDay.all(FIXTURE_DATE);

  // Writes first, so the reads below see an end-of-day journal (4 entries per appointment), not an empty one.
  // Round by round, so every patient of a clinician is sent in before the first is seen: as if the receptionist
  // confirmed each send in beside a patient still in the room (the question the desk asks first).
  const writes = DAY_CYCLE.flatMap((status, round) =>
    ids.map((appointmentId) => ({ appointmentId, status, expectedVersion: round, ...(status === 'sent_in' ? { despiteStillWithClinician: true } : {}) })),
  );
  const rawUpdate = raw.prepare('UPDATE appointment SET status = ?, version = version + 1, updated_at = ? WHERE id = ?');
  record(
    'setAppointmentStatus',
    timeEach(writes.length, (i) => dispatchOk(desk, 'setAppointmentStatus', writes[i])),
    timeEach(writes.length, (i) => {
      const w = writes[i];
      if (w) rawUpdate.run(w.status, TEST_NOW, w.appointmentId);
    }),
  );

  record(
    'getDay',
    timeEach(reads, () => dispatchOk(desk, 'getDay', { date: FIXTURE_DATE })),
    timeEach(reads, () => rawDay.all(FIXTURE_DATE)),
  );

  // A name prefix that matches many, a date of birth every bench patient shares (the worst case: all 600
  // match and are ordered), and an NHS number.
  const queries = ['bench1', '01/01/1980', testNhsNumber(7 * 42)];
  const rawSearches: Array<[BetterSqlite3.Statement, unknown[]]> = [
    [rawRead.prepare('SELECT * FROM patient WHERE family_fold >= ? AND family_fold < ? ORDER BY family_fold, given_fold LIMIT 25'), ['bench1', 'bench1{']],
    [rawRead.prepare('SELECT * FROM patient WHERE date_of_birth = ? ORDER BY family_fold, given_fold LIMIT 25'), ['1980-01-01']],
    [rawRead.prepare('SELECT * FROM patient WHERE nhs_number = ? LIMIT 25'), [testNhsNumber(7 * 42)]],
  ];
  record(
    'searchPatients',
    timeEach(reads, (i) => dispatchOk(desk, 'searchPatients', { query: queries[i % queries.length], date: FIXTURE_DATE })),
    timeEach(reads, (i) => {
      const entry = rawSearches[i % rawSearches.length];
      if (entry) entry[0].all(...entry[1]);
    }),
  );

  const rawCounts = rawRead.prepare('SELECT local_date, status, count(*) AS n FROM appointment GROUP BY local_date, status');
  record(
    'getMirrorStatus',
    timeEach(reads, () => dispatchOk(desk, 'getMirrorStatus', {})),
    timeEach(reads, () => rawCounts.all()),
  );

  const rawJournal = rawRead.prepare('SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?');
  record(
    'getJournal',
    timeEach(reads, () => dispatchOk(desk, 'getJournal', { afterSeq: 0, limit: 1000 })),
    timeEach(reads, () => rawJournal.all(0, 1000)),
  );

  const modeSwitches = 100;
  const rawMeta = raw.prepare("INSERT INTO meta (key, value) VALUES ('desk.mode', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  record(
    'setMode',
    timeEach(modeSwitches, (i) => dispatchOk(desk, 'setMode', { mode: i % 2 === 0 ? 'outage' : 'online', reason: 'bench' })),
    timeEach(modeSwitches, (i) => rawMeta.run(i % 2 === 0 ? 'outage' : 'online')),
  );

  desk.close();
  closeDatabase(raw);
  closeDatabase(rawRead);

  // Operations added to the contract since this was written are named, so the gap shows (on stderr, apart
  // from the JSON lines).
  const measured = new Set(figures.map((f) => f.operation));
  const missing = OPERATION_NAMES.filter((name) => !measured.has(name));
  if (missing.length > 0) console.error(`bench latency: not measured yet: ${missing.join(', ')}`);
  return figures;
}

/**
 * The longest stall of the event loop while the desk process backs up the end-of-day database as the app does
 * (backupDatabase: VACUUM INTO an encrypted copy, one synchronous statement, then a check of the copy), against
 * copying the file in one blocking call. The online backup API, which copies in steps, refuses encrypted
 * databases; this says what taking a backup costs a desk waiting for an answer instead.
 */
export async function benchBackupStall(report: (m: LatencyMeasurement) => void, appointments = 600): Promise<{ maxStallMs: number; copyMs: number }> {
  const dir = tempDir('bench-backup-');
  const desk = openDesk({ dataDir: dir, user: 'bench', desk: 'bench' });
  const book = bulkBook(appointments);
  desk.service.loadBook(book, 'bench', desk.context);
  for (const status of DAY_CYCLE) {
    // Everyone is sent in before anyone is seen: each send in confirmed, as the desk asks beside a patient still in.
    for (const a of book.appointments)
      dispatchOk(desk, 'setAppointmentStatus', { appointmentId: a.id, status, ...(status === 'sent_in' ? { despiteStillWithClinician: true } : {}) });
  }
  // The app backs up through a read-only connection of its own (electron/desk/backup/), not the writer's.
  const db = openDatabase(databasePath(dir), { readonly: true });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // The histogram samples on a timer of its own: armed before the backup starts, or the stall goes unseen.
  await new Promise((resolve) => setTimeout(resolve, 10));
  await backupDatabase(db, { dir: path.join(dir, 'bench-backups'), keep: 1 });
  // The delay is recorded by a timer that could only run after the stall: let it run before stopping.
  await new Promise((resolve) => setTimeout(resolve, 20));
  histogram.disable();
  // The histogram's floor is the sampling interval; what is above it is time the loop could not run.
  const maxStallMs = Math.max(0, histogram.max / 1e6 - 1);
  closeDatabase(db);
  desk.close();
  const start = performance.now();
  fs.copyFileSync(databasePath(dir), path.join(dir, 'bench-copy.sqlite'));
  const copyMs = performance.now() - start;
  report({ name: 'latency-backup-event-loop-stall-max', n: 1, ms: maxStallMs, baseline_ms: copyMs });
  return { maxStallMs, copyMs };
}
