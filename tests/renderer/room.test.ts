/**
 * The clinician's room view as plain logic: what its list shows (sections, who is next, waits, lateness), what its
 * buttons and keys may do, how a patient is written, and its store against the api client's test double.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AppointmentRow, DayView } from '../../shared/api';
import { localToIso, type Appointment } from '../../shared/domain';
import { createDeskClient } from '../../renderer/src/api/client';
import { sendInQuestionText } from '../../renderer/src/dialogs/send-in-anyway';
import { matchRoomKey, ROOM_HELP, ROOM_KEYMAP } from '../../renderer/src/room/room-keys';
import { allowedActions, buildRoomList, formatMinutes, patientLine, refusalOf, runningLateText, stateText, waitOf } from '../../renderer/src/room/room-model';
import { createRoomStore } from '../../renderer/src/room/room-store';
import { createDeskStore } from '../../renderer/src/state/desk-store';
import { TEST_DAY, TEST_NOW } from '../support/clock';
import { FakeTransport, settle } from './doubles/transport';
import { changed, dayViewOf, mirrorStatusOf, rowOf } from './support/day';

const NOW = new Date(TEST_NOW); // 10:30 in London
const at = (time: string) => localToIso(TEST_DAY, time);

/** The fixture's day with some of its appointments moved on, as the desk would hold them. */
function dayWith(patches: Record<string, Partial<Appointment>>): DayView {
  const day = dayViewOf();
  return { ...day, appointments: day.appointments.map((a) => ({ ...a, ...patches[a.id] })) };
}

/** Dr Patel's (clin-a) morning: appt-1 08:30, appt-2 08:40, appt-5 09:00; appt-3 is the nurse's. */
function morning(): DayView {
  return dayWith({
    'appt-1': {
      status: 'sent_in',
      arrivedAt: at('08:20'),
      sentInAt: at('10:25'),
      desk: { origin: 'upstream', triage: null, dutyList: false, ticket: 3, call: 'display', rebookedFrom: null, rebookedTo: null },
    },
    'appt-2': { status: 'arrived', arrivedAt: at('08:35') },
    'appt-5': { status: 'late', arrivedAt: at('09:10') },
  });
}

describe('the room list', () => {
  it('shows only this clinician: who is with them, who waits in the desk’s queue order with the first as next, who is not here yet, who is finished', () => {
    const day = dayWith({
      'appt-1': { status: 'seen', sentInAt: at('08:45'), seenAt: at('08:55') },
      'appt-2': { status: 'quiet_sent_in', sentInAt: at('10:20') },
      'appt-5': { status: 'arrived', arrivedAt: at('08:50') },
    });
    const list = buildRoomList(day, 'clin-a', NOW);
    expect(list.clinician?.name).toBe('Dr Asha Patel');
    expect(list.room).toBe('Room 1');
    expect(list.withYou.map((r) => r.row.id)).toEqual(['appt-2']);
    expect(list.waiting.map((r) => [r.row.id, r.next])).toEqual([['appt-5', true]]);
    expect(list.expected).toEqual([]);
    expect(list.finished.map((r) => r.row.id)).toEqual(['appt-1']);
    expect(list.order).toEqual(['appt-2', 'appt-5', 'appt-1']);
    expect(list.order).not.toContain('appt-3');
  });

  it('orders the waiting by booked time and marks only the first as next', () => {
    const list = buildRoomList(morning(), 'clin-a', NOW);
    expect(list.waiting.map((r) => [r.row.id, r.next])).toEqual([
      ['appt-2', true],
      ['appt-5', false],
    ]);
    expect(list.withYou.map((r) => r.row.id)).toEqual(['appt-1']);
  });

  it('counts a wait from check-in, and from the appointment time for someone who came early', () => {
    // Checked in at 10:10 for 10:00: 20 minutes waiting at 10:30.
    expect(waitOf({ start: at('10:00'), arrivedAt: at('10:10') }, NOW)).toEqual({ waitMinutes: 20, earlyMinutes: null });
    // Checked in at 09:40 for 10:00: kept waiting only from 10:00.
    expect(waitOf({ start: at('10:00'), arrivedAt: at('09:40') }, NOW)).toEqual({ waitMinutes: 30, earlyMinutes: null });
    // Here at 10:20 for 10:45: not kept waiting at all yet, due in 15 minutes.
    expect(waitOf({ start: at('10:45'), arrivedAt: at('10:20') }, NOW)).toEqual({ waitMinutes: 0, earlyMinutes: 15 });
  });

  it('says who is late: not here past their time, or arrived late', () => {
    const list = buildRoomList(dayViewOf(), 'clin-a', NOW);
    // Nobody has arrived; every booked appointment is past its time at 10:30.
    expect(list.expected.map((r) => [r.row.id, r.overdueMinutes])).toEqual([
      ['appt-1', 120],
      ['appt-2', 110],
      ['appt-5', 90],
    ]);
    expect(stateText(list.expected[0] ?? expect.unreachable())).toBe('Not here, 2 h past');
    const late = buildRoomList(morning(), 'clin-a', NOW).waiting.find((r) => r.row.id === 'appt-5');
    expect(late?.row.status).toBe('late');
    expect(late && stateText(late)).toBe('Waiting 1 h 20 min');
  });

  it('says how late the clinician is running, from the desk’s own figure', () => {
    const list = buildRoomList(morning(), 'clin-a', NOW);
    // appt-1 (08:30) was sent in at 10:25: 115 minutes behind; appt-2 has waited since 08:40, 110 minutes.
    expect(list.runningLateMinutes).toBe(115);
    expect(runningLateText(list.runningLateMinutes)).toBe('Running 1 h 55 min late');
    expect(runningLateText(null)).toBe('Not started yet');
    expect(runningLateText(3)).toBe('Running to time');
    expect(formatMinutes(45)).toBe('45 min');
  });

  it('writes the patient for checking at the door: name, DOB, age, NHS number 3-3-4, and only that an alert exists', () => {
    const day = dayViewOf();
    const line = patientLine(rowOf(day, 'appt-1'), TEST_DAY);
    expect(line).toEqual({ name: 'O’BRIEN, Siobhán'.replace('’', "'"), dob: '02/03/1984', age: '42y', nhs: expect.stringMatching(/^999 \d{3} \d{4}$/), alert: true });
    expect(JSON.stringify(line)).not.toMatch(/cancer|2WW/i);
    const noNumber = patientLine(rowOf(day, 'appt-3'), TEST_DAY);
    expect(noNumber).toMatchObject({ nhs: 'No NHS number', alert: false, age: '7y' });
  });
});

describe('the room’s actions', () => {
  const row = (status: AppointmentRow['status'], call: 'display' | 'quiet' | null = null) => ({
    status,
    desk: { origin: 'upstream' as const, triage: null, dutyList: false, ticket: null, call, rebookedFrom: null, rebookedTo: null },
  });

  it('calls only someone who is waiting, and finishes only what the status machine allows', () => {
    expect([...allowedActions(row('arrived'), false)].sort()).toEqual(['call', 'note', 'quiet', 'seen']);
    expect([...allowedActions(row('late'), false)].sort()).toEqual(['call', 'note', 'quiet', 'seen']);
    expect([...allowedActions(row('sent_in', 'display'), false)].sort()).toEqual(['left', 'note', 'recall', 'seen']);
    expect([...allowedActions(row('seen'), false)].sort()).toEqual(['left', 'note']);
    expect([...allowedActions(row('booked'), false)].sort()).toEqual(['note']);
  });

  it('recalls only a call that is on the displays: a quiet call stays quiet', () => {
    expect(allowedActions(row('quiet_sent_in', 'quiet'), false).has('recall')).toBe(false);
    expect(refusalOf('recall', row('quiet_sent_in', 'quiet'), false)).toMatch(/never shown on a display/);
  });

  it('offers DNA only where the practice lets clinicians mark it', () => {
    expect(allowedActions(row('booked'), false).has('dna')).toBe(false);
    expect(refusalOf('dna', row('booked'), false)).toMatch(/keeps DNA for reception/);
    expect(allowedActions(row('booked'), true).has('dna')).toBe(true);
    expect(refusalOf('dna', row('booked'), true)).toBeNull();
    expect(refusalOf('call', row('seen'), true)).toBe('Call: not possible for a patient who is Seen.');
  });
});

describe('the room’s keys', () => {
  const press = (key: string, extra: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    matchRoomKey({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...extra })?.action ?? null;

  it('moves with the arrows and j/k, and acts with C, Q, R, S, L, D, N and ?', () => {
    expect([press('ArrowDown'), press('j'), press('ArrowUp'), press('k')]).toEqual(['down', 'down', 'up', 'up']);
    expect(['c', 'q', 'r', 's', 'l', 'd', 'n', '?'].map((k) => press(k))).toEqual(['call', 'quiet', 'recall', 'seen', 'left', 'dna', 'note', 'help']);
    expect(press('C', { shiftKey: true })).toBe('call');
  });

  it('leaves the browser’s chords alone (Ctrl+C copies, Ctrl+R reloads)', () => {
    expect(press('c', { ctrlKey: true })).toBeNull();
    expect(press('r', { metaKey: true })).toBeNull();
    expect(press('x')).toBeNull();
  });

  it('shows every key in the help, once each', () => {
    const keys = ROOM_KEYMAP.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(ROOM_HELP.map(([k]) => k)).toContain('↓ or J');
  });
});

describe('the send-in question', () => {
  it('names who is still in the room, and whom it would send in', () => {
    expect(sendInQuestionText({ nextName: 'MÜLLER, Zoë', stillNames: ["O'BRIEN, Siobhán"], clinicianName: null })).toBe(
      "O'BRIEN, Siobhán is still with you. Send MÜLLER, Zoë in anyway?",
    );
    expect(sendInQuestionText({ nextName: 'MÜLLER, Zoë', stillNames: ['A', 'B'], clinicianName: 'Dr Asha Patel' })).toBe(
      'A and B are still with Dr Asha Patel. Send MÜLLER, Zoë in anyway?',
    );
    expect(sendInQuestionText({ nextName: 'X', stillNames: [], clinicianName: null })).toBe('The previous patient is still with you. Send X in anyway?');
  });
});

// ---- The store --------------------------------------------------------------------------------------------------

const CLINICIAN_SESSION = {
  user: 'dr.patel',
  desk: 'browser-0000test',
  signedIn: true,
  displayName: 'Dr Asha Patel',
  role: 'clinician',
  clinicianId: 'clin-a',
  locked: false,
  setupNeeded: false,
  idleLockMinutes: 5,
};
const ROOM_SETTINGS = (cliniciansMayDna: boolean) => ({
  settings: { display: { show: 'ticket', chime: true, speak: false, voice: null, rate: 0.9 }, areas: [], cliniciansMayDna },
  knownRooms: ['Room 1'],
});

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length > 0) stops.pop()?.();
});

async function startedRoom(day = morning(), transport = new FakeTransport(), cliniciansMayDna = false) {
  transport.answer('getSession', CLINICIAN_SESSION).answer('getRoomSettings', ROOM_SETTINGS(cliniciansMayDna)).answer('getDay', day);
  const store = createRoomStore(() => createDeskClient(transport));
  stops.push(store.getState().start(TEST_DAY, 'clin-b'));
  await settle();
  await settle();
  return { store, transport, day };
}

const stillWith = (row: AppointmentRow) => ({ code: 'conflict' as const, message: 'still with the clinician', current: { stillWithClinician: [changed(row, {})] } });

describe('the room store', () => {
  it('reads the signed-in clinician’s own list today (never the one in the address), the settings, and listens', async () => {
    const { store, transport } = await startedRoom();
    expect(transport.callsOf('getDay')).toEqual([{ date: TEST_DAY, clinicianId: 'clin-a' }]);
    expect(store.getState()).toMatchObject({ load: 'ready', clinicianId: 'clin-a', connection: 'live', settings: { cliniciansMayDna: false } });
    expect(transport.listening).toBe(true);
  });

  it('shows a check-in made at reception as soon as its event arrives', async () => {
    const { store, transport, day } = await startedRoom(dayViewOf());
    const checkedIn = changed(rowOf(day, 'appt-2'), { status: 'arrived', arrivedAt: at('10:29') });
    transport.push({ kind: 'appointment.changed', seq: 9, appointment: checkedIn, user: 'reception', desk: 'browser-1' });
    const list = buildRoomList(store.getState().day ?? day, 'clin-a', NOW);
    expect(list.waiting.map((r) => r.row.id)).toEqual(['appt-2']);
  });

  it('calls with sent_in against the version on screen, and a quiet call with quiet_sent_in', async () => {
    const { store, transport, day } = await startedRoom();
    const row = rowOf(day, 'appt-2');
    transport.answer('setAppointmentStatus', changed(row, { status: 'quiet_sent_in', sentInAt: TEST_NOW }));
    expect(await store.getState().act('appt-2', 'quiet')).toBe(true);
    expect(transport.callsOf('setAppointmentStatus')).toEqual([{ appointmentId: 'appt-2', status: 'quiet_sent_in', expectedVersion: row.version }]);
    expect(store.getState().message?.text).toMatch(/quiet call, not shown on any display/);
    expect(rowOf(store.getState().day ?? day, 'appt-2').status).toBe('quiet_sent_in');
  });

  it('asks before sending in while a patient is still in the room, and sends again saying so on a yes', async () => {
    const { store, transport, day } = await startedRoom();
    transport.fail('setAppointmentStatus', stillWith(rowOf(day, 'appt-1')));
    expect(await store.getState().act('appt-2', 'call')).toBe(false);
    const dialog = store.getState().dialog;
    expect(dialog?.kind === 'send-in' && sendInQuestionText(dialog.question)).toBe("O'BRIEN, Siobhán is still with you. Send MÜLLER, Zoë in anyway?");
    expect(store.getState().message).toBeNull();

    transport.answer('setAppointmentStatus', changed(rowOf(day, 'appt-2'), { status: 'sent_in' }));
    expect(await store.getState().confirmSendIn()).toBe(true);
    expect(transport.callsOf('setAppointmentStatus').at(-1)).toEqual({
      appointmentId: 'appt-2',
      status: 'sent_in',
      expectedVersion: rowOf(day, 'appt-2').version,
      despiteStillWithClinician: true,
    });
    expect(store.getState().dialog).toBeNull();
  });

  it('treats any other conflict as a change made elsewhere, not as the question', async () => {
    const { store, transport, day } = await startedRoom();
    transport.fail('setAppointmentStatus', { code: 'conflict', message: 'changed', current: changed(rowOf(day, 'appt-2'), { status: 'walked_out' }) });
    expect(await store.getState().act('appt-2', 'call')).toBe(false);
    expect(store.getState().dialog).toBeNull();
    expect(store.getState().message?.text).toMatch(/changed at another desk \(now Walked out\)/);
  });

  it('recalls with recallPatient and writes a note with addAppointmentNote', async () => {
    const { store, transport, day } = await startedRoom();
    transport.answer('recallPatient', changed(rowOf(day, 'appt-1'), {}));
    expect(await store.getState().recall('appt-1')).toBe(true);
    expect(transport.callsOf('recallPatient')).toEqual([{ appointmentId: 'appt-1' }]);
    transport.answer('addAppointmentNote', { seq: 12, at: TEST_NOW });
    expect(await store.getState().addNote('appt-1', 'BP 128/82. Review 2/52.')).toBe(true);
    expect(transport.callsOf('addAppointmentNote')).toEqual([{ appointmentId: 'appt-1', text: 'BP 128/82. Review 2/52.' }]);
    expect(store.getState().message?.text).toMatch(/note saved for the re-keying worklist/);
  });

  it('forgets the list when stopped (the screen locked)', async () => {
    const { store } = await startedRoom();
    stops.pop()?.();
    expect(store.getState()).toMatchObject({ day: null, session: null, clinicianId: null });
  });
});

describe('the desk’s send in', () => {
  it('asks, naming the clinician, when the backend says their previous patient is still with them; a yes resends saying so', async () => {
    const transport = new FakeTransport();
    const day = morning();
    transport
      .answer('getDay', day)
      .answer('getMirrorStatus', mirrorStatusOf(day))
      .answer('getSession', { ...CLINICIAN_SESSION, role: 'receptionist', clinicianId: null });
    const store = createDeskStore(() => createDeskClient(transport));
    stops.push(store.getState().start(TEST_DAY, TEST_DAY));
    await settle();
    transport.fail('setAppointmentStatus', stillWith(rowOf(day, 'appt-1')));
    expect(await store.getState().setStatus('appt-2', 'sent_in')).toBe(false);
    const question = store.getState().sendInQuestion;
    expect(question && sendInQuestionText(question)).toBe("O'BRIEN, Siobhán is still with Dr Asha Patel. Send MÜLLER, Zoë in anyway?");
    expect(store.getState().lastError).toBeNull();

    transport.answer('setAppointmentStatus', changed(rowOf(day, 'appt-2'), { status: 'sent_in' }));
    expect(await store.getState().setStatus('appt-2', 'sent_in', undefined, true)).toBe(true);
    expect(transport.callsOf('setAppointmentStatus').at(-1)).toMatchObject({ appointmentId: 'appt-2', status: 'sent_in', despiteStillWithClinician: true });
  });
});
