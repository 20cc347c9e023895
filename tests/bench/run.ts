/**
 * `npm run bench`: one JSON line per measurement, { name, n, ms, baseline_ms, ratio }, each against a raw
 * baseline run in the same process on the same kind of file, so the ratio says what our layers cost and the
 * machine's speed cancels out. Not a test: nothing here asserts a time.
 */
import { rawDatabase } from '../support/raw-db';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDesk } from '../../electron/desk/open';
import { databasePath } from '../../electron/desk/store/connection';
import { bulkBook, tempDir, FIXTURE_DATE } from '../support/fixtures';
import { TEST_NOW } from '../support/clock';
import { benchMirror } from './mirror';
import { benchPracticeList } from './practice-list';
import { benchPrint } from './print';
import { benchLatency, benchBackupStall } from './latency';
import { benchDeskBrowser } from './desk-browser';
import { benchMerge } from './merge';
import { benchGroup } from './group';

interface Measurement {
  name: string;
  n: number;
  ms: number;
  baseline_ms: number;
  ratio: number;
}

export function report(m: Omit<Measurement, 'ratio'>): void {
  const line: Measurement = { ...m, ms: round(m.ms), baseline_ms: round(m.baseline_ms), ratio: round(m.ms / m.baseline_ms) };
  console.log(JSON.stringify(line));
}
const round = (x: number) => Math.round(x * 100) / 100;

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** 1,000 receptionist status changes through the contract (parse, transaction, journal with hash) vs raw UPDATEs. */
function statusChanges(n: number): void {
  const book = bulkBook(n);
  const ids = book.appointments.map((a) => a.id);

  const dir = tempDir('bench-service-');
  const desk = openDesk({ dataDir: dir, user: 'bench', desk: 'bench' });
  desk.service.loadBook(book, 'bench', desk.context);
  const ms = time(() => {
    for (const id of ids) {
      const result = desk.dispatch('setAppointmentStatus', { appointmentId: id, status: 'arrived', expectedVersion: 0 }, desk.context);
      if (!result.ok) throw new Error(`bench: ${result.error.message}`);
    }
  });
  desk.close();

  // Baseline: the same rows in the same schema, WAL + synchronous=FULL, one autocommit UPDATE per change.
  const baseDir = tempDir('bench-raw-');
  const seed = openDesk({ dataDir: baseDir, user: 'bench', desk: 'bench' });
  seed.service.loadBook(book, 'bench', seed.context);
  seed.close();
  const raw = rawDatabase(databasePath(baseDir));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  const update = raw.prepare("UPDATE appointment SET status = 'arrived', fhir_status = 'arrived', version = version + 1, arrived_at = ? WHERE id = ?");
  const baseline = time(() => {
    // The suite's pinned instant, as every bench row is stamped: no reading of the real clock.
    for (const id of ids) update.run(TEST_NOW, id);
  });
  raw.close();
  report({ name: 'status-change-through-service', n, ms, baseline_ms: baseline });
}

/** Reading a whole day for the screen, vs the raw join of the same rows. */
function readDay(n: number): void {
  const dir = tempDir('bench-day-');
  const desk = openDesk({ dataDir: dir, user: 'bench', desk: 'bench' });
  desk.service.loadBook(bulkBook(n), 'bench', desk.context);
  const repeats = 20;
  const ms = time(() => {
    for (let i = 0; i < repeats; i++) desk.dispatch('getDay', { date: FIXTURE_DATE }, desk.context);
  });
  desk.close();
  const raw = rawDatabase(path.join(dir, 'standby-desk.sqlite'), { readonly: true });
  const select = raw.prepare('SELECT * FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE a.local_date = ? ORDER BY a.clinician_id, a.start');
  const baseline = time(() => {
    for (let i = 0; i < repeats; i++) select.all(FIXTURE_DATE);
  });
  raw.close();
  report({ name: `get-day-${n}-appointments`, n: repeats, ms, baseline_ms: baseline });
}

statusChanges(1000);
readDay(600);
benchMirror(report);
benchPracticeList(report);
benchMerge(report);
benchLatency(report);
await benchBackupStall(report);
await benchPrint(report);
await benchDeskBrowser(report);
await benchGroup(report);
