/**
 * Issue 17's roles check: a clinician signed in at their room is refused every reception-only and manager
 * operation (policy.room false), and another clinician's patients on every operation that acts on an appointment
 * ('own' with an appointmentId); their getDay is narrowed to their own list. Over HTTP (the real server, a session
 * cookie) and over IPC (main's handler logic with a fake event, the real desk behind it). The lists are read off
 * the contract, so a new operation is covered the day it is added.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { OpenDesk } from '../../../electron/desk/open';
import { createIpcHandler } from '../../../electron/main/ipc';
import { isTrustedSender } from '../../../electron/main/security';
import { WindowSessions } from '../../../electron/main/window-sessions';
import { startServer } from '../../../electron/server/server';
import { contract, OPERATION_NAMES, refusalMessage, type DayView, type OperationName, type Result } from '../../../shared/api';
import { tempDir } from '../../support/fixtures';
import { CLINICIAN, deskWithClinicians, RECEPTIONIST } from './support';

const DATE = '2026-07-20';

/** Every operation that is reception's or a manager's: a clinician's room may not call it at all. */
const NOT_FOR_A_ROOM = OPERATION_NAMES.filter((name) => contract[name].policy.room === false && contract[name].policy.role !== 'public');

const takesAppointment = (name: OperationName) => {
  const input: z.ZodType = contract[name].input;
  return input instanceof z.ZodObject && 'appointmentId' in input.shape;
};
/** Every operation a clinician may call about their own patients only, naming the appointment. */
const ON_AN_APPOINTMENT = OPERATION_NAMES.filter((name) => contract[name].policy.room === 'own' && takesAppointment(name));

/**
 * What else each of those needs to parse, so the refusal tested is the scope's and not the parser's: a new one
 * without an entry here fails below as invalid_input, not silently.
 */
const REST_OF_INPUT: Partial<Record<OperationName, Record<string, unknown>>> = {
  setAppointmentStatus: { status: 'sent_in' },
  addAppointmentNote: { text: 'Seen in room 1' },
};

/** smallBook(): clin-a (Dr Patel, signed in) has appt-1, appt-2 and appt-5; clin-b has appt-3 and appt-4. */
const OWN_APPOINTMENTS = ['appt-1', 'appt-2', 'appt-5'];
const ANOTHER_CLINICIANS = 'appt-3';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function desk(): OpenDesk {
  const { desk } = deskWithClinicians();
  cleanup.push(() => desk.close());
  return desk;
}

/** What each way in answers: the result and, over HTTP, the status. */
interface Caller {
  call(name: string, input: unknown): Promise<{ status: number | null; result: Result<unknown> }>;
}

async function overHttp(d: OpenDesk, username: string, secret: string): Promise<Caller> {
  const staticDir = tempDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
  const server = await startServer({ desk: d, staticDir, port: 0, user: 'anonymous' });
  cleanup.push(() => server.close());
  const base = server.url.replace(/\/$/, '');
  const post = async (name: string, body: unknown, cookie: string) => {
    const res = await fetch(`${base}/api/op/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) });
    return { res, result: (await res.json()) as Result<unknown> };
  };
  const signedIn = await post('signIn', { username, secret }, '');
  expect(signedIn.result.ok).toBe(true);
  const cookie = /sd_session=[^;]+/.exec(signedIn.res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  expect(cookie).not.toBe('');
  return {
    call: async (name, input) => {
      const { res, result } = await post(name, input, cookie);
      return { status: res.status, result };
    },
  };
}

async function overIpc(d: OpenDesk, username: string, secret: string): Promise<Caller> {
  interface FakeEvent {
    senderFrame: { url: string; parent: unknown };
    sender: { id: number };
  }
  const sessions = new WindowSessions('ROOM-1-PC');
  const handle = createIpcHandler<FakeEvent>(d.dispatch, {
    isTrusted: (event) => isTrustedSender(event.senderFrame),
    contextOf: (event) => sessions.contextOf(event.sender.id),
    isDisplay: () => false,
  });
  const roomWindow: FakeEvent = { senderFrame: { url: 'app://desk/index.html#/room', parent: null }, sender: { id: 1 } };
  expect(await handle(roomWindow, 'signIn', { username, secret })).toMatchObject({ ok: true });
  return { call: async (name, input) => ({ status: null, result: await handle(roomWindow, name, input) }) };
}

const transports = [
  ['HTTP', overHttp, 403],
  ['IPC', overIpc, null],
] as const;

const journalOf = (d: OpenDesk) => d.dispatch('getJournal', { limit: 1000 }, d.context);

describe.each(transports)('a clinician in their room, over %s', (_name, connect, forbiddenStatus) => {
  it('is refused every reception-only and manager operation, with the same words, changing nothing', async () => {
    const d = desk();
    const room = await connect(d, CLINICIAN.username, CLINICIAN.pin);
    const journalBefore = journalOf(d);
    const usersBefore = d.service.auth.listUsers();
    expect(NOT_FOR_A_ROOM).toEqual(expect.arrayContaining(['setMode', 'registerWalkIn', 'markSessionDna', 'listUsers', 'setRoomSettings', 'startMergeApply']));
    for (const name of NOT_FOR_A_ROOM) {
      const { status, result } = await room.call(name, {});
      expect({ name, status, result }).toEqual({ name, status: forbiddenStatus, result: { ok: false, error: { code: 'forbidden', message: refusalMessage('clinician', name) } } });
    }
    expect(journalOf(d)).toEqual(journalBefore);
    expect(d.service.auth.listUsers()).toEqual(usersBefore);
  });

  it("is refused another clinician's appointment on every operation that takes one, and told a missing one is missing", async () => {
    const d = desk();
    const room = await connect(d, CLINICIAN.username, CLINICIAN.pin);
    const journalBefore = journalOf(d);
    const before = d.service.mirror.appointment(ANOTHER_CLINICIANS);
    expect(ON_AN_APPOINTMENT).toEqual(expect.arrayContaining(['setAppointmentStatus', 'addAppointmentNote', 'recallPatient']));
    for (const name of ON_AN_APPOINTMENT) {
      const theirs = await room.call(name, { appointmentId: ANOTHER_CLINICIANS, ...REST_OF_INPUT[name] });
      expect({ name, status: theirs.status, result: theirs.result }).toEqual({
        name,
        status: forbiddenStatus,
        result: { ok: false, error: { code: 'forbidden', message: expect.stringContaining('not on your list') } },
      });
      const missing = await room.call(name, { appointmentId: 'appt-nowhere', ...REST_OF_INPUT[name] });
      expect({ name, result: missing.result }).toMatchObject({ name, result: { ok: false, error: { code: 'not_found' } } });
    }
    expect(d.service.mirror.appointment(ANOTHER_CLINICIANS)).toEqual(before);
    expect(journalOf(d)).toEqual(journalBefore);
  });

  it('sees only their own list in getDay, and is refused the list of another clinician by name', async () => {
    const d = desk();
    const room = await connect(d, CLINICIAN.username, CLINICIAN.pin);
    const own = await room.call('getDay', { date: DATE });
    expect(own.result.ok).toBe(true);
    const day = (own.result as { ok: true; value: DayView }).value;
    expect(day.appointments.map((a) => a.id).sort()).toEqual(OWN_APPOINTMENTS);
    expect(day.clinicians.map((c) => c.id)).toEqual([CLINICIAN.clinicianId]);
    expect((await room.call('getDay', { date: DATE, clinicianId: CLINICIAN.clinicianId })).result).toEqual(own.result);
    const theirs = await room.call('getDay', { date: DATE, clinicianId: 'clin-b' });
    expect({ status: theirs.status, code: theirs.result.ok ? 'ok' : theirs.result.error.code }).toEqual({ status: forbiddenStatus, code: 'forbidden' });
  });

  it('acts on their own patient: calls them once reception has checked them in, notes against them, and may not check in', async () => {
    const d = desk();
    const reception = await connect(d, RECEPTIONIST.username, RECEPTIONIST.pin);
    const room = await connect(d, CLINICIAN.username, CLINICIAN.pin);
    const checkIn = { appointmentId: 'appt-1', status: 'arrived' };
    expect((await room.call('setAppointmentStatus', checkIn)).result).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('is for reception') },
    });
    expect((await reception.call('setAppointmentStatus', checkIn)).result).toMatchObject({ ok: true, value: { status: 'arrived' } });
    expect((await room.call('setAppointmentStatus', { appointmentId: 'appt-1', status: 'quiet_sent_in' })).result).toMatchObject({
      ok: true,
      value: { status: 'quiet_sent_in' },
    });
    expect((await room.call('addAppointmentNote', { appointmentId: 'appt-1', text: 'Seen in room 1' })).result).toMatchObject({ ok: true });
    // The journal names the clinician as who did it.
    const journal = journalOf(d);
    expect(journal.ok && (journal.value as Array<{ user: string }>).at(-1)?.user).toBe(CLINICIAN.username);
  });
});

describe('whose list a call is about, for every operation a room may call', () => {
  it('names an appointment or a clinician in its input, so none can be checked by omission', () => {
    const own = OPERATION_NAMES.filter((name) => contract[name].policy.room === 'own');
    expect(own.length).toBeGreaterThan(0);
    for (const name of own) {
      const input: z.ZodType = contract[name].input;
      const names = input instanceof z.ZodObject && ('appointmentId' in input.shape || 'clinicianId' in input.shape);
      expect({ name, names }).toEqual({ name, names: true });
    }
  });
});
