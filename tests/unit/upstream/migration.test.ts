import { describe, expect, it } from 'vitest';
import { databasesAtVersion, expectMigratesTo, expectStrictTables, insertFirstSchemaAppointment } from '../../support/migrations';

const databaseAt = databasesAtVersion();

describe('migration 0002-upstream', () => {
  it('adds the upstream tables to a version-1 file and keeps what it held', () => {
    const db = databaseAt(1);
    db.prepare("INSERT INTO practice (id, name, ods_code) VALUES ('p', 'Test Street Surgery', 'Y99999')").run();
    insertFirstSchemaAppointment(db);
    const before = db.prepare('SELECT * FROM appointment').all();

    expectMigratesTo(db, 2);
    expect(db.prepare('SELECT * FROM appointment').all()).toEqual(before);
    expectStrictTables(db, 'upstream_', ['upstream_pending', 'upstream_record']);
    const insert = (format: string) =>
      db
        .prepare(
          `INSERT INTO upstream_record (resource_type, id, version, fingerprint, format, raw, entity, source, pulled_at)
        VALUES ('Appointment', ?, '1', '1:1', ?, '{}', '{}', 'test', '2026-07-20T07:00:00.000Z')`,
        )
        .run(`a-${format}`, format);
    insert('fhir');
    insert('csv');
    expect(() => insert('xml')).toThrow(/CHECK constraint/);
    expect(() =>
      db.prepare("INSERT INTO upstream_pending (resource_type, id, change, local_version, source, arrived_at) VALUES ('Appointment', 'a', 'moved', 1, 't', 't')").run(),
    ).toThrow(/CHECK constraint/);
  });
});
