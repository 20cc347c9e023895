/**
 * After the plan: what each journal entry ended as, and the manual worklist in keying order (the outage's impact
 * figures are impact.ts). Pure, like the planner; the desk supplies names and the recorded outcomes.
 */
import { TIME_SENSITIVE_FLAGS, type PatientFlag } from '../domain/entities';
import { missingCaseError, type FhirAppointmentStatus } from '../domain/status';
import { localTimeOf, localDateOf, formatUkDate } from '../domain/time';
import { ATTENDANCE, type Plan, type PlanItem } from './plan';
import { formatCsv } from '../csv';
import { contemporaneousKeying, type ContemporaneousNote } from './notes';

/** Final outcomes, one per (entry, item) step; an entry with none is still pending and shows as such. */
export const OUTCOMES = ['applied', 'already', 'kept_upstream', 'keyed', 'dismissed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The last attempt at writing an item, when it did not end in an outcome. */
export const ATTEMPT_RESULTS = ['rejected', 'failed', 'conflict'] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

export interface PatientInfo {
  id: string;
  name: string;
  nhsNumber: string | null;
  dateOfBirth: string | null;
  phone: string | null;
  flags: readonly PatientFlag[];
  /** Registered for a short stay: keyed as a temporary resident, and their registered practice may need to know. */
  temporaryResident: boolean;
}

/** Where an appointment is: its patient, start and clinician. */
export interface AppointmentPlace {
  patientId: string;
  start: string;
  clinicianId: string;
}

export interface WorklistLookup {
  patient: (id: string) => PatientInfo | null;
  clinicianName: (id: string) => string;
  /** The appointment as the desk holds it (the mirror), for an item the planner could not place (no base version). */
  appointment: (id: string) => AppointmentPlace | null;
  /** The last failed attempt at an item (a 422 rejection, say), if any. */
  attempt: (key: string) => { result: AttemptResult; detail: string } | null;
}

export interface WorklistItem {
  key: string;
  /** What to key, in words a receptionist can follow at the clinical system. */
  action: string;
  why: string;
  when: string | null;
  /** The appointment's clinician, by name; null for an entry about no appointment. */
  clinician: string | null;
  attendance: boolean;
  entryIds: string[];
  /** A note a clinician typed in their room: who and when; its action says so and its why prompts the re-check. */
  contemporaneous?: ContemporaneousNote;
  /** The consultation record's reference for the note's appointment (the same the printed page carries). */
  reference?: string;
}

export interface WorklistPatient {
  patientId: string | null;
  name: string;
  nhsNumber: string | null;
  dateOfBirth: string | null;
  timeSensitive: boolean;
  flags: PatientFlag[];
  temporaryResident: boolean;
  /** 0: the outage day's attendance; 1: time-sensitive care; 2: the rest. */
  rank: 0 | 1 | 2;
  items: WorklistItem[];
}

const FHIR_WORD: Record<FhirAppointmentStatus, string> = {
  proposed: 'Proposed',
  pending: 'Pending',
  booked: 'Booked',
  arrived: 'Arrived',
  fulfilled: 'Seen (fulfilled)',
  cancelled: 'Cancelled',
  noshow: 'DNA (did not attend)',
  'entered-in-error': 'Entered in error',
  'checked-in': 'Checked in',
  waitlist: 'Waiting list',
};

const when = (iso: string | null) => (iso === null ? null : `${formatUkDate(localDateOf(iso))} ${localTimeOf(iso)}`);

/**
 * An item's patient, time and clinician: from the plan (the base, upstream now, or what the desk made), else
 * from the desk's own copy of the appointment. A book loaded without base versions (a file, the demo) still names
 * every patient.
 */
export function itemPlace(item: PlanItem, lookup: Pick<WorklistLookup, 'appointment'>): { patientId: string | null; start: string | null; clinicianId: string | null } {
  const made = item.write?.kind === 'create' ? item.write.appointment : null;
  const known = item.base ?? item.upstream ?? made;
  const held = item.appointmentId !== null && (known === null || item.patientId === null || item.start === null) ? lookup.appointment(item.appointmentId) : null;
  return {
    patientId: item.patientId ?? known?.patientId ?? held?.patientId ?? null,
    start: item.start ?? known?.start ?? held?.start ?? null,
    clinicianId: known?.clinicianId ?? held?.clinicianId ?? null,
  };
}

function actionOf(item: PlanItem, lookup: WorklistLookup, clinicianId: string | null, start: string | null): string {
  const d = item.desk;
  const times = d ? [d.arrivedAt && `arrived ${localTimeOf(d.arrivedAt)}`, d.seenAt && `seen ${localTimeOf(d.seenAt)}`].filter(Boolean).join(', ') : '';
  const status = d ? `${FHIR_WORD[d.fhirStatus]}${times ? ` (${times})` : ''}${d.cancelReason && d.fhirStatus === 'cancelled' ? `: ${d.cancelReason}` : ''}` : '';
  switch (item.kind) {
    case 'status': {
      const clinician = clinicianId !== null ? ` with ${lookup.clinicianName(clinicianId)}` : '';
      return `Set the ${when(start) ?? ''} appointment${clinician} to ${status}`;
    }
    case 'create': {
      const clinician = clinicianId !== null ? ` with ${lookup.clinicianName(clinicianId)}` : '';
      const what =
        item.op === 'appointment.walkIn' ? 'Book the walk-in' : item.op === 'appointment.book' ? 'Book the appointment made at the desk' : 'Book the rebooked appointment';
      const register = item.reason.startsWith('a patient new') ? 'Register the patient (new to the practice), then: ' : '';
      return `${register}${what} at ${when(start) ?? ''}${clinician}, status ${status}`;
    }
    case 'entry':
      switch (item.op) {
        case 'walkIn.signpost':
          return `Record the walk-in who was signposted elsewhere${item.detail ? ` (to ${item.detail})` : ''}`;
        case 'appointment.note':
          return `Key the note into the record${start ? ` of the ${when(start) ?? ''} appointment` : ''}${item.detail ? `: \u201c${item.detail}\u201d` : ''}`;
        case 'patient.contact':
          return `Update the patient\u2019s contact details${item.detail ? ` (${item.detail})` : ''}`;
        default:
          return 'Check this desk change and key it by hand';
      }
    default:
      throw missingCaseError(item.kind);
  }
}

/**
 * Whether an item is for a person to key by hand (and so to tick off): one upstream cannot take (manual, which
 * includes a conflict a manager left for manual entry), or one the clinical system refused (4xx) that would
 * still have been written. Never a conflict awaiting a decision (that is the manager's, through the conflict
 * decision) nor an item apply has still to write or record: ticking those would lose the desk's change.
 */
export function onWorklist(item: Pick<PlanItem, 'class'>, attempt: { result: AttemptResult } | null): boolean {
  if (item.class === 'manual') return true;
  return attempt?.result === 'rejected' && (item.class === 'clean' || item.class === 'compatible');
}

/**
 * Everything a person must key by hand, grouped by patient in keying order: first the outage day's attendance
 * (an overnight auto-DNA job would otherwise mark attendees DNA), then patients in time-sensitive care, then the
 * rest; each patient's items in time order. With capability "none" every item is here.
 */
export function buildWorklist(plan: Plan, lookup: WorklistLookup): WorklistPatient[] {
  const byPatient = new Map<string, WorklistPatient & { first: string }>();
  for (const item of plan.items) {
    const attempt = lookup.attempt(item.key);
    if (!onWorklist(item, attempt)) continue;
    const place = itemPlace(item, lookup);
    const p = place.patientId !== null ? lookup.patient(place.patientId) : null;
    const k = place.patientId ?? `(unknown)`;
    let entry = byPatient.get(k);
    if (!entry) {
      const flags = [...(p?.flags ?? [])];
      const timeSensitive = flags.some((f) => TIME_SENSITIVE_FLAGS.includes(f));
      entry = {
        patientId: place.patientId,
        name: p?.name ?? 'Patient not in the mirror',
        nhsNumber: p?.nhsNumber ?? null,
        dateOfBirth: p?.dateOfBirth ?? null,
        timeSensitive,
        flags,
        temporaryResident: p?.temporaryResident ?? false,
        rank: timeSensitive ? 1 : 2,
        items: [],
        first: place.start ?? '9999',
      };
      byPatient.set(k, entry);
    }
    // The planner could not date an appointment it has no base for; the desk's copy can (no one arrives early for
    // a day still to come, so attendance recorded at the desk is always the outage day's or before).
    const attendance = item.attendance || (item.start === null && place.start !== null && item.desk !== null && ATTENDANCE.has(item.desk.fhirStatus));
    if (attendance) entry.rank = 0;
    if ((place.start ?? '9999') < entry.first) entry.first = place.start ?? '9999';
    const why = attempt?.result === 'rejected' ? refusedReason(attempt.detail) : item.reason;
    const note = item.contemporaneous
      ? contemporaneousKeying(item.contemporaneous, { appointmentId: item.appointmentId, start: place.start, text: item.detail, reason: why })
      : null;
    entry.items.push({
      key: item.key,
      action: note?.action ?? actionOf(item, lookup, place.clinicianId, place.start),
      why: note?.why ?? why,
      when: place.start,
      clinician: place.clinicianId !== null ? lookup.clinicianName(place.clinicianId) : null,
      attendance,
      entryIds: item.entryIds,
      ...(item.contemporaneous ? { contemporaneous: item.contemporaneous } : {}),
      ...(note && note.reference !== null ? { reference: note.reference } : {}),
    });
  }
  const patients = [...byPatient.values()];
  for (const p of patients) p.items.sort((a, b) => (a.when ?? '9999').localeCompare(b.when ?? '9999') || a.key.localeCompare(b.key));
  patients.sort((a, b) => a.rank - b.rank || a.first.localeCompare(b.first) || (a.patientId ?? '').localeCompare(b.patientId ?? ''));
  return patients.map(({ first: _first, ...rest }) => rest);
}

/** Why an item refused by the clinical system (a 422, say) is keyed by hand. */
export const refusedReason = (detail: string) => `the clinical system refused it: ${detail}`;

/**
 * One CSV line per worklist item, in keying order, with a header: for practices keying from a spreadsheet. Each
 * line names the patient (name, NHS number, date of birth), the appointment's date, time and clinician: a person
 * keys from names, not ids.
 */
export function worklistCsv(worklist: readonly WorklistPatient[]): string {
  const rows: Array<Array<string | null>> = [['order', 'patient', 'nhs_number', 'date_of_birth', 'priority', 'date', 'time', 'clinician', 'action', 'why', 'item']];
  let n = 0;
  for (const p of worklist) {
    const priority = p.rank === 0 ? 'attendance first' : p.rank === 1 ? 'time-sensitive' : 'routine';
    for (const i of p.items) {
      n++;
      const date = i.when === null ? null : formatUkDate(localDateOf(i.when));
      const time = i.when === null ? null : localTimeOf(i.when);
      rows.push([String(n), p.name, p.nhsNumber, p.dateOfBirth, priority, date, time, i.clinician, i.action, i.why, i.key]);
    }
  }
  return formatCsv(rows);
}
