/**
 * The appointment status machine: the statuses a receptionist works with (EMIS's vocabulary, DOMAIN.md)
 * and which changes a receptionist may make. The mapping to FHIR R4 Appointment.status is the one a
 * merge-back writes; "with the clinician" is not a FHIR appointment status (FHIR keeps it on an Encounter),
 * so sent_in and quiet_sent_in stay `arrived` upstream and carry the queue state locally.
 */
import { z } from 'zod';

export const DESK_STATUSES = [
  'booked', // expected, not yet here
  'arrived', // checked in, waiting
  'late', // arrived after their slot time; still waiting
  'sent_in', // called to the clinician (shown on the waiting-room display)
  'quiet_sent_in', // called without their name on the display
  'seen', // consultation finished
  'left', // seen and gone
  'walked_out', // arrived but left before being seen
  'dna', // did not attend
  'cancelled',
] as const;
export const DeskStatus = z.enum(DESK_STATUSES);
export type DeskStatus = z.infer<typeof DeskStatus>;

export const FHIR_APPOINTMENT_STATUSES = ['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'] as const;
export const FhirAppointmentStatus = z.enum(FHIR_APPOINTMENT_STATUSES);
export type FhirAppointmentStatus = z.infer<typeof FhirAppointmentStatus>;

export const DESK_STATUS_LABEL: Record<DeskStatus, string> = {
  booked: 'Booked',
  arrived: 'Arrived',
  late: 'Arrived late',
  sent_in: 'Sent in',
  quiet_sent_in: 'Quiet send in',
  seen: 'Seen',
  left: 'Left',
  walked_out: 'Walked out',
  dna: 'DNA',
  cancelled: 'Cancelled',
};

/** What each desk status is upstream. Walked out is a no-show to FHIR: the patient was not seen. */
export const FHIR_STATUS_OF: Record<DeskStatus, FhirAppointmentStatus> = {
  booked: 'booked',
  arrived: 'arrived',
  late: 'arrived',
  sent_in: 'arrived',
  quiet_sent_in: 'arrived',
  seen: 'fulfilled',
  left: 'fulfilled',
  walked_out: 'noshow',
  dna: 'noshow',
  cancelled: 'cancelled',
};

/**
 * A walk-in registered by mistake (undone, or cancelled as "registered in error"): cancelled at the desk and
 * FHIR's entered-in-error, "should not have been part of the record". It counts nowhere: not in the day, the
 * queue, the callback list, the walk-in register or the impact figures, and merge-back creates nothing for it.
 */
export function isEnteredInError(a: { fhirStatus?: FhirAppointmentStatus | undefined }): boolean {
  return a.fhirStatus === 'entered-in-error';
}

/** What an appointment is upstream: its desk status's mapping, except a cancellation that is entered in error. */
export function fhirStatusOf(a: { status: DeskStatus; fhirStatus?: FhirAppointmentStatus | undefined }): FhirAppointmentStatus {
  return a.status === 'cancelled' && isEnteredInError(a) ? 'entered-in-error' : FHIR_STATUS_OF[a.status];
}

/** The desk status an upstream status is read as when the mirror is loaded. */
export function deskStatusFromFhir(status: FhirAppointmentStatus): DeskStatus | null {
  switch (status) {
    case 'booked':
    case 'pending':
    case 'proposed':
      return 'booked';
    case 'arrived':
    case 'checked-in':
      return 'arrived';
    case 'fulfilled':
      return 'seen';
    case 'cancelled':
      return 'cancelled';
    case 'noshow':
      return 'dna';
    // Not part of the day's book: the importer skips these rather than guess.
    case 'entered-in-error':
    case 'waitlist':
      return null;
    default:
      throw missingCaseError(status);
  }
}

/**
 * Changes a receptionist may make. Deliberately permissive where real desks need it (a DNA'd patient who
 * turns up late; a telephone appointment marked seen without arriving), strict where a change would erase
 * what happened (nothing leaves `left`, `walked_out` or `cancelled`: a cancelled patient is rebooked, not
 * un-cancelled). Undoing a mistake is its own operation that restores the exact previous state.
 */
export const TRANSITIONS: Record<DeskStatus, readonly DeskStatus[]> = {
  booked: ['arrived', 'late', 'sent_in', 'quiet_sent_in', 'seen', 'dna', 'cancelled'],
  arrived: ['sent_in', 'quiet_sent_in', 'walked_out', 'seen'],
  late: ['sent_in', 'quiet_sent_in', 'walked_out', 'seen'],
  sent_in: ['seen', 'left'],
  quiet_sent_in: ['seen', 'left'],
  seen: ['left'],
  left: [],
  walked_out: [],
  dna: ['arrived', 'late', 'cancelled'],
  cancelled: [],
};

export function canTransition(from: DeskStatus, to: DeskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkTransition(from: DeskStatus, to: DeskStatus): TransitionCheck {
  if (from === to) return { ok: false, reason: `already ${DESK_STATUS_LABEL[to]}` };
  if (canTransition(from, to)) return { ok: true };
  const allowed = TRANSITIONS[from].map((s) => DESK_STATUS_LABEL[s]);
  return {
    ok: false,
    reason:
      `cannot change ${DESK_STATUS_LABEL[from]} to ${DESK_STATUS_LABEL[to]}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ` (${DESK_STATUS_LABEL[from]} is final)`),
  };
}

/** Statuses in which the patient is in the building waiting to be called. */
export const WAITING_STATUSES: readonly DeskStatus[] = ['arrived', 'late'];
export const FINAL_STATUSES: readonly DeskStatus[] = ['left', 'walked_out', 'cancelled'];

export function missingCaseError(value: never): Error {
  return new Error(`unhandled case: ${JSON.stringify(value)}`);
}
