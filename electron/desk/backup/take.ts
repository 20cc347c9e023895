/**
 * Taking a backup: VACUUM INTO a hidden temporary name in the backup folder, made self-contained, flushed, checked,
 * and only then renamed to its final name; older backups are pruned only after that, so a failed or killed backup
 * never costs a good one.
 */
import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { removeQuietly, renameRetryingSync, syncDirSync, syncFile, tempNameFor } from '../durable-files';
import { deskNow } from '../clock';
import { keyOf } from '../store/connection';
import { backupFileName, listBackups } from './names';
import { makeSelfContained, verifyDatabaseFile, type Verification } from './verify';

const TEMP_NAME = /^\.standby-desk-.+\.tmp-\d+-[0-9a-f]{8}$/;
/** A temporary file older than this belongs to a backup that died, not to one still running. */
const STALE_TEMP_MS = 10 * 60_000;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

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

  // Named by the desk's clock, which readiness reads its age by (the same as the system's unless pinned: clock.ts).
  const takenAt = (options.now ?? deskNow)();
  let name = backupFileName(takenAt, new Set(fs.readdirSync(dir)));
  let file = path.join(dir, name);
  const temp = tempNameFor(file);
  let verification: Verification;
  try {
    const key = keyOf(source);
    // Yield once so a caller's timers and messages run first; VACUUM INTO itself is one synchronous statement.
    await Promise.resolve();
    source.prepare('VACUUM INTO ?').run(temp);
    makeSelfContained(temp, key);
    syncFile(temp);
    verification = verifyDatabaseFile(temp, 'quick', key);
    if (!verification.ok) throw new BackupError(`the new backup failed its check (${verification.problems.join('; ')}); older backups were kept`);
    // Checked again just before the rename: a backup by another process (the CLI while the app runs) may
    // have taken the name meanwhile. A rename, not a hard link, because the second location may be a
    // USB drive formatted FAT32 or exFAT.
    if (fs.existsSync(file)) file = path.join(dir, (name = backupFileName(takenAt, new Set(fs.readdirSync(dir)))));
    renameRetryingSync(temp, file);
  } finally {
    for (const leftover of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) removeQuietly(leftover);
  }
  syncDirSync(dir);

  const pruned: string[] = [];
  for (const old of listBackups(dir).slice(keep)) {
    if (old.name === name) continue;
    removeQuietly(old.file);
    pruned.push(old.name);
  }
  if (pruned.length > 0) syncDirSync(dir);

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
