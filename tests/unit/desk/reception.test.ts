import { describe, expect, it } from 'vitest';
import { contract, WalkInClash, type DeskEvent, type OperationName } from '../../../shared/api';
import { localToIso, REGISTERED_IN_ERROR, type Appointment } from '../../../shared/domain';
import { callbackListSheet, walkInRegisterSheet } from '../../../shared/sheets';
import { readSheetInput } from '../../../electron/desk/print';
import { FIXTURE_DATE, testNhsNumber } from '../../support/fixtures';
import { NEXT_DAY, openReceptionDesk } from './reception-fixture';

const ann = { user: 'ann.receptionist', desk: 'front-desk-1' };
const bob = { user: 'bob.receptionist', desk: 'front-desk-2' };

type Desk = ReturnType<typeof openReceptionDesk>;

/** Calls through the dispatcher (contract parse included) and returns the value, failing the test otherwise. */
function ok<T = unknown>(desk: Desk, name: OperationName, input: unknown, ctx = ann): T {
  const result = desk.dispatch(name, input, ctx);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  const parsed = contract[name].output.safeParse(result.value);
  if (!parsed.success) throw new Error(`${name} answered outside its contract: ${parsed.error.message}`);
  return result.value as T;
}

function appointment(desk: Desk, id: string): Appointment {
  const a = desk.service.mirror.appointment(id);
  if (!a) throw new Error(`no ${id}`);
  return a;
}

/** Every event the desk sends from now on. */
function eventsOf(desk: Desk): DeskEvent[] {
  const events: DeskEvent[] = [];
  desk.onEvent((e) => events.push(e));
  return events;
}

function watchedDesk(): { desk: Desk; events: DeskEvent[] } {
  const desk = openReceptionDesk();
  return { desk, events: eventsOf(desk) };
}

const entriesAfter = (desk: Desk, seq: number) => desk.service.journal.list(seq, 1000);

describe('status changes: tickets and calls', () => {
  it('gives a ticket at check-in, counting up through the day, and marks how each patient was called', () => {
    const desk = openReceptionDesk();
    const one = ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    const two = ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'late', expectedVersion: 0 });
    expect(one.desk).toMatchObject({ ticket: 1, call: null, origin: 'upstream' });
    expect(two.desk?.ticket).toBe(2);
    const sent = ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'sent_in', expectedVersion: 1 });
    expect(sent.desk).toMatchObject({ ticket: 1, call: 'display' });
    const quiet = ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'quiet_sent_in', expectedVersion: 1 });
    expect(quiet.desk).toMatchObject({ ticket: 2, call: 'quiet' });
    // Called straight from the book (a telephone-first patient walking in): the ticket comes with the call. The
    // 08:30 patient is still with the same clinician, so only once the person confirms.
    const refused = desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'sent_in', expectedVersion: 0 }, ann);
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict', current: { stillWithClinician: [{ id: 'appt-1', status: 'sent_in' }] } } });
    expect(appointment(desk, 'appt-2')).toMatchObject({ status: 'booked', version: 0 });
    const direct = ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'sent_in', expectedVersion: 0, despiteStillWithClinician: true });
    expect(direct.desk).toMatchObject({ ticket: 3, call: 'display' });
    expect(desk.service.journal.list().at(-1)).toMatchObject({ before: { ticket: null, call: null }, after: { ticket: 3, call: 'display' } });
    desk.close();
  });

  it('leaves a record the desk never touched exactly as pulled (no desk field)', () => {
    const desk = openReceptionDesk();
    const day = desk.service.getDay(FIXTURE_DATE, null);
    expect(day.appointments.every((a) => a.desk === undefined && a.patient.desk === undefined)).toBe(true);
    expect(day.dutyClinicianId).toBe('clin-a');
    desk.close();
  });
});

describe('undo', () => {
  it("puts back the exact state before the appointment's last change, as its own journal entry", () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 });
    const arrived = appointment(desk, 'appt-2');
    desk.at('09:05');
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'sent_in', expectedVersion: 1 });
    const seq = desk.service.journal.lastSeq();
    const undone = ok<Appointment>(desk, 'undoLastChange', { appointmentId: 'appt-2', expectedVersion: 2 }, bob);
    expect(undone).toMatchObject({ status: 'arrived', arrivedAt: arrived.arrivedAt, sentInAt: null, version: 3, desk: { ticket: 1, call: null } });
    const [entry, ...rest] = entriesAfter(desk, seq);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      op: 'appointment.undo',
      user: bob.user,
      desk: bob.desk,
      entityId: 'appt-2',
      before: { status: 'sent_in', version: 2 },
      after: { status: 'arrived', version: 3, undoes: { seq, op: 'appointment.setStatus', by: ann.user } },
    });
    // Undoing the undo is a redo: the call comes back, with the time it was first made.
    const redone = ok<Appointment>(desk, 'undoLastChange', { appointmentId: 'appt-2', expectedVersion: 3 });
    expect(redone).toMatchObject({ status: 'sent_in', sentInAt: localToIso(FIXTURE_DATE, '09:05'), version: 4, desk: { call: 'display' } });
    expect(desk.service.journal.verify().ok).toBe(true);
    desk.close();
  });

  it('takes the ticket back with an undone check-in, and restores a DNA to booked', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    const undone = ok<Appointment>(desk, 'undoLastChange', { appointmentId: 'appt-1', expectedVersion: 1 });
    expect(undone).toMatchObject({ status: 'booked', arrivedAt: null, version: 2 });
    // Nothing of the desk's own is left on it: it reads as pulled again (but for its version).
    expect(undone.desk).toBeUndefined();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-5', status: 'dna', expectedVersion: 0 });
    expect(ok<Appointment>(desk, 'undoLastChange', { appointmentId: 'appt-5', expectedVersion: 1 })).toMatchObject({ status: 'booked', version: 2 });
    desk.close();
  });

  it('refuses clearly when another desk changed it since, or when there is nothing to undo, and changes nothing', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'dna', expectedVersion: 0 }, ann);
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 1 }, bob);
    const entries = desk.service.journal.summary().entries;
    // Ann still sees version 1 (her DNA): her undo must not undo Bob's check-in.
    expect(desk.dispatch('undoLastChange', { appointmentId: 'appt-1', expectedVersion: 1 }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/nothing was undone: another desk changed/), current: { status: 'arrived', version: 2 } },
    });
    expect(desk.dispatch('undoLastChange', { appointmentId: 'appt-2', expectedVersion: 0 }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition', message: expect.stringMatching(/nothing to undo/) },
    });
    expect(desk.dispatch('undoLastChange', { appointmentId: 'nope', expectedVersion: 0 }, ann)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(desk.service.journal.summary().entries).toBe(entries);
    expect(appointment(desk, 'appt-1')).toMatchObject({ status: 'arrived', version: 2 });
    desk.close();
  });

  it('will not undo a cancellation whose slot has been given to someone else since', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'cancelled', reason: 'Phoned', expectedVersion: 0 });
    // The cancellation frees the 08:40 slot at the desk (upstream still says busy); another patient is moved into it.
    desk.at('08:00');
    expect(ok<Array<{ slot: { id: string } }>>(desk, 'findFreeSlots', { from: FIXTURE_DATE, to: FIXTURE_DATE }).map((s) => s.slot.id)).toContain('slot-a-0840');
    ok(desk, 'rebookAppointment', { appointmentId: 'appt-4', expectedVersion: 0, slotId: 'slot-a-0840' });
    expect(desk.dispatch('undoLastChange', { appointmentId: 'appt-2', expectedVersion: 1 }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/slot at 08:40 has been booked for another patient/) },
    });
    expect(appointment(desk, 'appt-2').status).toBe('cancelled');
    desk.close();
  });

  it('does not undo a rebooking, and says what to do instead', () => {
    const desk = openReceptionDesk();
    const { booked } = ok<{ booked: Appointment }>(desk, 'rebookAppointment', { appointmentId: 'appt-4', expectedVersion: 0, slotId: 'slot-a-next-0900' });
    expect(desk.dispatch('undoLastChange', { appointmentId: 'appt-4', expectedVersion: 1 }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition', message: expect.stringMatching(/rebooking; cancel the new appointment/) },
    });
    expect(desk.dispatch('undoLastChange', { appointmentId: booked.id, expectedVersion: 1 }, ann)).toMatchObject({ ok: false, error: { code: 'forbidden_transition' } });
    desk.close();
  });
});

describe("a session's remaining no-shows", () => {
  it('marks exactly the confirmed list DNA in one transaction, one journal entry each with a shared batch id', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    const events = eventsOf(desk);
    const seq = desk.service.journal.lastSeq();
    desk.at('12:05');
    const result = ok<{ batchId: string; appointments: Appointment[] }>(desk, 'markSessionDna', {
      sessionId: 'sess-clin-a',
      appointments: [
        { appointmentId: 'appt-2', expectedVersion: 0 },
        { appointmentId: 'appt-5', expectedVersion: 0 },
      ],
    });
    expect(result.appointments.map((a) => [a.id, a.status, a.version])).toEqual([
      ['appt-2', 'dna', 1],
      ['appt-5', 'dna', 1],
    ]);
    const entries = entriesAfter(desk, seq);
    expect(entries.map((e) => [e.op, e.entityId, e.user])).toEqual([
      ['appointment.setStatus', 'appt-2', ann.user],
      ['appointment.setStatus', 'appt-5', ann.user],
    ]);
    for (const e of entries) expect(e.after).toMatchObject({ status: 'dna', batch: { id: result.batchId, kind: 'session-dna', size: 2 } });
    expect(events.map((e) => e.kind)).toEqual(['appointment.changed', 'appointment.changed']);
    // Each can be undone on its own.
    expect(ok<Appointment>(desk, 'undoLastChange', { appointmentId: 'appt-5', expectedVersion: 1 }).status).toBe('booked');
    desk.close();
  });

  it('marks nobody when one of them changed since the list was shown', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-5', status: 'arrived', expectedVersion: 0 }, bob);
    const before = desk.service.journal.summary().entries;
    const result = desk.dispatch(
      'markSessionDna',
      {
        sessionId: 'sess-clin-a',
        appointments: [
          { appointmentId: 'appt-2', expectedVersion: 0 },
          { appointmentId: 'appt-5', expectedVersion: 0 },
        ],
      },
      ann,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/09:00 appointment changed.*now Arrived.*nobody was marked DNA/) } });
    expect(appointment(desk, 'appt-2')).toMatchObject({ status: 'booked', version: 0 });
    expect(desk.service.journal.summary().entries).toBe(before);
    expect(desk.dispatch('markSessionDna', { sessionId: 'sess-clin-b', appointments: [{ appointmentId: 'appt-2', expectedVersion: 0 }] }, ann)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(desk.dispatch('markSessionDna', { sessionId: 'sess-clin-a', appointments: [] }, ann)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    desk.close();
  });
});

describe('walk-ins', () => {
  it('registers a mirror patient in seconds: in the queue at once, on the duty list, with a ticket, journalled once', () => {
    const { desk, events } = watchedDesk();
    const seq = desk.service.journal.lastSeq();
    const { appointment: walkIn, patient } = ok<{ appointment: Appointment & { patient: { id: string } }; patient: { id: string } }>(desk, 'registerWalkIn', {
      patient: { kind: 'existing', patientId: 'pat-2' },
      triage: 'urgent_today',
      reason: 'Chest infection, worse today',
      assignTo: { kind: 'duty' },
      // Booked at 08:40 too: the receptionist has seen that and confirms a walk-in (refused otherwise, below).
      despiteAppointmentToday: true,
    });
    expect(patient.id).toBe('pat-2');
    expect(walkIn).toMatchObject({
      patientId: 'pat-2',
      clinicianId: 'clin-a',
      sessionId: 'sess-clin-a',
      status: 'arrived',
      fhirStatus: 'arrived',
      arrivedAt: localToIso(FIXTURE_DATE, '09:00'),
      start: localToIso(FIXTURE_DATE, '09:00'),
      version: 1,
      upstreamVersion: null,
      reason: 'Chest infection, worse today',
      desk: { origin: 'walk_in', triage: 'urgent_today', dutyList: true, ticket: 1 },
      patient: { id: 'pat-2' },
    });
    expect(walkIn.id).toMatch(/^desk-appt-/);
    expect(entriesAfter(desk, seq)).toEqual([
      expect.objectContaining({ op: 'appointment.walkIn', entityId: walkIn.id, user: ann.user, before: null, after: expect.objectContaining({ newPatient: null }) }),
    ]);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'appointment.changed', appointment: expect.objectContaining({ id: walkIn.id }), patient: expect.objectContaining({ id: 'pat-2' }) }),
    ]);
    expect(desk.service.getDay(FIXTURE_DATE, null).appointments.map((a) => a.id)).toContain(walkIn.id);
    desk.close();
  });

  it('registers a new patient: NHS number checked (invalid is flagged, not refused), marked local, temporary resident kept', () => {
    const desk = openReceptionDesk();
    const valid = testNhsNumber(777);
    const invalid = `${valid.slice(0, 9)}${(Number(valid[9]) + 1) % 10}`;
    const result = ok<{ appointment: { patient: Record<string, unknown>; clinicianId: string; desk: unknown } }>(desk, 'registerWalkIn', {
      patient: {
        kind: 'new',
        details: {
          familyName: 'Kowalska',
          givenName: 'Ewa',
          dateOfBirth: '1990-05-04',
          phone: '07700 900777',
          nhsNumber: invalid.replace(/(\d{3})(\d{3})/, '$1 $2 '),
          temporaryResident: true,
        },
      },
      triage: 'same_day',
      assignTo: { kind: 'clinician', clinicianId: 'clin-b' },
    });
    expect(result.appointment.clinicianId).toBe('clin-b');
    expect(result.appointment.desk).toMatchObject({ dutyList: false, triage: 'same_day' });
    expect(result.appointment.patient).toMatchObject({
      familyName: 'Kowalska',
      nhsNumber: invalid,
      nhsNumberStatus: 'invalid',
      temporaryResident: true,
      desk: { origin: 'desk' },
    });
    expect(result.appointment.patient['id']).toMatch(/^desk-pat-/);
    expect(desk.service.searchPatients('kowal', FIXTURE_DATE, 5).map((h) => h.patient.familyName)).toEqual(['Kowalska']);
    expect(desk.service.journal.list().at(-1)?.after).toMatchObject({ newPatient: { familyName: 'Kowalska' } });
    desk.close();
  });

  it('refuses a second record for an NHS number the mirror has, naming who has it; and a future DOB', () => {
    const desk = openReceptionDesk();
    const taken = desk.service.mirror.patient('pat-1')?.nhsNumber ?? '';
    const entries = desk.service.journal.summary().entries;
    const details = { familyName: 'OBrien', givenName: 'S', dateOfBirth: '1984-03-02', nhsNumber: taken, temporaryResident: false };
    expect(desk.dispatch('registerWalkIn', { patient: { kind: 'new', details }, triage: 'routine', assignTo: { kind: 'duty' } }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/already O'BRIEN, Siobhán \(born 02\/03\/1984\)/), current: { id: 'pat-1' } },
    });
    expect(
      desk.dispatch(
        'registerWalkIn',
        { patient: { kind: 'new', details: { ...details, nhsNumber: undefined, dateOfBirth: '2030-01-01' } }, triage: 'routine', assignTo: { kind: 'duty' } },
        ann,
      ),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(desk.service.journal.summary().entries).toBe(entries);
    desk.close();
  });

  it('signposts elsewhere without queueing or storing a new patient, but journals it', () => {
    const desk = openReceptionDesk();
    const before = desk.service.mirror.counts();
    const result = ok<{ appointment: null }>(desk, 'registerWalkIn', {
      patient: { kind: 'new', details: { familyName: 'Visitor', givenName: 'Vic', dateOfBirth: '2000-01-01', temporaryResident: true } },
      triage: 'signposted',
      signpostedTo: 'Community pharmacy',
      assignTo: { kind: 'duty' },
    });
    expect(result.appointment).toBeNull();
    expect(desk.service.mirror.counts()).toEqual(before);
    expect(desk.service.journal.list().at(-1)).toMatchObject({ op: 'walkIn.signpost', after: { signpostedTo: 'Community pharmacy', patient: { familyName: 'Visitor' } } });
    desk.close();
  });
});

describe('one patient, one place in the queue (issue 14 item 10, hazard H2)', () => {
  const walkInOf = (patientId: string, extra: Record<string, unknown> = {}) => ({
    patient: { kind: 'existing', patientId },
    triage: 'same_day',
    assignTo: { kind: 'duty' },
    ...extra,
  });
  type WalkIn = { appointment: Appointment };

  it('refuses a walk-in for a patient booked or arrived today, naming the appointment, and changes nothing', () => {
    const desk = openReceptionDesk();
    const seq = desk.service.journal.lastSeq();
    const dayBefore = desk.service.getDay(FIXTURE_DATE, null).appointments.length;
    const refused = desk.dispatch('registerWalkIn', walkInOf('pat-2'), ann);
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/MÜLLER, Zoë already has an appointment today, 08:40 with Dr Asha Patel \(Booked\)/) },
    });
    if (refused.ok) throw new Error('registered');
    const clash = WalkInClash.parse(refused.error.current);
    expect(clash.appointmentsToday).toEqual([
      expect.objectContaining({ clinicianName: 'Dr Asha Patel', appointment: expect.objectContaining({ id: 'appt-2', status: 'booked' }) }),
    ]);
    expect(desk.service.journal.lastSeq()).toBe(seq);
    expect(desk.service.getDay(FIXTURE_DATE, null).appointments).toHaveLength(dayBefore);
    // Checked in on that appointment: still refused, and the refusal says they are here.
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 });
    expect(desk.dispatch('registerWalkIn', walkInOf('pat-2'), ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/08:40 with Dr Asha Patel \(Arrived\)/) },
    });
    // The ticket refused registrations did not use: the check-in had 1, the confirmed walk-in gets 2.
    const confirmed = ok<WalkIn>(desk, 'registerWalkIn', walkInOf('pat-2', { despiteAppointmentToday: true }));
    expect(confirmed.appointment.desk?.ticket).toBe(2);
    // A walk-in already in the queue is an appointment today too: a second one is refused.
    expect(desk.dispatch('registerWalkIn', walkInOf('pat-2', { triage: 'urgent_today' }), ann)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    desk.close();
  });

  it('registers a patient whose only appointment today is cancelled, and never checks a signposted patient', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'cancelled', expectedVersion: 0, reason: 'Patient cancelled' });
    expect(ok<WalkIn>(desk, 'registerWalkIn', walkInOf('pat-3')).appointment.status).toBe('arrived');
    expect(ok<{ appointment: null }>(desk, 'registerWalkIn', walkInOf('pat-1', { triage: 'signposted', signpostedTo: 'Pharmacy' })).appointment).toBeNull();
    desk.close();
  });

  it('undoes a registration made by mistake: entered in error, and then counted nowhere', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setMode', { mode: 'outage' });
    const { appointment: walkIn } = ok<WalkIn>(desk, 'registerWalkIn', walkInOf('pat-2', { despiteAppointmentToday: true }));
    const seq = desk.service.journal.lastSeq();
    desk.at('09:02');
    const undone = ok<Appointment>(desk, 'undoLastChange', { appointmentId: walkIn.id, expectedVersion: 1 });
    expect(undone).toMatchObject({ status: 'cancelled', fhirStatus: 'entered-in-error', cancelReason: REGISTERED_IN_ERROR, version: 2, desk: { origin: 'walk_in', ticket: 1 } });
    expect(entriesAfter(desk, seq)).toEqual([
      expect.objectContaining({
        op: 'appointment.undo',
        entityId: walkIn.id,
        after: expect.objectContaining({ fhirStatus: 'entered-in-error', undoes: expect.objectContaining({ op: 'appointment.walkIn' }) }),
      }),
    ]);
    // Not in the day (so not in the queue), the walk-in register, the callback list or the impact figures.
    expect(desk.service.getDay(FIXTURE_DATE, null).appointments.map((a) => a.id)).not.toContain(walkIn.id);
    const sheets = readSheetInput(desk.service, FIXTURE_DATE, desk.clock.now);
    expect(walkInRegisterSheet(sheets).registered).toBe(0);
    expect(callbackListSheet(sheets).sections.flatMap((x) => x.rows.map((r) => r.appointmentId))).not.toContain(walkIn.id);
    expect(ok<Array<{ appointment: { id: string } }>>(desk, 'getCallbackList', {}).map((c) => c.appointment.id)).not.toContain(walkIn.id);
    // Nor as a cancellation: taking it back is not the desk cancelling someone's visit.
    expect(desk.service.merge.impact()).toMatchObject({ walkIns: 0, cancelled: 0 });
    // Not merged back: the walk-in is nothing to create.
    expect(desk.service.merge.plan().items.find((i) => i.appointmentId === walkIn.id)).toMatchObject({
      class: 'already',
      write: null,
      reason: expect.stringMatching(/registered in error/),
    });
    // It stays taken back, and its ticket is not handed out again.
    expect(desk.dispatch('undoLastChange', { appointmentId: walkIn.id, expectedVersion: 2 }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition', message: expect.stringMatching(/registered in error/) },
    });
    expect(ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }).desk?.ticket).toBe(2);
    desk.close();
  });

  it('cancels a walk-in as registered in error until they are seen, off the display; only a walk-in, only as last seen', () => {
    const desk = openReceptionDesk();
    const { appointment: walkIn } = ok<WalkIn>(desk, 'registerWalkIn', walkInOf('pat-2', { despiteAppointmentToday: true }));
    ok(desk, 'setAppointmentStatus', { appointmentId: walkIn.id, status: 'sent_in', expectedVersion: 1 });
    expect(ok<{ calls: unknown[] }>(desk, 'getDisplayBoard', {}).calls).toHaveLength(1);
    expect(desk.dispatch('cancelWalkInInError', { appointmentId: walkIn.id, expectedVersion: 1 }, bob)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const seq = desk.service.journal.lastSeq();
    const taken = ok<Appointment>(desk, 'cancelWalkInInError', { appointmentId: walkIn.id, expectedVersion: 2 }, bob);
    expect(taken).toMatchObject({ status: 'cancelled', fhirStatus: 'entered-in-error', cancelReason: REGISTERED_IN_ERROR, desk: { call: null } });
    expect(entriesAfter(desk, seq)).toEqual([
      expect.objectContaining({ op: 'appointment.setStatus', user: bob.user, after: expect.objectContaining({ reason: REGISTERED_IN_ERROR, fhirStatus: 'entered-in-error' }) }),
    ]);
    expect(ok<{ calls: unknown[] }>(desk, 'getDisplayBoard', {}).calls).toHaveLength(0);
    // A booked appointment is cancelled, not taken back; a walk-in seen is on the record.
    expect(desk.dispatch('cancelWalkInInError', { appointmentId: 'appt-1', expectedVersion: 0 }, ann)).toMatchObject({ ok: false, error: { code: 'forbidden_transition' } });
    const { appointment: seen } = ok<WalkIn>(desk, 'registerWalkIn', walkInOf('pat-2', { despiteAppointmentToday: true }));
    ok(desk, 'setAppointmentStatus', { appointmentId: seen.id, status: 'seen', expectedVersion: 1 });
    const before = desk.service.journal.lastSeq();
    expect(desk.dispatch('cancelWalkInInError', { appointmentId: seen.id, expectedVersion: 2 }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition', message: expect.stringMatching(/Seen/) },
    });
    expect(desk.service.journal.lastSeq()).toBe(before);
    expect(appointment(desk, seen.id).status).toBe('seen');
    desk.close();
  });
});

describe('rebooking and the callback list', () => {
  it('lists free slots from a day on: free upstream, not taken at the desk, not started', () => {
    const desk = openReceptionDesk();
    desk.at('09:30');
    const slots = ok<Array<{ slot: { id: string }; clinician: { name: string }; room: string | null }>>(desk, 'findFreeSlots', { from: FIXTURE_DATE });
    // 08:45 has started; 09:20 tomorrow is busy-unavailable.
    expect(slots.map((s) => s.slot.id)).toEqual(['slot-a-1100', 'slot-a-next-0900', 'slot-a-next-0910']);
    expect(slots[0]).toMatchObject({ clinician: { name: 'Dr Asha Patel' }, room: 'Room 1' });
    expect(ok<unknown[]>(desk, 'findFreeSlots', { from: NEXT_DAY, clinicianId: 'clin-b' })).toEqual([]);
    desk.close();
  });

  it('offers no slot that rebooking would refuse as started: at 11:00 sharp, the 11:00 slot has started', () => {
    const desk = openReceptionDesk();
    desk.at('10:59');
    expect(ok<Array<{ slot: { id: string } }>>(desk, 'findFreeSlots', { from: FIXTURE_DATE, to: FIXTURE_DATE }).map((s) => s.slot.id)).toEqual(['slot-a-1100']);
    desk.at('11:00');
    expect(ok<unknown[]>(desk, 'findFreeSlots', { from: FIXTURE_DATE, to: FIXTURE_DATE })).toEqual([]);
    expect(desk.dispatch('rebookAppointment', { appointmentId: 'appt-2', expectedVersion: 0, slotId: 'slot-a-1100' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/already started/) },
    });
    desk.close();
  });

  it('cancels and rebooks to tomorrow: the slot is taken, the old one leaves the callback list, one journal entry', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-5', status: 'cancelled', reason: 'Patient unwell', expectedVersion: 0 });
    const callbacks = () => ok<Array<{ appointment: { id: string } }>>(desk, 'getCallbackList', {}).map((c) => c.appointment.id);
    expect(callbacks()).toEqual(['appt-4', 'appt-5']); // both pat-4 (anticoagulation): by time
    const seq = desk.service.journal.lastSeq();
    const events = eventsOf(desk);
    const { cancelled, booked } = ok<{ cancelled: Appointment; booked: Appointment & { patient: { id: string } } }>(desk, 'rebookAppointment', {
      appointmentId: 'appt-5',
      expectedVersion: 1,
      slotId: 'slot-a-next-0900',
    });
    expect(cancelled).toMatchObject({ id: 'appt-5', status: 'cancelled', cancelReason: 'Patient unwell', version: 2, desk: { rebookedTo: booked.id } });
    expect(booked).toMatchObject({
      patientId: 'pat-4',
      clinicianId: 'clin-a',
      sessionId: 'sess-clin-a-next',
      slotId: 'slot-a-next-0900',
      start: localToIso(NEXT_DAY, '09:00'),
      status: 'booked',
      version: 1,
      upstreamVersion: null,
      desk: { origin: 'rebooked', rebookedFrom: 'appt-5' },
      patient: { id: 'pat-4' },
    });
    expect(entriesAfter(desk, seq)).toEqual([expect.objectContaining({ op: 'appointment.rebook', entityId: 'appt-5', after: expect.objectContaining({ rebookedTo: booked.id }) })]);
    expect(events.map((e) => (e.kind === 'appointment.changed' ? [e.appointment.id, e.patient?.id ?? null] : e.kind))).toEqual([
      ['appt-5', null],
      [booked.id, 'pat-4'],
    ]);
    expect(callbacks()).toEqual(['appt-4']);
    expect(ok<Array<{ slot: { id: string } }>>(desk, 'findFreeSlots', { from: NEXT_DAY }).map((s) => s.slot.id)).toEqual(['slot-a-next-0910']);
    expect(desk.service.getDay(NEXT_DAY, null).appointments.map((a) => a.id)).toEqual([booked.id]);
    desk.close();
  });

  it('moves a booked appointment (cancelling it with a reason), and refuses a taken slot or a second rebooking', () => {
    const desk = openReceptionDesk();
    const moved = ok<{ cancelled: Appointment }>(desk, 'rebookAppointment', { appointmentId: 'appt-2', expectedVersion: 0, slotId: 'slot-a-next-0910' });
    expect(moved.cancelled).toMatchObject({ status: 'cancelled', cancelReason: `Rebooked to 21/07/2026 09:10` });
    expect(desk.dispatch('rebookAppointment', { appointmentId: 'appt-4', expectedVersion: 0, slotId: 'slot-a-next-0910' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/09:10 slot on 21\/07\/2026 has just been taken/) },
    });
    expect(desk.dispatch('rebookAppointment', { appointmentId: 'appt-4', expectedVersion: 0, slotId: 'slot-a-next-0920' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(desk.dispatch('rebookAppointment', { appointmentId: 'appt-2', expectedVersion: 1, slotId: 'slot-a-next-0900' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/already been rebooked/) },
    });
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    expect(desk.dispatch('rebookAppointment', { appointmentId: 'appt-1', expectedVersion: 1, slotId: 'slot-a-next-0900' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition' },
    });
    desk.close();
  });

  it('puts time-sensitive patients first on the callback list, with phone numbers and their other bookings', () => {
    const desk = openReceptionDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'dna', expectedVersion: 0 }); // pat-2: no flags, 08:40
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'dna', expectedVersion: 0 }); // pat-1: suspected cancer, 08:30
    const list = ok<Array<{ appointment: { id: string; patient: { phone: string | null } }; clinicianName: string; alsoBooked: Array<{ appointmentId: string }> }>>(
      desk,
      'getCallbackList',
      { from: FIXTURE_DATE, to: FIXTURE_DATE },
    );
    expect(list.map((c) => c.appointment.id)).toEqual(['appt-1', 'appt-4', 'appt-2']);
    expect(list[0]).toMatchObject({ clinicianName: 'Dr Asha Patel', appointment: { patient: { phone: '07700 900101' } } });
    expect(list[1]?.alsoBooked.map((b) => b.appointmentId)).toEqual(['appt-5']);
    desk.close();
  });
});

describe('the waiting-room display', () => {
  it('shows the latest calls as ticket or initials and room, never a quiet send in, and nothing identifying', () => {
    const { desk, events } = watchedDesk();
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived', expectedVersion: 0 });
    expect(events.filter((e) => e.kind === 'display.changed')).toEqual([]);
    desk.at('09:02');
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'sent_in', expectedVersion: 1 });
    desk.at('09:03');
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'quiet_sent_in', expectedVersion: 1 });
    expect(events.filter((e) => e.kind === 'display.changed')).toHaveLength(1);
    const board = ok<Record<string, unknown>>(desk, 'getDisplayBoard', {});
    expect(board).toEqual({
      practiceName: 'Test Street Surgery',
      date: FIXTURE_DATE,
      show: 'ticket',
      area: null,
      sound: { chime: true, speak: false, voice: null, rate: 0.9 },
      calls: [{ key: expect.any(String), label: 'Ticket 1', room: 'Room 1', calledAt: localToIso(FIXTURE_DATE, '09:02'), spoken: 'Ticket 1, please go to Room 1' }],
    });
    const json = JSON.stringify(board);
    for (const secret of ["O'Brien", 'Siobh', 'pat-1', 'appt-1', '1984', desk.service.mirror.patient('pat-1')?.nhsNumber ?? 'x']) expect(json).not.toContain(secret);
    const settings = ok<{ settings: Record<string, unknown> }>(desk, 'getRoomSettings', {}).settings;
    ok(desk, 'setRoomSettings', { ...settings, display: { ...(settings['display'] as object), show: 'first-name-initial' } });
    const named = ok<{ calls: Array<{ label: string; spoken: string }> }>(desk, 'getDisplayBoard', {}).calls;
    expect(named.map((c) => [c.label, c.spoken])).toEqual([['Siobhán O', 'Siobhán O, please go to Room 1']]);
    expect(JSON.stringify(named)).not.toContain("O'Brien");
    // Undoing the call takes it off the board, and the display is told.
    ok(desk, 'undoLastChange', { appointmentId: 'appt-1', expectedVersion: 2 });
    expect(events.filter((e) => e.kind === 'display.changed')).toHaveLength(2);
    expect(ok<{ calls: unknown[] }>(desk, 'getDisplayBoard', {}).calls).toEqual([]);
    desk.close();
  });
});

describe('the header', () => {
  it("counts the receptionists' changes, not loads or mode switches, and says who is acting", () => {
    const desk = openReceptionDesk();
    ok(desk, 'setMode', { mode: 'outage' });
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    ok(desk, 'registerWalkIn', { patient: { kind: 'existing', patientId: 'pat-2' }, triage: 'routine', assignTo: { kind: 'duty' }, despiteAppointmentToday: true });
    const status = desk.service.getMirrorStatus();
    expect(status.journal).toMatchObject({ entries: 4, deskChanges: 2 });
    expect(ok(desk, 'getSession', {}, bob)).toMatchObject(bob);
    desk.close();
  });
});
