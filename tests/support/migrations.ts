/**
 * What every migration's test starts from (migrate to N-1, insert, migrate to N, compare): a fresh file migrated
 * only that far, closed when the test ends, and the few rows of a day the older schemas already held.
 */
import type Database from 'better-sqlite3';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { openDatabase } from '../../electron/desk/store/connection';
import { migrate } from '../../electron/desk/store/migrations';
import { tempDir } from './fixtures';

export function databaseAtVersion(version: number): Database.Database {
  const db = openDatabase(path.join(tempDir(), 'a.sqlite'), { migrate: false });
  onTestFinished(() => {
    if (db.open) db.close();
  });
  migrate(db, version);
  return db;
}

/** A clinician, a patient and one booked appointment (schema version 1 on). */
export function insertDayRows(db: Database.Database): void {
  db.prepare("INSERT INTO clinician (id, name, role, room) VALUES ('c', 'Dr A', 'gp', NULL)").run();
  db.prepare(`INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold, sex, flags)
    VALUES ('x', NULL, 'missing', 'Smith', 'Anne', 'smith', 'anne', 'female', '[]')`).run();
  db.prepare(`INSERT INTO appointment (id, patient_id, clinician_id, start, "end", local_date, type, status, fhir_status, version, updated_at)
    VALUES ('a', 'x', 'c', '2026-07-20T07:00:00.000Z', '2026-07-20T07:10:00.000Z', '2026-07-20', 'face_to_face', 'booked', 'booked', 0, '2026-07-19T00:00:00.000Z')`).run();
}
