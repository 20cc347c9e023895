/**
 * Opening the desk database: the key, the pragmas that make an acknowledged change durable, the integrity
 * check, and the migrations. Every way in goes through openDatabase (or openEncrypted for a bare file) so no
 * connection ever runs with weaker settings, and none writes plaintext.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { resolveDatabaseKey } from './key';
import { migrate } from './migrations';

export const DATABASE_FILE = 'standby-desk.sqlite';

export class DatabaseDamagedError extends Error {
  readonly file: string;
  constructor(file: string, detail: string) {
    super(
      `The desk database ${file} is damaged (${detail}). Do not delete it: restore the newest good backup, ` + `or keep it for the practice's IT support. Nothing was changed.`,
    );
    this.name = 'DatabaseDamagedError';
    this.file = file;
  }
}

/**
 * An encrypted file read with the wrong key looks exactly like a file that is not a database, so one error says
 * both. A subclass of DatabaseDamagedError so every recovery path still stops and changes nothing.
 */
export class WrongKeyError extends DatabaseDamagedError {
  constructor(file: string) {
    super(file, 'it cannot be read with this key: it was encrypted with another key (check STANDBY_DESK_KEY or the key file), or it is not a Standby Desk database');
    this.name = 'WrongKeyError';
    this.message =
      `The desk database ${file} cannot be read with this key. Either it was encrypted with another key (check ` +
      `STANDBY_DESK_KEY or the key file beside the data folder), or it is damaged or not a database: if the key is ` +
      `right, restore the newest good backup, or keep the file for the practice's IT support. Nothing was changed.`;
  }
}

const SQLITE_PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function isPlaintextSqlite(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const header = Buffer.alloc(16);
    return fs.readSync(fd, header, 0, 16, 0) === 16 && header.equals(SQLITE_PLAINTEXT_HEADER);
  } catch {
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * A data folder from before encryption: encrypted in place with the key (rekey needs a rollback journal, so WAL
 * is switched off for it and back on by openDatabase). A crash mid-rekey leaves SQLite's journal to roll back.
 */
function encryptInPlace(file: string, key: string): void {
  const db = new Database(file) as unknown as BetterSqlite3.Database;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`rekey = "x'${assertHexKey(key)}'"`);
  } finally {
    db.close();
  }
}

export interface OpenOptions {
  readonly?: boolean;
  /** 64 hex digits; by default resolved for the file's folder (key.ts), and created for a new database. */
  key?: string;
  /** Skip migrations (migration tests step versions by hand). */
  migrate?: boolean;
}

export function databasePath(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE);
}

const keys = new WeakMap<BetterSqlite3.Database, string>();

/** The key a connection was opened with (backups are written with it). */
export function keyOf(db: BetterSqlite3.Database): string {
  const key = keys.get(db);
  if (key === undefined) throw new Error('this connection was not opened by openEncrypted');
  return key;
}

/**
 * A bare encrypted connection: the key and nothing else (no pragmas, no checks). For backups, verification and
 * tests; the desk itself uses openDatabase. A wrong key shows on the first read as WrongKeyError.
 */
export function openEncrypted(file: string, key: string, options: { readonly?: boolean; fileMustExist?: boolean } = {}): BetterSqlite3.Database {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? options.readonly ?? false }) as unknown as BetterSqlite3.Database;
  // SQLCipher 4 format, so practice IT can open a copy with standard SQLCipher tools and the key.
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  // A raw key (x'...'): 256 random bits need no key derivation, so opening stays fast.
  db.pragma(`key = "x'${assertHexKey(key)}'"`);
  keys.set(db, key);
  return db;
}

function assertHexKey(key: string): string {
  // Interpolated into a pragma: only ever 64 hex digits.
  if (!/^[0-9a-f]{64}$/i.test(key)) throw new Error('a database key is 64 hex digits');
  return key;
}

export function openDatabase(file: string, options: OpenOptions = {}): BetterSqlite3.Database {
  if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
  const plaintext = !options.readonly && isPlaintextSqlite(file);
  const key = options.key ?? resolveDatabaseKey(path.dirname(file), { create: (!options.readonly && !fs.existsSync(file)) || plaintext });
  if (plaintext) encryptInPlace(file, key);
  let db: BetterSqlite3.Database;
  try {
    db = openEncrypted(file, key, { readonly: options.readonly ?? false });
  } catch (error) {
    throw new DatabaseDamagedError(file, describe(error));
  }
  try {
    // A wrong key, or a file that is not a database, fails on the first read: say which before anything else.
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') throw new WrongKeyError(file);
      throw error;
    }
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
    // Every page read from the file is decrypted; a cached page is not. The default cache (16 MB) is smaller than a
    // large practice's base records (34,000 appointments make a ~65 MB file), so each refresh's scan of them
    // decrypted every page again: 64 MB keeps most of it, and costs memory only as pages are read.
    db.pragma('cache_size = -65536');
    if (options.migrate !== false && !options.readonly) migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseDamagedError || error instanceof WrongKeyError) throw error;
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
