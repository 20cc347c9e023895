/**
 * A new appointment booked at the desk (issue 18) for a patient who phones or comes in: into a free slot the
 * mirror holds, taken as rebooking takes one (slotToTake: never a slot already taken), in one transaction with its
 * journal entry ('appointment.book', the whole appointment in `after`), which merge-back turns into a create with
 * the entry's id as its identifier (shared/merge/plan.ts), as it does for walk-ins and rebookings.
 */
import { NO_DESK_INFO } from '../../../shared/domain';
import { DeskError, type AppointmentRow, type BookAppointmentInput } from '../../../shared/api';
import type { Patient } from '../../../shared/domain';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { announce } from './change';
import { bookedInSlot, slotToTake } from './rebooking';

export function bookAppointment(deps: DeskDeps, input: BookAppointmentInput, ctx: RequestContext): AppointmentRow {
  const { db, mirror, journal } = deps;
  const result = db.transaction(() => {
    const patient = mirror.patient(input.patientId);
    if (!patient) throw new DeskError('not_found', `no patient with id "${input.patientId}"`);
    refuseIfDeceased(patient);
    const now = deps.clock().toISOString();
    const slot = slotToTake(deps, input.slotId, now);
    const reason = input.reason?.trim() ?? '';
    // The desk's own facts are as for any booked appointment: no ticket until check-in, no call. Its origin stays
    // 'upstream' (the stored origins are fixed by a CHECK); version 1 with no upstream version marks it the desk's.
    const booked = bookedInSlot(slot, { patientId: patient.id, type: input.type ?? 'face_to_face', reason: reason === '' ? null : reason, now, desk: NO_DESK_INFO });
    mirror.insertDeskAppointment(booked);
    const entry = journal.append({
      at: now,
      user: ctx.user,
      desk: ctx.desk,
      op: 'appointment.book',
      entity: 'appointment',
      entityId: booked.id,
      before: null,
      after: { appointment: booked },
      baseVersion: null,
    });
    const row = mirror.appointmentRow(booked.id);
    if (!row) throw new Error('the booked appointment just inserted cannot be read back');
    return { row, seq: entry.seq };
  });
  const { patient, ...appointment } = result.row;
  announce(deps, [{ before: null, after: appointment, patient }], result.seq, ctx);
  return result.row;
}

/**
 * The practice list says this patient has died (a date of death upstream): nobody is booked or registered in their
 * name. The person at the desk or on the phone is someone else (a relative with the same name, a mistaken
 * search), or the record is wrong: either way the clinical record has to be checked first, not the book changed.
 */
export function refuseIfDeceased(patient: Pick<Patient, 'givenName' | 'familyName' | 'deceased'>): void {
  if (patient.deceased !== true) return;
  throw new DeskError(
    'invalid_input',
    `${patient.givenName} ${patient.familyName} is recorded as deceased on the practice list: check who this is (register someone else as a new patient), or check the clinical record; nothing was booked`,
    { issues: [{ path: 'patientId', message: 'recorded as deceased on the practice list' }] },
  );
}

/** Whether the practice list records this patient as deceased (the patient's list facts: shared/domain). */
export function isRecordedDeceased(deps: Pick<DeskDeps, 'mirror'>, patientId: string): boolean {
  return deps.mirror.patient(patientId)?.deceased === true;
}
