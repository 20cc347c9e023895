import { describe, expect, it } from 'vitest';
import { databasesAtVersion, expectMigratesTo, insertFirstSchemaAppointment } from '../../support/migrations';

const databaseAt = databasesAtVersion();

describe('migration 0003-reception', () => {
  it('adds the desk columns to a version-2 file with defaults that describe a record as pulled, keeping the rows', () => {
    const db = databaseAt(2);
    insertFirstSchemaAppointment(db);
    const before = db.prepare('SELECT * FROM appointment').get() as Record<string, unknown>;

    expectMigratesTo(db, 3);
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
