/**
 * Where a migration test starts and what it checks first (Signal's pattern: migrate to N-1, insert, migrate to N,
 * compare): a database file at an older schema version, closed after the test, and rows as the early schema
 * held them.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import { openDatabase } from '../../electron/desk/store/connection';
import { migrate, schemaVersion } from '../../electron/desk/store/migrations';
import { tempDir } from './fixtures';

/** Call once per test file: gives a function that opens a fresh file migrated to `version`, closed after each test. */
export function databasesAtVersion(): (version: number) => Database.Database {
  const opened: Database.Database[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
  });
  return (version) => {
    const db = openDatabase(path.join(tempDir(), 'a.sqlite'), { migrate: false });
    opened.push(db);
    migrate(db, version);
    return db;
  };
}

/** Migrates one step on and checks the file says so. */
export function expectMigratesTo(db: Database.Database, version: number): void {
  expect(migrate(db, version)).toBe(version);
  expect(schemaVersion(db)).toBe(version);
}

/** A clinician 'c', a patient 'x' (Anne Smith) and a booked appointment 'a', in the columns schema 1 has. */
export function insertFirstSchemaAppointment(db: Database.Database): void {
  db.prepare("INSERT INTO clinician (id, name, role, room) VALUES ('c', 'Dr A', 'gp', NULL)").run();
  db.prepare(
    `INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold, sex, flags)
    VALUES ('x', NULL, 'missing', 'Smith', 'Anne', 'smith', 'anne', 'female', '[]')`,
  ).run();
  db.prepare(
    `INSERT INTO appointment (id, patient_id, clinician_id, start, "end", local_date, type, status, fhir_status, version, updated_at)
    VALUES ('a', 'x', 'c', '2026-07-20T07:00:00.000Z', '2026-07-20T07:10:00.000Z', '2026-07-20', 'face_to_face', 'booked', 'booked', 0, '2026-07-19T00:00:00.000Z')`,
  ).run();
}

/** Checks that the tables whose names start with `prefix` are exactly these, each one STRICT. */
export function expectStrictTables(db: Database.Database, prefix: string, names: readonly string[]): void {
  const tables = db.prepare('SELECT name, strict FROM pragma_table_list WHERE substr(name, 1, ?) = ? ORDER BY name').all(prefix.length, prefix);
  expect(tables).toEqual(names.map((name) => ({ name, strict: 1 })));
}
