import { describe, expect, it } from 'vitest';
import { databasesAtVersion, expectMigratesTo, expectStrictTables, insertFirstSchemaAppointment } from '../../support/migrations';

const databaseAt = databasesAtVersion();

describe('migration 0008-group', () => {
  it("adds the group's tables, all STRICT and empty, and keeps the day there was", () => {
    const db = databaseAt(7);
    insertFirstSchemaAppointment(db);
    const day = () => db.prepare('SELECT id, status, version FROM appointment').all();
    const before = day();

    expectMigratesTo(db, 8);
    expect(day()).toEqual(before);
    expectStrictTables(db, 'group_', ['group_local', 'group_member']);
    expectStrictTables(db, 'repl_', ['repl_log']);
    for (const table of ['group_local', 'group_member', 'repl_log']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });

  it("keeps one current member per name (any case), frees a removed member's name, and logs only puts and deletes", () => {
    const db = databaseAt(8);
    const member = db.prepare("INSERT INTO group_member (id, name, token_hash, address, joined_at, removed_at) VALUES (?, ?, 'h', NULL, '2026-07-20T08:00:00.000Z', ?)");
    member.run('m1', 'Front desk', null);
    expect(() => member.run('m2', 'FRONT DESK', null)).toThrow(/UNIQUE constraint/);
    db.prepare("UPDATE group_member SET removed_at = '2026-07-20T09:00:00.000Z' WHERE id = 'm1'").run();
    member.run('m2', 'FRONT DESK', null);
    member.run('m3', 'front desk', '2026-07-20T09:30:00.000Z');
    expect(db.prepare('SELECT id FROM group_member ORDER BY id').pluck().all()).toEqual(['m1', 'm2', 'm3']);

    const log = db.prepare('INSERT INTO repl_log (seq, tbl, op, row_id, image) VALUES (?, ?, ?, ?, ?)');
    log.run(1, 'appointment', 'put', 1, '{}');
    log.run(2, 'appointment', 'delete', 1, null);
    expect(() => log.run(3, 'appointment', 'update', 1, '{}')).toThrow(/CHECK constraint/);
    expect(() => log.run(3, 'appointment', 'put', null, '{}')).toThrow(/NOT NULL/);
    // group_local holds one value per key.
    db.prepare("INSERT INTO group_local (key, value) VALUES ('config', '{}')").run();
    expect(() => db.prepare("INSERT INTO group_local (key, value) VALUES ('config', '{}')").run()).toThrow(/UNIQUE constraint/);
  });
});
