/**
 * The outage's impact figures for the practice's claim: each outage on its own and all together, counted from the
 * journal (what the desk did inside it), the merge-back outcomes (what had to be keyed by hand) and the week after's
 * work (rebookings, callbacks, messages), priced in staff time by the practice's own minutes per task (claim.ts).
 * Counts only, no patient data, so they outlive the purge. IMPACT_FIGURES is the one list of figures: the CSV's
 * columns, the printed report's rows and the FHIR MeasureReport's groups are all read from it.
 */
import type { PlanClass, PlanEntry } from './plan';
import { formatCsv } from '../csv';
import type { Outcome } from './worklist';
import { workCost, type ClaimSettings } from './claim';

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
  /** Every try at calling a patient back (callbacks.ts), whenever made: counted for the outage its appointment fell in. */
  callbackAttempts: ReadonlyArray<{ appointmentId: string }>;
  /** Messages sent to patients about their appointment (contact tracking), counted as callbacks are. */
  messagesSent: ReadonlyArray<{ appointmentId: string }>;
  /** The practice's minutes per task and costs per hour. */
  claim: ClaimSettings;
}

/** The week after's work an outage caused, and what it cost in staff time (claim.ts). */
export interface ImpactWork {
  /** Appointments in the outage rebooked at the desk, during it or after (the rebooking assistant's too). */
  rebookings: number;
  /** Desk changes keyed by hand from the worklist. */
  keyedByHand: number;
  /** Tries at calling back patients whose appointment fell in the outage. */
  callbacks: number;
  messages: number;
  minutes: number;
  /** Pounds; null when a task was done by staff the practice gave no cost per hour for. */
  cost: number | null;
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
  work: ImpactWork;
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
    /** The appointments the outage touched: booked inside it, or changed at the desk while it lasted. */
    appointmentIds: new Set([...patients.values()].flatMap((ids) => [...ids])),
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
 * The work an outage caused, whenever it was done: about the appointments it touched (booked inside it, or changed at
 * the desk while it lasted), or rebookings of appointments that were inside it.
 */
function outageWork(input: ImpactInput, w: OutageWindow, facts: { entryIds: ReadonlySet<string>; appointmentIds: ReadonlySet<string> }): ImpactWork {
  const end = w.to ?? input.now;
  const inOutage = facts.appointmentIds;
  const outageEntryIds = facts.entryIds;
  // The outage's own entries, and the rebookings of its appointments made after it: all to be keyed if not written.
  const entryIds = new Set(outageEntryIds);
  let rebookings = 0;
  for (const e of input.entries) {
    if (e.op !== 'appointment.rebook' || e.entityId === null) continue;
    const start = strOf(recOf(e.before)?.['start']);
    if (!inOutage.has(e.entityId) && !(start !== null && start >= w.from && start <= end)) continue;
    rebookings++;
    entryIds.add(e.id);
  }
  const keyedByHand = entryFigures(input, entryIds).keyedByHand;
  const callbacks = input.callbackAttempts.filter((a) => inOutage.has(a.appointmentId)).length;
  const messages = input.messagesSent.filter((m) => inOutage.has(m.appointmentId)).length;
  return { rebookings, keyedByHand, callbacks, messages, ...workCost({ rebooking: rebookings, keyedItem: keyedByHand, callback: callbacks, message: messages }, input.claim) };
}

function sumWork(all: readonly ImpactWork[]): ImpactWork {
  const costs = all.map((w) => w.cost);
  return {
    rebookings: all.reduce((n, w) => n + w.rebookings, 0),
    keyedByHand: all.reduce((n, w) => n + w.keyedByHand, 0),
    callbacks: all.reduce((n, w) => n + w.callbacks, 0),
    messages: all.reduce((n, w) => n + w.messages, 0),
    minutes: Math.round(all.reduce((n, w) => n + w.minutes, 0) * 10) / 10,
    cost: costs.includes(null) ? null : Math.round(costs.reduce((n: number, c) => n + (c ?? 0), 0) * 100) / 100,
  };
}

/**
 * The figures a practice needs for its ICB claim, each outage on its own and all together: the appointments that
 * fell inside each outage, and what the desk did inside it (seen, DNA, cancelled, rebooked, walk-ins), counted
 * from the journal so a later pull cannot change them. Counts only, no patient data, so they outlive the purge.
 */
export function impactReport(input: ImpactInput): ImpactReport {
  const facts = input.outages.map((w) => outageFacts(input, w));
  const outages = facts.map((f, i) => {
    const entries = entryFigures(input, f.entryIds);
    const w = input.outages[i];
    if (w === undefined) throw new Error('an outage without its window');
    return { ...f.figures, entries, work: outageWork(input, w, f) };
  });
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
    work: sumWork(outages.map((o) => o.work)),
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

/** Where a figure is shown: the book and the desk's day, merge-back's entries, the work and its cost. */
export type ImpactSection = 'book' | 'entries' | 'work';

export interface ImpactFigure {
  /** The CSV column and the MeasureReport group's code: never renamed, an ICB's collection reads them. */
  key: string;
  /** The printed report's and the screen's words. */
  label: string;
  section: ImpactSection;
  /** What the number counts in: UCUM's "1" for counts, "min" for minutes; pounds as ISO 4217's GBP. */
  unit: 'count' | 'minutes' | 'GBP';
  /** null: not known (no cost per hour given). */
  value: (f: ImpactFigures) => number | null;
}

/** The impact report's figures, in the order every export shows them. */
export const IMPACT_FIGURES: readonly ImpactFigure[] = [
  { key: 'appointments_in_outage', label: 'Appointments in the outage', section: 'book', unit: 'count', value: (f) => f.appointments },
  { key: 'seen', label: 'Seen', section: 'book', unit: 'count', value: (f) => f.seen },
  { key: 'dna', label: 'Did not attend (DNA, walked out)', section: 'book', unit: 'count', value: (f) => f.dna },
  { key: 'cancelled', label: 'Cancelled', section: 'book', unit: 'count', value: (f) => f.cancelled },
  { key: 'rebooked', label: 'Rebooked', section: 'book', unit: 'count', value: (f) => f.rebooked },
  { key: 'walk_ins', label: 'Walk-ins', section: 'book', unit: 'count', value: (f) => f.walkIns },
  { key: 'walk_ins_signposted', label: 'of whom signposted elsewhere', section: 'book', unit: 'count', value: (f) => f.signposted },
  { key: 'time_sensitive_patients_affected', label: 'Patients in time-sensitive care affected', section: 'book', unit: 'count', value: (f) => f.timeSensitivePatients },
  { key: 'entries_applied_automatically', label: 'Applied to the clinical system automatically', section: 'entries', unit: 'count', value: (f) => f.entries.appliedAutomatically },
  { key: 'entries_already_upstream', label: 'Already in the clinical system', section: 'entries', unit: 'count', value: (f) => f.entries.alreadyUpstream },
  { key: 'entries_keyed_by_hand', label: 'Keyed by hand from the worklist', section: 'entries', unit: 'count', value: (f) => f.entries.keyedByHand },
  { key: 'entries_in_conflict', label: 'In conflict, awaiting a decision', section: 'entries', unit: 'count', value: (f) => f.entries.inConflict },
  { key: 'entries_kept_upstream', label: 'Upstream kept (a person decided)', section: 'entries', unit: 'count', value: (f) => f.entries.keptUpstream },
  { key: 'entries_dismissed', label: 'Dismissed with a reason', section: 'entries', unit: 'count', value: (f) => f.entries.dismissed },
  { key: 'entries_pending', label: 'Still pending', section: 'entries', unit: 'count', value: (f) => f.entries.pending },
  { key: 'work_rebookings', label: 'Rebookings made', section: 'work', unit: 'count', value: (f) => f.work.rebookings },
  { key: 'work_keyed_by_hand', label: 'Items keyed by hand', section: 'work', unit: 'count', value: (f) => f.work.keyedByHand },
  { key: 'work_callbacks', label: 'Callback calls made', section: 'work', unit: 'count', value: (f) => f.work.callbacks },
  { key: 'work_messages', label: 'Messages sent to patients', section: 'work', unit: 'count', value: (f) => f.work.messages },
  { key: 'work_staff_minutes', label: 'Staff time (minutes)', section: 'work', unit: 'minutes', value: (f) => f.work.minutes },
  { key: 'work_staff_cost_gbp', label: 'Staff cost (£)', section: 'work', unit: 'GBP', value: (f) => f.work.cost },
];

/** One line per outage (numbered from 1) and a last line "total": counts only, for a spreadsheet or the ICB. */
export function impactCsv(r: ImpactReport): string {
  const line = (name: string, f: ImpactFigures) => [name, f.outage.from ?? '', f.outage.to ?? '', ...IMPACT_FIGURES.map((x) => String(x.value(f) ?? ''))];
  return formatCsv([['outage', 'outage_from', 'outage_to', ...IMPACT_FIGURES.map((x) => x.key)], ...r.outages.map((o, i) => line(String(i + 1), o)), line('total', r)]);
}
