import { describe, expect, it } from 'vitest';
import { databasesAtVersion, expectMigratesTo } from '../../support/migrations';

const databaseAt = databasesAtVersion();

describe('migration 0007-upstream-generation', () => {
  it('counts every insert, update and delete of a base record, whoever makes it, and keeps the rows there were', () => {
    const db = databaseAt(6);
    const insert = db.prepare(`INSERT INTO upstream_record (resource_type, id, version, fingerprint, format, raw, entity, source, pulled_at)
      VALUES ('Appointment', ?, '1', 'v1:1', 'fhir', '{}', NULL, 'test', '2026-07-20T07:00:00.000Z')`);
    insert.run('a');
    const generation = () => db.prepare('SELECT n FROM upstream_generation WHERE id = 1').pluck().get();

    expectMigratesTo(db, 7);
    expect(db.prepare('SELECT id FROM upstream_record').pluck().all()).toEqual(['a']);
    expect(generation()).toBe(0);
    insert.run('b');
    expect(generation()).toBe(1);
    db.prepare("UPDATE upstream_record SET fingerprint = 'settled' WHERE id = 'a'").run();
    expect(generation()).toBe(2);
    db.prepare("DELETE FROM upstream_record WHERE id = 'b'").run();
    expect(generation()).toBe(3);
    // A rolled-back write leaves the counter where it was: it describes what is committed.
    expect(() =>
      db.transaction(() => {
        insert.run('c');
        throw new Error('abandoned');
      })(),
    ).toThrow('abandoned');
    expect(generation()).toBe(3);
    // One row only.
    expect(() => db.prepare('INSERT INTO upstream_generation (id, n) VALUES (2, 0)').run()).toThrow(/CHECK constraint/);
  });
});
