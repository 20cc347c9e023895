/**
 * Booking a new appointment at the desk (issue 18 item 2): free slots by role, the booking journalled as
 * 'appointment.book', a slot never booked twice; and the practice's rule for changes while the clinical system is
 * up (item 1): warned by default, refused when a manager says so, enforced by the desk whatever the screen did.
 */
import { describe, expect, it } from 'vitest';
import { contract, ONLINE_REFUSAL, type AppointmentRow, type DeskSettings, type FreeSlot, type MirrorInfo, type OperationName } from '../../../shared/api';
import type { RequestContext } from '../../../electron/desk/dispatch';
import { FIXTURE_DATE, addTestAccounts } from '../../support/fixtures';
import { NEXT_DAY, openReceptionDesk } from './reception-fixture';

const ann = { user: 'ann.receptionist', desk: 'front-desk-1' };
type Desk = ReturnType<typeof openReceptionDesk>;

function call<T>(desk: Desk, name: OperationName, input: unknown, ctx: RequestContext = ann): T {
  const result = desk.dispatch(name, input, ctx);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  expect(contract[name].output.safeParse(result.value).success).toBe(true);
  return result.value as T;
}

const slotIds = (slots: FreeSlot[]) => slots.map((s) => s.slot.id);

describe('booking a new appointment', () => {
  it('offers free slots by role, books one for a patient who phoned, journals it, and never offers it again', () => {
    const desk = openReceptionDesk();
    desk.service.upstream.setMode('outage', desk.context, 'clinical system down');
    expect(slotIds(call(desk, 'findFreeSlots', { from: FIXTURE_DATE }))).toEqual(['slot-a-1100', 'slot-a-next-0900', 'slot-a-next-0910']);
    // The 08:45 nurse slot has started at 09:00: nothing of the nurse's is left, and no GP slot is a nurse's.
    expect(call<FreeSlot[]>(desk, 'findFreeSlots', { from: FIXTURE_DATE, role: 'nurse' })).toEqual([]);
    expect(slotIds(call(desk, 'findFreeSlots', { from: FIXTURE_DATE, role: 'gp', limit: 2 }))).toEqual(['slot-a-1100', 'slot-a-next-0900']);

    const booked = call<AppointmentRow>(desk, 'bookAppointment', { patientId: 'pat-3', slotId: 'slot-a-next-0900', type: 'telephone', reason: ' Blood results ' });
    expect(booked).toMatchObject({
      patientId: 'pat-3',
      clinicianId: 'clin-a',
      slotId: 'slot-a-next-0900',
      sessionId: 'sess-clin-a-next',
      type: 'telephone',
      status: 'booked',
      reason: 'Blood results',
      version: 1,
      upstreamVersion: null,
      patient: { id: 'pat-3' },
    });
    expect(booked.id).toMatch(/^desk-appt-/);
    expect(call<{ appointments: AppointmentRow[] }>(desk, 'getDay', { date: NEXT_DAY }).appointments.map((a) => a.id)).toContain(booked.id);
    const entry = desk.service.journal.list(0, 1000).at(-1);
    expect(entry).toMatchObject({
      op: 'appointment.book',
      entity: 'appointment',
      entityId: booked.id,
      user: ann.user,
      desk: ann.desk,
      before: null,
      after: { appointment: { id: booked.id, slotId: 'slot-a-next-0900' } },
    });
    expect(slotIds(call(desk, 'findFreeSlots', { from: FIXTURE_DATE }))).toEqual(['slot-a-1100', 'slot-a-next-0910']);
    desk.close();
  });

  it('refuses a slot already taken (a conflict naming who holds it), one not bookable, one started, and an unknown patient, changing nothing', () => {
    const desk = openReceptionDesk();
    desk.service.upstream.setMode('outage', desk.context, 'clinical system down');
    const first = call<AppointmentRow>(desk, 'bookAppointment', { patientId: 'pat-1', slotId: 'slot-a-1100' });
    const seq = desk.service.journal.lastSeq();
    expect(desk.dispatch('bookAppointment', { patientId: 'pat-2', slotId: 'slot-a-1100' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/11:00 slot .* has just been taken/), current: { id: first.id } },
    });
    expect(desk.dispatch('bookAppointment', { patientId: 'pat-2', slotId: 'slot-a-next-0920' }, ann)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(desk.dispatch('bookAppointment', { patientId: 'pat-2', slotId: 'slot-b-0845' }, ann)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(desk.dispatch('bookAppointment', { patientId: 'pat-nobody', slotId: 'slot-a-next-0910' }, ann)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(desk.service.journal.lastSeq()).toBe(seq);
    desk.close();
  });
});

describe('changes while the clinical system is up', () => {
  it('are allowed by default (the screen warns), refused once a manager says so, and allowed again in outage', () => {
    const desk = openReceptionDesk();
    expect(desk.service.mirrorInfo().mode).toBe('online');
    expect(call<DeskSettings>(desk, 'getDeskSettings', {})).toEqual({ onlineChanges: 'warn' });
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });

    expect(call<DeskSettings>(desk, 'setDeskSettings', { onlineChanges: 'refuse' })).toEqual({ onlineChanges: 'refuse' });
    expect(desk.service.audit.list({ kind: 'settings-changed' }).at(-1)).toMatchObject({
      detail: { setting: 'desk', from: { onlineChanges: 'warn' }, to: { onlineChanges: 'refuse' } },
    });
    const seq = desk.service.journal.lastSeq();
    const refusals = [
      desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 }, ann),
      desk.dispatch('bookAppointment', { patientId: 'pat-2', slotId: 'slot-a-1100' }, ann),
      desk.dispatch('registerWalkIn', { patient: { kind: 'existing', patientId: 'pat-5' }, triage: 'routine', assignTo: { kind: 'duty' }, despiteAppointmentToday: true }, ann),
      desk.dispatch('addAppointmentNote', { appointmentId: 'appt-2', text: 'phoned' }, ann),
      desk.dispatch('updatePatientContact', { patientId: 'pat-2', phone: '07700 900111' }, ann),
    ];
    for (const refused of refusals) expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: ONLINE_REFUSAL } });
    expect(desk.service.journal.lastSeq()).toBe(seq);
    // Reads still answer.
    call(desk, 'findFreeSlots', { from: FIXTURE_DATE });

    desk.service.upstream.setMode('outage', desk.context, 'clinical system down');
    call(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 });
    call(desk, 'bookAppointment', { patientId: 'pat-2', slotId: 'slot-a-1100' });
    desk.close();
  });

  it('is a manager’s to set, not a receptionist’s', () => {
    const desk = openReceptionDesk();
    const accounts = addTestAccounts(desk);
    const reception: RequestContext = { user: 'anonymous', desk: 'front-1', sessionId: 'reception-session' };
    expect(desk.dispatch('signIn', { username: accounts.receptionist.username, secret: accounts.receptionist.secret }, reception)).toMatchObject({ ok: true });
    expect(desk.dispatch('getDeskSettings', {}, reception)).toEqual({ ok: true, value: { onlineChanges: 'warn' } });
    expect(desk.dispatch('setDeskSettings', { onlineChanges: 'refuse' }, reception)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call<DeskSettings>(desk, 'getDeskSettings', {})).toEqual({ onlineChanges: 'warn' });
    desk.close();
  });
});

describe('outage since', () => {
  it('is when the desk went into outage, and is gone once it is back online', () => {
    const desk = openReceptionDesk();
    desk.at('08:05');
    expect(desk.service.mirrorInfo()).not.toHaveProperty('outageSince');
    call<MirrorInfo>(desk, 'setMode', { mode: 'outage', reason: 'EMIS down' });
    desk.at('09:30');
    // Asking again changes nothing, the time included.
    expect(call<MirrorInfo>(desk, 'setMode', { mode: 'outage', reason: 'still down' })).toMatchObject({
      mode: 'outage',
      outageSince: new Date(desk.clock.now.getTime() - 85 * 60_000).toISOString(),
    });
    expect(call<MirrorInfo>(desk, 'setMode', { mode: 'online', reason: 'EMIS back' })).not.toHaveProperty('outageSince');
    desk.close();
  });
});
