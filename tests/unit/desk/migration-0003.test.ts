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

describe('migration 0003-reception', () => {
  it('adds the desk columns to a version-2 file with defaults that describe a record as pulled, keeping the rows', () => {
    const db = openDatabase(path.join(tempDir(), 'a.sqlite'), { migrate: false });
    opened.push(db);
    migrate(db, 2);
    db.prepare("INSERT INTO clinician (id, name, role, room) VALUES ('c', 'Dr A', 'gp', NULL)").run();
    db.prepare(`INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold, sex, flags)
      VALUES ('x', NULL, 'missing', 'Smith', 'Anne', 'smith', 'anne', 'female', '[]')`).run();
    db.prepare(`INSERT INTO appointment (id, patient_id, clinician_id, start, "end", local_date, type, status, fhir_status, version, updated_at)
      VALUES ('a', 'x', 'c', '2026-07-20T07:00:00.000Z', '2026-07-20T07:10:00.000Z', '2026-07-20', 'face_to_face', 'booked', 'booked', 0, '2026-07-19T00:00:00.000Z')`).run();
    const before = db.prepare('SELECT * FROM appointment').get() as Record<string, unknown>;

    expect(migrate(db, 3)).toBe(3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT * FROM appointment').get()).toEqual({
      ...before,
      origin: 'upstream',
      triage: null,
      duty_list: 0,
      ticket: null,
      call_kind: null,
      rebooked_from: null,
      rebooked_to: null,
    });
    expect(db.prepare('SELECT local, temporary_resident FROM patient').get()).toEqual({ local: 0, temporary_resident: 0 });
    expect(() => db.prepare("UPDATE appointment SET triage = 'whenever'").run()).toThrow(/CHECK constraint/);
    expect(() => db.prepare("UPDATE appointment SET call_kind = 'shout'").run()).toThrow(/CHECK constraint/);
    expect(() => db.prepare("UPDATE appointment SET origin = 'fax'").run()).toThrow(/CHECK constraint/);
    expect(() => db.prepare('UPDATE appointment SET ticket = 0').run()).toThrow(/CHECK constraint/);

    // An upstream patient can be deleted; a local one cannot (silently kept, so no bulk delete loses one).
    db.prepare("UPDATE patient SET local = 1 WHERE id = 'x'").run();
    db.prepare('DELETE FROM appointment').run();
    db.prepare('DELETE FROM patient').run();
    expect(db.prepare('SELECT id FROM patient').all()).toEqual([{ id: 'x' }]);
    db.prepare("UPDATE patient SET local = 0 WHERE id = 'x'").run();
    db.prepare('DELETE FROM patient').run();
    expect(db.prepare('SELECT count(*) AS n FROM patient').get()).toEqual({ n: 0 });
  });
});
