/**
 * Putting a backup back: the file is checked in full first (integrity_check, schema version, the journal's hash
 * chain), the current database (with its WAL) is kept aside as standby-desk.sqlite.before-restore-<ts>, then the
 * checked copy is renamed into place. There is no lock between processes yet: the app must be closed while a
 * restore runs.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { removeQuietly, renameRetryingSync, syncDirSync, syncFile } from '../durable-files';
import { DATABASE_FILE, databasePath } from '../store/connection';
import { resolveDatabaseKey } from '../store/key';
import { utcStamp } from './names';
import { makeSelfContained, verifyDatabaseFile } from './verify';

export class RestoreRefusedError extends Error {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(`${file} was not restored: ${problems.join('; ')}. The current database was not touched.`);
    this.name = 'RestoreRefusedError';
    this.problems = problems;
  }
}

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
    throw new RestoreRefusedError(source, [
      `it has a write-ahead log beside it (${path.basename(wal)}), so it is a live database, not a backup; copy it with "standby-desk backup" instead`,
    ]);
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
    syncFile(temp);

    const stamp = utcStamp((options.now ?? (() => new Date()))());
    let keptAs: string | null = null;
    if (fs.existsSync(live)) {
      keptAs = uniquePath(`${live}.before-restore-${stamp}`);
      renameRetryingSync(live, keptAs);
      // The WAL may hold committed changes not yet in the main file: it goes with it, under the name SQLite
      // looks for beside the kept file. The -shm is only an index of the WAL, rebuilt on open.
      if (fs.existsSync(`${live}-wal`)) renameRetryingSync(`${live}-wal`, `${keptAs}-wal`);
      removeQuietly(`${live}-shm`);
    }
    try {
      renameRetryingSync(temp, live);
    } catch (error) {
      if (keptAs) renameRetryingSync(keptAs, live);
      throw error;
    }
    syncDirSync(dataDir);
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
