/**
 * After the plan: what each journal entry ended as, the manual worklist in keying order, and the outage's
 * impact figures. Pure, like the planner; the desk supplies names and the recorded outcomes.
 */
import { TIME_SENSITIVE_FLAGS, type PatientFlag } from '../domain/entities';
import { missingCaseError, type FhirAppointmentStatus } from '../domain/status';
import { localTimeOf, localDateOf, formatUkDate } from '../domain/time';
import { ATTENDANCE, type Plan, type PlanClass, type PlanEntry, type PlanItem } from './plan';
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

// ---- impact report ---------------------------------------------------------------------------------------

/** One outage: from the switch to outage mode to the switch back (to: null while it lasts). */
export interface OutageWindow {
  from: string;
  to: string | null;
}

export interface ImpactInput {
  /** The outages in time order (never overlapping). */
  outages: readonly OutageWindow[];
  /** When the report is made: where an outage that has not ended stops counting the book. */
  now: string;
  /** Desk changes in journal order (the planner's entries): what the desk did is counted from these. */
  entries: readonly PlanEntry[];
  /** The practice's own appointments (none made at the desk), as the desk holds them. */
  book: ReadonlyArray<{ id: string; patientId: string; start: string }>;
  /** An appointment's patient, for desk changes that name only the appointment. */
  patientOf: (appointmentId: string) => string | null;
  timeSensitive: (patientId: string) => boolean;
  /** Final outcomes recorded, one per (entry, item) step. */
  outcomes: ReadonlyArray<{ entryId: string; outcome: Outcome }>;
  /** Entries still pending and their plan class. */
  pending: ReadonlyArray<{ entryId: string; class: PlanClass }>;
}

export interface ImpactEntries {
  appliedAutomatically: number;
  keyedByHand: number;
  inConflict: number;
  alreadyUpstream: number;
  keptUpstream: number;
  dismissed: number;
  pending: number;
}

export interface ImpactFigures {
  outage: { from: string | null; to: string | null };
  /** The practice's appointments that fell inside the outage. */
  appointments: number;
  seen: number;
  dna: number;
  cancelled: number;
  rebooked: number;
  /** Every walk-in the desk registered, the signposted ones too. */
  walkIns: number;
  /** Of the walk-ins, those signposted elsewhere (never booked). */
  signposted: number;
  timeSensitivePatients: number;
  entries: ImpactEntries;
}

/** Each outage on its own, and (at the top level) all of them together. Counts only: they outlive the purge. */
export interface ImpactReport extends ImpactFigures {
  outages: ImpactFigures[];
}

/** A patient in time-sensitive care the outage touched: for the patient-identifiable version only. */
export interface AffectedPatient {
  /** Index into the report's outages. */
  outage: number;
  patientId: string;
  /** Their appointments inside the outage, with what the desk last set (null: the desk did not change it). */
  appointments: Array<{ id: string; status: string | null }>;
}

type Rec = Record<string, unknown>;
const recOf = (v: unknown): Rec | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null);
const strOf = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const inWindow = (at: string, w: OutageWindow, now: string) => at >= w.from && at <= (w.to ?? now);

/** What the desk did inside one outage, from its journal entries: the mirror's day totals move with every pull. */
function outageFacts(input: ImpactInput, w: OutageWindow) {
  // A walk-in taken back as registered in error never happened: none of its entries counts, whenever taken back.
  const inError = new Set(input.entries.filter((e) => e.entityId !== null && recOf(e.after)?.['fhirStatus'] === 'entered-in-error').map((e) => e.entityId));
  const entries = input.entries.filter((e) => inWindow(e.at, w, input.now) && !(e.entityId !== null && inError.has(e.entityId)));
  // Each appointment's last status the desk set inside the outage (a rebooking cancels the old one).
  const last = new Map<string, { status: string; rebooked: boolean }>();
  const patients = new Map<string, Set<string>>();
  const touch = (patientId: string | null, appointmentId: string | null) => {
    if (patientId === null) return;
    const set = patients.get(patientId) ?? new Set<string>();
    if (appointmentId !== null) set.add(appointmentId);
    patients.set(patientId, set);
  };
  let walkIns = 0;
  let signposted = 0;
  for (const e of entries) {
    const after = recOf(e.after);
    switch (e.op) {
      case 'appointment.setStatus':
      case 'appointment.undo': {
        const status = strOf(after?.['status']);
        if (e.entityId !== null && status !== null) last.set(e.entityId, { status, rebooked: false });
        if (e.entityId !== null) touch(input.patientOf(e.entityId), e.entityId);
        break;
      }
      case 'appointment.rebook':
        if (e.entityId !== null) {
          last.set(e.entityId, { status: 'cancelled', rebooked: true });
          touch(input.patientOf(e.entityId), e.entityId);
        }
        break;
      case 'appointment.book': {
        const appt = recOf(after?.['appointment']);
        const id = strOf(appt?.['id']);
        const status = strOf(appt?.['status']);
        if (id !== null && status !== null) last.set(id, { status, rebooked: false });
        touch(strOf(appt?.['patientId']), id);
        break;
      }
      case 'appointment.walkIn': {
        walkIns++;
        const appt = recOf(after?.['appointment']);
        const id = strOf(appt?.['id']);
        const status = strOf(appt?.['status']);
        if (id !== null && status !== null) last.set(id, { status, rebooked: false });
        touch(strOf(appt?.['patientId']), id);
        break;
      }
      case 'walkIn.signpost':
        walkIns++;
        signposted++;
        touch(strOf(recOf(after?.['patient'])?.['id']), null);
        break;
      case 'appointment.note':
        touch(strOf(after?.['patientId']), e.entityId);
        break;
      case 'patient.contact':
        touch(e.entityId, null);
        break;
      default:
        break;
    }
  }
  const end = w.to ?? input.now;
  const book = input.book.filter((a) => a.start >= w.from && a.start <= end);
  for (const a of book) touch(a.patientId, a.id);
  const finals = [...last.values()];
  const count = (f: (x: { status: string; rebooked: boolean }) => boolean) => finals.filter(f).length;
  const affected = [...patients].filter(([id]) => input.timeSensitive(id)).sort(([a], [b]) => a.localeCompare(b));
  return {
    entryIds: new Set(entries.map((e) => e.id)),
    last,
    affected,
    figures: {
      outage: { from: w.from, to: w.to },
      appointments: book.length,
      seen: count((x) => x.status === 'seen' || x.status === 'left'),
      dna: count((x) => x.status === 'dna' || x.status === 'walked_out'),
      cancelled: count((x) => x.status === 'cancelled' && !x.rebooked),
      rebooked: count((x) => x.status === 'cancelled' && x.rebooked),
      walkIns,
      signposted,
      timeSensitivePatients: affected.length,
    },
  };
}

function entryFigures(input: ImpactInput, only: ReadonlySet<string> | null): ImpactEntries {
  const byEntry = new Map<string, Outcome[]>();
  for (const o of input.outcomes) if (!only || only.has(o.entryId)) byEntry.set(o.entryId, [...(byEntry.get(o.entryId) ?? []), o.outcome]);
  const pendingEntries = new Map<string, PlanClass>();
  for (const p of input.pending) if ((!only || only.has(p.entryId)) && (!pendingEntries.has(p.entryId) || p.class === 'conflict')) pendingEntries.set(p.entryId, p.class);
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
  return e;
}

/**
 * The figures a practice needs for its ICB claim, each outage on its own and all together: the appointments that
 * fell inside each outage, and what the desk did inside it (seen, DNA, cancelled, rebooked, walk-ins), counted
 * from the journal so a later pull cannot change them. Counts only, no patient data, so they outlive the purge.
 */
export function impactReport(input: ImpactInput): ImpactReport {
  const facts = input.outages.map((w) => outageFacts(input, w));
  const outages = facts.map((f) => ({ ...f.figures, entries: entryFigures(input, f.entryIds) }));
  const sum = (k: 'appointments' | 'seen' | 'dna' | 'cancelled' | 'rebooked' | 'walkIns' | 'signposted') => outages.reduce((n, o) => n + o[k], 0);
  const first = input.outages[0];
  const lastOutage = input.outages.at(-1);
  return {
    outage: { from: first?.from ?? null, to: lastOutage ? lastOutage.to : null },
    appointments: sum('appointments'),
    seen: sum('seen'),
    dna: sum('dna'),
    cancelled: sum('cancelled'),
    rebooked: sum('rebooked'),
    walkIns: sum('walkIns'),
    signposted: sum('signposted'),
    timeSensitivePatients: new Set(facts.flatMap((f) => f.affected.map(([id]) => id))).size,
    // All the desk's changes, inside an outage or not: each has to be put back.
    entries: entryFigures(input, null),
    outages,
  };
}

/** The time-sensitive patients each outage touched, for the patient-identifiable version of the report. */
export function affectedPatients(input: ImpactInput): AffectedPatient[] {
  return input.outages.flatMap((w, outage) => {
    const f = outageFacts(input, w);
    return f.affected.map(([patientId, ids]) => ({ outage, patientId, appointments: [...ids].sort().map((id) => ({ id, status: f.last.get(id)?.status ?? null })) }));
  });
}

const IMPACT_COLUMNS: ReadonlyArray<[string, (f: ImpactFigures) => string | number]> = [
  ['outage_from', (f) => f.outage.from ?? ''],
  ['outage_to', (f) => f.outage.to ?? ''],
  ['appointments_in_outage', (f) => f.appointments],
  ['seen', (f) => f.seen],
  ['dna', (f) => f.dna],
  ['cancelled', (f) => f.cancelled],
  ['rebooked', (f) => f.rebooked],
  ['walk_ins', (f) => f.walkIns],
  ['walk_ins_signposted', (f) => f.signposted],
  ['time_sensitive_patients_affected', (f) => f.timeSensitivePatients],
  ['entries_applied_automatically', (f) => f.entries.appliedAutomatically],
  ['entries_already_upstream', (f) => f.entries.alreadyUpstream],
  ['entries_keyed_by_hand', (f) => f.entries.keyedByHand],
  ['entries_in_conflict', (f) => f.entries.inConflict],
  ['entries_kept_upstream', (f) => f.entries.keptUpstream],
  ['entries_dismissed', (f) => f.entries.dismissed],
  ['entries_pending', (f) => f.entries.pending],
];

/** One line per outage (numbered from 1) and a last line "total": counts only, for a spreadsheet or the ICB. */
export function impactCsv(r: ImpactReport): string {
  const line = (name: string, f: ImpactFigures) => [name, ...IMPACT_COLUMNS.map(([, v]) => String(v(f)))];
  return formatCsv([['outage', ...IMPACT_COLUMNS.map(([k]) => k)], ...r.outages.map((o, i) => line(String(i + 1), o)), line('total', r)]);
}
