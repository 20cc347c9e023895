/**
 * A clinician's room follows only its own list (issue 17): the events a clinician's window (IPC) is sent, as main
 * learns who each window's session is from the answers of the session operations.
 */
import { describe, expect, it } from 'vitest';
import { createIpcHandler } from '../../../electron/main/ipc';
import { WindowSessions } from '../../../electron/main/window-sessions';
import { roomEventOf, type DeskEvent, type Result, type SessionInfo } from '../../../shared/api';
import type { Appointment } from '../../../shared/domain';
import { testAppointment } from '../../support/builders';

const session = (over: Partial<SessionInfo>): SessionInfo => ({
  user: 'x',
  desk: 'ROOM-3',
  signedIn: true,
  displayName: 'X',
  role: 'receptionist',
  clinicianId: null,
  locked: false,
  setupNeeded: false,
  idleLockMinutes: 5,
  ...over,
});

const changed = (appointment: Appointment): DeskEvent => ({ kind: 'appointment.changed', seq: 7, appointment, user: 'ann', desk: 'FRONT' });
const at = { patientId: 'p-1', start: '2026-07-20T08:30:00.000Z', end: '2026-07-20T08:40:00.000Z' };
const mine = changed(testAppointment({ ...at, id: 'a-1', clinicianId: 'clin-a' }));
const theirs = changed(testAppointment({ ...at, id: 'a-2', clinicianId: 'clin-b' }));
const pings: DeskEvent[] = [
  { kind: 'display.changed', seq: 8 },
  { kind: 'mirror.replaced', seq: 9, asOf: null },
];
const progress: DeskEvent = { kind: 'merge.progress', seq: 10, runId: 'r', phase: 'applying', done: 1, total: 2, message: null };

describe('roomEventOf', () => {
  it("passes a clinician their own patients' changes and the pings, never another list or merge-back", () => {
    expect(roomEventOf(mine, 'clin-a')).toBe(mine);
    expect(roomEventOf(theirs, 'clin-a')).toBeNull();
    for (const ping of pings) expect(roomEventOf(ping, 'clin-a')).toBe(ping);
    expect(roomEventOf(progress, 'clin-a')).toBeNull();
  });
});

describe("main's windows", () => {
  interface FakeEvent {
    senderFrame: { url: string; parent: null };
    sender: { id: number };
  }
  const from = (id: number): FakeEvent => ({ senderFrame: { url: 'app://desk/index.html', parent: null }, sender: { id } });

  function windows(answer: (name: string) => Result<unknown>) {
    const sessions = new WindowSessions('ROOM-3');
    const handle = createIpcHandler<FakeEvent>((name) => Promise.resolve(answer(name)), {
      isTrusted: () => true,
      contextOf: (event) => sessions.contextOf(event.sender.id),
      onSession: (event, info) => sessions.noteSession(event.sender.id, info),
    });
    return { sessions, handle };
  }

  it("sends a window signed in as a clinician only their list's events, and the whole day again once a receptionist signs in over them", async () => {
    let next = session({ role: 'clinician', clinicianId: 'clin-a' });
    const { sessions, handle } = windows(() => ({ ok: true, value: next }));
    // Before any session answer, and for another window, the whole day (a reception window).
    expect(sessions.eventFor(1, theirs)).toBe(theirs);
    await handle(from(1), 'signIn', { username: 'dr.a', secret: 'x' });
    expect(sessions.eventFor(1, mine)).toBe(mine);
    expect(sessions.eventFor(1, theirs)).toBeNull();
    expect(sessions.eventFor(1, progress)).toBeNull();
    expect(sessions.eventFor(2, theirs)).toBe(theirs);
    next = session({ role: 'receptionist' });
    await handle(from(1), 'signIn', { username: 'ann', secret: 'x' });
    expect(sessions.eventFor(1, theirs)).toBe(theirs);
  });

  it('learns only from the session operations, and only from an answer that succeeded', async () => {
    let answer: Result<unknown> = { ok: true, value: session({ role: 'clinician', clinicianId: 'clin-a' }) };
    const { sessions, handle } = windows(() => answer);
    await handle(from(1), 'getDay', { date: '2026-07-20' });
    expect(sessions.eventFor(1, theirs)).toBe(theirs);
    await handle(from(1), 'getSession', {});
    expect(sessions.eventFor(1, theirs)).toBeNull();
    answer = { ok: false, error: { code: 'unauthenticated', message: 'sign in first' } };
    await handle(from(1), 'signIn', { username: 'ann', secret: 'wrong' });
    expect(sessions.eventFor(1, theirs)).toBeNull();
    sessions.forget(1);
    expect(sessions.eventFor(1, theirs)).toBe(theirs);
  });
});
