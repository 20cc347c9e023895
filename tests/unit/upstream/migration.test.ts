import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/desk/store/connection';
import { migrate, schemaVersion } from '../../../electron/desk/store/migrations';
import { tempDir } from '../../support/fixtures';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

describe('migration 0002-upstream', () => {
  it('adds the upstream tables to a version-1 file and keeps what it held', () => {
    const db = openDatabase(path.join(tempDir(), 'a.sqlite'), { migrate: false });
    opened.push(db);
    migrate(db, 1);
    db.prepare("INSERT INTO practice (id, name, ods_code) VALUES ('p', 'Test Street Surgery', 'Y99999')").run();
    db.prepare("INSERT INTO clinician (id, name, role, room) VALUES ('c', 'Dr A', 'gp', NULL)").run();
    db.prepare(`INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold, sex, flags)
      VALUES ('x', NULL, 'missing', 'Smith', 'Anne', 'smith', 'anne', 'female', '[]')`).run();
    db.prepare(`INSERT INTO appointment (id, patient_id, clinician_id, start, "end", local_date, type, status, fhir_status, version, updated_at)
      VALUES ('a', 'x', 'c', '2026-07-20T07:00:00.000Z', '2026-07-20T07:10:00.000Z', '2026-07-20', 'face_to_face', 'booked', 'booked', 0, '2026-07-19T00:00:00.000Z')`).run();
    const before = db.prepare('SELECT * FROM appointment').all();

    expect(migrate(db, 2)).toBe(2);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT * FROM appointment').all()).toEqual(before);
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE name LIKE 'upstream_%' ORDER BY name").all();
    expect(tables).toEqual([
      { name: 'upstream_pending', strict: 1 },
      { name: 'upstream_record', strict: 1 },
    ]);
    const insert = (format: string) =>
      db.prepare(`INSERT INTO upstream_record (resource_type, id, version, fingerprint, format, raw, entity, source, pulled_at)
        VALUES ('Appointment', ?, '1', '1:1', ?, '{}', '{}', 'test', '2026-07-20T07:00:00.000Z')`).run(`a-${format}`, format);
    insert('fhir');
    insert('csv');
    expect(() => insert('xml')).toThrow(/CHECK constraint/);
    expect(() => db.prepare("INSERT INTO upstream_pending (resource_type, id, change, local_version, source, arrived_at) VALUES ('Appointment', 'a', 'moved', 1, 't', 't')").run()).toThrow(/CHECK constraint/);
  });
});
