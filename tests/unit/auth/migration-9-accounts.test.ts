/**
 * Migration 0009-rooms rebuilds the account table for the clinician role (SQLite cannot alter a CHECK): every
 * account there was comes through as it was, unlinked, and can still sign in; the new rule holds from then on.
 */
import { describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from '../../../electron/desk/auth/secrets';
import { databasesAtVersion, expectMigratesTo, expectStrictTables } from '../../support/migrations';
import { TEST_SCRYPT_COST } from '../../support/fixtures';

const databaseAt = databasesAtVersion();

describe('migration 0009-rooms, the accounts', () => {
  it('keeps every account as it was, with no clinician, and still knows their secrets', () => {
    const db = databaseAt(8);
    const insert = db.prepare(
      'INSERT INTO account (username, display_name, role, secret_kind, secret_hash, disabled, created_at, last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const pin = hashSecret('730519', TEST_SCRYPT_COST);
    insert.run('pm.jones', 'Pat Jones', 'manager', 'password', hashSecret('correct horse battery', TEST_SCRYPT_COST), 0, '2026-07-01T08:00:00.000Z', '2026-07-19T08:00:00.000Z');
    insert.run('rx.khan', 'Sam Khan', 'receptionist', 'pin', pin, 0, '2026-07-02T08:00:00.000Z', null);
    insert.run('rx.gone', 'Left Last Year', 'receptionist', 'pin', pin, 1, '2025-01-02T08:00:00.000Z', null);
    const accounts = () => db.prepare('SELECT username, display_name, role, secret_kind, secret_hash, disabled, created_at, last_sign_in_at FROM account ORDER BY username').all();
    const before = accounts();
    expect(before).toHaveLength(3);

    expectMigratesTo(db, 9);
    expect(accounts()).toEqual(before);
    expect(db.prepare('SELECT clinician_id FROM account').pluck().all()).toEqual([null, null, null]);
    expect(verifySecret('730519', db.prepare("SELECT secret_hash FROM account WHERE username = 'rx.khan'").pluck().get() as string)).toBe(true);
    expectStrictTables(db, 'account', ['account']);
  });

  it('holds the new rule after it: a clinician has a clinician, and no one else has one', () => {
    const db = databaseAt(9);
    const insert = db.prepare(
      "INSERT INTO account (username, display_name, role, clinician_id, secret_kind, secret_hash, created_at) VALUES (?, 'X', ?, ?, 'pin', 'h', '2026-07-20T08:00:00.000Z')",
    );
    insert.run('dr.patel', 'clinician', 'clin-a');
    insert.run('rx.khan', 'receptionist', null);
    expect(() => insert.run('dr.nolink', 'clinician', null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('pm.linked', 'manager', 'clin-a')).toThrow(/CHECK constraint/);
    expect(() => insert.run('x.admin', 'admin', null)).toThrow(/CHECK constraint/);
  });
});
