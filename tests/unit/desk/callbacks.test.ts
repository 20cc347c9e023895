/**
 * Working the callback list at the desk (issue 18): attempts kept with who and when, in their table and the audit
 * trail but not the journal; refused for anyone not on the list; carried on the day so the paper shows them; the
 * practice's Late rule a manager's setting. Migration 10 keeps every earlier row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { contract, DEFAULT_DAY_SETTINGS, type CallbackAttempt, type CallbackEntry, type DaySettings, type OperationName } from '../../../shared/api';
import type { RequestContext } from '../../../electron/desk/dispatch';
import type { OpenDesk } from '../../../electron/desk/open';
import { callbackListSheet, SheetInput } from '../../../shared/sheets';
import { databasesAtVersion, expectMigratesTo, expectStrictTables, insertFirstSchemaAppointment } from '../../support/migrations';
import { FIXTURE_DATE } from '../../support/fixtures';
import { deskWithAccounts, MANAGER, RECEPTIONIST } from '../auth/support';

const opened: OpenDesk[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

function signedIn() {
  // An hour before the idle lock: the tests move the clock by minutes.
  const { desk, clock } = deskWithAccounts({ idleLockMinutes: 60 });
  opened.push(desk);
  const rx: RequestContext = { user: 'anonymous', desk: 'front-1', sessionId: 'rx' };
  const pm: RequestContext = { user: 'anonymous', desk: 'office', sessionId: 'pm' };
  expect(desk.dispatch('signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, rx)).toMatchObject({ ok: true });
  expect(desk.dispatch('signIn', { username: MANAGER.username, secret: MANAGER.secret }, pm)).toMatchObject({ ok: true });
  const call = <T>(name: OperationName, input: unknown, ctx: RequestContext = rx): T => {
    const result = desk.dispatch(name, input, ctx);
    if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
    expect(contract[name].output.safeParse(result.value).success).toBe(true);
    return result.value as T;
  };
  return { desk, clock, rx, pm, call };
}

describe('callback attempts', () => {
  it('are kept with who and when by the desk clock, audited, not journalled, and carried on the list and the day', () => {
    const { desk, clock, call } = signedIn();
    const seq = desk.service.journal.lastSeq();
    // appt-4 (pat-4, Nurse Okafor 08:45) was cancelled by the patient: on the callback list.
    clock.advance(7 * 60_000);
    const first = call<CallbackAttempt>('recordCallbackAttempt', { appointmentId: 'appt-4', outcome: 'no_answer' });
    expect(first).toMatchObject({ appointmentId: 'appt-4', outcome: 'no_answer', note: null, at: '2026-07-20T08:07:00.000Z', user: RECEPTIONIST.username, desk: 'front-1' });
    clock.advance(60_000);
    call<CallbackAttempt>('recordCallbackAttempt', { appointmentId: 'appt-4', outcome: 'no_callback_needed', note: ' booked at the hospital instead ' });
    expect(desk.service.journal.lastSeq()).toBe(seq);
    expect(desk.service.audit.list({ kind: 'callback' }).map((e) => e.detail)).toEqual([
      { attemptId: first.id, appointmentId: 'appt-4', outcome: 'no_answer' },
      { attemptId: expect.any(String), appointmentId: 'appt-4', outcome: 'no_callback_needed' },
    ]);

    const list = call<CallbackEntry[]>('getCallbackList', { from: FIXTURE_DATE, to: FIXTURE_DATE });
    expect(list.map((e) => [e.appointment.id, e.done, e.attempts.map((t) => [t.outcome, t.note])])).toEqual([
      [
        'appt-4',
        true,
        [
          ['no_answer', null],
          ['no_callback_needed', 'booked at the hospital instead'],
        ],
      ],
    ]);
    const day = desk.service.getDay(FIXTURE_DATE, null);
    expect(day.callbackAttempts?.map((t) => t.outcome)).toEqual(['no_answer', 'no_callback_needed']);
    const sheet = callbackListSheet(SheetInput.parse({ ...day, printedAt: clock.now().toISOString() }));
    expect(sheet.sections.flatMap((s) => s.rows.map((r) => [r.appointmentId, r.done, r.attempts]))).toEqual([
      ['appt-4', true, ['09:07 No answer (rx.khan)', '09:08 No callback needed (rx.khan): booked at the hospital instead']],
    ]);
  });

  it('are refused for an appointment not on the callback list, or unknown, recording nothing', () => {
    const { desk, rx } = signedIn();
    expect(desk.dispatch('recordCallbackAttempt', { appointmentId: 'appt-1', outcome: 'called' }, rx)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(desk.dispatch('recordCallbackAttempt', { appointmentId: 'nope', outcome: 'called' }, rx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(desk.dispatch('recordCallbackAttempt', { appointmentId: 'appt-4', outcome: 'emailed' }, rx)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(desk.service.audit.list({ kind: 'callback' })).toEqual([]);
    expect(desk.service.getDay(FIXTURE_DATE, null).callbackAttempts).toEqual([]);
  });
});

describe("the practice's Late rule", () => {
  it('is 10 minutes until a manager sets another, audited; a receptionist may read it but not set it', () => {
    const { desk, rx, pm, call } = signedIn();
    expect(call<DaySettings>('getDaySettings', {})).toEqual(DEFAULT_DAY_SETTINGS);
    expect(DEFAULT_DAY_SETTINGS.lateAfterMinutes).toBe(10);
    expect(desk.dispatch('setDaySettings', { lateAfterMinutes: 5 }, rx)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call<DaySettings>('setDaySettings', { lateAfterMinutes: 15 }, pm)).toEqual({ lateAfterMinutes: 15 });
    expect(call<DaySettings>('getDaySettings', {})).toEqual({ lateAfterMinutes: 15 });
    expect(desk.dispatch('setDaySettings', { lateAfterMinutes: -1 }, pm)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(desk.service.audit.list({ kind: 'settings-changed' }).at(-1)).toMatchObject({
      user: MANAGER.username,
      detail: { setting: 'day', from: { lateAfterMinutes: 10 }, to: { lateAfterMinutes: 15 } },
    });
  });
});

describe('migration 10', () => {
  const at = databasesAtVersion();
  it('adds the attempts table, STRICT, keeping every earlier row, and refuses an outcome it does not know', () => {
    const db = at(9);
    insertFirstSchemaAppointment(db);
    expectMigratesTo(db, 10);
    expectStrictTables(db, 'callback', ['callback_attempt']);
    expect(db.prepare('SELECT id, status FROM appointment').all()).toEqual([{ id: 'a', status: 'booked' }]);
    const insert = db.prepare(
      "INSERT INTO callback_attempt (id, appointment_id, local_date, outcome, note, at, user, desk) VALUES (?, 'a', '2026-07-20', ?, NULL, '2026-07-20T09:00:00Z', 'u', 'd')",
    );
    insert.run('t1', 'message_left');
    expect(() => insert.run('t2', 'emailed')).toThrow(/CHECK/);
  });
});
