import { afterEach, describe, expect, it } from 'vitest';
import { createDeskClient } from '../../renderer/src/api/client';
import { createDeskStore, initialState } from '../../renderer/src/state/desk-store';
import { FakeTransport, settle } from './doubles/transport';
import { changed, dayViewOf, mirrorStatusOf, rowOf } from './support/day';
import { TEST_DAY } from '../support/clock';

const SESSION = {
  user: 'test.reception',
  desk: 'browser-0000test',
  signedIn: true,
  displayName: 'Test Reception',
  role: 'receptionist',
  clinicianId: null,
  locked: false,
  setupNeeded: false,
  idleLockMinutes: 5,
};

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length > 0) stops.pop()?.();
});

/** A store on the test double, started on TEST_DAY (the fixture's day), with the day on screen. */
async function startedStore(transport = new FakeTransport()) {
  const day = dayViewOf();
  transport.answer('getDay', day).answer('getMirrorStatus', mirrorStatusOf(day)).answer('getSession', SESSION);
  const store = createDeskStore(() => createDeskClient(transport));
  stops.push(store.getState().start(TEST_DAY, TEST_DAY));
  await settle();
  return { store, transport, day };
}

describe('the desk store', () => {
  it('starts on the day asked for: reads it, the mirror status and the session, and listens for changes', async () => {
    const { store, transport, day } = await startedStore();
    const state = store.getState();
    expect(state.load).toBe('ready');
    expect(state.date).toBe(TEST_DAY);
    expect(state.day?.appointments.map((a) => a.id)).toEqual(day.appointments.map((a) => a.id));
    expect(state.mirrorDates).toEqual([TEST_DAY]);
    expect(state.session).toMatchObject({ user: 'test.reception', desk: 'browser-0000test' });
    expect(state.connection).toBe('live');
    expect(state.transport).toBe('http');
    expect(transport.callsOf('getDay')).toEqual([{ date: TEST_DAY }]);
    expect(transport.listening).toBe(true);
  });

  it('saves a status against the version on screen, shows the answer and offers its undo', async () => {
    const { store, transport, day } = await startedStore();
    const row = rowOf(day, 'appt-1');
    transport.answer('setAppointmentStatus', changed(row, { status: 'arrived' }));
    const saving = store.getState().setStatus('appt-1', 'arrived');
    expect(store.getState().pending).toEqual({ 'appt-1': 'arrived' });
    expect(await saving).toBe(true);
    expect(transport.callsOf('setAppointmentStatus')).toEqual([{ appointmentId: 'appt-1', status: 'arrived', expectedVersion: row.version }]);
    const state = store.getState();
    expect(state.pending).toEqual({});
    expect(rowOf(state.day ?? day, 'appt-1').status).toBe('arrived');
    expect(state.lastChange).toMatchObject({ appointmentId: 'appt-1', undo: { appointmentId: 'appt-1', version: row.version + 1 } });
    expect(state.lastChange?.message).toBe("O'BRIEN, Siobhán, 08:30: Arrived");
    expect(state.announcement).toBe(state.lastChange?.message);
  });

  it('refuses a change the status machine forbids without asking the desk', async () => {
    const { store, transport } = await startedStore();
    // appt-4 is cancelled in the fixture: it cannot be sent in.
    expect(await store.getState().setStatus('appt-4', 'sent_in')).toBe(false);
    expect(transport.callsOf('setAppointmentStatus')).toEqual([]);
    expect(store.getState().lastError).toMatchObject({ kind: 'error', appointmentId: 'appt-4' });
  });

  it('on a conflict shows what the other desk did, and the problem replaces the confirmation before it', async () => {
    const { store, transport, day } = await startedStore();
    transport.answer('setAppointmentStatus', changed(rowOf(day, 'appt-2'), { status: 'arrived' }));
    await store.getState().setStatus('appt-2', 'arrived');
    expect(store.getState().lastChange).not.toBeNull();

    const row = rowOf(day, 'appt-1');
    transport.fail('setAppointmentStatus', { code: 'conflict', message: 'changed by another desk', current: changed(row, { status: 'dna' }) });
    expect(await store.getState().setStatus('appt-1', 'arrived')).toBe(false);
    const state = store.getState();
    expect(rowOf(state.day ?? day, 'appt-1')).toMatchObject({ status: 'dna', version: row.version + 1 });
    expect(state.lastError).toMatchObject({ kind: 'conflict', appointmentId: 'appt-1' });
    expect(state.lastError?.message).toContain('now DNA');
    expect(state.lastChange).toBeNull();
  });

  it('says the desk server cannot be reached when a write gets no answer', async () => {
    const { store, transport } = await startedStore();
    transport.call = async (name, input) => {
      transport.calls.push({ name, input });
      if (name === 'setAppointmentStatus') throw new Error('offline');
      return { ok: false, error: { code: 'internal', message: 'not in this test' } };
    };
    // The transports turn a failed call into DeskClientError('network'); a plain throw is "something went wrong".
    expect(await store.getState().setStatus('appt-1', 'arrived')).toBe(false);
    expect(store.getState().lastError?.message).toContain('something went wrong: offline');
  });

  it('applies a newer version from another desk and ignores an older or equal one', async () => {
    const { store, transport, day } = await startedStore();
    const row = rowOf(day, 'appt-2');
    transport.push({ kind: 'appointment.changed', seq: 1, appointment: changed(row, { status: 'arrived' }), user: 'x', desk: 'other' });
    expect(rowOf(store.getState().day ?? day, 'appt-2').status).toBe('arrived');
    transport.push({ kind: 'appointment.changed', seq: 2, appointment: { ...changed(row, { status: 'dna' }), version: row.version }, user: 'x', desk: 'other' });
    expect(rowOf(store.getState().day ?? day, 'appt-2').status).toBe('arrived');
  });

  it('replays events that arrive while the day is being re-read onto the answer', async () => {
    const { store, transport, day } = await startedStore();
    const read = transport.hold('getDay');
    const reloading = store.getState().reloadDay();
    const row = rowOf(day, 'appt-3');
    transport.push({ kind: 'appointment.changed', seq: 1, appointment: changed(row, { status: 'arrived' }), user: 'x', desk: 'other' });
    read.release(day); // read before the change: it still says booked
    await reloading;
    expect(rowOf(store.getState().day ?? day, 'appt-3').status).toBe('arrived');
  });

  it('re-reads the day when the stream says events may have been missed', async () => {
    const { transport } = await startedStore();
    transport.connection('live', true);
    await settle();
    expect(transport.callsOf('getDay')).toHaveLength(2);
  });

  it('undoes its own last change at the version it produced, and says so when there is none', async () => {
    const { store, transport, day } = await startedStore();
    expect(await store.getState().undoMine()).toBe(false);
    expect(store.getState().lastError?.message).toMatch(/^Nothing to undo/);

    const row = rowOf(day, 'appt-1');
    transport.answer('setAppointmentStatus', changed(row, { status: 'arrived' }));
    await store.getState().setStatus('appt-1', 'arrived');
    transport.answer('undoLastChange', changed(row, { status: 'booked', version: row.version + 2 }));
    expect(await store.getState().undoMine()).toBe(true);
    expect(transport.callsOf('undoLastChange')).toEqual([{ appointmentId: 'appt-1', expectedVersion: row.version + 1 }]);
    expect(store.getState().lastChange?.message).toBe("Undone: O'BRIEN, Siobhán, 08:30 is Booked again");
  });

  it('forgets the day and stops listening when stopped (screen locked), dropping a read still on the wire', async () => {
    const { store, transport, day } = await startedStore();
    const read = transport.hold('getDay');
    const reloading = store.getState().reloadDay();
    stops.pop()?.();
    read.release(day);
    await reloading;
    const { start: _s, ...data } = store.getState();
    expect(Object.fromEntries(Object.keys(initialState).map((k) => [k, data[k as keyof typeof data]]))).toEqual(initialState);
    expect(transport.listening).toBe(false);
  });
});
