/**
 * Clinicians' accounts (issue 17): a manager adds one linked to a clinician in the book, the link is in the list,
 * the session and the audit trail, and no account is ever a clinician without a clinician or another role with one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../electron/desk/dispatch';
import type { OpenDesk } from '../../../electron/desk/open';
import type { Result, UserSummary } from '../../../shared/api';
import { CLINICIAN, deskWithAccounts, deskWithClinicians, MANAGER, RECEPTIONIST } from './support';

const opened: OpenDesk[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function setup(withClinicians = true) {
  const made = withClinicians ? deskWithClinicians() : deskWithAccounts();
  opened.push(made.desk);
  let n = 0;
  const session = (): RequestContext => ({ user: 'anonymous', desk: 'room-1', sessionId: `session-${++n}` });
  const call = (name: string, input: unknown, ctx: RequestContext): Result<unknown> => made.desk.dispatch(name, input, ctx);
  const manager = session();
  expect(call('signIn', { username: MANAGER.username, secret: MANAGER.secret }, manager)).toMatchObject({ ok: true });
  return { desk: made.desk, session, call, manager };
}

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const newClinician = { username: 'dr.new', displayName: 'Dr New', role: 'clinician', secret: { kind: 'pin', value: '603918' } } as const;

describe('adding a clinician', () => {
  it('links the account to a clinician in the book; the list, the sign-in and the audit trail show the link', () => {
    const { call, manager, session, desk } = setup(false);
    const added = call('addUser', { ...newClinician, clinicianId: 'clin-b' }, manager);
    expect(added).toMatchObject({ ok: true, value: { username: 'dr.new', role: 'clinician', clinicianId: 'clin-b' } });
    const listed = call('listUsers', {}, manager);
    expect(listed.ok && (listed.value as UserSummary[]).map((u) => [u.username, u.role, u.clinicianId])).toEqual([
      ['dr.new', 'clinician', 'clin-b'],
      [MANAGER.username, 'manager', null],
      [RECEPTIONIST.username, 'receptionist', null],
    ]);
    expect(desk.service.audit.list({ kind: 'user-added' }).at(-1)?.detail).toEqual({ username: 'dr.new', role: 'clinician', clinicianId: 'clin-b' });
    const room = session();
    expect(call('signIn', { username: 'dr.new', secret: '603918' }, room)).toMatchObject({ ok: true, value: { role: 'clinician', clinicianId: 'clin-b' } });
    expect(call('getSession', {}, room)).toMatchObject({ ok: true, value: { signedIn: true, role: 'clinician', clinicianId: 'clin-b' } });
    expect(call('getSession', {}, manager)).toMatchObject({ ok: true, value: { role: 'manager', clinicianId: null } });
  });

  it('refuses a clinician without a link, a link to a clinician the book does not hold, and a link on any other role; adds nobody', () => {
    const { call, manager, desk } = setup(false);
    const before = desk.service.auth.listUsers();
    const noLink = call('addUser', newClinician, manager);
    expect(noLink).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('needs clinicianId') } });
    const unknown = call('addUser', { ...newClinician, clinicianId: 'clin-zz' }, manager);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('no clinician clin-zz in the book') } });
    for (const role of ['receptionist', 'manager'] as const) {
      const linked = call('addUser', { ...newClinician, role, clinicianId: 'clin-a' }, manager);
      expect(linked).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining(`a ${role} has no clinicianId`) } });
    }
    expect(code(call('addUser', { ...newClinician, clinicianId: '' }, manager))).toBe('invalid_input');
    expect(desk.service.auth.listUsers()).toEqual(before);
    expect(desk.service.audit.list({ kind: 'user-added' })).toHaveLength(2);
  });

  it('keeps the database rule too: a clinician row without a clinician cannot be written around the desk', () => {
    const { desk } = setup(false);
    const raw = desk.db.raw;
    const insert = raw.prepare(
      "INSERT INTO account (username, display_name, role, clinician_id, secret_kind, secret_hash, created_at) VALUES (?, 'X', ?, ?, 'pin', 'h', '2026-07-20T08:00:00.000Z')",
    );
    expect(() => insert.run('c.one', 'clinician', null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('r.one', 'receptionist', 'clin-a')).toThrow(/CHECK constraint/);
  });
});

describe('changing an account', () => {
  it('makes a receptionist a clinician only with a link, and back again dropping it; each link and unlink is audited', () => {
    const { call, manager, session, desk } = setup(false);
    const rx = session();
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, rx))).toBe('ok');

    expect(call('updateUser', { username: RECEPTIONIST.username, role: 'clinician' }, manager)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(code(call('updateUser', { username: RECEPTIONIST.username, role: 'clinician', clinicianId: 'clin-zz' }, manager))).toBe('invalid_input');
    expect(code(call('updateUser', { username: RECEPTIONIST.username, clinicianId: 'clin-a' }, manager))).toBe('invalid_input');

    expect(call('updateUser', { username: RECEPTIONIST.username, role: 'clinician', clinicianId: 'clin-a' }, manager)).toMatchObject({
      ok: true,
      value: { role: 'clinician', clinicianId: 'clin-a' },
    });
    // The signed-in session follows at once: the next call is a clinician's, narrowed to clin-a's list.
    expect(call('getSession', {}, rx)).toMatchObject({ ok: true, value: { role: 'clinician', clinicianId: 'clin-a' } });
    expect(call('getDay', { date: '2026-07-20', clinicianId: 'clin-b' }, rx)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Renaming keeps the link; a new link replaces it; unlinking while a clinician is refused.
    expect(call('updateUser', { username: RECEPTIONIST.username, displayName: 'Sam Khan (ANP)' }, manager)).toMatchObject({ ok: true, value: { clinicianId: 'clin-a' } });
    expect(call('updateUser', { username: RECEPTIONIST.username, clinicianId: 'clin-b' }, manager)).toMatchObject({ ok: true, value: { clinicianId: 'clin-b' } });
    expect(code(call('updateUser', { username: RECEPTIONIST.username, clinicianId: null }, manager))).toBe('invalid_input');

    expect(call('updateUser', { username: RECEPTIONIST.username, role: 'receptionist' }, manager)).toMatchObject({
      ok: true,
      value: { role: 'receptionist', clinicianId: null },
    });
    expect(call('getSession', {}, rx)).toMatchObject({ ok: true, value: { role: 'receptionist', clinicianId: null } });

    const changes = desk.service.audit.list({ kind: 'user-changed' }).map((e) => e.detail);
    expect(changes).toEqual([
      { username: RECEPTIONIST.username, changed: ['role', 'clinicianId'], clinicianId: { from: null, to: 'clin-a' } },
      { username: RECEPTIONIST.username, changed: ['displayName'] },
      { username: RECEPTIONIST.username, changed: ['clinicianId'], clinicianId: { from: 'clin-a', to: 'clin-b' } },
      { username: RECEPTIONIST.username, changed: ['role'], clinicianId: { from: 'clin-b', to: null } },
    ]);
  });

  it("keeps a clinician's link when the book no longer holds that clinician, so the account can still be disabled", () => {
    const { call, manager, desk } = setup();
    desk.db.raw.prepare("UPDATE account SET clinician_id = 'clin-gone' WHERE username = ?").run(CLINICIAN.username);
    expect(call('updateUser', { username: CLINICIAN.username, disabled: true }, manager)).toMatchObject({ ok: true, value: { disabled: true, clinicianId: 'clin-gone' } });
  });
});

describe('a clinician is not a manager', () => {
  it('may not add, change or list accounts', () => {
    const { call, session, desk } = setup();
    const room = session();
    expect(code(call('signIn', { username: CLINICIAN.username, secret: CLINICIAN.pin }, room))).toBe('ok');
    const before = desk.service.auth.listUsers();
    expect(code(call('addUser', { ...newClinician, clinicianId: 'clin-a' }, room))).toBe('forbidden');
    expect(code(call('updateUser', { username: CLINICIAN.username, clinicianId: 'clin-b' }, room))).toBe('forbidden');
    expect(code(call('listUsers', {}, room))).toBe('forbidden');
    expect(desk.service.auth.listUsers()).toEqual(before);
  });
});
