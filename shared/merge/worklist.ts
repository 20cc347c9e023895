/**
 * After the plan: what each journal entry ended as, the manual worklist in keying order, and the outage's
 * impact figures. Pure, like the planner; the desk supplies names and the recorded outcomes.
 */
import { TIME_SENSITIVE_FLAGS, type PatientFlag } from '../domain/entities';
import { missingCaseError, type FhirAppointmentStatus } from '../domain/status';
import { localTimeOf, localDateOf, formatUkDate } from '../domain/time';
import type { Plan, PlanClass, PlanItem } from './plan';

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
}

export interface WorklistLookup {
  patient: (id: string) => PatientInfo | null;
  clinicianName: (id: string) => string;
  /** The last failed attempt at an item (a 422 rejection, say), if any. */
  attempt: (key: string) => { result: AttemptResult; detail: string } | null;
}

export interface WorklistItem {
  key: string;
  /** What to key, in words a receptionist can follow at the clinical system. */
  action: string;
  why: string;
  when: string | null;
  attendance: boolean;
  entryIds: string[];
}

export interface WorklistPatient {
  patientId: string | null;
  name: string;
  nhsNumber: string | null;
  dateOfBirth: string | null;
  timeSensitive: boolean;
  flags: PatientFlag[];
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

function actionOf(item: PlanItem, lookup: WorklistLookup): string {
  const d = item.desk;
  const times = d ? [d.arrivedAt && `arrived ${localTimeOf(d.arrivedAt)}`, d.seenAt && `seen ${localTimeOf(d.seenAt)}`].filter(Boolean).join(', ') : '';
  const status = d ? `${FHIR_WORD[d.fhirStatus]}${times ? ` (${times})` : ''}${d.cancelReason && d.fhirStatus === 'cancelled' ? `: ${d.cancelReason}` : ''}` : '';
  switch (item.kind) {
    case 'status': {
      const clinician = item.base ? ` with ${lookup.clinicianName(item.base.clinicianId)}` : '';
      return `Set the ${when(item.start) ?? ''} appointment${clinician} to ${status}`;
    }
    case 'create': {
      const w = item.write?.kind === 'create' ? item.write.appointment : null;
      const clinician = w ? ` with ${lookup.clinicianName(w.clinicianId)}` : '';
      const what = item.op === 'appointment.walkIn' ? 'Book the walk-in' : 'Book the rebooked appointment';
      const register = item.reason.startsWith('a patient new') ? 'Register the patient (new to the practice), then: ' : '';
      return `${register}${what} at ${when(item.start) ?? ''}${clinician}, status ${status}`;
    }
    case 'entry':
      switch (item.op) {
        case 'walkIn.signpost':
          return `Record the walk-in who was signposted elsewhere${item.detail ? ` (to ${item.detail})` : ''}`;
        case 'appointment.note':
          return `Key the note into the record${item.start ? ` of the ${when(item.start) ?? ''} appointment` : ''}${item.detail ? `: \u201c${item.detail}\u201d` : ''}`;
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
    const p = item.patientId !== null ? lookup.patient(item.patientId) : null;
    const k = item.patientId ?? `(unknown)`;
    let entry = byPatient.get(k);
    if (!entry) {
      const flags = [...(p?.flags ?? [])];
      const timeSensitive = flags.some((f) => TIME_SENSITIVE_FLAGS.includes(f));
      entry = {
        patientId: item.patientId,
        name: p?.name ?? 'Patient not in the mirror',
        nhsNumber: p?.nhsNumber ?? null,
        dateOfBirth: p?.dateOfBirth ?? null,
        timeSensitive,
        flags,
        rank: timeSensitive ? 1 : 2,
        items: [],
        first: item.start ?? '9999',
      };
      byPatient.set(k, entry);
    }
    if (item.attendance) entry.rank = 0;
    if ((item.start ?? '9999') < entry.first) entry.first = item.start ?? '9999';
    entry.items.push({
      key: item.key,
      action: actionOf(item, lookup),
      why: attempt?.result === 'rejected' ? `the clinical system refused it: ${attempt.detail}` : item.reason,
      when: item.start,
      attendance: item.attendance,
      entryIds: item.entryIds,
    });
  }
  const patients = [...byPatient.values()];
  for (const p of patients) p.items.sort((a, b) => (a.when ?? '9999').localeCompare(b.when ?? '9999') || a.key.localeCompare(b.key));
  patients.sort((a, b) => a.rank - b.rank || a.first.localeCompare(b.first) || (a.patientId ?? '').localeCompare(b.patientId ?? ''));
  return patients.map(({ first: _first, ...rest }) => rest);
}

/** One CSV line per worklist item, in keying order, with a header: for practices keying from a spreadsheet. */
export function worklistCsv(worklist: readonly WorklistPatient[]): string {
  const cell = (v: string | null) => {
    const s = v ?? '';
    // A leading =, +, - or @ would be a formula in a spreadsheet (CSV injection): quote it as text.
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = ['order,patient,nhs_number,date_of_birth,priority,when,action,why,item'];
  let n = 0;
  for (const p of worklist) {
    const priority = p.rank === 0 ? 'attendance first' : p.rank === 1 ? 'time-sensitive' : 'routine';
    for (const i of p.items) {
      n++;
      lines.push([String(n), p.name, p.nhsNumber, p.dateOfBirth, priority, when(i.when), i.action, i.why, i.key].map(cell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

// ---- impact report ---------------------------------------------------------------------------------------

export interface ImpactInput {
  outage: { from: string | null; to: string | null };
  /** Appointments in the window, as the desk has them now. */
  appointments: ReadonlyArray<{ id: string; patientId: string; status: string; origin: string; timeSensitive: boolean; rebookedTo: string | null }>;
  /** Final outcomes recorded, one per (entry, item) step. */
  outcomes: ReadonlyArray<{ entryId: string; outcome: Outcome }>;
  /** Entries still pending and their plan class. */
  pending: ReadonlyArray<{ entryId: string; class: PlanClass }>;
}

export interface ImpactReport {
  outage: { from: string | null; to: string | null };
  appointments: number;
  seen: number;
  dna: number;
  cancelled: number;
  rebooked: number;
  walkIns: number;
  timeSensitivePatients: number;
  entries: { appliedAutomatically: number; keyedByHand: number; inConflict: number; alreadyUpstream: number; keptUpstream: number; dismissed: number; pending: number };
}

/** The figures a practice needs for its ICB claim; counts only, no patient data, so they outlive the purge. */
export function impactReport(input: ImpactInput): ImpactReport {
  const a = input.appointments;
  const count = (f: (x: ImpactInput['appointments'][number]) => boolean) => a.filter(f).length;
  const byEntry = new Map<string, Outcome[]>();
  for (const o of input.outcomes) byEntry.set(o.entryId, [...(byEntry.get(o.entryId) ?? []), o.outcome]);
  const pendingEntries = new Map<string, PlanClass>();
  for (const p of input.pending) if (!pendingEntries.has(p.entryId) || p.class === 'conflict') pendingEntries.set(p.entryId, p.class);
  const e = { appliedAutomatically: 0, keyedByHand: 0, inConflict: 0, alreadyUpstream: 0, keptUpstream: 0, dismissed: 0, pending: 0 };
  for (const [id, outcomes] of byEntry) {
    if (pendingEntries.has(id)) continue;
    // An entry with several steps (a rebooking: create, then cancel) counts once, by its least settled step.
    if (outcomes.includes('dismissed')) e.dismissed++;
    else if (outcomes.includes('keyed')) e.keyedByHand++;
    else if (outcomes.includes('kept_upstream')) e.keptUpstream++;
    else if (outcomes.includes('applied')) e.appliedAutomatically++;
    else e.alreadyUpstream++;
  }
  for (const cls of pendingEntries.values()) {
    if (cls === 'conflict') e.inConflict++;
    else e.pending++;
  }
  const timeSensitive = new Set(a.filter((x) => x.timeSensitive).map((x) => x.patientId));
  return {
    outage: input.outage,
    appointments: count((x) => x.origin === 'upstream'),
    seen: count((x) => x.status === 'seen' || x.status === 'left'),
    dna: count((x) => x.status === 'dna' || x.status === 'walked_out'),
    cancelled: count((x) => x.status === 'cancelled'),
    rebooked: count((x) => x.rebookedTo !== null),
    walkIns: count((x) => x.origin === 'walk_in'),
    timeSensitivePatients: timeSensitive.size,
    entries: e,
  };
}

export function impactCsv(r: ImpactReport): string {
  const rows: Array<[string, string | number]> = [
    ['outage_from', r.outage.from ?? ''],
    ['outage_to', r.outage.to ?? ''],
    ['appointments_in_outage', r.appointments],
    ['seen', r.seen],
    ['dna', r.dna],
    ['cancelled', r.cancelled],
    ['rebooked', r.rebooked],
    ['walk_ins', r.walkIns],
    ['time_sensitive_patients_affected', r.timeSensitivePatients],
    ['entries_applied_automatically', r.entries.appliedAutomatically],
    ['entries_already_upstream', r.entries.alreadyUpstream],
    ['entries_keyed_by_hand', r.entries.keyedByHand],
    ['entries_in_conflict', r.entries.inConflict],
    ['entries_kept_upstream', r.entries.keptUpstream],
    ['entries_dismissed', r.entries.dismissed],
    ['entries_pending', r.entries.pending],
  ];
  return `measure,value\r\n${rows.map(([k, v]) => `${k},${v}`).join('\r\n')}\r\n`;
}
