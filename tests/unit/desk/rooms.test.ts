/**
 * Clinicians' rooms and the waiting-room displays at the desk (issue 17): the practice's settings, waiting areas,
 * a recall as a new call, the one-patient-in-the-room question, and a clinician's contemporaneous note.
 */
import { describe, expect, it } from 'vitest';
import { contract, DEFAULT_ROOM_SETTINGS, type DeskEvent, type DisplayBoard, type OperationName, type PracticeRoomSettings, type RoomSettingsView } from '../../../shared/api';
import { openReceptionDesk } from './reception-fixture';

const ann = { user: 'ann.receptionist', desk: 'front-desk-1' };
type Desk = ReturnType<typeof openReceptionDesk>;

function call<T>(desk: Desk, name: OperationName, input: unknown, ctx: Parameters<Desk['dispatch']>[2] = ann): T {
  const result = desk.dispatch(name, input, ctx);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  expect(contract[name].output.safeParse(result.value).success).toBe(true);
  return result.value as T;
}

const twoAreas: PracticeRoomSettings = {
  ...DEFAULT_ROOM_SETTINGS,
  display: { show: 'ticket', chime: true, speak: true, voice: 'Daniel', rate: 1 },
  areas: [
    { id: 'upstairs', name: 'Upstairs', rooms: ['Room 1'] },
    { id: 'treatment', name: 'Treatment corridor', rooms: ['treatment room'] },
  ],
};

function board(desk: Desk, input: Record<string, unknown> = {}): DisplayBoard {
  return call<DisplayBoard>(desk, 'getDisplayBoard', input);
}

describe('room and display settings', () => {
  it('starts from the defaults, names the rooms of the book, and keeps a manager’s change with an audit entry', () => {
    const desk = openReceptionDesk();
    expect(call<RoomSettingsView>(desk, 'getRoomSettings', {})).toEqual({ settings: DEFAULT_ROOM_SETTINGS, knownRooms: ['Room 1', 'Treatment room'] });
    expect(call<RoomSettingsView>(desk, 'setRoomSettings', twoAreas).settings).toEqual(twoAreas);
    expect(call<RoomSettingsView>(desk, 'getRoomSettings', {}).settings).toEqual(twoAreas);
    const audit = desk.service.audit.list({ kind: 'settings-changed' });
    expect(audit.at(-1)).toMatchObject({ user: ann.user, detail: { setting: 'rooms', from: DEFAULT_ROOM_SETTINGS, to: twoAreas } });
    desk.close();
  });

  it('refuses a room in two areas, or two areas of one name, changing nothing', () => {
    const desk = openReceptionDesk();
    const clash = { ...twoAreas, areas: [...twoAreas.areas, { id: 'downstairs', name: 'Downstairs', rooms: ['ROOM 1'] }] };
    expect(desk.dispatch('setRoomSettings', clash, ann)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/ROOM 1 is already in upstairs/) },
    });
    const twice = { ...twoAreas, areas: [twoAreas.areas[0], { id: 'upstairs', name: 'Again', rooms: [] }] };
    expect(desk.dispatch('setRoomSettings', twice, ann)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(call<RoomSettingsView>(desk, 'getRoomSettings', {}).settings).toEqual(DEFAULT_ROOM_SETTINGS);
    expect(desk.service.audit.list({ kind: 'settings-changed' })).toEqual([]);
    desk.close();
  });
});

describe('the waiting-room displays', () => {
  it('shows each area only its own rooms’ calls, with the practice’s sound settings', () => {
    const desk = openReceptionDesk();
    call(desk, 'setRoomSettings', twoAreas);
    desk.at('09:02');
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'sent_in', expectedVersion: 0 });
    desk.at('09:03');
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'sent_in', expectedVersion: 0 });
    const upstairs = board(desk, { area: 'upstairs' });
    expect(upstairs.area).toEqual({ id: 'upstairs', name: 'Upstairs' });
    expect(upstairs.sound).toEqual({ chime: true, speak: true, voice: 'Daniel', rate: 1 });
    expect(upstairs.calls.map((c) => [c.label, c.room])).toEqual([['Ticket 1', 'Room 1']]);
    // Rooms are matched whatever their case: the book says "Treatment room", the manager typed "treatment room".
    expect(board(desk, { area: 'treatment' }).calls.map((c) => c.spoken)).toEqual(['Ticket 2, please go to Treatment room']);
    expect(board(desk).calls.map((c) => c.room)).toEqual(['Treatment room', 'Room 1']);
    expect(desk.dispatch('getDisplayBoard', { area: 'cellar' }, ann)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    desk.close();
  });

  it('puts a recall on top as a new call, and refuses to recall a quiet call or a patient not called', () => {
    const desk = openReceptionDesk();
    const events: DeskEvent[] = [];
    desk.onEvent((e) => events.push(e));
    desk.at('09:02');
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'sent_in', expectedVersion: 0 });
    desk.at('09:03');
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'sent_in', expectedVersion: 0 });
    const first = board(desk).calls;
    const journalBefore = desk.service.journal.lastSeq();
    desk.at('09:05');
    const pings = events.filter((e) => e.kind === 'display.changed').length;
    expect(call<{ version: number }>(desk, 'recallPatient', { appointmentId: 'appt-1' }).version).toBe(1);
    expect(events.filter((e) => e.kind === 'display.changed')).toHaveLength(pings + 1);
    const after = board(desk).calls;
    expect(after.map((c) => c.label)).toEqual(['Ticket 1', 'Ticket 2']);
    expect(after[0]?.calledAt).toBe(new Date(desk.clock.now).toISOString());
    // A new key, so the display sounds it again; the other call keeps its key.
    expect(after[0]?.key).not.toBe(first.find((c) => c.label === 'Ticket 1')?.key);
    expect(after[1]?.key).toBe(first.find((c) => c.label === 'Ticket 2')?.key);
    // Nothing in the record changed: no journal entry, no new version.
    expect(desk.service.journal.lastSeq()).toBe(journalBefore);

    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 });
    expect(desk.dispatch('recallPatient', { appointmentId: 'appt-2' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition', message: expect.stringMatching(/not called/) },
    });
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'seen', expectedVersion: 1 });
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'quiet_sent_in', expectedVersion: 1 });
    expect(desk.dispatch('recallPatient', { appointmentId: 'appt-2' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition', message: expect.stringMatching(/quiet call/) },
    });
    expect(board(desk).calls.map((c) => c.label)).toEqual(['Ticket 1', 'Ticket 2']);
    desk.close();
  });

  it('asks before a second patient goes in to a clinician, for a quiet call too, and not once the first is seen', () => {
    const desk = openReceptionDesk();
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'quiet_sent_in', expectedVersion: 0 });
    const refused = desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'quiet_sent_in', expectedVersion: 0 }, ann);
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/08:30 patient is still with the clinician/) } });
    // Another clinician's room is not this one's business.
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'sent_in', expectedVersion: 0 });
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'seen', expectedVersion: 1 });
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'sent_in', expectedVersion: 0 });
    expect(desk.service.mirror.appointment('appt-2')?.status).toBe('sent_in');
    desk.close();
  });
});

describe("a clinician's note", () => {
  it('is journalled as their contemporaneous note, with their name from the book; a receptionist’s note is not', () => {
    const desk = openReceptionDesk();
    const gp = { user: 'dr.patel', desk: 'room-1', role: 'clinician' as const, clinicianId: 'clin-a' };
    call(desk, 'addAppointmentNote', { appointmentId: 'appt-1', text: 'BP 128/82. Review in 2 weeks.' }, gp);
    call(desk, 'addAppointmentNote', { appointmentId: 'appt-1', text: 'Patient phoned to say running late' }, ann);
    const notes = desk.service.journal.list(0, 1000).filter((e) => e.op === 'appointment.note');
    expect(notes.map((e) => [e.user, e.after])).toEqual([
      ['dr.patel', { text: 'BP 128/82. Review in 2 weeks.', patientId: 'pat-1', contemporaneous: { clinicianName: 'Dr Asha Patel' } }],
      ['ann.receptionist', { text: 'Patient phoned to say running late', patientId: 'pat-1' }],
    ]);
    desk.close();
  });
});
