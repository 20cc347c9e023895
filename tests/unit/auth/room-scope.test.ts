/**
 * What a clinician may set from their room (room-scope.ts): call, quiet call, seen and left on their own patients;
 * DNA only when the practice's room settings allow it; the rest is reception's. And the scope fails closed: an
 * account that names no clinician sees no list.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../electron/desk/dispatch';
import type { OpenDesk } from '../../../electron/desk/open';
import { sql } from '../../../electron/desk/store/sql';
import { DEFAULT_ROOM_SETTINGS, ROOM_STATUSES, type DayView, type Result } from '../../../shared/api';
import { DESK_STATUSES } from '../../../shared/domain';
import { CLINICIAN, deskWithClinicians } from './support';

const opened: OpenDesk[] = [];
afterEach(() => {
  for (const d of opened.splice(0)) d.close();
});

const DATE = '2026-07-20';
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

function setup() {
  const { desk } = deskWithClinicians();
  opened.push(desk);
  const room: RequestContext = { user: 'anonymous', desk: 'room-1', sessionId: 'room-1-window' };
  expect(code(desk.dispatch('signIn', { username: CLINICIAN.username, secret: CLINICIAN.pin }, room))).toBe('ok');
  const call = (name: string, input: unknown, ctx: RequestContext = room) => desk.dispatch(name, input, ctx);
  return { desk, room, call };
}

/** The practice's room settings as the desk stores them (one JSON value in meta, actions/room-settings.ts). */
function allowCliniciansToDna(desk: OpenDesk): void {
  const value = JSON.stringify({ ...DEFAULT_ROOM_SETTINGS, cliniciansMayDna: true });
  desk.db.run(sql`INSERT INTO meta (key, value) VALUES ('rooms.settings', ${value}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
}

describe("the statuses a clinician's room may set", () => {
  it.each(DESK_STATUSES.filter((s) => !(ROOM_STATUSES as readonly string[]).includes(s)))('refuses %s on their own patient: that is for reception', (status) => {
    const { call, desk } = setup();
    const before = desk.service.mirror.appointment('appt-2');
    const r = call('setAppointmentStatus', { appointmentId: 'appt-2', status, reason: 'Patient phoned' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('is for reception') } });
    expect(desk.service.mirror.appointment('appt-2')).toEqual(before);
  });

  it('refuses DNA while the practice has reception mark DNAs (the default), and allows it once the settings say so', () => {
    const { call, desk } = setup();
    const refused = call('setAppointmentStatus', { appointmentId: 'appt-2', status: 'dna' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('reception mark patients DNA') } });
    expect(desk.service.mirror.appointment('appt-2')?.status).toBe('booked');
    allowCliniciansToDna(desk);
    expect(call('setAppointmentStatus', { appointmentId: 'appt-2', status: 'dna' })).toMatchObject({ ok: true, value: { status: 'dna' } });
    // Still only their own: another clinician's patient is refused whatever the settings.
    expect(code(call('setAppointmentStatus', { appointmentId: 'appt-3', status: 'dna' }))).toBe('forbidden');
  });

  it('lets them call and finish their own patient', () => {
    const { call } = setup();
    expect(call('setAppointmentStatus', { appointmentId: 'appt-5', status: 'sent_in' })).toMatchObject({ ok: true, value: { status: 'sent_in' } });
    expect(call('setAppointmentStatus', { appointmentId: 'appt-5', status: 'seen' })).toMatchObject({ ok: true, value: { status: 'seen' } });
    expect(call('setAppointmentStatus', { appointmentId: 'appt-5', status: 'left' })).toMatchObject({ ok: true, value: { status: 'left' } });
  });
});

describe('the scope fails closed', () => {
  it('gives a clinician named by a trusted caller (a group member) their list, and one naming no clinician nothing', () => {
    const { desk } = setup();
    const linked: RequestContext = { user: CLINICIAN.username, desk: 'room-1', role: 'clinician', clinicianId: CLINICIAN.clinicianId };
    const day = desk.dispatch('getDay', { date: DATE }, linked);
    expect(day.ok && (day.value as DayView).appointments.map((a) => a.id).sort()).toEqual(['appt-1', 'appt-2', 'appt-5']);
    const unlinked: RequestContext = { user: 'someone', desk: 'room-1', role: 'clinician', clinicianId: null };
    expect(desk.dispatch('getDay', { date: DATE }, unlinked)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not linked') } });
    expect(code(desk.dispatch('addAppointmentNote', { appointmentId: 'appt-1', text: 'x' }, unlinked))).toBe('forbidden');
    // A receptionist named the same way is not narrowed: the scope is a clinician's only.
    const reception: RequestContext = { user: 'rx', desk: 'front', role: 'receptionist', clinicianId: CLINICIAN.clinicianId };
    const all = desk.dispatch('getDay', { date: DATE }, reception);
    expect(all.ok && (all.value as DayView).appointments.length).toBe(5);
  });
});
