/**
 * Opening the desk database: the pragmas that make an acknowledged change durable, the integrity check, and
 * the migrations. Every way in goes through openDatabase so no connection ever runs with weaker settings.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from './migrations';

export const DATABASE_FILE = 'standby-desk.sqlite';

export class DatabaseDamagedError extends Error {
  readonly file: string;
  constructor(file: string, detail: string) {
    super(
      `The desk database ${file} is damaged (${detail}). Do not delete it: restore the newest good backup, ` +
        `or keep it for the practice's IT support. Nothing was changed.`,
    );
    this.name = 'DatabaseDamagedError';
    this.file = file;
  }
}

export interface OpenOptions {
  readonly?: boolean;
  /** Skip migrations (migration tests step versions by hand). */
  migrate?: boolean;
}

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

export function openDatabase(file: string, options: OpenOptions = {}): BetterSqlite3.Database {
  if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: BetterSqlite3.Database;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new DatabaseDamagedError(file, describe(error));
  }
  try {
    // A file that is not a database fails on its first read, so the integrity check comes before anything else.
    const problems = (db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new DatabaseDamagedError(file, `quick_check: ${problems.slice(0, 3).join('; ')}`);
    }
    if (!options.readonly) {
      // WAL: readers never block the writer; synchronous=FULL: an acknowledged commit survives power loss.
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new DatabaseDamagedError(file, `could not switch to WAL (got ${String(mode)})`);
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (options.migrate !== false && !options.readonly) migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseDamagedError) throw error;
    if (isSqliteCorruption(error)) throw new DatabaseDamagedError(file, describe(error));
    throw error;
  }
}

/** Checkpoints the WAL into the main file before closing, so a copied data folder is complete on its own. */
export function closeDatabase(db: BetterSqlite3.Database): void {
  if (!db.open) return;
  if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function isSqliteCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_VTAB';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
