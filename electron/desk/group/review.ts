/**
 * What a desk did while it carried on alone (issue 16, item 7), or as a coordinator after another desk took over
 * from it (item 6: fenced), brought back when it rejoins: its journal entries
 * from the cut, kept in this desk's own settings (group_local, never replicated, so the group's day arriving over
 * its copy does not take them), and held against the group's day as it then is. No silent merging: a change the
 * group did not touch since the cut is "clean", one it touched is a "conflict", anything else is keyed by hand; a
 * person decides each (merge-back's rule, ADR 0007).
 */
import { DeskError, type AuditEntry, type GroupReview, type GroupReviewItem, type JournalEntry } from '../../../shared/api';
import type { Appointment } from '../../../shared/domain';
import type { AuditTrail } from '../audit/audit';
import type { Journal } from '../store/journal';
import type { Db } from '../store/sql';
import type { MirrorStore } from '../store/mirror';
import { sql } from '../store/sql';
import type { GroupStore } from './store';

const REVIEW_KEY = 'review';

/** The status changes a person can make again at the coordinator; everything else is keyed by hand. */
const STATUS_OPS = new Set(['appointment.setStatus', 'appointment.undo']);

interface Decision {
  state: 'applied' | 'kept-group' | 'keyed';
  by: string;
  at: string;
}

interface StoredReview {
  rejoinedAt: string;
  entries: JournalEntry[];
  /** The desk's audit trail from the cut (sign-ins, prints), kept for the record: the group's replaces it. */
  audit: AuditEntry[];
  decisions: Record<string, Decision>;
}

/** What the review reads: the group's day as this desk now holds it, and the clock for decisions. */
export interface ReviewReader {
  mirror: MirrorStore;
  clock: () => Date;
}

/** The desk whose own journal and audit trail are cut (open.ts's OpenDesk fits; named here so no import loops back). */
export interface CutOffDesk {
  db: Db;
  service: { journal: Journal; audit: AuditTrail };
}

/** Where this desk's journal and audit trail stand: the cut, when it starts carrying on alone. */
export function cutPoint(desk: CutOffDesk): { journalSeq: number; auditSeq: number } {
  return {
    journalSeq: desk.service.journal.lastSeq(),
    auditSeq: desk.db.get<{ seq: number | null }>(sql`SELECT max(seq) AS seq FROM audit`)?.seq ?? 0,
  };
}

/**
 * Where a fenced former coordinator's journal and audit trail left the group's: the desk that took over holds this
 * desk's log up to replicated seq `fromSeq` (the two logs share their numbering up to there), so the first journal
 * (audit) row this desk captured after it begins what the group lacks. Both are append-only with seq as rowid.
 * With none captured after it, the group holds every captured row; later ones were written once capture stopped
 * (a fenced desk's sign-ins), which the review keeps for the record.
 */
export function cutAtTakeOver(desk: CutOffDesk, fromSeq: number): { journalSeq: number; auditSeq: number } {
  const newest = cutPoint(desk);
  return { journalSeq: cutIn(desk.db, 'journal', fromSeq, newest.journalSeq), auditSeq: cutIn(desk.db, 'audit', fromSeq, newest.auditSeq) };
}

function cutIn(db: Db, table: 'journal' | 'audit', fromSeq: number, newest: number): number {
  const first = db.get<{ id: number | null }>(sql`SELECT min(row_id) AS id FROM repl_log WHERE tbl = ${table} AND op = 'put' AND seq > ${fromSeq}`)?.id ?? null;
  if (first !== null) return first - 1;
  const held = db.get<{ id: number | null }>(sql`SELECT max(row_id) AS id FROM repl_log WHERE tbl = ${table} AND op = 'put'`)?.id ?? null;
  return held ?? newest;
}

/** Keeps what this desk did since the cut, before the group's day replaces its copy. */
export function keepCutOffWork(desk: CutOffDesk, store: GroupStore, cut: { journalSeq: number; auditSeq: number }, now: string): number {
  const entries = desk.service.journal.list(cut.journalSeq, 100_000);
  const audit = desk.service.audit.list({ afterSeq: cut.auditSeq, limit: 100_000 });
  const previous = stored(store);
  // A second rejoin before the first review is done keeps both: nothing a desk did is dropped unseen.
  const review: StoredReview = {
    rejoinedAt: now,
    entries: [...(previous?.entries ?? []), ...entries],
    audit: [...(previous?.audit ?? []), ...audit],
    decisions: previous?.decisions ?? {},
  };
  store.setLocal(REVIEW_KEY, JSON.stringify(review));
  return entries.length;
}

export function reviewOf(desk: ReviewReader, store: GroupStore): GroupReview {
  const review = stored(store);
  if (!review) return { rejoinedAt: null, items: [] };
  // Each appointment is held against the version it had at the cut: the first change the desk made to it says.
  const versionAtCut = new Map<string, number>();
  for (const entry of review.entries) {
    const before = entry.before as Partial<Appointment> | null;
    if (entry.entity === 'appointment' && entry.entityId !== null && typeof before?.version === 'number' && !versionAtCut.has(entry.entityId)) {
      versionAtCut.set(entry.entityId, before.version);
    }
  }
  return { rejoinedAt: review.rejoinedAt, items: review.entries.map((entry) => itemOf(desk, entry, versionAtCut, review.decisions[String(entry.seq)])) };
}

export function openReviewCount(desk: ReviewReader, store: GroupStore): number {
  return reviewOf(desk, store).items.filter((i) => i.state === 'clean' || i.state === 'conflict' || i.state === 'by-hand').length;
}

export function reviewItem(desk: ReviewReader, store: GroupStore, seq: number): GroupReviewItem {
  const item = reviewOf(desk, store).items.find((i) => i.seq === seq);
  if (!item) throw new DeskError('not_found', `No change ${seq} is waiting for review at this desk.`);
  return item;
}

/** A person's decision on one item; `apply` only after the coordinator made the change (node.ts). */
export function decide(desk: ReviewReader, store: GroupStore, seq: number, action: 'apply' | 'keep-group' | 'keyed', by: string): GroupReview {
  const item = reviewItem(desk, store, seq);
  const open = item.state === 'clean' || item.state === 'conflict' || item.state === 'by-hand';
  if (!open) throw new DeskError('conflict', `That change was decided already (${item.state}, by ${item.decidedBy ?? '?'}).`);
  if (action === 'keyed' && item.state !== 'by-hand') throw new DeskError('invalid_input', 'Only a change keyed by hand is marked as keyed; make or keep a status change instead.');
  if (action !== 'keyed' && item.state === 'by-hand') throw new DeskError('invalid_input', 'This change is keyed by hand: mark it keyed once it is entered.');
  const review = stored(store);
  if (!review) throw new DeskError('not_found', 'Nothing is waiting for review at this desk.');
  const state = action === 'apply' ? 'applied' : action === 'keep-group' ? 'kept-group' : 'keyed';
  review.decisions[String(seq)] = { state, by, at: desk.clock().toISOString() };
  store.setLocal(REVIEW_KEY, JSON.stringify(review));
  return reviewOf(desk, store);
}

function stored(store: GroupStore): StoredReview | null {
  const value = store.local(REVIEW_KEY);
  return value === null ? null : (JSON.parse(value) as StoredReview);
}

function itemOf(desk: ReviewReader, entry: JournalEntry, versionAtCut: Map<string, number>, decision: Decision | undefined): GroupReviewItem {
  const after = entry.after as (Partial<Appointment> & { patient?: { familyName?: string; givenName?: string } }) | null;
  const appointmentId = entry.entity === 'appointment' ? entry.entityId : null;
  const current = appointmentId === null ? null : desk.mirror.appointment(appointmentId);
  const patient = current ? desk.mirror.patient(current.patientId) : null;
  const patientName = patient
    ? `${patient.familyName.toUpperCase()}, ${patient.givenName}`
    : after?.patient?.familyName
      ? `${after.patient.familyName.toUpperCase()}, ${after.patient.givenName ?? ''}`
      : null;
  const isStatusChange = STATUS_OPS.has(entry.op) && appointmentId !== null && typeof after?.status === 'string';
  const base = appointmentId === null ? undefined : versionAtCut.get(appointmentId);
  const state: GroupReviewItem['state'] = decision ? decision.state : !isStatusChange || !current ? 'by-hand' : current.version === base ? 'clean' : 'conflict';
  return {
    seq: entry.seq,
    at: entry.at,
    user: entry.user,
    op: entry.op,
    appointmentId,
    patientName,
    summary: summaryOf(entry, after),
    deskStatus: isStatusChange ? (after?.status ?? null) : null,
    groupStatus: current?.status ?? null,
    groupVersion: current?.version ?? null,
    state,
    decidedBy: decision?.by ?? null,
    decidedAt: decision?.at ?? null,
  };
}

function summaryOf(entry: JournalEntry, after: Partial<Appointment> | null): string {
  // The time is the item's own column (in London time on screen): the summary says only what was done.
  if (STATUS_OPS.has(entry.op) && typeof after?.status === 'string') return `Set to ${after.status.replace(/_/g, ' ')}`;
  return `${entry.op}${entry.entityId === null ? '' : ` ${entry.entityId}`}: key it in by hand`;
}
