/**
 * Backups of the desk database to a second folder, and putting one back.
 *
 * A backup is taken with VACUUM INTO, which writes a consistent snapshot while the desk keeps writing, into a
 * hidden temporary name in the backup folder, encrypted with the database's own key (SQLite3 Multiple Ciphers
 * gives the copy the key of the connection it came from; the online backup API refuses encrypted sources). A
 * backup restores only with that key. It is then made a
 * single self-contained file (rollback journal, not WAL), flushed, checked (opened read-only, quick_check,
 * schema version known) and only then renamed to its final name. Older backups are pruned only after that, so
 * a failed or killed backup never costs a good one. Names carry a UTC timestamp, so they sort by age and do not
 * jump when the clocks change.
 *
 * A restore checks the file in full first (integrity_check, schema version, the journal's hash chain), keeps
 * the current database (with its WAL) aside as standby-desk.sqlite.before-restore-<ts>, then renames the checked
 * copy into place. There is no lock between processes yet: the app must be closed while a restore runs.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATABASE_FILE, databasePath, keyOf, openEncrypted } from './store/connection';
import { resolveDatabaseKey } from './store/key';
import { readSettingsFile } from './settings-file';
import { Journal } from './store/journal';
import { LATEST_SCHEMA_VERSION, schemaVersion } from './store/migrations';
import { Db } from './store/sql';

export const DEFAULT_BACKUP_EVERY_MINUTES = 15;
export const DEFAULT_BACKUP_KEEP = 10;
export const BACKUP_FOLDER = 'backups';
/** Optional, in the data folder: where backups go, how often, how many. Practice IT edits it. */
export const BACKUP_SETTINGS_FILE = 'backup-settings.json';

const BACKUP_NAME = /^standby-desk-(\d{8}T\d{6}Z)(?:-(\d+))?\.sqlite$/;
const TEMP_NAME = /^\.standby-desk-.+\.tmp-\d+-[0-9a-f]{8}$/;
/** A temporary file older than this belongs to a backup that died, not to one still running. */
const STALE_TEMP_MS = 10 * 60_000;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export class RestoreRefusedError extends Error {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(`${file} was not restored: ${problems.join('; ')}. The current database was not touched.`);
    this.name = 'RestoreRefusedError';
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------------------------- settings

export interface BackupSettings {
  dir: string;
  everyMinutes: number;
  keep: number;
}

const SettingsFile = z.strictObject({
  dir: z.string().min(1).optional(),
  everyMinutes: z.number().int().min(1).max(24 * 60).optional(),
  keep: z.number().int().min(1).max(1000).optional(),
});

export function defaultBackupSettings(dataDir: string): BackupSettings {
  return { dir: path.join(dataDir, BACKUP_FOLDER), everyMinutes: DEFAULT_BACKUP_EVERY_MINUTES, keep: DEFAULT_BACKUP_KEEP };
}

/**
 * The settings in force for a data folder. A missing file means the defaults; a broken one also means the
 * defaults, with the problem said, because a typo by IT must not stop the desk (or its backups) from starting.
 * A relative `dir` is taken from the data folder.
 */
export function readBackupSettings(dataDir: string): { settings: BackupSettings; problem: string | null } {
  const defaults = defaultBackupSettings(dataDir);
  const read = readSettingsFile(path.join(dataDir, BACKUP_SETTINGS_FILE), SettingsFile);
  if (read.kind === 'absent') return { settings: defaults, problem: null };
  if (read.kind === 'problem') return { settings: defaults, problem: `${read.message}; using the defaults` };
  const s = read.value;
  return {
    settings: {
      dir: s.dir === undefined ? defaults.dir : path.resolve(dataDir, s.dir),
      everyMinutes: s.everyMinutes ?? defaults.everyMinutes,
      keep: s.keep ?? defaults.keep,
    },
    problem: null,
  };
}

// ---------------------------------------------------------------------------------------------- names

function utcStamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** `standby-desk-20260720T081400Z.sqlite`; a second backup in the same second gets `-2`, then `-3`. */
export function backupFileName(at: Date, taken: ReadonlySet<string> = new Set()): string {
  const stamp = utcStamp(at);
  for (let n = 1; ; n++) {
    const name = `standby-desk-${stamp}${n === 1 ? '' : `-${n}`}.sqlite`;
    if (!taken.has(name)) return name;
  }
}

/** When a backup was taken, from its name; null for anything that is not one of ours. */
export function backupTakenAt(name: string): Date | null {
  const m = BACKUP_NAME.exec(name);
  if (!m?.[1]) return null;
  const s = m[1];
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Newest first: by time, then by the same-second counter. */
function compareNewestFirst(a: string, b: string): number {
  const ma = BACKUP_NAME.exec(a);
  const mb = BACKUP_NAME.exec(b);
  const sa = ma?.[1] ?? '';
  const sb = mb?.[1] ?? '';
  if (sa !== sb) return sa < sb ? 1 : -1;
  return Number(mb?.[2] ?? 1) - Number(ma?.[2] ?? 1);
}

export interface BackupFile {
  name: string;
  file: string;
  takenAt: Date;
  bytes: number;
}

/** The backups in a folder, newest first. A folder that does not exist holds none. */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: BackupFile[] = [];
  for (const name of names.sort(compareNewestFirst)) {
    const takenAt = backupTakenAt(name);
    if (!takenAt) continue;
    const file = path.join(dir, name);
    try {
      const stat = fs.statSync(file);
      if (stat.isFile()) found.push({ name, file, takenAt, bytes: stat.size });
    } catch {
      // Pruned by another process between readdir and stat: not a backup any more.
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------- verify

export type VerifyLevel = 'quick' | 'full';

export interface Verification {
  ok: boolean;
  /** What is wrong, for a person; empty when ok. */
  problems: string[];
  schemaVersion: number | null;
  /** Journal entries whose chain verified ('full' only). */
  journalEntries: number | null;
}

/**
 * Checks a database file without changing it. 'quick' (after each backup): opens, quick_check, schema version
 * known. 'full' (before a restore, and for the recovery screen): integrity_check instead, and the journal's
 * hash chain walked end to end.
 */
export function verifyDatabaseFile(file: string, level: VerifyLevel, key?: string): Verification {
  let db: BetterSqlite3.Database;
  try {
    db = openEncrypted(file, key ?? keyForBackupFile(file), { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, problems: [`cannot open it (${describe(error)})`], schemaVersion: null, journalEntries: null };
  }
  try {
    return verifyOpen(db, level);
  } catch (error) {
    return { ok: false, problems: [describe(error)], schemaVersion: null, journalEntries: null };
  } finally {
    db.close();
  }
}

/**
 * A backup's key when the caller does not give one: STANDBY_DESK_KEY, or the key file of the data folder it sits
 * in (a backup in <data>/backups) or of the folder itself.
 */
function keyForBackupFile(file: string): string {
  const dir = path.dirname(path.resolve(file));
  const dataDir = path.basename(dir) === BACKUP_FOLDER ? path.dirname(dir) : dir;
  return resolveDatabaseKey(dataDir);
}

function verifyOpen(db: BetterSqlite3.Database, level: VerifyLevel): Verification {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') {
      return { ok: false, problems: ['it cannot be read with this key (made with another key, or not a database)'], schemaVersion: null, journalEntries: null };
    }
    throw error;
  }
  const check = level === 'full' ? 'integrity_check' : 'quick_check';
  const rows = (db.pragma(check) as Array<Record<string, string>>).map((r) => String(Object.values(r)[0]));
  if (rows.length !== 1 || rows[0] !== 'ok') {
    return { ok: false, problems: [`${check}: ${rows.slice(0, 3).join('; ')}`], schemaVersion: null, journalEntries: null };
  }
  const version = schemaVersion(db);
  if (version < 1) return { ok: false, problems: ['it is not a Standby Desk database (no schema version)'], schemaVersion: version, journalEntries: null };
  if (version > LATEST_SCHEMA_VERSION) {
    return {
      ok: false,
      problems: [`it was written by a newer Standby Desk (schema ${version}; this version knows up to ${LATEST_SCHEMA_VERSION})`],
      schemaVersion: version,
      journalEntries: null,
    };
  }
  if (level === 'quick') return { ok: true, problems: [], schemaVersion: version, journalEntries: null };
  const journal = new Journal(new Db(db)).verify();
  if (!journal.ok) {
    return { ok: false, problems: [`its journal is broken at entry ${journal.seq} (${journal.reason})`], schemaVersion: version, journalEntries: null };
  }
  return { ok: true, problems: [], schemaVersion: version, journalEntries: journal.entries };
}

export interface InspectedBackup extends BackupFile {
  verification: Verification;
}

/** Every backup in a folder with a full check of each, newest first: what the recovery screen offers. */
export function inspectBackups(dir: string, key?: string): InspectedBackup[] {
  return listBackups(dir).map((b) => ({ ...b, verification: verifyDatabaseFile(b.file, 'full', key) }));
}

// ---------------------------------------------------------------------------------------------- backup

export interface BackupOptions {
  dir: string;
  keep: number;
  now?: () => Date;
}

export interface BackupReport {
  name: string;
  file: string;
  dir: string;
  bytes: number;
  takenAt: string;
  schemaVersion: number;
  /** Older backups removed to keep `keep`, newest kept first. */
  pruned: string[];
  ms: number;
}

/**
 * One backup of `source` (an open connection to the desk database; a read-only one is enough) into
 * `options.dir`, verified, then older ones pruned down to `keep`.
 */
export async function backupDatabase(source: BetterSqlite3.Database, options: BackupOptions): Promise<BackupReport> {
  const started = Date.now();
  const keep = Math.max(1, Math.floor(options.keep));
  const dir = path.resolve(options.dir);
  fs.mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir, Date.now());

  const takenAt = (options.now ?? (() => new Date()))();
  let name = backupFileName(takenAt, new Set(fs.readdirSync(dir)));
  let file = path.join(dir, name);
  const temp = path.join(dir, `.${name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let verification: Verification;
  try {
    const key = keyOf(source);
    // Yield once so a caller's timers and messages run first; VACUUM INTO itself is one synchronous statement.
    await Promise.resolve();
    source.prepare('VACUUM INTO ?').run(temp);
    makeSelfContained(temp, key);
    fsyncFile(temp);
    verification = verifyDatabaseFile(temp, 'quick', key);
    if (!verification.ok) throw new BackupError(`the new backup failed its check (${verification.problems.join('; ')}); older backups were kept`);
    // Checked again just before the rename: a backup by another process (the CLI while the app runs) may
    // have taken the name meanwhile. A rename, not a hard link, because the second location may be a
    // USB drive formatted FAT32 or exFAT.
    if (fs.existsSync(file)) file = path.join(dir, (name = backupFileName(takenAt, new Set(fs.readdirSync(dir)))));
    renameRetrying(temp, file);
  } finally {
    for (const leftover of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) removeQuietly(leftover);
  }
  fsyncDir(dir);

  const pruned: string[] = [];
  for (const old of listBackups(dir).slice(keep)) {
    if (old.name === name) continue;
    removeQuietly(old.file);
    pruned.push(old.name);
  }
  if (pruned.length > 0) fsyncDir(dir);

  return {
    name,
    file,
    dir,
    bytes: fs.statSync(file).size,
    takenAt: takenAt.toISOString(),
    schemaVersion: verification.schemaVersion ?? 0,
    pruned,
    ms: Date.now() - started,
  };
}

/**
 * The online backup copies the source's header, WAL flag included; a WAL-mode file would need its -wal and
 * -shm beside it wherever it is copied. A rollback-journal file is complete on its own.
 */
function makeSelfContained(file: string, key: string): void {
  const db = openEncrypted(file, key);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function removeStaleTemps(dir: string, now: number): void {
  for (const name of fs.readdirSync(dir)) {
    if (!TEMP_NAME.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_TEMP_MS) fs.rmSync(file, { force: true });
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
}

// ---------------------------------------------------------------------------------------------- restore

export interface RestoreOptions {
  now?: () => Date;
  /** The key the backup was made with; by default the data folder's own (key.ts). */
  key?: string;
}

export interface RestoreReport {
  restored: string;
  database: string;
  /** Where the database that was in place went; null when there was none. */
  keptAs: string | null;
  schemaVersion: number;
  journalEntries: number;
}

/**
 * Puts `backupFile` in place as the desk database of `dataDir`. The app must not be running (see the file
 * comment). What is restored is a checked copy, so the file cannot change between the check and the swap.
 */
export function restoreBackup(dataDir: string, backupFile: string, options: RestoreOptions = {}): RestoreReport {
  const source = path.resolve(backupFile);
  if (!fs.existsSync(source)) throw new RestoreRefusedError(source, ['the file does not exist']);
  const wal = `${source}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    throw new RestoreRefusedError(source, [`it has a write-ahead log beside it (${path.basename(wal)}), so it is a live database, not a backup; copy it with "standby-desk backup" instead`]);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const live = databasePath(dataDir);
  const temp = path.join(dataDir, `.${DATABASE_FILE}.restore-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.copyFileSync(source, temp, fs.constants.COPYFILE_EXCL);
    const key = options.key ?? resolveDatabaseKey(dataDir);
    const verification = verifyDatabaseFile(temp, 'full', key);
    if (!verification.ok) throw new RestoreRefusedError(source, verification.problems);
    makeSelfContained(temp, key);
    fsyncFile(temp);

    const stamp = utcStamp((options.now ?? (() => new Date()))());
    let keptAs: string | null = null;
    if (fs.existsSync(live)) {
      keptAs = uniquePath(`${live}.before-restore-${stamp}`);
      renameRetrying(live, keptAs);
      // The WAL may hold committed changes not yet in the main file: it goes with it, under the name SQLite
      // looks for beside the kept file. The -shm is only an index of the WAL, rebuilt on open.
      if (fs.existsSync(`${live}-wal`)) renameRetrying(`${live}-wal`, `${keptAs}-wal`);
      removeQuietly(`${live}-shm`);
    }
    try {
      renameRetrying(temp, live);
    } catch (error) {
      if (keptAs) renameRetrying(keptAs, live);
      throw error;
    }
    fsyncDir(dataDir);
    return {
      restored: source,
      database: live,
      keptAs,
      schemaVersion: verification.schemaVersion ?? 0,
      journalEntries: verification.journalEntries ?? 0,
    };
  } finally {
    for (const leftover of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) removeQuietly(leftover);
  }
}

function uniquePath(file: string): string {
  if (!fs.existsSync(file)) return file;
  for (let n = 2; ; n++) if (!fs.existsSync(`${file}-${n}`)) return `${file}-${n}`;
}

// ---------------------------------------------------------------------------------------------- schedule

export interface BackupTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: BackupTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending backup must not keep a process alive on its own; the exit backup is taken explicitly.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BackupSchedulerOptions {
  everyMs: number;
  timers?: BackupTimers;
  onBackup?: (report: BackupReport) => void;
  onError?: (error: unknown) => void;
}

/**
 * A backup every `everyMs`, timed from the end of the previous one, and one more on demand (at exit). Runs
 * never overlap: an on-demand run waits for the one in flight and then takes its own, so the exit backup
 * holds the last change.
 */
export class BackupScheduler {
  private timer: unknown = null;
  private running: Promise<BackupReport | null> = Promise.resolve(null);
  private stopped = true;
  private readonly timers: BackupTimers;

  constructor(
    private readonly task: () => Promise<BackupReport>,
    private readonly options: BackupSchedulerOptions,
  ) {
    this.timers = options.timers ?? realTimers;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Takes a backup now (after any in flight); resolves with it, or rejects with why it failed. */
  runNow(): Promise<BackupReport> {
    const run = this.running.catch(() => null).then(() => this.task());
    this.running = run.then(
      (report) => {
        this.options.onBackup?.(report);
        return report;
      },
      (error: unknown) => {
        this.options.onError?.(error);
        return null;
      },
    );
    return run;
  }

  /** No more scheduled backups; resolves when the one in flight, if any, has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.runNow()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.options.everyMs);
  }
}

// ---------------------------------------------------------------------------------------------- files

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename durable on Linux; Windows cannot open a folder to flush it and its rename is durable anyway. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems (network shares) refuse to flush a folder; the rename is still atomic.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * On Windows a rename fails with EPERM, EACCES or EBUSY while another program (an antivirus scanner, the
 * search indexer) has just opened the file to look at it; a moment later it succeeds.
 */
function renameRetrying(from: string, to: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50 * attempt);
    }
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Best effort: a leftover temporary file is tidied by the next backup.
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
