/**
 * The merge-back planner (DESIGN.md property 5): from the base snapshot (each appointment as last pulled, with
 * its upstream version), the journal, and upstream as it is now, it decides what each desk change needs.
 * Pure and deterministic: the same inputs give the same plan, byte for byte (no clock, no randomness, no
 * iteration over anything unordered without sorting), so a plan shown to a person is the plan applied.
 *
 * Writes are per appointment, not per entry: an appointment checked in, sent in and seen at the desk is one
 * write of its final state. So entries are grouped into items (one per appointment, one per thing made at the
 * desk, one per entry upstream cannot take), every item is classified, and each entry takes its items' class.
 *
 * Classes: already (upstream already says what the desk says, or the desk's changes cancel out), clean
 * (upstream unchanged since the base: write with If-Match), compatible (upstream changed something the desk did
 * not touch: write onto upstream's version), conflict (a person decides), manual (upstream cannot take it:
 * keyed by hand from the worklist).
 */
import { DESK_STATUSES, fhirStatusOf, type DeskStatus, type FhirAppointmentStatus } from '../domain/status';
import { formatUkDate, localDateOf as londonDateOf, localTimeOf } from '../domain/time';
import { contemporaneousOf, type ContemporaneousNote } from './notes';

const DESK_STATUS_SET: ReadonlySet<string> = new Set(DESK_STATUSES);

/**
 * London dates of instants, remembered: a day's appointments share a few hundred start times, and working out a
 * London date (Intl) costs far more than the rest of classifying an entry (see tests/bench/merge.ts).
 */
const dateCache = new Map<string, string>();
function localDateOf(instant: string): string {
  let d = dateCache.get(instant);
  if (d === undefined) {
    if (dateCache.size > 100_000) dateCache.clear();
    d = londonDateOf(instant);
    dateCache.set(instant, d);
  }
  return d;
}

/** The journal operations that are desk changes to put back; everything else (loads, refreshes, modes) is not. */
export const MERGE_OPS = [
  'appointment.setStatus',
  'appointment.undo',
  'appointment.rebook',
  'appointment.walkIn',
  /** A new appointment booked at the desk: created like a walk-in (its whole appointment in `after`). */
  'appointment.book',
  'walkIn.signpost',
  'appointment.note',
  'patient.contact',
] as const;
export type MergeOp = (typeof MERGE_OPS)[number];
const MERGE_OP_SET: ReadonlySet<string> = new Set(MERGE_OPS);
export const isMergeOp = (op: string): op is MergeOp => MERGE_OP_SET.has(op);

/** A journal entry as the planner reads it (shared/api JournalEntry has these fields and more). */
export interface PlanEntry {
  seq: number;
  id: string;
  at: string;
  user: string;
  desk: string;
  op: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  baseVersion: string | null;
}

/** An appointment as upstream has (or had) it: the fields merge-back compares. */
export interface UpstreamAppointment {
  id: string;
  version: string;
  status: FhirAppointmentStatus;
  start: string;
  end: string;
  slotId: string | null;
  patientId: string;
  clinicianId: string;
  /** Our journal-entry identifier, on appointments the desk created through merge-back. */
  deskIdentifier: string | null;
}

export interface UpstreamSlot {
  id: string;
  status: string;
  start: string;
  end: string;
  clinicianId: string;
}

export interface UpstreamView {
  appointments: ReadonlyMap<string, UpstreamAppointment>;
  /** Appointments carrying our identifier, by its value (the journal entry id). */
  byDeskIdentifier: ReadonlyMap<string, UpstreamAppointment>;
  slots: ReadonlyMap<string, UpstreamSlot>;
}

/**
 * What the upstream can take. fhir: a FHIR R4 server that accepts updates and creates. gp-connect: GP Connect
 * Appointment Management: book and cancel future appointments only, no attendance. none: no write API at all.
 */
export const CAPABILITIES = ['fhir', 'gp-connect', 'none'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const RESOLUTION_CHOICES = ['keep_desk', 'keep_upstream', 'rebook', 'manual'] as const;
export type ResolutionChoice = (typeof RESOLUTION_CHOICES)[number];
export interface Resolution {
  choice: ResolutionChoice;
  /** For rebook: the slot the appointment goes into instead. */
  slotId?: string | null;
}

export interface PlanInput {
  /** Journal entries in seq order; entries that are not desk changes are ignored. */
  entries: readonly PlanEntry[];
  base: ReadonlyMap<string, UpstreamAppointment>;
  upstream: UpstreamView;
  capability: Capability;
  /** Today (London): attendance on or before it is in the past for GP Connect's rules. */
  today: string;
  /** Steps already finished (entry id -> item keys), from the outcomes recorded: they are not planned again. */
  done?: ReadonlyMap<string, ReadonlySet<string>>;
  resolutions?: ReadonlyMap<string, Resolution>;
  /** How finished items ended (item key -> outcome), for what depends on them. */
  itemOutcomes?: ReadonlyMap<string, string>;
}

export const PLAN_CLASSES = ['already', 'clean', 'compatible', 'conflict', 'manual'] as const;
export type PlanClass = (typeof PLAN_CLASSES)[number];

export const CONFLICT_KINDS = ['cancelled_upstream', 'arrived_upstream', 'slot_taken', 'removed_upstream', 'changed_upstream', 'booked_upstream'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/** The desk's intended state of an appointment, from its last journal entry. */
export interface DeskState {
  status: DeskStatus;
  fhirStatus: FhirAppointmentStatus;
  arrivedAt: string | null;
  sentInAt: string | null;
  seenAt: string | null;
  cancelReason: string | null;
}

/** A new appointment to create upstream (a walk-in, a rebooking), as the desk made it. */
export interface DeskAppointment {
  id: string;
  patientId: string;
  clinicianId: string;
  slotId: string | null;
  start: string;
  end: string;
  type: string;
  reason: string | null;
}

export type PlannedWrite =
  { kind: 'update'; appointmentId: string; ifMatch: string; state: DeskState } | { kind: 'create'; identifier: string; appointment: DeskAppointment; state: DeskState };

export type ItemKind = 'status' | 'create' | 'entry';

export interface PlanItem {
  /** Stable across runs: status:<appointment id>, create:<desk appointment id>, entry:<journal entry id>. */
  key: string;
  kind: ItemKind;
  op: MergeOp;
  appointmentId: string | null;
  patientId: string | null;
  /** The appointment's start (for keying order); null for entries about no appointment. */
  start: string | null;
  entryIds: string[];
  firstSeq: number;
  class: PlanClass;
  conflict: ConflictKind | null;
  reason: string;
  base: UpstreamAppointment | null;
  upstream: UpstreamAppointment | null;
  desk: DeskState | null;
  /** What apply writes; null when nothing is written (already, conflict undecided, manual, kept upstream). */
  write: PlannedWrite | null;
  /** The item that must be done first (a rebooking's cancellation waits for its new appointment). */
  dependsOn: string | null;
  resolution: Resolution | null;
  /** Attendance (arrived, seen, DNA) on the outage day or before: keyed first, before any overnight auto-DNA. */
  attendance: boolean;
  /** For entries keyed by hand: what to key (the note's text, the new phone number, where a walk-in was sent). */
  detail: string | null;
  /** For an appointment made at the desk: the identifier it carries upstream (its journal entry's id). */
  identifier: string | null;
  /** A note a clinician typed in their room (notes.ts): keyed marked as from a contemporaneous note. */
  contemporaneous?: ContemporaneousNote;
}

/**
 * How close in time an upstream appointment for the same patient on the same London day must start to count as
 * the one the desk made (a walk-in or rebooking the practice keyed by hand meanwhile), either side. An hour:
 * a walk-in keyed by hand is often given the time they were seen rather than the time they arrived, and a
 * patient rarely has two genuine appointments within the hour.
 */
export const NEAR_MATCH_MINUTES = 60;

export interface Plan {
  items: PlanItem[];
  counts: Record<PlanClass, number>;
  entries: number;
}

// ---- reading journal entries -----------------------------------------------------------------------------

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function deskStateOf(after: unknown): DeskState | null {
  const a = rec(after);
  const status = a?.['status'];
  if (!a || typeof status !== 'string' || !DESK_STATUS_SET.has(status)) return null;
  const desk = status as DeskStatus;
  return {
    status: desk,
    // A walk-in taken back as registered in error is cancelled at the desk and entered-in-error upstream.
    fhirStatus: fhirStatusOf({ status: desk, fhirStatus: a['fhirStatus'] === 'entered-in-error' ? 'entered-in-error' : undefined }),
    arrivedAt: str(a['arrivedAt']),
    sentInAt: str(a['sentInAt']),
    seenAt: str(a['seenAt']),
    cancelReason: str(a['cancelReason']),
  };
}

function deskAppointmentOf(value: unknown): (DeskAppointment & { state: DeskState }) | null {
  const a = rec(value);
  if (!a) return null;
  const id = str(a['id']);
  const patientId = str(a['patientId']);
  const clinicianId = str(a['clinicianId']);
  const start = str(a['start']);
  const end = str(a['end']);
  const state = deskStateOf(a);
  if (!id || !patientId || !clinicianId || !start || !end || !state) return null;
  return { id, patientId, clinicianId, slotId: str(a['slotId']), start, end, type: str(a['type']) ?? 'face_to_face', reason: str(a['reason']), state };
}

/** Attendance: what an overnight auto-DNA job would overwrite if not keyed first. */
export const ATTENDANCE: ReadonlySet<FhirAppointmentStatus> = new Set(['arrived', 'fulfilled', 'noshow']);
const LIVE = (s: FhirAppointmentStatus) => s !== 'cancelled' && s !== 'noshow' && s !== 'entered-in-error';

// ---- grouping --------------------------------------------------------------------------------------------

interface Group {
  key: string;
  kind: ItemKind;
  op: MergeOp;
  appointmentId: string | null;
  entries: PlanEntry[];
  /** replaces: a rebooking's old appointment (which stays live upstream until the desk cancels it). */
  created: (DeskAppointment & { state: DeskState; identifier: string; newPatient: boolean; replaces: string | null }) | null;
  dependsOn: string | null;
  state: DeskState | null;
}

/**
 * Entries into items, in journal order. An appointment made at the desk collects its later status changes
 * (create it once, in its final state); an appointment from upstream collects its status changes, undos and the
 * cancelling side of a rebooking.
 */
function group(entries: readonly PlanEntry[], done: ReadonlyMap<string, ReadonlySet<string>>): Group[] {
  const groups = new Map<string, Group>();
  const createdKeyOf = new Map<string, string>();
  const order: string[] = [];
  const isDone = (e: PlanEntry, key: string) => done.get(e.id)?.has(key) ?? false;
  const add = (key: string, make: () => Group, e: PlanEntry): Group | null => {
    if (isDone(e, key)) return null;
    let g = groups.get(key);
    if (!g) {
      groups.set(key, (g = make()));
      order.push(key);
    }
    g.entries.push(e);
    return g;
  };
  const statusGroup = (appointmentId: string, op: MergeOp, e: PlanEntry) => {
    const createdKey = createdKeyOf.get(appointmentId);
    if (createdKey !== undefined) {
      const g = add(createdKey, () => ({ key: createdKey, kind: 'create', op, appointmentId, entries: [], created: null, dependsOn: null, state: null }), e);
      if (g) g.state = deskStateOf(e.after) ?? g.state;
      return;
    }
    const key = `status:${appointmentId}`;
    const g = add(key, () => ({ key, kind: 'status', op, appointmentId, entries: [], created: null, dependsOn: null, state: null }), e);
    if (g) g.state = deskStateOf(e.after) ?? g.state;
    return g;
  };
  for (const e of entries) {
    if (!isMergeOp(e.op)) continue;
    const op = e.op;
    switch (op) {
      case 'appointment.setStatus':
      case 'appointment.undo':
        if (e.entityId !== null) statusGroup(e.entityId, op, e);
        break;
      case 'appointment.rebook': {
        const booked = deskAppointmentOf(rec(e.after)?.['booked']);
        if (booked) {
          const key = `create:${booked.id}`;
          createdKeyOf.set(booked.id, key);
          add(
            key,
            () => ({
              key,
              kind: 'create',
              op,
              appointmentId: booked.id,
              entries: [],
              created: { ...booked, identifier: e.id, newPatient: false, replaces: e.entityId },
              dependsOn: null,
              state: booked.state,
            }),
            e,
          );
          if (e.entityId !== null) {
            const old = statusGroup(e.entityId, op, e);
            // Create the new appointment first, then cancel the old: the patient is never left with neither.
            if (old) old.dependsOn = key;
          }
        } else if (e.entityId !== null) {
          statusGroup(e.entityId, op, e);
        }
        break;
      }
      case 'appointment.walkIn':
      case 'appointment.book': {
        const a = rec(e.after);
        const appt = deskAppointmentOf(a?.['appointment']);
        if (!appt) {
          const key = `entry:${e.id}`;
          add(key, () => ({ key, kind: 'entry', op, appointmentId: e.entityId, entries: [], created: null, dependsOn: null, state: null }), e);
          break;
        }
        const key = `create:${appt.id}`;
        createdKeyOf.set(appt.id, key);
        const newPatient = a?.['newPatient'] !== null && a?.['newPatient'] !== undefined;
        add(
          key,
          () => ({
            key,
            kind: 'create',
            op,
            appointmentId: appt.id,
            entries: [],
            created: { ...appt, identifier: e.id, newPatient, replaces: null },
            dependsOn: null,
            state: appt.state,
          }),
          e,
        );
        break;
      }
      case 'walkIn.signpost':
      case 'appointment.note':
      case 'patient.contact': {
        const key = `entry:${e.id}`;
        add(key, () => ({ key, kind: 'entry', op, appointmentId: op === 'appointment.note' ? e.entityId : null, entries: [], created: null, dependsOn: null, state: null }), e);
        break;
      }
      default:
        throw missingOp(op);
    }
  }
  return order.map((k) => groups.get(k)).filter((g): g is Group => g !== undefined);
}

function missingOp(op: never): Error {
  return new Error(`unhandled merge op ${String(op)}`);
}

// ---- classifying -----------------------------------------------------------------------------------------

const MANUAL_REASON: Record<'walkIn.signpost' | 'appointment.note' | 'patient.contact', string> = {
  'walkIn.signpost': 'a walk-in signposted elsewhere: record the contact in the patient record by hand',
  'appointment.note': 'a note made on paper or at the desk: key it into the consultation record by hand',
  'patient.contact': 'a change of contact details: key it into the patient record by hand (demographics are checked against PDS there)',
};

const STATUS_WORD: Record<FhirAppointmentStatus, string> = {
  proposed: 'proposed',
  pending: 'pending',
  booked: 'booked',
  arrived: 'arrived',
  fulfilled: 'seen',
  cancelled: 'cancelled',
  noshow: 'DNA',
  'entered-in-error': 'entered in error',
  'checked-in': 'checked in',
  waitlist: 'on a waiting list',
};

/** Is the slot taken upstream by an appointment other than `self`? */
function slotTaken(upstream: UpstreamView, slotId: string, self: string | null, selfIdentifier: string | null): UpstreamAppointment | null {
  const holders = holdersBySlot(upstream).get(slotId) ?? [];
  for (const h of holders) {
    if (h.id === self || (selfIdentifier !== null && h.deskIdentifier === selfIdentifier)) continue;
    if (LIVE(h.status)) return h;
  }
  return null;
}

const holderCache = new WeakMap<UpstreamView, Map<string, UpstreamAppointment[]>>();
function holdersBySlot(upstream: UpstreamView): Map<string, UpstreamAppointment[]> {
  let map = holderCache.get(upstream);
  if (!map) {
    map = new Map();
    for (const a of upstream.appointments.values()) {
      if (a.slotId === null) continue;
      const list = map.get(a.slotId);
      if (list) list.push(a);
      else map.set(a.slotId, [a]);
    }
    holderCache.set(upstream, map);
  }
  return map;
}

const byPatientCache = new WeakMap<UpstreamView, Map<string, UpstreamAppointment[]>>();
function appointmentsByPatient(upstream: UpstreamView): Map<string, UpstreamAppointment[]> {
  let map = byPatientCache.get(upstream);
  if (!map) {
    map = new Map();
    for (const a of upstream.appointments.values()) {
      const list = map.get(a.patientId);
      if (list) list.push(a);
      else map.set(a.patientId, [a]);
    }
    for (const list of map.values()) list.sort((x, y) => x.start.localeCompare(y.start) || x.id.localeCompare(y.id));
    byPatientCache.set(upstream, map);
  }
  return map;
}

/**
 * An upstream appointment that may be the one the desk made, keyed by hand meanwhile: the same patient, the same
 * London day, starting within NEAR_MATCH_MINUTES, not cancelled or entered in error, and neither ours (found by
 * identifier before this) nor a rebooking's old appointment. The closest in time first; one that matches
 * clinician and status exactly is preferred, as that one is the desk's appointment already there.
 */
function nearMatch(
  upstream: UpstreamView,
  created: DeskAppointment & { state: DeskState; identifier: string; replaces: string | null },
): { match: UpstreamAppointment; exact: boolean } | null {
  const at = Date.parse(created.start);
  const day = localDateOf(created.start);
  const windowMs = NEAR_MATCH_MINUTES * 60_000;
  let best: { match: UpstreamAppointment; exact: boolean; distance: number } | null = null;
  for (const a of appointmentsByPatient(upstream).get(created.patientId) ?? []) {
    if (a.id === created.replaces || a.deskIdentifier === created.identifier || a.status === 'cancelled' || a.status === 'entered-in-error') continue;
    const distance = Math.abs(Date.parse(a.start) - at);
    if (distance > windowMs || localDateOf(a.start) !== day) continue;
    const exact = a.clinicianId === created.clinicianId && a.status === created.state.fhirStatus;
    if (!best || (exact && !best.exact) || (exact === best.exact && distance < best.distance)) best = { match: a, exact, distance };
  }
  return best ? { match: best.match, exact: best.exact } : null;
}

const minutesApart = (a: string, b: string) => Math.round(Math.abs(Date.parse(a) - Date.parse(b)) / 60_000);

// Helpers at module level rather than closures inside classify: one set of closures per item was a
// measurable part of planning 34,000 entries.
function asManual(item: PlanItem, reason: string): PlanItem {
  return { ...item, class: 'manual', reason, write: null };
}

function asConflict(item: PlanItem, kind: ConflictKind, reason: string): PlanItem {
  return { ...item, class: 'conflict', conflict: kind, reason, write: null };
}

function updateOf(appointmentId: string, ifMatch: string, state: DeskState): PlannedWrite {
  return { kind: 'update', appointmentId, ifMatch, state };
}

/** The reason of an item whose desk changes cancel out: nothing to write, nothing to key. */
export const UNDONE_REASON = 'the desk\u2019s changes cancel out (undone): nothing to write';

/** Where upstream moved an appointment to, in the words a person keys from ("14:30", or with the date if another day). */
function movedTo(from: string, to: string): string {
  return localDateOf(from) === localDateOf(to) ? localTimeOf(to) : `${formatUkDate(localDateOf(to))} ${localTimeOf(to)}`;
}

/**
 * Left for manual entry by a person: the item as it would be without that decision, keyed by hand, keeping why
 * it needed one (\u201cmoved upstream to 14:30\u201d is what the person keying it needs to know). Nothing to key
 * when upstream already has it or the desk's changes cancel out.
 */
function classify(g: Group, input: PlanInput, patientOf: (id: string) => string | null): PlanItem {
  const resolution = input.resolutions?.get(g.key) ?? null;
  if (resolution?.choice !== 'manual') return classifyAs(g, input, patientOf, resolution);
  const undecided = classifyAs(g, input, patientOf, null);
  if (undecided.class === 'already' || undecided.class === 'manual') return { ...undecided, resolution };
  const why = undecided.class === 'conflict' ? `${undecided.reason}; left for manual entry by a person` : 'left for manual entry by a person';
  return { ...asManual(undecided, why), resolution };
}

function classifyAs(g: Group, input: PlanInput, patientOf: (id: string) => string | null, resolution: Resolution | null): PlanItem {
  const first = g.entries[0];
  if (!first) throw new Error(`item ${g.key} has no entries`);
  const item: PlanItem = {
    key: g.key,
    kind: g.kind,
    op: g.op,
    appointmentId: g.appointmentId,
    patientId: null,
    start: null,
    entryIds: g.entries.map((e) => e.id),
    firstSeq: first.seq,
    class: 'manual',
    conflict: null,
    reason: '',
    base: null,
    upstream: null,
    desk: g.state,
    write: null,
    dependsOn: g.dependsOn,
    resolution,
    attendance: false,
    detail: null,
    identifier: g.created?.identifier ?? null,
  };

  switch (g.kind) {
    case 'entry': {
      const op = g.op;
      const after = rec(first.after);
      item.patientId =
        first.entityId !== null && op === 'patient.contact'
          ? first.entityId
          : (str(after?.['patientId']) ?? str(rec(after?.['patient'])?.['id']) ?? (g.appointmentId ? patientOf(g.appointmentId) : null));
      item.start = g.appointmentId !== null ? (input.base.get(g.appointmentId)?.start ?? null) : null;
      item.detail =
        op === 'appointment.note'
          ? str(after?.['text'])
          : op === 'patient.contact'
            ? `phone: ${str(after?.['phone']) ?? 'none'}`
            : op === 'walkIn.signpost'
              ? str(after?.['signpostedTo'])
              : null;
      const note = op === 'appointment.note' ? contemporaneousOf(first) : null;
      if (note) item.contemporaneous = note;
      if (op === 'walkIn.signpost' || op === 'appointment.note' || op === 'patient.contact') return asManual(item, MANUAL_REASON[op]);
      return asManual(item, 'the desk could not read this entry: check it and key it by hand');
    }
    case 'status': {
      const id = g.appointmentId ?? '';
      const base = input.base.get(id) ?? null;
      const now = input.upstream.appointments.get(id) ?? null;
      item.base = base;
      item.upstream = now;
      item.patientId = base?.patientId ?? now?.patientId ?? null;
      item.start = base?.start ?? now?.start ?? null;
      const desk = g.state;
      if (!desk) return asManual(item, 'the desk change could not be read from the journal: check it and key it by hand');
      item.attendance = ATTENDANCE.has(desk.fhirStatus) && item.start !== null && localDateOf(item.start) <= input.today;
      // Checked in and undone, say: the desk has nothing to tell upstream, whatever upstream did meanwhile, and
      // nothing to key by hand either (so this comes before every reason to key it).
      const before = deskStateOf(first.before);
      if (desk.fhirStatus === (base?.status ?? before?.fhirStatus)) return { ...item, class: 'already', reason: UNDONE_REASON };
      if (!base) return asManual(item, 'the appointment was not pulled from the clinical system (no base version): key the change by hand');
      if (input.capability === 'none') return asManual(item, 'the clinical system has no write API: key it by hand');
      if (input.capability === 'gp-connect' && (ATTENDANCE.has(desk.fhirStatus) || (item.start !== null && localDateOf(item.start) <= input.today))) {
        return asManual(item, 'GP Connect cannot record attendance or change a past appointment: key it by hand');
      }
      if (!now) {
        if (resolution?.choice === 'keep_upstream') return { ...asConflict(item, 'removed_upstream', 'removed upstream; kept as upstream has it'), resolution };
        return asConflict(item, 'removed_upstream', 'the appointment is no longer in the clinical system');
      }
      if (now.status === desk.fhirStatus) return { ...item, class: 'already', reason: `upstream already has it ${STATUS_WORD[desk.fhirStatus]}` };
      if (now.version === base.version) return { ...item, class: 'clean', reason: `set ${STATUS_WORD[desk.fhirStatus]}`, write: updateOf(id, now.version, desk) };
      const statusMoved = now.status !== base.status;
      const timeMoved = now.start !== base.start;
      if (!statusMoved && !timeMoved) {
        return { ...item, class: 'compatible', reason: `set ${STATUS_WORD[desk.fhirStatus]} (upstream changed other details meanwhile)`, write: updateOf(id, now.version, desk) };
      }
      let c: PlanItem;
      if (now.status === 'cancelled' && desk.fhirStatus !== 'cancelled') {
        c = asConflict(item, 'cancelled_upstream', `${STATUS_WORD[desk.fhirStatus]} at the desk, but cancelled upstream meanwhile`);
      } else if (desk.fhirStatus === 'noshow' && (now.status === 'arrived' || now.status === 'fulfilled')) {
        c = asConflict(item, 'arrived_upstream', `DNA at the desk, but ${STATUS_WORD[now.status]} upstream`);
      } else if (timeMoved && !statusMoved) {
        c = asConflict(item, 'changed_upstream', `${STATUS_WORD[desk.fhirStatus]} at the desk, but moved upstream to ${movedTo(base.start, now.start)} meanwhile`);
      } else {
        c = asConflict(item, 'changed_upstream', `${STATUS_WORD[desk.fhirStatus]} at the desk, but ${STATUS_WORD[now.status]} upstream meanwhile`);
      }
      if (resolution?.choice === 'keep_desk')
        return { ...c, class: 'clean', reason: `${c.reason}; a person chose the desk\u2019s`, write: updateOf(id, now.version, desk), resolution };
      if (resolution?.choice === 'keep_upstream') return { ...c, reason: `${c.reason}; a person kept upstream\u2019s`, resolution };
      return c;
    }
    case 'create': {
      const created = g.created;
      const desk = g.state;
      if (!created || !desk) return asManual(item, 'the desk change could not be read from the journal: check it and key it by hand');
      item.patientId = created.patientId;
      item.start = created.start;
      item.attendance = ATTENDANCE.has(desk.fhirStatus) && localDateOf(created.start) <= input.today;
      const existing = input.upstream.byDeskIdentifier.get(created.identifier) ?? null;
      item.upstream = existing;
      if (desk.fhirStatus === 'entered-in-error') {
        // Registered by mistake and taken back at the desk: there was no visit to put back.
        if (!existing || existing.status === 'entered-in-error') return { ...item, class: 'already', reason: 'a walk-in registered in error at the desk: nothing to create' };
        return asManual(item, `created upstream as ${existing.id} before the desk took it back as registered in error: mark it entered in error there by hand`);
      }
      if (existing) return { ...item, class: 'already', reason: `already created upstream as ${existing.id}` };
      if (created.newPatient) return asManual(item, 'a patient new to the practice: register them by hand (with a PDS trace), then key the appointment');
      if (input.capability === 'none') return asManual(item, 'the clinical system has no write API: key it by hand');
      if (input.capability === 'gp-connect' && (g.op === 'appointment.walkIn' || localDateOf(created.start) <= input.today)) {
        return asManual(item, 'GP Connect cannot book a past or same-day walk-in or record attendance: key it by hand');
      }
      // Keyed by hand upstream meanwhile? Never a second appointment for the same visit: the same clinician and
      // status is the desk's appointment already there; anything else near it is for a person to look at. A person
      // who chose to book it anyway (keep the desk's) or into another slot has looked already.
      if (resolution?.choice !== 'keep_desk' && resolution?.choice !== 'rebook') {
        const near = nearMatch(input.upstream, created);
        if (near?.exact)
          return {
            ...item,
            class: 'already',
            upstream: near.match,
            reason: `already keyed upstream by hand as ${near.match.id} (${STATUS_WORD[near.match.status]}, same clinician, ${minutesApart(near.match.start, created.start)} min apart)`,
          };
        if (near) {
          const sameClinician = near.match.clinicianId === created.clinicianId;
          const c = {
            ...asConflict(
              item,
              'booked_upstream',
              `upstream already has an appointment for this patient ${minutesApart(near.match.start, created.start)} min from the desk\u2019s (${near.match.id}, ${STATUS_WORD[near.match.status]}, ${sameClinician ? 'same clinician' : 'another clinician'}${near.match.slotId !== null && near.match.slotId === created.slotId ? ', in the same slot' : ''}): check it is not the same visit before booking another`,
            ),
            upstream: near.match,
          };
          if (resolution?.choice === 'keep_upstream') return { ...c, reason: `${c.reason}; a person kept upstream\u2019s`, resolution };
          return c;
        }
      }
      let appointment: DeskAppointment = {
        id: created.id,
        patientId: created.patientId,
        clinicianId: created.clinicianId,
        slotId: created.slotId,
        start: created.start,
        end: created.end,
        type: created.type,
        reason: created.reason,
      };
      if (resolution?.choice === 'rebook' && resolution.slotId) {
        const slot = input.upstream.slots.get(resolution.slotId);
        if (!slot) return asConflict(item, 'slot_taken', 'the slot chosen instead is not in the clinical system');
        appointment = { ...appointment, slotId: slot.id, start: slot.start, end: slot.end, clinicianId: slot.clinicianId };
        item.start = slot.start;
      }
      const create: PlannedWrite = { kind: 'create', identifier: created.identifier, appointment, state: desk };
      if (appointment.slotId !== null && LIVE(desk.fhirStatus)) {
        const holder = slotTaken(input.upstream, appointment.slotId, null, created.identifier);
        const slot = input.upstream.slots.get(appointment.slotId);
        const busyUnknown = slot !== undefined && slot.status !== 'free' && holder === null && !holdersBySlot(input.upstream).get(appointment.slotId)?.length;
        if (holder || busyUnknown) {
          const c = asConflict(item, 'slot_taken', 'rebooked at the desk into a slot that has been taken upstream meanwhile');
          if (resolution?.choice === 'keep_desk') return { ...c, class: 'clean', reason: `${c.reason}; a person chose to double-book it`, write: create, resolution };
          if (resolution?.choice === 'keep_upstream') return { ...c, reason: `${c.reason}; a person kept upstream\u2019s`, resolution };
          return c;
        }
      }
      const what = g.op === 'appointment.walkIn' ? 'book the walk-in' : 'book the new appointment';
      return { ...item, class: 'clean', reason: `${what} (${STATUS_WORD[desk.fhirStatus]})`, write: create };
    }
    default:
      throw missingKind(g.kind);
  }
}

function missingKind(kind: never): Error {
  return new Error(`unhandled item kind ${String(kind)}`);
}

export function emptyCounts(): Record<PlanClass, number> {
  return { already: 0, clean: 0, compatible: 0, conflict: 0, manual: 0 };
}

/** The plan: every desk change not yet finished, classified. */
export function planMerge(input: PlanInput): Plan {
  const groups = group(input.entries, input.done ?? new Map());
  const patientOfAppointment = (id: string) => input.base.get(id)?.patientId ?? input.upstream.appointments.get(id)?.patientId ?? null;
  const items = groups.map((g) => classify(g, input, patientOfAppointment));
  // A cancellation that waits on a rebooking whose creation cannot go ahead must not run on its own: the patient
  // would lose the appointment they have and not get the new one.
  const byKey = new Map(items.map((i) => [i.key, i]));
  for (const item of items) {
    if (item.dependsOn === null || item.write === null) continue;
    const dep = byKey.get(item.dependsOn);
    const depOutcome = input.itemOutcomes?.get(item.dependsOn);
    if (!dep && (depOutcome === 'kept_upstream' || depOutcome === 'dismissed') && item.resolution?.choice !== 'keep_desk') {
      item.write = null;
      item.class = 'conflict';
      item.conflict = 'slot_taken';
      item.reason = 'its rebooking was not made upstream: keep the old appointment (keep upstream\u2019s) or cancel it anyway (keep the desk\u2019s)';
      continue;
    }
    if (dep && dep.class !== 'already' && dep.write === null) {
      item.write = null;
      item.class = dep.class === 'manual' ? 'manual' : 'conflict';
      item.conflict = item.class === 'conflict' ? (dep.conflict ?? 'changed_upstream') : null;
      item.reason = `waits for its rebooking, which ${dep.class === 'manual' ? 'is keyed by hand' : 'needs a decision'}: ${dep.reason}`;
    }
  }
  const counts = emptyCounts();
  let entries = 0;
  for (const i of items) {
    counts[i.class]++;
    entries += i.entryIds.length;
  }
  return { items, counts, entries };
}

/** The items a confirmed apply writes, in an order where every item comes after what it depends on. */
export function writableItems(plan: Plan): PlanItem[] {
  const out: PlanItem[] = [];
  const writes = plan.items.filter((i) => i.write !== null);
  const pendingKeys = new Set(writes.map((i) => i.key));
  for (const i of writes) if (i.dependsOn === null || !pendingKeys.has(i.dependsOn)) out.push(i);
  for (const i of writes) if (i.dependsOn !== null && pendingKeys.has(i.dependsOn)) out.push(i);
  return out;
}
