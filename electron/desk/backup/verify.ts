/**
 * Checking a database file without changing it: after each backup (quick) and before a restore (full).
 */
import type BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { openEncrypted } from '../store/connection';
import { resolveDatabaseKey } from '../store/key';
import { Journal } from '../store/journal';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../store/migrations';
import { Db } from '../store/sql';
import { listBackups, type BackupFile } from './names';
import { BACKUP_FOLDER } from './settings';

export type VerifyLevel = 'quick' | 'full';

export interface Verification {
  ok: boolean;
  /** What is wrong, for a person; empty when ok. */
  problems: string[];
  schemaVersion: number | null;
  /** Journal entries whose chain verified ('full' only). */
  journalEntries: number | null;
  /** It could not be read with the key given: made with another key, or not a database at all. */
  wrongKey?: true;
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
      return { ok: false, problems: ['it cannot be read with this key (made with another key, or not a database)'], schemaVersion: null, journalEntries: null, wrongKey: true };
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

/**
 * The online backup copies the source's header, WAL flag included; a WAL-mode file would need its -wal and
 * -shm beside it wherever it is copied. A rollback-journal file is complete on its own.
 */
export function makeSelfContained(file: string, key: string): void {
  const db = openEncrypted(file, key);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
