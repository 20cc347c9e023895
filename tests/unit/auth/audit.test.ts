import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../electron/desk/dispatch';
import type { OpenDesk } from '../../../electron/desk/open';
import { createGroup } from '../../../electron/desk/group/admin';
import { AUDIT_KINDS, type AuditEntry } from '../../../shared/api';
import { databasesAtVersion, expectMigratesTo } from '../../support/migrations';
import { deskWithAccounts, MANAGER, RECEPTIONIST } from './support';

const opened: OpenDesk[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

describe('audit trail', () => {
  it('records every kind of event with user, desk and time', async () => {
    const { desk } = deskWithAccounts();
    opened.push(desk);
    const r: RequestContext = { user: 'anonymous', desk: 'front-1', sessionId: 'r' };
    const m: RequestContext = { user: 'anonymous', desk: 'office', sessionId: 'm' };
    desk.dispatch('signIn', { username: RECEPTIONIST.username, secret: '999999' }, r); // sign-in-failed
    desk.dispatch('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, r); // sign-in
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, r); // journal
    desk.dispatch('lock', {}, r); // lock
    desk.dispatch('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, r); // unlock
    desk.dispatch('signIn', { username: MANAGER.username, secret: MANAGER.secret }, r); // switch-user
    desk.dispatch('signOut', {}, r); // sign-out
    desk.dispatch('signIn', { username: MANAGER.username, secret: MANAGER.secret }, m);
    desk.dispatch('addUser', { username: 'rx.two', displayName: 'Two', role: 'receptionist', secret: { kind: 'pin', value: '123987' } }, m); // user-added
    desk.dispatch('updateUser', { username: 'rx.two', displayName: 'Two B' }, m); // user-changed
    expect(desk.dispatch('setIdleLock', { minutes: 10 }, m)).toMatchObject({ ok: true }); // settings-changed
    const exported = desk.dispatch('exportAudit', { format: 'csv' }, m); // export
    desk.service.recordAudit('print', { sheet: 'master-list', date: '2026-07-20', pages: 2 }, desk.context); // print (CLI)
    expect(desk.dispatch('recordPrint', { what: 'screen' }, m)).toMatchObject({ ok: true }); // print (app window)
    await createGroup(desk, { deskName: 'Reception 1' }, desk.context); // group
    expect(desk.dispatch('recordCallbackAttempt', { appointmentId: 'appt-4', outcome: 'no_answer' }, m)).toMatchObject({ ok: true }); // callback
    // import: the fixture's loadBook at open

    const all = desk.service.audit.list({ limit: 5000 });
    const kinds = new Set(all.map((e) => e.kind));
    expect([...AUDIT_KINDS].filter((k) => !kinds.has(k))).toEqual([]);
    for (const e of all) {
      expect(e.user).not.toBe('');
      expect(e.desk).not.toBe('');
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    }
    expect(all.find((e) => e.kind === 'journal')).toMatchObject({ user: RECEPTIONIST.username, desk: 'front-1', detail: { op: expect.any(String) } });
    expect(all.find((e) => e.kind === 'export')).toMatchObject({ user: MANAGER.username, desk: 'office' });
    expect(exported).toMatchObject({ ok: true, value: { contentType: 'text/csv; charset=utf-8', content: expect.stringContaining('sign-in-failed') } });
    expect(desk.service.audit.verify()).toEqual({ ok: true, entries: all.length });
  });

  it('filters by user, kind and time, and exports JSON', () => {
    const { desk, clock } = deskWithAccounts();
    opened.push(desk);
    const r: RequestContext = { user: 'x', desk: 'front-1', sessionId: 'r' };
    desk.dispatch('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, r);
    clock.advance(4 * 60_000);
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, r);
    const byUser = desk.service.audit.list({ user: RECEPTIONIST.username });
    expect(byUser.map((e) => e.kind)).toEqual(['sign-in', 'journal']);
    expect(desk.service.audit.list({ kind: 'journal', from: '2026-07-20T08:02:00Z' }).map((e) => e.user)).toEqual([RECEPTIONIST.username]);
    expect(desk.service.audit.list({ to: '2026-07-20T08:02:00Z', user: RECEPTIONIST.username }).map((e) => e.kind)).toEqual(['sign-in']);
    const out = desk.dispatch('exportAudit', { format: 'json', user: RECEPTIONIST.username }, desk.context);
    expect(out.ok && (JSON.parse((out.value as { content: string }).content) as AuditEntry[]).map((e) => e.kind)).toEqual(['sign-in', 'journal']);
  });

  it('is append-only in the database, and verify() finds an entry changed behind its back', () => {
    const { desk } = deskWithAccounts();
    opened.push(desk);
    const raw = desk.service.journal['db' as never] as unknown as { raw: Database.Database };
    expect(() => raw.raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => raw.raw.prepare("UPDATE audit SET user = 'someone-else'").run()).toThrow(/append-only/);
    raw.raw.exec('DROP TRIGGER audit_no_update');
    raw.raw.prepare("UPDATE audit SET user = 'someone-else' WHERE seq = 2").run();
    expect(desk.service.audit.verify()).toMatchObject({ ok: false, seq: 2 });
  });

  it('quotes CSV cells a spreadsheet would run as formulas', async () => {
    const { auditCsv } = await import('../../../electron/desk/audit/audit');
    const csv = auditCsv([{ seq: 1, id: 'i', at: '2026-07-20T08:00:00.000Z', user: '=HYPERLINK("x")', desk: 'd', kind: 'sign-in-failed', detail: null, prevHash: '0', hash: 'h' }]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('migration 0006-accounts-audit', () => {
  const databaseAtVersion = databasesAtVersion();

  it('adds accounts, the sign-in throttle and the append-only audit table to a version-3 file, keeping its rows', () => {
    const db = databaseAtVersion(3);
    db.prepare("INSERT INTO clinician (id, name, role, room) VALUES ('c', 'Dr A', 'gp', NULL)").run();
    const before = db.prepare('SELECT * FROM clinician').all();
    expectMigratesTo(db, 6);
    expect(db.prepare('SELECT * FROM clinician').all()).toEqual(before);
    db.prepare(
      `INSERT INTO account (username, display_name, role, secret_kind, secret_hash, created_at)
      VALUES ('a', 'A', 'manager', 'pin', 'scrypt$1$1$1$x$y', '2026-07-20T08:00:00Z')`,
    ).run();
    expect(() => db.prepare("UPDATE account SET role = 'admin'").run()).toThrow(/CHECK constraint/);
    db.prepare(`INSERT INTO audit (id, at, user, desk, kind, detail, prev_hash, hash) VALUES ('i', 'now', 'a', 'd', 'sign-in', NULL, 'p', 'h')`).run();
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit SET kind = 'x'").run()).toThrow(/append-only/);
  });
});
