/**
 * Rebooking and callbacks: the free slots a patient can be moved to, the move itself (the old appointment
 * cancelled or keeping its outcome, the new one booked, one journal entry), and the list of who is to be called.
 */
import { randomUUID } from 'node:crypto';
import {
  addDays,
  alsoBookedOf,
  callbackListOf,
  checkTransition,
  dayBoundsUtc,
  DESK_STATUS_LABEL,
  formatUkDate,
  localDateOf,
  localTimeOf,
  NO_DESK_INFO,
  type Appointment,
  type ClinicianRole,
  type Slot,
} from '../../../shared/domain';
import { callbackAttemptsBetween, patientContactsBetween } from './callbacks';
import { DeskError, type AppointmentRow, type CallbackEntry, type FreeSlot } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { announce, appointmentAt, journalAppointmentChange, withDesk } from './change';

/** How far ahead free slots are looked for when no end is given: GP Connect's own search window. */
const FREE_SLOT_DAYS = 14;
/** The most free slots one search returns (the contract's own limit). */
const MAX_FREE_SLOTS = 500;

export function findFreeSlots(
  deps: Pick<DeskDeps, 'mirror' | 'clock'>,
  input: { from: string; to?: string | undefined; clinicianId?: string | undefined; role?: ClinicianRole | undefined; limit?: number | undefined },
): FreeSlot[] {
  const { mirror } = deps;
  const nowIso = deps.clock().toISOString();
  const fromIso = dayBoundsUtc(input.from).start;
  const toIso = dayBoundsUtc(input.to ?? addDays(input.from, FREE_SLOT_DAYS - 1)).end;
  const limit = input.limit ?? 100;
  const clinicians = new Map<string, FreeSlot['clinician']>();
  // A role is the clinician's, not the slot's: looked for among the most the contract allows, then cut to the limit.
  const candidates = mirror.freeSlots(fromIso, toIso, nowIso, input.clinicianId ?? null, input.role === undefined ? limit : MAX_FREE_SLOTS);
  // Slots already started cannot be offered: the patient could not get there (rebook refuses them too).
  return candidates
    .flatMap((s) => {
      let clinician = clinicians.get(s.clinicianId);
      if (!clinician) {
        const found = mirror.clinician(s.clinicianId);
        if (!found) return [];
        clinicians.set(s.clinicianId, (clinician = found));
      }
      if (input.role !== undefined && clinician.role !== input.role) return [];
      const { sessionLabel, sessionRoom, ...slot } = s;
      return [{ slot, clinician, room: sessionRoom ?? clinician.room, sessionLabel }];
    })
    .slice(0, limit);
}

/**
 * Inside the caller's transaction: the slot a new appointment may go into, or a refusal. Not found; already
 * started (the patient could not get there); or taken, by a live appointment or upstream (a conflict naming the
 * holder): a slot is never booked twice. Rebooking and booking both take slots only through this.
 */
/** A new appointment the desk books into a slot: booked, version 1, no upstream version (the desk's own). */
export function bookedInSlot(
  slot: Pick<Slot, 'id' | 'clinicianId' | 'sessionId' | 'start' | 'end'>,
  what: { patientId: string; type: Appointment['type']; reason: string | null; now: string; desk: Appointment['desk'] },
): Appointment {
  return {
    id: `desk-appt-${randomUUID()}`,
    patientId: what.patientId,
    clinicianId: slot.clinicianId,
    sessionId: slot.sessionId,
    slotId: slot.id,
    start: slot.start,
    end: slot.end,
    type: what.type,
    status: 'booked',
    fhirStatus: 'booked',
    reason: what.reason,
    cancelReason: null,
    arrivedAt: null,
    sentInAt: null,
    seenAt: null,
    version: 1,
    upstreamVersion: null,
    updatedAt: what.now,
    desk: what.desk,
  };
}

export function slotToTake(deps: Pick<DeskDeps, 'mirror'>, slotId: string, now: string): Slot {
  const { mirror } = deps;
  const slot = mirror.slot(slotId);
  if (!slot) throw new DeskError('not_found', `no slot with id "${slotId}"`);
  if (slot.start <= now) {
    throw new DeskError('invalid_input', 'slotId: that slot has already started', { issues: [{ path: 'slotId', message: 'already started' }] });
  }
  const holder = mirror.slotHolder(slot.id);
  if (holder || !mirror.slotBookable(slot.id)) {
    throw new DeskError('conflict', `the ${localTimeOf(slot.start)} slot on ${formatUkDate(localDateOf(slot.start))} has just been taken; choose another`, {
      ...(holder ? { current: holder } : {}),
    });
  }
  return slot;
}

export function rebook(
  deps: DeskDeps,
  input: { appointmentId: string; expectedVersion: number; slotId: string; reason?: string | undefined },
  ctx: RequestContext,
): { cancelled: Appointment; booked: AppointmentRow } {
  const { db, mirror } = deps;
  const result = db.transaction(() => {
    const old = appointmentAt(mirror, input.appointmentId, input.expectedVersion);
    if (old.desk?.rebookedTo) throw new DeskError('conflict', 'this appointment has already been rebooked', { current: old });
    // Missed and cancelled appointments keep their outcome; a booked one is cancelled by the move.
    const keepsStatus = old.status === 'cancelled' || old.status === 'dna' || old.status === 'walked_out';
    if (!keepsStatus && !checkTransition(old.status, 'cancelled').ok) {
      throw new DeskError('forbidden_transition', `cannot rebook an appointment that is ${DESK_STATUS_LABEL[old.status]}`, { current: old });
    }
    const now = deps.clock().toISOString();
    const slot = slotToTake(deps, input.slotId, now);
    const booked = bookedInSlot(slot, { patientId: old.patientId, type: old.type, reason: old.reason, now, desk: { ...NO_DESK_INFO, origin: 'rebooked', rebookedFrom: old.id } });
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
    const seq = journalAppointmentChange(deps, ctx, now, 'appointment.rebook', old, cancelled, { rebookedTo: booked.id, booked });
    const row = mirror.appointmentRow(booked.id);
    if (!row) throw new Error('the rebooked appointment just inserted cannot be read back');
    return { old, cancelled: mirror.appointment(old.id) ?? cancelled, row, seq };
  });
  const { patient, ...booked } = result.row;
  announce(
    deps,
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
 * Who is to be called on the dates in [from, to], with the attempts made, by the domain's one function
 * (callbackListOf), which the printed callback list reads too; the patient's other live bookings are looked for
 * from that day on.
 */
export function callbackList(deps: Pick<DeskDeps, 'mirror' | 'db'>, input: { from?: string | undefined; to?: string | undefined }): CallbackEntry[] {
  const { mirror } = deps;
  const from = input.from ?? '0000-01-01';
  const to = input.to ?? '9999-12-31';
  const clinicianName = new Map<string, string>();
  const nameOf = (id: string) => {
    let name = clinicianName.get(id);
    if (name === undefined) clinicianName.set(id, (name = mirror.clinician(id)?.name ?? id));
    return name;
  };
  const contacts = patientContactsBetween(deps.db, from, to);
  const contactsOf = new Map<string, typeof contacts>();
  for (const c of contacts) contactsOf.set(c.appointmentId, [...(contactsOf.get(c.appointmentId) ?? []), c]);
  return callbackListOf(mirror.missedRows(from, to), callbackAttemptsBetween(deps.db, from, to), contacts).map(({ appointment, attempts, done }) => ({
    appointment,
    clinicianName: nameOf(appointment.clinicianId),
    alsoBooked: alsoBookedOf(appointment, mirror.liveAppointmentsOfPatientFrom(appointment.patientId, localDateOf(appointment.start))).map((o) => ({
      appointmentId: o.id,
      start: o.start,
      clinicianName: nameOf(o.clinicianId),
    })),
    attempts,
    contacts: contactsOf.get(appointment.id) ?? [],
    done,
  }));
}
