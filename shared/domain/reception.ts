/**
 * Reception rules that are not the status machine: who belongs on the callback list and in what order, which
 * appointments a session's "mark the rest DNA" covers, and what the waiting-room display may show of a patient.
 */
import { TIME_SENSITIVE_FLAGS, type Appointment, type AppointmentType, type Patient, type PatientFlag } from './entities';
import { isEnteredInError, type DeskStatus } from './status';

/** Outcomes that leave a patient without the care they were booked for: somebody phones them. */
export const NEEDS_CALLBACK_STATUSES: readonly DeskStatus[] = ['cancelled', 'dna', 'walked_out'];

/**
 * Cancel reasons after which nobody missed anything, so nobody is phoned: the appointment should never have been
 * there. The desk's cancel dialog offers "Booked in error"; "Duplicate" covers "Duplicate booking" and the like
 * from upstream. Compared ignoring case, spacing and whatever follows the phrase ("Booked in error (wrong GP)").
 */
export const NO_CALLBACK_CANCEL_REASONS = ['Booked in error', 'Duplicate'] as const;

/** Whether a cancellation's reason is one of NO_CALLBACK_CANCEL_REASONS. */
export function isCancelledWithoutLoss(a: Pick<Appointment, 'status'> & { cancelReason?: string | null }): boolean {
  if (a.status !== 'cancelled' || !a.cancelReason) return false;
  const reason = normaliseReason(a.cancelReason);
  return NO_CALLBACK_CANCEL_REASONS.some((r) => reason.startsWith(normaliseReason(r)));
}

const normaliseReason = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-GB');

/**
 * On the callback list: cancelled or missed, not already moved to a new appointment at the desk, not a walk-in
 * registered in error and not cancelled as booked in error or a duplicate (nobody missed anything). The one
 * definition of who is to be called: the screen's Callbacks view (getCallbackList) and the printed callback list
 * both read it, through callbackListOf.
 */
export function needsCallback(a: Pick<Appointment, 'status' | 'desk'> & { fhirStatus?: Appointment['fhirStatus']; cancelReason?: string | null }): boolean {
  return NEEDS_CALLBACK_STATUSES.includes(a.status) && (a.desk?.rebookedTo ?? null) === null && !isEnteredInError(a) && !isCancelledWithoutLoss(a);
}

/** Whether an appointment still happens (or is happening): not cancelled, missed or entered in error. */
export function isLive(a: Pick<Appointment, 'status'>): boolean {
  return !NEEDS_CALLBACK_STATUSES.includes(a.status);
}

type CallbackCandidate = Pick<Appointment, 'id' | 'start' | 'status' | 'desk'> & {
  fhirStatus?: Appointment['fhirStatus'];
  cancelReason?: string | null;
  patient: Pick<Patient, 'flags'>;
};

/** Who is to be called among `appointments`, in calling order (compareCallbacks). */
export function callbacksOf<T extends CallbackCandidate>(appointments: readonly T[]): T[] {
  return appointments.filter(needsCallback).toSorted(compareCallbacks);
}

/** What came of one try at calling a patient back (the desk records each, with who and when). */
export const CALLBACK_OUTCOMES = ['called', 'no_answer', 'message_left', 'rebooked', 'no_callback_needed'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

export const CALLBACK_OUTCOME_LABEL: Record<CallbackOutcome, string> = {
  called: 'Called',
  no_answer: 'No answer',
  message_left: 'Message left',
  rebooked: 'Rebooked',
  no_callback_needed: 'No callback needed',
};

/**
 * Outcomes after which the patient needs no more calls: they leave the open list and show as done. "Called"
 * alone does not: speaking to them is not the same as their care being sorted.
 */
export const CALLBACK_CLOSING_OUTCOMES: readonly CallbackOutcome[] = ['rebooked', 'no_callback_needed'];

/** What came of messaging a patient about their cancelled or missed appointment (contact tracking, issue 21). */
export const CONTACT_STATUSES = ['sent', 'replied', 'rebooked', 'could_not_reach'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

export const CONTACT_STATUS_LABEL: Record<ContactStatus, string> = {
  sent: 'Message sent',
  replied: 'Replied',
  rebooked: 'Rebooked (by message)',
  could_not_reach: 'Could not reach',
};

export interface CallbackListItem<T, A> {
  appointment: T;
  /** Every attempt on this appointment, oldest first. */
  attempts: A[];
  /**
   * Its latest attempt closed it (rebooked, no callback needed): shown as done, after the open ones. A later attempt
   * of another kind opens it again, so a mistaken "no callback needed" is put right by recording what happened.
   */
  done: boolean;
}

/**
 * The callback list as both the screen and the paper show it: who is to be called (callbacksOf), each with the
 * attempts made, the open ones first in calling order, then the done ones in the same order. One function, so the
 * printed list and the screen cannot disagree about who is on it.
 */
export function callbackListOf<T extends CallbackCandidate, A extends { appointmentId: string; outcome: CallbackOutcome; at: string }>(
  appointments: readonly T[],
  attempts: readonly A[],
  /** Messages' outcomes: one rebooked by message is done too, unless a later try says otherwise. */
  contacts: ReadonlyArray<{ appointmentId: string; status: ContactStatus; at: string }> = [],
): Array<CallbackListItem<T, A>> {
  const lastContact = new Map<string, { at: string; status: ContactStatus }>();
  for (const c of contacts) if ((lastContact.get(c.appointmentId)?.at ?? '') <= c.at) lastContact.set(c.appointmentId, c);
  const byAppointment = new Map<string, A[]>();
  for (const attempt of attempts.toSorted((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))) {
    const list = byAppointment.get(attempt.appointmentId);
    if (list) list.push(attempt);
    else byAppointment.set(attempt.appointmentId, [attempt]);
  }
  const items = callbacksOf(appointments).map((appointment) => {
    const mine = byAppointment.get(appointment.id) ?? [];
    const last = mine.at(-1);
    const contact = lastContact.get(appointment.id);
    const done =
      contact !== undefined && (last === undefined || contact.at >= last.at)
        ? contact.status === 'rebooked'
        : last !== undefined && CALLBACK_CLOSING_OUTCOMES.includes(last.outcome);
    return { appointment, attempts: mine, done };
  });
  return [...items.filter((i) => !i.done), ...items.filter((i) => i.done)];
}

/** The patient's other live appointments among `appointments`, earliest first: they may not need a call at all. */
export function alsoBookedOf<T extends Pick<Appointment, 'id' | 'patientId' | 'start' | 'status'>>(a: Pick<Appointment, 'id' | 'patientId'>, appointments: readonly T[]): T[] {
  return appointments
    .filter((o) => o.patientId === a.patientId && o.id !== a.id && isLive(o))
    .toSorted((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.id < y.id ? -1 : 1));
}

/**
 * 0 for suspected cancer, 1 anticoagulation, 2 palliative care (TIME_SENSITIVE_FLAGS order), 3 for everyone
 * else: GP leaders asked after July 2024 that time-sensitive patients be found and called first.
 */
export function callbackUrgency(flags: readonly PatientFlag[]): number {
  let rank = TIME_SENSITIVE_FLAGS.length;
  for (const f of flags) {
    const r = TIME_SENSITIVE_FLAGS.indexOf(f);
    if (r >= 0 && r < rank) rank = r;
  }
  return rank;
}

export function isTimeSensitive(flags: readonly PatientFlag[]): boolean {
  return callbackUrgency(flags) < TIME_SENSITIVE_FLAGS.length;
}

/** Time-sensitive first (most urgent flag first), then by appointment time, then id: a total order. */
export function compareCallbacks(
  x: Pick<Appointment, 'start' | 'id'> & { patient: Pick<Patient, 'flags'> },
  y: Pick<Appointment, 'start' | 'id'> & { patient: Pick<Patient, 'flags'> },
): number {
  return callbackUrgency(x.patient.flags) - callbackUrgency(y.patient.flags) || (x.start < y.start ? -1 : x.start > y.start ? 1 : 0) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}

/**
 * Types a receptionist can see did not turn up. Telephone and video appointments are the clinician's to mark
 * (the desk cannot tell an unanswered call), and a home visit happens at the patient's home.
 */
export const DESK_DNA_TYPES: readonly AppointmentType[] = ['face_to_face'];

/**
 * A session's remaining no-shows: its face-to-face appointments still only booked (never checked in), in time
 * order. Whether each is already due is for the screen to say; the desk marks exactly the list it confirmed.
 */
export function sessionNoShows<T extends Pick<Appointment, 'sessionId' | 'status' | 'type' | 'start' | 'id'>>(appointments: readonly T[], sessionId: string): T[] {
  return appointments
    .filter((a) => a.sessionId === sessionId && a.status === 'booked' && DESK_DNA_TYPES.includes(a.type))
    .toSorted((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.id < y.id ? -1 : 1));
}

/**
 * Initials as a waiting room reads them ("J S"): given name then family name, first letter of each, upper case.
 * Hyphenated and apostrophe'd names still give one letter each ("O'Brien" -> "O").
 */
export function initialsOf(p: Pick<Patient, 'givenName' | 'familyName'>): string {
  return [firstLetter(p.givenName), firstLetter(p.familyName)].filter((x) => x !== '').join(' ');
}

/**
 * A waiting room's "first name and initial" ("Amira K"): the given name as written (its first word only, so a
 * second given name stays private) and the family name's first letter. Never the full name (hazard H8).
 */
export function firstNameInitialOf(p: Pick<Patient, 'givenName' | 'familyName'>): string {
  const given = p.givenName.trim().split(/\s+/)[0] ?? '';
  return [given, firstLetter(p.familyName)].filter((x) => x !== '').join(' ');
}

function firstLetter(s: string): string {
  return (Array.from(s.trim().replace(/^[^\p{L}]+/u, ''))[0] ?? '').toLocaleUpperCase('en-GB');
}

/** The cancel reason of a walk-in taken back as registered by mistake (with FHIR status entered-in-error). */
export const REGISTERED_IN_ERROR = 'Registered in error';

/**
 * A patient's appointments today that a walk-in would duplicate: any not cancelled (booked, arrived, with the
 * clinician, seen, DNA, an earlier walk-in). Registering them again puts one person in two places in the queue.
 */
export function appointmentsTodayBlockingWalkIn<T extends Pick<Appointment, 'status' | 'start' | 'id'>>(appointments: readonly T[]): T[] {
  return appointments.filter((a) => a.status !== 'cancelled').toSorted((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : x.id < y.id ? -1 : 1));
}

/** Statuses from which the patient is not yet here (or did not come): the walk-in dialog offers to check them in. */
export const CHECK_IN_INSTEAD_STATUSES: readonly DeskStatus[] = ['booked', 'dna'];

/** Whether a walk-in can be taken back as registered in error: not once seen (the consultation happened). */
export function canCancelWalkInInError(a: Pick<Appointment, 'status' | 'desk'>): boolean {
  return a.desk?.origin === 'walk_in' && !['seen', 'left', 'cancelled'].includes(a.status);
}
