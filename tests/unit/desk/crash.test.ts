/**
 * The crash test: a real child process changes statuses through the desk backend (tests/support/crash-writer.ts)
 * and is killed with SIGKILL at 200 moments chosen by a seeded generator, some while it is still opening the
 * desk, most while it writes. After every kill the database must pass integrity_check, its journal chain must
 * verify, and every change the writer acknowledged must be there, in the appointment and in the journal.
 *
 * A moment is "after the k-th acknowledgement, plus d ms": the writer keeps committing while the signal is on
 * its way, so the kill lands anywhere in a later change (inside the transaction, in the commit's fsync, between
 * the commit and the acknowledgement). Counting acknowledgements rather than milliseconds keeps the number of
 * changes, and so the test's length, the same on a fast machine and a slow one.
 *
 * Two lanes (two data folders, two writers) run side by side: the test is dominated by starting Node, which
 * uses one core. The writer is bundled once with esbuild (better-sqlite3 left external, its native addon
 * loaded from node_modules) so each run costs a plain `node` start, not a TypeScript compile.
 */
import { rawDatabase } from '../../support/raw-db';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../electron/desk/demo/random';
import { openDesk } from '../../../electron/desk/open';
import { closeDatabase, databasePath, openDatabase } from '../../../electron/desk/store/connection';
import { Journal } from '../../../electron/desk/store/journal';
import { Db } from '../../../electron/desk/store/sql';
import { bulkBook, tempDir } from '../../support/fixtures';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const KILLS = 200;
const LANES = 2;
const SEED = 20260720;
/** A kill comes after 0..MAX_ACKS acknowledgements, then 0..MAX_DELAY_MS. */
const MAX_ACKS = 20;
const MAX_DELAY_MS = 4;
/** 4 changes each: twice what a lane can use (KILLS / LANES runs of at most MAX_ACKS + a few changes). */
const APPOINTMENTS = Math.ceil(((KILLS / LANES) * (MAX_ACKS + 10) * 2) / 4);
/** Every this-many-th kill lands while the writer is still starting (opening, checking, recovering the WAL). */
const EARLY_KILL_EVERY = 8;

interface Ack {
  id: string;
  version: number;
}

interface RunOutcome {
  acks: Ack[];
  ready: boolean;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

let writer = '';

beforeAll(async () => {
  const out = path.join(tempDir('standby-crash-writer-'), 'crash-writer.mjs');
  const betterSqlite3 = pathToFileURL(createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers')).href;
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['tests/support/crash-writer.ts'],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // The native addon stays where npm put it; the bundle imports it by absolute URL from a temp folder.
    plugins: [{ name: 'external-sqlite', setup: (b) => b.onResolve({ filter: /^better-sqlite3-multiple-ciphers$/ }, () => ({ path: betterSqlite3, external: true })) }],
    // better-sqlite3 is CommonJS; the ESM bundle needs require() for the bundled CommonJS it pulls in.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  writer = out;
}, 60_000);

type Moment = { afterAcks: number; delayMs: number } | { fromStartMs: number };

/** Starts the writer and kills it at `moment`: after k acknowledgements and a delay, or a time after start. */
function runAndKill(dataDir: string, moment: Moment): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let ready = false;
    let buffered = '';
    let stderr = '';
    let armed = false;
    const kill = () => child.kill('SIGKILL');
    const arm = (delayMs: number) => {
      if (armed) return;
      armed = true;
      if (delayMs === 0) kill();
      else setTimeout(kill, delayMs);
    };
    if ('fromStartMs' in moment) arm(moment.fromStartMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          ready = true;
        } else {
          const [id, version] = line.split(' ');
          if (id === undefined || version === undefined) continue;
          acks.push({ id, version: Number(version) });
        }
        if ('afterAcks' in moment && ready && acks.length >= moment.afterAcks) arm(moment.delayMs);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    // 'close', not 'exit': every acknowledgement written before the kill has been read by then. A line cut
    // short by the kill is not an acknowledgement, and stays in `buffered`.
    child.on('close', (code, signal) => resolve({ acks, ready, signal, code, stderr }));
  });
}

/** integrity_check, the journal chain, and every acknowledged change in the appointment and the journal. */
function checkDatabase(dataDir: string, acks: readonly Ack[]): { integrity: string[]; journal: ReturnType<Journal['verify']>; missing: string[] } {
  // Opened as the app would after a crash: read-write, so SQLite replays the WAL it finds.
  const raw = openDatabase(databasePath(dataDir));
  try {
    const integrity = (raw.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    const journal = new Journal(new Db(raw)).verify();
    const version = raw.prepare('SELECT version FROM appointment WHERE id = ?').pluck();
    const entry = raw
      .prepare("SELECT count(*) FROM journal WHERE entity = 'appointment' AND entity_id = ? AND op = 'appointment.setStatus' AND json_extract(after, '$.version') = ?")
      .pluck();
    const missing: string[] = [];
    for (const ack of acks) {
      const current = version.get(ack.id) as number | undefined;
      if (current === undefined || current < ack.version) missing.push(`${ack.id} v${ack.version}: appointment at v${String(current)}`);
      else if ((entry.get(ack.id, ack.version) as number) !== 1) missing.push(`${ack.id} v${ack.version}: no journal entry`);
    }
    return { integrity, journal, missing };
  } finally {
    closeDatabase(raw);
  }
}

interface LaneResult {
  acks: Ack[];
  killedWhileWriting: number;
  killedWhileStarting: number;
  dataDir: string;
}

async function lane(index: number, runs: number): Promise<LaneResult> {
  const dataDir = tempDir(`standby-crash-${index}-`);
  const seed = openDesk({ dataDir, user: 'test', desk: 'test' });
  seed.service.loadBook(bulkBook(APPOINTMENTS), 'crash test', seed.context);
  seed.close();

  // The demo's seeded generator: the same moments on every machine.
  const random = new Rng(SEED + index);
  const result: LaneResult = { acks: [], killedWhileWriting: 0, killedWhileStarting: 0, dataDir };
  let startupMs = 300;
  for (let run = 0; run < runs; run++) {
    const label = `lane ${index}, run ${run}`;
    const early = run % EARLY_KILL_EVERY === EARLY_KILL_EVERY - 1;
    const moment: Moment = early ? { fromStartMs: Math.floor(random.float() * startupMs) } : { afterAcks: random.int(0, MAX_ACKS), delayMs: random.int(0, MAX_DELAY_MS) };
    const started = performance.now();
    const outcome = await runAndKill(dataDir, moment);
    if (outcome.ready && !early) startupMs = Math.max(50, Math.min(startupMs, performance.now() - started));

    // The writer must have died by the kill, not finished or failed on its own.
    expect(outcome.stderr, label).toBe('');
    expect(outcome.signal, `${label}: the writer ran out of changes or failed (exit ${String(outcome.code)})`).toBe('SIGKILL');
    if (outcome.acks.length > 0) result.killedWhileWriting++;
    else result.killedWhileStarting++;

    const check = checkDatabase(dataDir, outcome.acks);
    expect(check.integrity, label).toEqual(['ok']);
    expect(check.journal, label).toMatchObject({ ok: true });
    expect(check.missing, label).toEqual([]);
    result.acks.push(...outcome.acks);
  }
  return result;
}

describe('crash safety', () => {
  it(
    `keeps every acknowledged change through ${KILLS} SIGKILLs at seeded moments`,
    async () => {
      const lanes = await Promise.all(Array.from({ length: LANES }, (_v, i) => lane(i, KILLS / LANES)));

      // The kills landed where they should: most among writes, some before the first write.
      const writing = lanes.reduce((n, l) => n + l.killedWhileWriting, 0);
      const starting = lanes.reduce((n, l) => n + l.killedWhileStarting, 0);
      expect(writing + starting).toBe(KILLS);
      expect(writing).toBeGreaterThan(KILLS / 2);
      expect(starting).toBeGreaterThan(0);

      for (const l of lanes) {
        expect(new Set(l.acks.map((a) => `${a.id} ${a.version}`)).size).toBe(l.acks.length);
        // Once more at the end, everything acknowledged across the lane's runs; and the journal counts them
        // all: one entry per change, at most one more per run (committed, killed before it was acknowledged).
        const final = checkDatabase(l.dataDir, l.acks);
        expect(final.missing).toEqual([]);
        const db = rawDatabase(databasePath(l.dataDir), { readonly: true });
        const changes = db.prepare("SELECT count(*) FROM journal WHERE op = 'appointment.setStatus'").pluck().get() as number;
        db.close();
        expect(changes).toBeGreaterThanOrEqual(l.acks.length);
        expect(changes).toBeLessThanOrEqual(l.acks.length + KILLS / LANES);
      }
    },
    // About 90 s of CPU in all (most of it starting Node 200 times); twice that on a busy machine.
    300_000,
  );
});
