/**
 * Walk-ins: registered at the desk (a mirror patient or a new one), queued on the duty list or a chosen
 * clinician's, or signposted elsewhere; and taken back when registered by mistake. Each is one transaction with
 * its journal entry; a walk-in carries version 1 and no upstream version, and a new patient is marked local, so
 * a refresh keeps both (electron/desk/refresh.ts).
 */
import { refuseIfDeceased } from './booking';
import { randomUUID } from 'node:crypto';
import {
  appointmentsTodayBlockingWalkIn,
  canCancelWalkInInError,
  DESK_STATUS_LABEL,
  formatUkDate,
  localDateOf,
  localTimeOf,
  NO_DESK_INFO,
  REGISTERED_IN_ERROR,
  withListFacts,
  withNhsNumberStatus,
  type Appointment,
  type Patient,
} from '../../../shared/domain';
import { DeskError, type AppointmentRow, type AppointmentToday, type WalkInClash, type WalkInInput } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { sql, type Db } from '../store/sql';
import { announce, appointmentAt, journalAppointmentChange, withDesk, type AppointmentChange } from './change';

/** How long a walk-in is booked for on the clinician's list: one GP slot. */
const WALK_IN_MINUTES = 10;

/** The duty clinician for a day: the GP whose first session that day starts earliest (then by name). */
export function dutyClinicianFor(db: Db, date: string): string | null {
  return (
    db.get<{ id: string }>(sql`
      SELECT c.id FROM clinician c JOIN session s ON s.clinician_id = c.id
      WHERE s.date = ${date} AND c.role = 'gp' ORDER BY s.start, c.name, c.id LIMIT 1`)?.id ?? null
  );
}

/** A new patient from the walk-in form, refused when the NHS number is already a mirror patient's. */
function newPatient(deps: DeskDeps, d: Extract<WalkInInput['patient'], { kind: 'new' }>['details'], today: string): Patient {
  if (d.dateOfBirth > today) {
    throw new DeskError('invalid_input', 'dateOfBirth: the date of birth is in the future', {
      issues: [{ path: 'patient.details.dateOfBirth', message: 'in the future' }],
    });
  }
  const patient: Patient = withListFacts(
    {
      ...withNhsNumberStatus({ nhsNumber: d.nhsNumber ?? null }),
      id: `desk-pat-${randomUUID()}`,
      familyName: d.familyName,
      givenName: d.givenName,
      dateOfBirth: d.dateOfBirth,
      sex: d.sex ?? 'unknown',
      phone: d.phone ? d.phone : null,
      flags: [],
      desk: { origin: 'desk' as const },
    },
    { deceased: false, temporaryResident: d.temporaryResident, address: null },
  );
  if (patient.nhsNumberStatus === 'valid' && patient.nhsNumber !== null) {
    // The wrong-patient hazard's twin: two records for one person. Use the one the mirror has.
    const same = deps.mirror.patientsByNhsNumber(patient.nhsNumber)[0];
    if (same) {
      throw new DeskError(
        'conflict',
        `NHS number ${patient.nhsNumber} is already ${same.familyName.toUpperCase()}, ${same.givenName}` +
          `${same.dateOfBirth ? ` (born ${formatUkDate(same.dateOfBirth)})` : ''} in the mirror: choose that patient instead`,
        { current: same },
      );
    }
  }
  return patient;
}

export function registerWalkIn(deps: DeskDeps, input: WalkInInput, ctx: RequestContext): { patient: Patient; appointment: AppointmentRow | null } {
  const { db, mirror, journal } = deps;
  const result = db.transaction(() => {
    const nowDate = deps.clock();
    const now = nowDate.toISOString();
    const today = localDateOf(nowDate);
    let patient: Patient;
    let isNew = false;
    if (input.patient.kind === 'existing') {
      const found = mirror.patient(input.patient.patientId);
      if (!found) throw new DeskError('not_found', `no patient with id "${input.patient.patientId}"`);
      refuseIfDeceased(found);
      patient = found;
    } else {
      patient = newPatient(deps, input.patient.details, today);
      isNew = true;
    }

    if (input.triage === 'signposted') {
      // Not queued and not booked: the journal records that they came and where they were sent.
      const entry = journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: 'walkIn.signpost',
        entity: 'patient',
        entityId: isNew ? null : patient.id,
        before: null,
        after: {
          triage: input.triage,
          signpostedTo: input.signpostedTo ?? null,
          reason: input.reason ?? null,
          patient: isNew ? patient : { id: patient.id },
        },
        baseVersion: null,
      });
      return { patient, row: null, seq: entry.seq };
    }

    if (!isNew && input.despiteAppointmentToday !== true) {
      // One patient, one place in the queue: already booked (or here) today, they are checked in on that.
      const clash = appointmentsTodayBlockingWalkIn(mirror.appointmentsOfPatientOn(patient.id, today));
      if (clash.length > 0) {
        const appointmentsToday: AppointmentToday[] = clash.map((a) => ({ appointment: a, clinicianName: mirror.clinician(a.clinicianId)?.name ?? a.clinicianId }));
        const said = appointmentsToday.map((c) => `${localTimeOf(c.appointment.start)} with ${c.clinicianName} (${DESK_STATUS_LABEL[c.appointment.status]})`).join('; ');
        const current: WalkInClash = { appointmentsToday };
        throw new DeskError(
          'conflict',
          `not registered: ${patient.familyName.toUpperCase()}, ${patient.givenName} already has an appointment today, ${said}. ` +
            'Check them in on it instead, or confirm that they need a walk-in as well',
          { current },
        );
      }
    }
    const duty = input.assignTo.kind === 'duty';
    const clinicianId = input.assignTo.kind === 'duty' ? dutyClinicianFor(db, today) : input.assignTo.clinicianId;
    if (clinicianId === null) {
      throw new DeskError('invalid_input', 'assignTo: no GP has a session today, so there is no duty list; choose a clinician', {
        issues: [{ path: 'assignTo', message: 'no duty clinician today' }],
      });
    }
    if (!mirror.clinician(clinicianId)) throw new DeskError('not_found', `no clinician with id "${clinicianId}"`);
    if (isNew) mirror.insertLocalPatient(patient);
    const session = mirror.sessionNearest(clinicianId, today, now);
    const appointment: Appointment = {
      id: `desk-appt-${randomUUID()}`,
      patientId: patient.id,
      clinicianId,
      sessionId: session?.id ?? null,
      slotId: null,
      start: now,
      end: new Date(nowDate.getTime() + WALK_IN_MINUTES * 60_000).toISOString(),
      type: 'face_to_face',
      status: 'arrived',
      fhirStatus: 'arrived',
      reason: input.reason ? input.reason : null,
      cancelReason: null,
      arrivedAt: now,
      sentInAt: null,
      seenAt: null,
      version: 1,
      upstreamVersion: null,
      updatedAt: now,
      desk: { ...NO_DESK_INFO, origin: 'walk_in', triage: input.triage, dutyList: duty, ticket: mirror.nextTicket(today) },
    };
    mirror.insertDeskAppointment(appointment);
    const entry = journal.append({
      at: now,
      user: ctx.user,
      desk: ctx.desk,
      op: 'appointment.walkIn',
      entity: 'appointment',
      entityId: appointment.id,
      before: null,
      after: { appointment, newPatient: isNew ? patient : null },
      baseVersion: null,
    });
    const row = mirror.appointmentRow(appointment.id);
    if (!row) throw new Error('the walk-in just inserted cannot be read back');
    return { patient, row, seq: entry.seq };
  });
  if (result.row) {
    const { patient: rowPatient, ...appointment } = result.row;
    announce(deps, [{ before: null, after: appointment, patient: rowPatient }], result.seq, ctx);
  }
  return { patient: result.patient, appointment: result.row };
}

/** See the contract: a walk-in registered by mistake, taken back at any point before it is seen. */
export function cancelWalkInInError(deps: DeskDeps, input: { appointmentId: string; expectedVersion: number }, ctx: RequestContext): Appointment {
  const { before, after, seq } = deps.db.transaction(() => takeBackWalkIn(deps, appointmentAt(deps.mirror, input.appointmentId, input.expectedVersion), ctx, {}));
  announce(deps, [{ before, after }], seq, ctx);
  return after;
}

/**
 * Inside the caller's transaction: the walk-in becomes cancelled and entered in error, off the waiting-room
 * display, its ticket kept (never handed to someone else that day). Journalled as an undo when it undoes the
 * registration, else as a status change with its reason: either way merge-back reads its final state and
 * creates nothing upstream.
 */
export function takeBackWalkIn(
  deps: DeskDeps,
  current: Appointment,
  ctx: RequestContext,
  how: { undoes?: Record<string, unknown> },
): AppointmentChange & { before: Appointment; seq: number } {
  if (current.desk?.origin !== 'walk_in') {
    throw new DeskError('forbidden_transition', 'only a walk-in registered at the desk can be taken back as registered in error; cancel a booked appointment instead', { current });
  }
  if (!canCancelWalkInInError(current)) {
    throw new DeskError('forbidden_transition', `cannot take back a walk-in who is ${DESK_STATUS_LABEL[current.status]}: the visit is on the record`, { current });
  }
  const now = deps.clock().toISOString();
  const taken = withDesk(
    { ...current, status: 'cancelled', fhirStatus: 'entered-in-error', cancelReason: REGISTERED_IN_ERROR, version: current.version + 1, updatedAt: now },
    { call: null },
  );
  deps.mirror.updateAppointment(taken);
  const seq = journalAppointmentChange(
    deps,
    ctx,
    now,
    how.undoes ? 'appointment.undo' : 'appointment.setStatus',
    current,
    taken,
    how.undoes ? { undoes: how.undoes } : { reason: REGISTERED_IN_ERROR },
  );
  return { before: current, after: deps.mirror.appointment(current.id) ?? taken, seq };
}
