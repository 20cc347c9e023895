import { describe, expect, it } from 'vitest';
import { databasesAtVersion, expectMigratesTo, expectStrictTables } from '../../support/migrations';

const databaseAt = databasesAtVersion();

describe('migration 0005-merge', () => {
  it('adds the merge tables to a version-3 file, keeps what it held, and lets the journal lose rows only below the purge mark', () => {
    const db = databaseAt(3);
    const journalRow = (seq: number) =>
      db
        .prepare(
          `INSERT INTO journal (seq, id, at, user, desk, op, entity, entity_id, before, after, base_version, prev_hash, hash)
        VALUES (?, ?, '2026-07-20T08:00:00.000Z', 'u', 'd', 'appointment.setStatus', 'appointment', 'a', NULL, NULL, '1', 'p', 'h')`,
        )
        .run(seq, `j${seq}`);
    journalRow(1);
    journalRow(2);
    const before = db.prepare('SELECT * FROM journal').all();

    expectMigratesTo(db, 5);
    expect(db.prepare('SELECT * FROM journal').all()).toEqual(before);
    expectStrictTables(db, 'merge_', ['merge_attempt', 'merge_outcome', 'merge_resolution', 'merge_summary', 'merge_upstream']);
    const outcome = (entry: string, o: string) => db.prepare("INSERT INTO merge_outcome (entry_id, item_key, outcome, user, at) VALUES (?, 'status:a', ?, 'u', 't')").run(entry, o);
    outcome('j1', 'applied');
    expect(() => outcome('j1', 'already')).toThrow(/UNIQUE/);
    expect(() => outcome('j2', 'lost')).toThrow(/CHECK constraint/);

    // Append-only still, until a purge marks how far it may go.
    expect(() => db.prepare('DELETE FROM journal WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE journal SET user = 'x'").run()).toThrow(/append-only/);
    db.prepare("INSERT INTO meta (key, value) VALUES ('journal.purgeThrough', '1')").run();
    db.prepare('DELETE FROM journal WHERE seq = 1').run();
    expect(() => db.prepare('DELETE FROM journal WHERE seq = 2').run()).toThrow(/append-only/);
  });
});
