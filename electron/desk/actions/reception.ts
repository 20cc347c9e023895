/**
 * The reception desk's actions beyond a single status change: undo, a session's no-shows marked DNA in one
 * go, walk-ins, rebooking, and the reads behind the queue, the callback list and the waiting-room display.
 *
 * Every action is one transaction that changes the mirror and appends its journal entries together; events go
 * out only after the commit. Appointments made here carry version >= 1 and no upstream version, and patients
 * made here are marked local, so a refresh keeps them (electron/desk/refresh.ts).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  addDays,
  appointmentsTodayBlockingWalkIn,
  canCancelWalkInInError,
  checkTransition,
  alsoBookedOf,
  callbacksOf,
  DESK_STATUS_LABEL,
  dayBoundsUtc,
  formatUkDate,
  initialsOf,
  isEnteredInError,
  localDateOf,
  localTimeOf,
  NO_DESK_INFO,
  REGISTERED_IN_ERROR,
  withNhsNumberStatus,
  type Appointment,
  type AppointmentDesk,
  type DeskStatus,
  type Patient,
} from '../../../shared/domain';
import {
  DeskError,
  type AppointmentToday,
  type CallbackEntry,
  type DeskEvent,
  type DisplayBoard,
  type FreeSlot,
  type WalkInClash,
  type WalkInInput,
} from '../../../shared/api';
import type { AppointmentRow } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { Journal } from '../store/journal';
import type { MirrorStore } from '../store/mirror';
import { sql, type Db } from '../store/sql';

export interface ReceptionDeps {
  db: Db;
  mirror: MirrorStore;
  journal: Journal;
  clock: () => Date;
  emit: (event: DeskEvent) => void;
}

/** How long a walk-in is booked for on the clinician's list: one GP slot. */
const WALK_IN_MINUTES = 10;
/** How far ahead free slots are looked for when no end is given: GP Connect's own search window. */
const FREE_SLOT_DAYS = 14;
export const DISPLAY_CALLS_SHOWN = 6;

/**
 * What a status change journals before and after: enough to put the appointment back exactly (undo), including
 * the desk's own facts the change may have set (the ticket given at check-in, how the patient was called).
 */
export function statusSnapshot(a: Appointment) {
  return {
    status: a.status,
    fhirStatus: a.fhirStatus,
    version: a.version,
    arrivedAt: a.arrivedAt,
    sentInAt: a.sentInAt,
    seenAt: a.seenAt,
    cancelReason: a.cancelReason,
    ticket: a.desk?.ticket ?? null,
    call: a.desk?.call ?? null,
  };
}

/** Read back from the journal; entries written before tickets existed lack the last two, which were null then. */
const StatusSnapshot = z.object({
  status: z.string(),
  version: z.number().int(),
  arrivedAt: z.string().nullable(),
  sentInAt: z.string().nullable(),
  seenAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  ticket: z.number().int().nullable().optional(),
  call: z.enum(['display', 'quiet']).nullable().optional(),
});

/** The operations whose last entry undo can reverse: a status change (single or in a batch), or an undo. */
const UNDOABLE_OPS = new Set(['appointment.setStatus', 'appointment.undo']);

const WHY_NOT_UNDOABLE: Record<string, string> = {
  'appointment.rebook': 'its last change was a rebooking; cancel the new appointment instead if it was a mistake',
};

function withDesk(a: Appointment, change: Partial<AppointmentDesk>): Appointment {
  return { ...a, desk: { ...(a.desk ?? NO_DESK_INFO), ...change } };
}

/** Whether a change shows on, or disappears from, the waiting-room display. */
function touchesDisplay(before: Appointment | null, after: Appointment): boolean {
  return before?.desk?.call === 'display' || after.desk?.call === 'display';
}

export class ReceptionDesk {
  constructor(private readonly deps: ReceptionDeps) {}

  private now(): Date {
    return this.deps.clock();
  }

  // ---- status changes -------------------------------------------------------------------------------------

  /**
   * The appointment after moving to `status` at `now`: the times of the first arrival, call and finish are
   * kept (a DNA'd patient who turns up keeps nothing stale, since those were null), the ticket is given at
   * check-in (or at the call, for a patient called straight from the book), and the call is marked quiet or not.
   */
  private applyStatus(before: Appointment, status: DeskStatus, now: string, reason: string | null): Appointment {
    const checkIn = status === 'arrived' || status === 'late';
    const call = status === 'sent_in' ? 'display' : status === 'quiet_sent_in' ? 'quiet' : null;
    let after: Appointment = {
      ...before,
      status,
      arrivedAt: checkIn ? (before.arrivedAt ?? now) : before.arrivedAt,
      sentInAt: call !== null ? (before.sentInAt ?? now) : before.sentInAt,
      seenAt: status === 'seen' ? (before.seenAt ?? now) : before.seenAt,
      cancelReason: status === 'cancelled' ? reason : before.cancelReason,
      version: before.version + 1,
      updatedAt: now,
    };
    if ((checkIn || call !== null) && (before.desk?.ticket ?? null) === null) {
      after = withDesk(after, { ticket: this.deps.mirror.nextTicket(localDateOf(before.start)) });
    }
    if (call !== null) after = withDesk(after, { call });
    return after;
  }

  setStatus(
    input: { appointmentId: string; status: DeskStatus; expectedVersion?: number | undefined; reason?: string | undefined },
    ctx: RequestContext,
  ): Appointment {
    const { db, mirror, journal } = this.deps;
    const { before, after, seq } = db.transaction(() => {
      const before = mirror.appointment(input.appointmentId);
      if (!before) throw new DeskError('not_found', `no appointment with id "${input.appointmentId}"`);
      if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) {
        throw new DeskError('conflict', 'another desk changed this appointment first; showing it as it is now', { current: before });
      }
      const check = checkTransition(before.status, input.status);
      if (!check.ok) throw new DeskError('forbidden_transition', check.reason, { current: before });
      if (input.status === 'cancelled' && !input.reason) {
        throw new DeskError('invalid_input', 'reason: a cancellation needs a reason', {
          issues: [{ path: 'reason', message: 'a cancellation needs a reason' }],
        });
      }
      const now = this.now().toISOString();
      const after = this.applyStatus(before, input.status, now, input.reason ?? null);
      mirror.updateAppointment(after);
      const entry = journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: 'appointment.setStatus',
        entity: 'appointment',
        entityId: before.id,
        before: statusSnapshot(before),
        after: { ...statusSnapshot(after), ...(input.reason ? { reason: input.reason } : {}) },
        baseVersion: before.upstreamVersion,
      });
      return { before, after: mirror.appointment(before.id) ?? after, seq: entry.seq };
    });
    this.announce([{ before, after }], seq, ctx);
    return after;
  }

  /** See the contract: the exact state before the appointment's last change, as a new change of its own. */
  undoLastChange(input: { appointmentId: string; expectedVersion: number }, ctx: RequestContext): Appointment {
    const { db, mirror, journal } = this.deps;
    const { before, after, seq } = db.transaction(() => {
      const current = mirror.appointment(input.appointmentId);
      if (!current) throw new DeskError('not_found', `no appointment with id "${input.appointmentId}"`);
      if (current.version !== input.expectedVersion) {
        throw new DeskError('conflict', 'nothing was undone: another desk changed this appointment since; showing it as it is now', {
          current,
        });
      }
      const last = mirror.lastJournalEntryFor(current.id);
      if (!last) throw new DeskError('forbidden_transition', 'nothing to undo: this appointment has not been changed at the desk', { current });
      if (isEnteredInError(current)) {
        // Bringing it back would put the patient in the queue twice over again; a new registration is checked.
        throw new DeskError('forbidden_transition', 'cannot undo: this walk-in was taken back as registered in error; register them again if they are here', {
          current,
        });
      }
      if (last.op === 'appointment.walkIn') {
        // Undoing the registration itself, nothing done since: the walk-in is taken back as registered in error.
        return this.takeBackWalkIn(current, ctx, { undoes: { seq: last.seq, id: last.id, op: last.op, by: last.user, desk: last.desk, at: last.at } });
      }
      if (!UNDOABLE_OPS.has(last.op)) {
        throw new DeskError('forbidden_transition', `cannot undo: ${WHY_NOT_UNDOABLE[last.op] ?? `its last change (${last.op}) is not a status change`}`, {
          current,
        });
      }
      const was = StatusSnapshot.safeParse(last.before);
      const then = StatusSnapshot.safeParse(last.after);
      if (!was.success || !then.success) throw new Error(`journal entry ${last.seq} has no readable status snapshot`);
      if (then.data.version !== current.version || then.data.status !== current.status) {
        // Only a change outside the journal could do this; refuse rather than guess what "previous" means.
        throw new DeskError('conflict', 'nothing was undone: the appointment changed since its last recorded change', { current });
      }
      const status = was.data.status as DeskStatus;
      const now = this.now().toISOString();
      const restored = withDesk(
        {
          ...current,
          status,
          arrivedAt: was.data.arrivedAt,
          sentInAt: was.data.sentInAt,
          seenAt: was.data.seenAt,
          cancelReason: was.data.cancelReason,
          version: current.version + 1,
          updatedAt: now,
        },
        { ticket: was.data.ticket ?? null, call: was.data.call ?? null },
      );
      if (current.status === 'cancelled' && status !== 'cancelled' && current.slotId !== null) {
        const holder = mirror.slotHolder(current.slotId);
        if (holder && holder.id !== current.id) {
          throw new DeskError('conflict', `cannot undo the cancellation: its slot at ${localTimeOf(current.start)} has been booked for another patient since`, {
            current,
          });
        }
      }
      mirror.updateAppointment(restored);
      const entry = journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: 'appointment.undo',
        entity: 'appointment',
        entityId: current.id,
        before: statusSnapshot(current),
        after: { ...statusSnapshot(restored), undoes: { seq: last.seq, id: last.id, op: last.op, by: last.user, desk: last.desk, at: last.at } },
        baseVersion: current.upstreamVersion,
      });
      return { before: current, after: mirror.appointment(current.id) ?? restored, seq: entry.seq };
    });
    this.announce([{ before, after }], seq, ctx);
    return after;
  }

  /** See the contract: a walk-in registered by mistake, taken back at any point before it is seen. */
  cancelWalkInInError(input: { appointmentId: string; expectedVersion: number }, ctx: RequestContext): Appointment {
    const { db, mirror } = this.deps;
    const { before, after, seq } = db.transaction(() => {
      const current = mirror.appointment(input.appointmentId);
      if (!current) throw new DeskError('not_found', `no appointment with id "${input.appointmentId}"`);
      if (current.version !== input.expectedVersion) {
        throw new DeskError('conflict', 'another desk changed this appointment first; showing it as it is now', { current });
      }
      return this.takeBackWalkIn(current, ctx, {});
    });
    this.announce([{ before, after }], seq, ctx);
    return after;
  }

  /**
   * Inside the caller's transaction: the walk-in becomes cancelled and entered in error, off the waiting-room
   * display, its ticket kept (never handed to someone else that day). Journalled as an undo when it undoes the
   * registration, else as a status change with its reason: either way merge-back reads its final state and
   * creates nothing upstream.
   */
  private takeBackWalkIn(
    current: Appointment,
    ctx: RequestContext,
    how: { undoes?: Record<string, unknown> },
  ): { before: Appointment; after: Appointment; seq: number } {
    const { mirror, journal } = this.deps;
    if (current.desk?.origin !== 'walk_in') {
      throw new DeskError('forbidden_transition', 'only a walk-in registered at the desk can be taken back as registered in error; cancel a booked appointment instead', { current });
    }
    if (!canCancelWalkInInError(current)) {
      throw new DeskError('forbidden_transition', `cannot take back a walk-in who is ${DESK_STATUS_LABEL[current.status]}: the visit is on the record`, { current });
    }
    const now = this.now().toISOString();
    const taken = withDesk(
      { ...current, status: 'cancelled', fhirStatus: 'entered-in-error', cancelReason: REGISTERED_IN_ERROR, version: current.version + 1, updatedAt: now },
      { call: null },
    );
    mirror.updateAppointment(taken);
    const entry = journal.append({
      at: now,
      user: ctx.user,
      desk: ctx.desk,
      op: how.undoes ? 'appointment.undo' : 'appointment.setStatus',
      entity: 'appointment',
      entityId: current.id,
      before: statusSnapshot(current),
      after: { ...statusSnapshot(taken), ...(how.undoes ? { undoes: how.undoes } : { reason: REGISTERED_IN_ERROR }) },
      baseVersion: current.upstreamVersion,
    });
    return { before: current, after: mirror.appointment(current.id) ?? taken, seq: entry.seq };
  }

  /**
   * One transaction for the whole list, one journal entry per appointment (each with the batch's id): merge-back
   * writes each appointment on its own (its own base version, its own If-Match) and undo works per appointment,
   * so per-appointment entries are what both need; the shared batch id keeps the single decision visible.
   */
  markSessionDna(
    input: { sessionId: string; appointments: Array<{ appointmentId: string; expectedVersion: number }> },
    ctx: RequestContext,
  ): { batchId: string; appointments: Appointment[] } {
    const { db, mirror, journal } = this.deps;
    const ids = input.appointments.map((a) => a.appointmentId);
    if (new Set(ids).size !== ids.length) {
      throw new DeskError('invalid_input', 'appointments: an appointment is listed twice', { issues: [{ path: 'appointments', message: 'listed twice' }] });
    }
    const result = db.transaction(() => {
      const session = mirror.session(input.sessionId);
      if (!session) throw new DeskError('not_found', `no session with id "${input.sessionId}"`);
      const now = this.now().toISOString();
      const batchId = randomUUID();
      const changes: Array<{ before: Appointment; after: Appointment }> = [];
      for (const { appointmentId, expectedVersion } of input.appointments) {
        const before = mirror.appointment(appointmentId);
        if (!before) throw new DeskError('not_found', `no appointment with id "${appointmentId}"; nobody was marked DNA`);
        if (before.sessionId !== session.id) {
          throw new DeskError('invalid_input', `appointment ${appointmentId} is not in this session; nobody was marked DNA`, {
            issues: [{ path: 'appointments', message: `${appointmentId} is in another session` }],
          });
        }
        if (before.version !== expectedVersion || before.status !== 'booked') {
          throw new DeskError(
            'conflict',
            `the ${localTimeOf(before.start)} appointment changed since the list was shown (now ${DESK_STATUS_LABEL[before.status]}); nobody was marked DNA. Check the list and try again`,
            { current: before },
          );
        }
        const after = this.applyStatus(before, 'dna', now, null);
        mirror.updateAppointment(after);
        changes.push({ before, after });
      }
      let seq = 0;
      for (const { before, after } of changes) {
        seq = journal.append({
          at: now,
          user: ctx.user,
          desk: ctx.desk,
          op: 'appointment.setStatus',
          entity: 'appointment',
          entityId: before.id,
          before: statusSnapshot(before),
          after: { ...statusSnapshot(after), batch: { id: batchId, kind: 'session-dna', sessionId: session.id, size: changes.length } },
          baseVersion: before.upstreamVersion,
        }).seq;
      }
      return { batchId, changes, seq };
    });
    this.announce(result.changes, result.seq, ctx);
    return { batchId: result.batchId, appointments: result.changes.map((c) => c.after) };
  }

  // ---- walk-ins -------------------------------------------------------------------------------------------

  /** The duty clinician for a day: the GP whose first session that day starts earliest (then by name). */
  dutyClinicianFor(date: string): string | null {
    return (
      this.deps.db.get<{ id: string }>(sql`
        SELECT c.id FROM clinician c JOIN session s ON s.clinician_id = c.id
        WHERE s.date = ${date} AND c.role = 'gp' ORDER BY s.start, c.name, c.id LIMIT 1`)?.id ?? null
    );
  }

  registerWalkIn(input: WalkInInput, ctx: RequestContext): { patient: Patient; appointment: AppointmentRow | null } {
    const { db, mirror, journal } = this.deps;
    const result = db.transaction(() => {
      const nowDate = this.now();
      const now = nowDate.toISOString();
      const today = localDateOf(nowDate);
      let patient: Patient;
      let isNew = false;
      if (input.patient.kind === 'existing') {
        const found = mirror.patient(input.patient.patientId);
        if (!found) throw new DeskError('not_found', `no patient with id "${input.patient.patientId}"`);
        patient = found;
      } else {
        const d = input.patient.details;
        if (d.dateOfBirth > today) {
          throw new DeskError('invalid_input', 'dateOfBirth: the date of birth is in the future', {
            issues: [{ path: 'patient.details.dateOfBirth', message: 'in the future' }],
          });
        }
        patient = {
          ...withNhsNumberStatus({ nhsNumber: d.nhsNumber ?? null }),
          id: `desk-pat-${randomUUID()}`,
          familyName: d.familyName,
          givenName: d.givenName,
          dateOfBirth: d.dateOfBirth,
          sex: d.sex ?? 'unknown',
          phone: d.phone ? d.phone : null,
          flags: [],
          desk: { origin: 'desk', temporaryResident: d.temporaryResident },
        };
        if (patient.nhsNumberStatus === 'valid' && patient.nhsNumber !== null) {
          // The wrong-patient hazard's twin: two records for one person. Use the one the mirror has.
          const same = mirror.patientsByNhsNumber(patient.nhsNumber)[0];
          if (same) {
            throw new DeskError(
              'conflict',
              `NHS number ${patient.nhsNumber} is already ${same.familyName.toUpperCase()}, ${same.givenName}` +
                `${same.dateOfBirth ? ` (born ${formatUkDate(same.dateOfBirth)})` : ''} in the mirror: choose that patient instead`,
              { current: same },
            );
          }
        }
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
      const clinicianId = input.assignTo.kind === 'duty' ? this.dutyClinicianFor(today) : input.assignTo.clinicianId;
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
      this.announce([{ before: null, after: appointment, patient: rowPatient }], result.seq, ctx);
    }
    return { patient: result.patient, appointment: result.row };
  }

  // ---- rebooking and callbacks --------------------------------------------------------------------------------

  findFreeSlots(input: { from: string; to?: string | undefined; clinicianId?: string | undefined; limit?: number | undefined }): FreeSlot[] {
    const { mirror } = this.deps;
    const nowIso = this.now().toISOString();
    const fromIso = dayBoundsUtc(input.from).start;
    const toIso = dayBoundsUtc(input.to ?? addDays(input.from, FREE_SLOT_DAYS - 1)).end;
    const clinicians = new Map<string, FreeSlot['clinician']>();
    // Slots already started cannot be offered: the patient could not get there.
    return mirror.freeSlots(fromIso > nowIso ? fromIso : nowIso, toIso, input.clinicianId ?? null, input.limit ?? 100).flatMap((s) => {
      let clinician = clinicians.get(s.clinicianId);
      if (!clinician) {
        const found = mirror.clinician(s.clinicianId);
        if (!found) return [];
        clinicians.set(s.clinicianId, (clinician = found));
      }
      const { sessionLabel, sessionRoom, ...slot } = s;
      return [{ slot, clinician, room: sessionRoom ?? clinician.room, sessionLabel }];
    });
  }

  rebook(
    input: { appointmentId: string; expectedVersion: number; slotId: string; reason?: string | undefined },
    ctx: RequestContext,
  ): { cancelled: Appointment; booked: AppointmentRow } {
    const { db, mirror, journal } = this.deps;
    const result = db.transaction(() => {
      const old = mirror.appointment(input.appointmentId);
      if (!old) throw new DeskError('not_found', `no appointment with id "${input.appointmentId}"`);
      if (old.version !== input.expectedVersion) {
        throw new DeskError('conflict', 'another desk changed this appointment first; showing it as it is now', { current: old });
      }
      if (old.desk?.rebookedTo) throw new DeskError('conflict', 'this appointment has already been rebooked', { current: old });
      // Missed and cancelled appointments keep their outcome; a booked one is cancelled by the move.
      const keepsStatus = old.status === 'cancelled' || old.status === 'dna' || old.status === 'walked_out';
      if (!keepsStatus && !checkTransition(old.status, 'cancelled').ok) {
        throw new DeskError('forbidden_transition', `cannot rebook an appointment that is ${DESK_STATUS_LABEL[old.status]}`, { current: old });
      }
      const slot = mirror.slot(input.slotId);
      if (!slot) throw new DeskError('not_found', `no slot with id "${input.slotId}"`);
      const nowDate = this.now();
      const now = nowDate.toISOString();
      if (slot.start <= now) {
        throw new DeskError('invalid_input', 'slotId: that slot has already started', { issues: [{ path: 'slotId', message: 'already started' }] });
      }
      const holder = mirror.slotHolder(slot.id);
      if (holder || !mirror.slotBookable(slot.id)) {
        throw new DeskError('conflict', `the ${localTimeOf(slot.start)} slot on ${formatUkDate(localDateOf(slot.start))} has just been taken; choose another`, {
          ...(holder ? { current: holder } : {}),
        });
      }
      const booked: Appointment = {
        id: `desk-appt-${randomUUID()}`,
        patientId: old.patientId,
        clinicianId: slot.clinicianId,
        sessionId: slot.sessionId,
        slotId: slot.id,
        start: slot.start,
        end: slot.end,
        type: old.type,
        status: 'booked',
        fhirStatus: 'booked',
        reason: old.reason,
        cancelReason: null,
        arrivedAt: null,
        sentInAt: null,
        seenAt: null,
        version: 1,
        upstreamVersion: null,
        updatedAt: now,
        desk: { ...NO_DESK_INFO, origin: 'rebooked', rebookedFrom: old.id },
      };
      const movedTo = `${formatUkDate(localDateOf(slot.start))} ${localTimeOf(slot.start)}`;
      const cancelled = withDesk(
        {
          ...old,
          status: keepsStatus ? old.status : 'cancelled',
          cancelReason: keepsStatus ? old.cancelReason : (input.reason ?? `Rebooked to ${movedTo}`),
          version: old.version + 1,
          updatedAt: now,
        },
        { rebookedTo: booked.id },
      );
      mirror.updateAppointment(cancelled);
      mirror.insertDeskAppointment(booked);
      const entry = journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: 'appointment.rebook',
        entity: 'appointment',
        entityId: old.id,
        before: statusSnapshot(old),
        after: { ...statusSnapshot(cancelled), rebookedTo: booked.id, booked },
        baseVersion: old.upstreamVersion,
      });
      const row = mirror.appointmentRow(booked.id);
      if (!row) throw new Error('the rebooked appointment just inserted cannot be read back');
      return { old, cancelled: mirror.appointment(old.id) ?? cancelled, row, seq: entry.seq };
    });
    const { patient, ...booked } = result.row;
    this.announce(
      [
        { before: result.old, after: result.cancelled },
        { before: null, after: booked, patient },
      ],
      result.seq,
      ctx,
    );
    return { cancelled: result.cancelled, booked: result.row };
  }

  /**
   * Who is to be called on the dates in [from, to], by the domain's one definition (callbacksOf), which the
   * printed callback list reads too; the patient's other live bookings are looked for from that day on.
   */
  callbackList(input: { from?: string | undefined; to?: string | undefined }): CallbackEntry[] {
    const { mirror } = this.deps;
    const clinicianName = new Map<string, string>();
    const nameOf = (id: string) => {
      let name = clinicianName.get(id);
      if (name === undefined) clinicianName.set(id, (name = mirror.clinician(id)?.name ?? id));
      return name;
    };
    return callbacksOf(mirror.missedRows(input.from ?? '0000-01-01', input.to ?? '9999-12-31')).map((appointment) => ({
      appointment,
      clinicianName: nameOf(appointment.clinicianId),
      alsoBooked: alsoBookedOf(appointment, mirror.liveAppointmentsOfPatientFrom(appointment.patientId, localDateOf(appointment.start))).map((o) => ({
        appointmentId: o.id,
        start: o.start,
        clinicianName: nameOf(o.clinicianId),
      })),
    }));
  }

  // ---- the waiting-room display ------------------------------------------------------------------------------

  displayBoard(input: { show?: 'ticket' | 'initials' | undefined; limit?: number | undefined }): DisplayBoard {
    const { mirror } = this.deps;
    const show = input.show ?? 'ticket';
    const date = localDateOf(this.now());
    const calls = mirror.displayCalls(date, input.limit ?? DISPLAY_CALLS_SHOWN).map((c) => ({
      key: `${c.calledAt}#${c.ticket ?? 0}`,
      label: show === 'initials' ? initialsOf(c) || 'Next patient' : c.ticket !== null ? `Ticket ${c.ticket}` : 'Next patient',
      room: c.room,
      calledAt: c.calledAt,
    }));
    return { practiceName: mirror.practice()?.name ?? null, date, show, calls };
  }

  // ---- events -------------------------------------------------------------------------------------------------

  /** After the commit: one event per changed appointment, and a bare ping for the display when a call changed. */
  private announce(changes: Array<{ before: Appointment | null; after: Appointment; patient?: Patient }>, seq: number, ctx: RequestContext): void {
    for (const { after, patient } of changes) {
      this.deps.emit({ kind: 'appointment.changed', seq, appointment: after, ...(patient ? { patient } : {}), user: ctx.user, desk: ctx.desk });
    }
    if (changes.some((c) => touchesDisplay(c.before, c.after))) this.deps.emit({ kind: 'display.changed', seq });
  }
}
