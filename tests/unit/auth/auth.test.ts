import { afterEach, describe, expect, it } from 'vitest';
import { FAILURES_BEFORE_LOCKOUT } from '../../../electron/desk/auth/auth';
import { hashSecret, verifySecret } from '../../../electron/desk/auth/secrets';
import type { RequestContext } from '../../../electron/desk/dispatch';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { OPERATION_ACCESS, OPERATION_NAMES, type Result } from '../../../shared/api';
import { deskWithAccounts, MANAGER, RECEPTIONIST } from './support';

const opened: OpenDesk[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function setup(options: { idleLockMinutes?: number } = {}) {
  const made = deskWithAccounts(options);
  opened.push(made.desk);
  let n = 0;
  const session = (): RequestContext => ({ user: 'anonymous', desk: 'front-1', sessionId: `session-${++n}` });
  const call = (name: string, input: unknown, ctx: RequestContext): Result<unknown> => made.desk.dispatch(name, input, ctx);
  return { ...made, session, call };
}

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('secrets', () => {
  it('hashes with a salt, verifies only the right secret, and never stores it', () => {
    const cost = { N: 2 ** 10, r: 8, p: 1 };
    const a = hashSecret('730519', cost);
    const b = hashSecret('730519', cost);
    expect(a).not.toBe(b);
    expect(a).not.toContain('730519');
    expect(verifySecret('730519', a)).toBe(true);
    expect(verifySecret('730518', a)).toBe(false);
    expect(verifySecret('730519', 'plain-text')).toBe(false);
  });
});

describe('sign-in', () => {
  it('refuses a wrong password with one message for every cause, and records each failure', () => {
    const { call, session, desk } = setup();
    const s = session();
    const wrong = call('signIn', { username: MANAGER.username, secret: 'wrong horse battery' }, s);
    const unknown = call('signIn', { username: 'nobody.here', secret: 'whatever' }, s);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'wrong username, password or PIN' } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'wrong username, password or PIN' } });
    expect(code(call('getDay', { date: '2026-07-20' }, s))).toBe('unauthenticated');
    const failed = desk.service.audit.list({ kind: 'sign-in-failed' });
    expect(failed.map((e) => [e.user, (e.detail as { reason: string }).reason])).toEqual([
      [MANAGER.username, 'wrong-secret'],
      ['nobody.here', 'unknown-user'],
    ]);
  });

  it('signs in by PIN, names the person in the journal, and signs out', () => {
    const { call, session, desk } = setup();
    const s = session();
    expect(call('signIn', { username: 'RX.Khan', secret: RECEPTIONIST.pin }, s)).toMatchObject({
      ok: true,
      value: { signedIn: true, user: RECEPTIONIST.username, role: 'receptionist', locked: false },
    });
    expect(code(call('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, s))).toBe('ok');
    expect(desk.service.journal.list().at(-1)).toMatchObject({ user: RECEPTIONIST.username, desk: 'front-1' });
    expect(call('signOut', {}, s)).toMatchObject({ ok: true, value: { signedIn: false } });
    expect(code(call('getDay', { date: '2026-07-20' }, s))).toBe('unauthenticated');
  });

  it(`locks a name out after ${FAILURES_BEFORE_LOCKOUT} failures, even against the right PIN, until the wait is over`, () => {
    const { call, session, clock } = setup();
    const s = session();
    for (let i = 0; i < FAILURES_BEFORE_LOCKOUT; i++) {
      expect(code(call('signIn', { username: RECEPTIONIST.username, secret: '000000' }, s))).toBe('unauthenticated');
    }
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s))).toBe('too_many_attempts');
    clock.advance(29_000);
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s))).toBe('too_many_attempts');
    clock.advance(2_000);
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s))).toBe('ok');
  });

  it('doubles the wait with each further failure, and a manager resetting the PIN lifts it', () => {
    const { call, session, clock, desk } = setup();
    const s = session();
    for (let i = 0; i < FAILURES_BEFORE_LOCKOUT; i++) call('signIn', { username: RECEPTIONIST.username, secret: '000000' }, s);
    clock.advance(31_000);
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: '111111' }, s))).toBe('unauthenticated');
    clock.advance(31_000);
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s))).toBe('too_many_attempts');
    expect(desk.service.auth.listUsers().find((u) => u.username === RECEPTIONIST.username)?.lockedUntil).not.toBeNull();
    const m = session();
    expect(code(call('signIn', { username: MANAGER.username, secret: MANAGER.secret }, m))).toBe('ok');
    expect(code(call('updateUser', { username: RECEPTIONIST.username, secret: { kind: 'pin', value: '246802' } }, m))).toBe('ok');
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: '246802' }, s))).toBe('ok');
  });

  it('refuses a disabled account, and disabling one ends its sessions', () => {
    const { call, session } = setup();
    const r = session();
    const m = session();
    call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, r);
    call('signIn', { username: MANAGER.username, secret: MANAGER.secret }, m);
    expect(code(call('updateUser', { username: RECEPTIONIST.username, disabled: true }, m))).toBe('ok');
    expect(code(call('getDay', { date: '2026-07-20' }, r))).toBe('unauthenticated');
    expect(code(call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, r))).toBe('unauthenticated');
  });

  it('keeps at least one practice manager', () => {
    const { call, session } = setup();
    const m = session();
    call('signIn', { username: MANAGER.username, secret: MANAGER.secret }, m);
    expect(code(call('updateUser', { username: MANAGER.username, role: 'receptionist' }, m))).toBe('conflict');
    expect(code(call('updateUser', { username: MANAGER.username, disabled: true }, m))).toBe('conflict');
  });

  it('creates the first manager only while there are no accounts', () => {
    const { call, session, desk } = setup();
    expect(desk.service.auth.accountCount()).toBe(2);
    const r = call('setUpFirstManager', { username: 'intruder', displayName: 'X', secret: { kind: 'pin', value: '123456' } }, session());
    expect(code(r)).toBe('forbidden');
    expect(desk.service.auth.accountCount()).toBe(2);
  });
});

describe('switching user and the lock', () => {
  it('switches user at a shared desk, and the journal names whoever is signed in now', () => {
    const { call, session, desk } = setup();
    const s = session();
    call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s);
    call('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, s);
    expect(call('signIn', { username: MANAGER.username, secret: MANAGER.secret }, s)).toMatchObject({ ok: true, value: { user: MANAGER.username } });
    call('setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived' }, s);
    expect(
      desk.service.journal
        .list()
        .slice(-2)
        .map((e) => e.user),
    ).toEqual([RECEPTIONIST.username, MANAGER.username]);
    expect(desk.service.audit.list({ kind: 'switch-user' }).at(-1)).toMatchObject({ user: MANAGER.username, detail: { from: RECEPTIONIST.username } });
  });

  it('locks after the idle time (default 5 minutes) and hides patient data until the secret is given again', () => {
    const { call, session, clock, desk } = setup();
    const s = session();
    call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s);
    expect(call('getSession', {}, s)).toMatchObject({ ok: true, value: { idleLockMinutes: 5, locked: false } });
    clock.advance(4 * 60_000 + 59_000);
    expect(code(call('searchPatients', { query: 'smith' }, s))).toBe('ok');
    clock.advance(4 * 60_000 + 59_000);
    expect(code(call('getDay', { date: '2026-07-20' }, s))).toBe('ok');
    clock.advance(5 * 60_000);
    const locked = call('getDay', { date: '2026-07-20' }, s);
    expect(locked).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringMatching(/locked/) } });
    expect(call('getSession', {}, s)).toMatchObject({ ok: true, value: { locked: true, user: RECEPTIONIST.username } });
    expect(code(call('searchPatients', { query: 'smith' }, s))).toBe('unauthenticated');
    expect(desk.service.audit.list({ kind: 'lock' }).at(-1)).toMatchObject({ detail: { reason: 'idle' } });
    expect(call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s)).toMatchObject({ ok: true, value: { locked: false } });
    expect(desk.service.audit.list({ kind: 'unlock' })).toHaveLength(1);
    expect(code(call('getDay', { date: '2026-07-20' }, s))).toBe('ok');
  });

  it('locks by hand, and honours a practice-set idle time', () => {
    const { call, session, clock } = setup({ idleLockMinutes: 2 });
    const s = session();
    call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s);
    expect(call('lock', {}, s)).toMatchObject({ ok: true, value: { locked: true } });
    expect(code(call('getDay', { date: '2026-07-20' }, s))).toBe('unauthenticated');
    call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s);
    clock.advance(2 * 60_000);
    expect(code(call('getDay', { date: '2026-07-20' }, s))).toBe('unauthenticated');
  });
});

describe('the idle-lock setting', () => {
  it("is the practice manager's: applies to every session at once, is audited, and outlives a restart", () => {
    const { desk, clock } = deskWithAccounts();
    const dataDir = desk.dataDir;
    let n = 0;
    const session = (): RequestContext => ({ user: 'anonymous', desk: 'front-1', sessionId: `s-${++n}` });
    const m = session();
    const r = session();
    desk.dispatch('signIn', { username: MANAGER.username, secret: MANAGER.secret }, m);
    desk.dispatch('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, r);
    expect(code(desk.dispatch('setIdleLock', { minutes: 2 }, r))).toBe('forbidden');
    expect(code(desk.dispatch('setIdleLock', { minutes: 0 }, m))).toBe('invalid_input');
    expect(code(desk.dispatch('setIdleLock', { minutes: 61 }, m))).toBe('invalid_input');
    expect(desk.dispatch('setIdleLock', { minutes: 2 }, m)).toEqual({ ok: true, value: { idleLockMinutes: 2 } });
    expect(desk.dispatch('getSession', {}, r)).toMatchObject({ ok: true, value: { idleLockMinutes: 2 } });
    expect(desk.service.audit.list({ kind: 'settings-changed' }).map((e) => [e.user, e.detail])).toEqual([[MANAGER.username, { setting: 'idleLockMinutes', from: 5, to: 2 }]]);
    // The receptionist, already signed in, locks after the new time.
    clock.advance(2 * 60_000);
    expect(code(desk.dispatch('getDay', { date: '2026-07-20' }, r))).toBe('unauthenticated');
    desk.close();
    const again = openDesk({ dataDir });
    opened.push(again);
    expect(again.service.auth.idleLockMinutes).toBe(2);
  });
});

describe('roles, enforced in the backend', () => {
  it('has a rule for every operation in the contract', () => {
    expect(Object.keys(OPERATION_ACCESS).sort()).toEqual([...OPERATION_NAMES].sort());
  });

  it.each(OPERATION_NAMES.filter((n) => OPERATION_ACCESS[n] === 'manager'))('refuses %s to a receptionist, changing nothing', (name) => {
    const { call, session, desk } = setup();
    const s = session();
    call('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, s);
    const users = JSON.stringify(desk.service.auth.listUsers());
    const r = call(name, { username: 'new.person', displayName: 'New', role: 'manager', secret: { kind: 'pin', value: '555555' }, format: 'csv' }, s);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: `${name} is for practice managers only` } });
    expect(JSON.stringify(desk.service.auth.listUsers())).toBe(users);
  });

  it('lets a manager add a receptionist, who can then run the desk', () => {
    const { call, session } = setup();
    const m = session();
    call('signIn', { username: MANAGER.username, secret: MANAGER.secret }, m);
    const added = call('addUser', { username: 'rx.new', displayName: 'New Receptionist', role: 'receptionist', secret: { kind: 'pin', value: '918273' } }, m);
    expect(added).toMatchObject({ ok: true, value: { username: 'rx.new', role: 'receptionist', disabled: false } });
    expect(JSON.stringify(added)).not.toContain('918273');
    expect(code(call('addUser', { username: 'rx.new', displayName: 'Again', role: 'receptionist', secret: { kind: 'pin', value: '918273' } }, m))).toBe('conflict');
    const r = session();
    expect(code(call('signIn', { username: 'rx.new', secret: '918273' }, r))).toBe('ok');
    expect(code(call('getDay', { date: '2026-07-20' }, r))).toBe('ok');
  });

  it('lets nobody signed out do anything but sign in, read the session and the display board', () => {
    const { call, session } = setup();
    const s = session();
    for (const name of OPERATION_NAMES) {
      const r = call(name, {}, s);
      if (OPERATION_ACCESS[name] === 'public') expect(code(r)).not.toBe('unauthenticated');
      else expect(code(r)).toBe('unauthenticated');
    }
  });

  it('treats a call without a session (the CLI, in-process) as the local user with manager rights', () => {
    const { desk } = setup();
    expect(desk.dispatch('listUsers', {}, desk.context)).toMatchObject({ ok: true });
    expect(desk.dispatch('getSession', {}, desk.context)).toMatchObject({ ok: true, value: { role: 'manager', user: desk.context.user } });
  });
});
