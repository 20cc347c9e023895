/**
 * Merge-back at the desk: the planner's inputs read from SQLite (journal, base records, upstream as last read),
 * and every merge-back write to the desk's own database (outcomes, attempts, a person's decisions and ticks,
 * settling the mirror, the retention purge). DeskService owns this object; nothing else writes these tables.
 *
 * Settling: once every step of an appointment's entries has an outcome, the mirror row stops being a local
 * change (version 0), so the next pull replaces it with upstream's record; an appointment the desk made takes
 * the id upstream gave it. Without this, refresh would keep the desk's copy for ever and the mirror would never
 * again equal upstream.
 */
import {
  addDays,
  localDateOf,
  missingCaseError,
  DeskStatus,
  Patient,
  TIME_SENSITIVE_FLAGS,
  type Appointment,
  type PatientFlag,
} from '../../../shared/domain';
import { DeskError } from '../../../shared/api';
import {
  buildWorklist,
  CAPABILITIES,
  affectedPatients,
  onWorklist,
  impactReport,
  type ImpactInput,
  type ImpactReportView,
  type OutageWindow,
  MERGE_OPS,
  planMerge,
  type AttemptResult,
  type Capability,
  type ImpactReport,
  type Outcome,
  type Plan,
  type PlanEntry,
  type PlanItem,
  type Resolution,
  type ResolutionChoice,
  type UpstreamAppointment,
  type UpstreamSlot,
  type UpstreamView,
  type WorklistPatient,
  type WorklistLookup,
  type PatientInfo,
  emptyCounts,
  itemPlace,
  refusedReason,
  UNDONE_REASON,
  type MergeItemView,
  type MergePatientGroup,
  type MergePlanView,
} from '../../../shared/merge';
import { randomUUID } from 'node:crypto';
import type { FhirSettings } from '../upstream/fhir/client';
import type { UpstreamSettingsProvider } from '../upstream/settings';
import { applyMerge, readUpstreamForMerge, type ApplyReport } from './apply';
import type { RequestContext } from '../dispatch';
import { ANCHOR_META_KEY } from '../store/journal';
import type { DeskDeps } from '../deps';
import { sql, type Db } from '../store/sql';

export interface MergeDeps extends DeskDeps {
  /** The FHIR server and token this desk's pulls use: merge-back writes with the same (upstream/settings.ts). */
  upstreamSettings: UpstreamSettingsProvider;
}

export const MERGE_META = {
  capability: 'merge.capability',
  upstreamReadAt: 'merge.upstreamReadAt',
  retentionDays: 'merge.retentionDays',
} as const;

export const DEFAULT_RETENTION_DAYS = 30;

/**
 * Meta key prefix of a write sent for an item and not yet answered (meta: merge.writeSent:<item key> = when).
 * Set, committed, before the write goes out; cleared with the item's outcome, or when the answer shows the write
 * did not land (412, 4xx). Still there on the next run (the apply was stopped, the desk killed, the answer lost),
 * it says the desk's state found upstream is the desk's own write: counted as applied, not as already there.
 */
const WRITE_SENT_META = 'merge.writeSent:';

const OPS_SQL = MERGE_OPS.map((op) => `'${op}'`).join(', ');

export class MergeDesk {
  private running: string | null = null;

  constructor(private readonly deps: MergeDeps) {}

  private get db(): Db {
    return this.deps.db;
  }

  // ---- the planner's inputs ----------------------------------------------------------------------------------

  entries(): PlanEntry[] {
    return this.deps.journal.ofOps(MERGE_OPS);
  }

  /** Each appointment as last pulled (upstream_record), as the planner compares it. */
  base(): Map<string, UpstreamAppointment> {
    const out = new Map<string, UpstreamAppointment>();
    const rows = this.db.prepare("SELECT id, version, entity FROM upstream_record WHERE resource_type = 'Appointment' AND entity IS NOT NULL").raw().all() as Array<[string, string, string]>;
    for (const [id, version, entity] of rows) {
      const a = JSON.parse(entity) as Appointment;
      out.set(id, { id, version, status: a.fhirStatus, start: a.start, end: a.end, slotId: a.slotId, patientId: a.patientId, clinicianId: a.clinicianId, deskIdentifier: null });
    }
    return out;
  }

  upstreamView(): UpstreamView {
    const appointments = new Map<string, UpstreamAppointment>();
    const byDeskIdentifier = new Map<string, UpstreamAppointment>();
    const slots = new Map<string, UpstreamSlot>();
    for (const [kind, data] of this.db.prepare('SELECT kind, data FROM merge_upstream ORDER BY kind, id').raw().all() as Array<[string, string]>) {
      if (kind === 'slot') {
        const s = JSON.parse(data) as UpstreamSlot;
        slots.set(s.id, s);
      } else {
        const a = JSON.parse(data) as UpstreamAppointment;
        appointments.set(a.id, a);
        if (a.deskIdentifier !== null) byDeskIdentifier.set(a.deskIdentifier, a);
      }
    }
    return { appointments, byDeskIdentifier, slots };
  }

  upstreamReadAt(): string | null {
    return this.deps.mirror.getMeta(MERGE_META.upstreamReadAt);
  }

  /** Replaces upstream as last read (one transaction: the plan never sees half of one read and half of another). */
  saveUpstream(appointments: Iterable<UpstreamAppointment>, slots: Iterable<UpstreamSlot>): void {
    const at = this.deps.clock().toISOString();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM merge_upstream').run();
      const insert = this.db.prepare('INSERT OR REPLACE INTO merge_upstream (kind, id, data, read_at) VALUES (?, ?, ?, ?)');
      for (const a of appointments) insert.run('appointment', a.id, JSON.stringify(a), at);
      for (const s of slots) insert.run('slot', s.id, JSON.stringify(s), at);
      this.deps.mirror.setMeta(MERGE_META.upstreamReadAt, at);
    });
  }

  /** One appointment as just re-read (during apply), so the stored view stays what upstream last said. */
  noteUpstream(a: UpstreamAppointment): void {
    this.db.run(sql`INSERT OR REPLACE INTO merge_upstream (kind, id, data, read_at) VALUES ('appointment', ${a.id}, ${JSON.stringify(a)}, ${this.deps.clock().toISOString()})`);
  }

  done(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const [entry, key] of this.db.prepare('SELECT entry_id, item_key FROM merge_outcome').raw().all() as Array<[string, string]>) {
      const set = out.get(entry) ?? new Set<string>();
      set.add(key);
      out.set(entry, set);
    }
    return out;
  }

  resolutions(): Map<string, Resolution> {
    const rows = this.db.all<{ item_key: string; choice: ResolutionChoice; slot_id: string | null }>(sql`SELECT item_key, choice, slot_id FROM merge_resolution`);
    return new Map(rows.map((r) => [r.item_key, { choice: r.choice, slotId: r.slot_id }]));
  }

  /** Today (London) by the desk's clock: what the planner compares past appointments against. */
  today(): string {
    return localDateOf(this.deps.clock());
  }

  capability(): Capability {
    const v = this.deps.mirror.getMeta(MERGE_META.capability);
    return (CAPABILITIES as readonly string[]).includes(v ?? '') ? (v as Capability) : 'fhir';
  }

  setCapability(capability: Capability): void {
    this.db.transaction(() => this.deps.mirror.setMeta(MERGE_META.capability, capability));
  }

  /** The plan now, from what the desk holds (no network: upstream as last read). */
  /**
   * The plan against the upstream view last read. The header asks for the count of unmerged changes on every
   * desk after every change (getMirrorStatus), and planning a long journal costs hundreds of milliseconds in the
   * one desk process: so the plan is kept until anything is written. total_changes() moves with every row this
   * connection writes (the service is the only writer), data_version with every commit by another connection
   * (the CLI on the same folder), and the plan also depends on today.
   */
  plan(view?: UpstreamView): Plan {
    if (view !== undefined) return this.planAgainst(view);
    const written = this.db.get<{ n: number }>(sql`SELECT total_changes() AS n`)?.n ?? 0;
    const key = `${written}|${String(this.db.raw.pragma('data_version', { simple: true }))}|${this.today()}`;
    if (this.planCache?.key !== key) this.planCache = { key, plan: this.planAgainst(this.upstreamView()) };
    return this.planCache.plan;
  }

  private planCache: { key: string; plan: Plan } | null = null;

  private planAgainst(view: UpstreamView): Plan {
    return planMerge({
      entries: this.entries(),
      base: this.base(),
      upstream: view,
      capability: this.capability(),
      today: this.today(),
      done: this.done(),
      resolutions: this.resolutions(),
      itemOutcomes: this.itemOutcomes(),
    });
  }

  itemOutcomes(): Map<string, Outcome> {
    return new Map(this.db.all<{ item_key: string; outcome: Outcome }>(sql`SELECT item_key, outcome FROM merge_outcome`).map((r) => [r.item_key, r.outcome]));
  }

  attempts(): Map<string, { result: AttemptResult; detail: string; tries: number }> {
    const rows = this.db.all<{ item_key: string; result: AttemptResult; detail: string; tries: number }>(sql`SELECT item_key, result, detail, tries FROM merge_attempt`);
    return new Map(rows.map((r) => [r.item_key, { result: r.result, detail: r.detail, tries: r.tries }]));
  }

  // ---- recording -----------------------------------------------------------------------------------------

  /**
   * An item's outcome for every entry in it, and the mirror settled, in one transaction. A step already
   * recorded stays as it was (a replay cannot give an entry a second outcome).
   */
  recordOutcome(item: PlanItem, outcome: Outcome, ctx: RequestContext, upstream: { id: string; version: string } | null = null, detail: string | null = null): void {
    const at = this.deps.clock().toISOString();
    this.db.transaction(() => {
      for (const entryId of item.entryIds) {
        this.db.run(sql`INSERT INTO merge_outcome (entry_id, item_key, outcome, upstream_id, upstream_version, detail, user, at)
          VALUES (${entryId}, ${item.key}, ${outcome}, ${upstream?.id ?? null}, ${upstream?.version ?? null}, ${detail}, ${ctx.user}, ${at})
          ON CONFLICT(entry_id, item_key) DO NOTHING`);
      }
      this.db.run(sql`DELETE FROM merge_attempt WHERE item_key = ${item.key}`);
      this.clearWriteSent(item.key);
      this.settle(item, outcome, upstream);
    });
  }

  /** A write for the item is about to go out (committed first: see WRITE_SENT_META). */
  noteWriteSent(key: string): void {
    this.db.transaction(() => this.deps.mirror.setMeta(`${WRITE_SENT_META}${key}`, this.deps.clock().toISOString()));
  }

  /** The write's answer shows it did not land (412, 4xx). */
  clearWriteSent(key: string): void {
    this.db.run(sql`DELETE FROM meta WHERE key = ${`${WRITE_SENT_META}${key}`}`);
  }

  /** A write for the item went out and no answer was recorded: what upstream now holds may be ours. */
  writeSent(key: string): boolean {
    return this.deps.mirror.getMeta(`${WRITE_SENT_META}${key}`) !== null;
  }

  recordAttempt(key: string, result: AttemptResult, detail: string): void {
    const at = this.deps.clock().toISOString();
    this.db.run(sql`INSERT INTO merge_attempt (item_key, result, detail, tries, at) VALUES (${key}, ${result}, ${detail}, 1, ${at})
      ON CONFLICT(item_key) DO UPDATE SET result = excluded.result, detail = excluded.detail, tries = tries + 1, at = excluded.at`);
  }

  private settle(item: PlanItem, outcome: Outcome, upstream: { id: string; version: string } | null): void {
    const id = item.appointmentId;
    if (id === null) return;
    switch (item.kind) {
      case 'status':
        this.db.run(sql`UPDATE appointment SET version = 0 WHERE id = ${id}`);
        this.db.run(sql`DELETE FROM upstream_pending WHERE resource_type = 'Appointment' AND id = ${id}`);
        // Upstream may not have changed (kept upstream's, dismissed): a fingerprint no pull can match makes the
        // next pull rewrite the row, so the desk's settled copy never outlives the decision.
        this.db.run(sql`UPDATE upstream_record SET fingerprint = 'settled' WHERE resource_type = 'Appointment' AND id = ${id}`);
        return;
      case 'create':
        if ((outcome === 'applied' || outcome === 'already') && upstream !== null && upstream.id !== id) {
          // The desk's appointment becomes upstream's: same row (its walk-in origin and ticket kept), upstream's id.
          if (this.deps.mirror.appointment(upstream.id)) {
            this.db.run(sql`DELETE FROM appointment WHERE id = ${id}`);
          } else {
            this.db.run(sql`UPDATE appointment SET id = ${upstream.id}, version = 0, upstream_version = ${upstream.version} WHERE id = ${id}`);
          }
          this.db.run(sql`UPDATE appointment SET rebooked_to = ${upstream.id} WHERE rebooked_to = ${id}`);
        } else if (outcome === 'keyed' || outcome === 'dismissed' || outcome === 'kept_upstream' || (outcome === 'already' && upstream === null)) {
          // Keyed by hand upstream gets its own id there, which the next pull brings; the desk's copy would double it.
          // Already with nothing upstream: a walk-in taken back as registered in error, never a visit to keep.
          this.db.run(sql`DELETE FROM appointment WHERE id = ${id}`);
        }
        return;
      case 'entry':
        return;
      default:
        throw missingCaseError(item.kind);
    }
  }

  // ---- a person's decisions ------------------------------------------------------------------------------

  resolve(input: { itemKey: string; choice: ResolutionChoice; slotId?: string | undefined }, ctx: RequestContext): PlanItem {
    const plan = this.plan();
    const item = plan.items.find((i) => i.key === input.itemKey);
    if (!item) throw new DeskError('not_found', `no pending merge item "${input.itemKey}"`);
    if (item.class !== 'conflict' && !(item.resolution && input.choice !== item.resolution.choice)) {
      throw new DeskError('conflict', `"${input.itemKey}" is not a conflict (it is ${item.class}); nothing was changed`);
    }
    if (input.choice === 'rebook') {
      if (item.kind !== 'create') throw new DeskError('invalid_input', 'choice: rebook applies to a rebooking or walk-in whose slot was taken; rebook the patient at the desk instead', { issues: [{ path: 'choice', message: 'not a new appointment' }] });
      if (!input.slotId) throw new DeskError('invalid_input', 'slotId: rebook needs the slot to use instead', { issues: [{ path: 'slotId', message: 'required' }] });
    }
    const now = this.deps.clock().toISOString();
    const slot = input.choice === 'rebook' && input.slotId ? this.deps.mirror.slot(input.slotId) : null;
    if (input.choice === 'rebook' && !slot) throw new DeskError('not_found', `no slot with id "${input.slotId ?? ''}" in the mirror`);
    this.db.transaction(() => {
      // A slot on a day upstream was not read for: the mirror's copy stands in until apply re-reads the real one.
      if (slot && !this.db.get(sql`SELECT 1 FROM merge_upstream WHERE kind = 'slot' AND id = ${slot.id}`)) {
        const stand: UpstreamSlot = { id: slot.id, status: slot.status, start: slot.start, end: slot.end, clinicianId: slot.clinicianId };
        this.db.run(sql`INSERT INTO merge_upstream (kind, id, data, read_at) VALUES ('slot', ${slot.id}, ${JSON.stringify(stand)}, ${now})`);
      }
      this.db.run(sql`INSERT INTO merge_resolution (item_key, choice, slot_id, user, at) VALUES (${item.key}, ${input.choice}, ${input.slotId ?? null}, ${ctx.user}, ${now})
        ON CONFLICT(item_key) DO UPDATE SET choice = excluded.choice, slot_id = excluded.slot_id, user = excluded.user, at = excluded.at`);
      this.deps.journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: 'merge.resolve',
        entity: 'merge',
        entityId: item.key,
        before: { class: item.class, conflict: item.conflict },
        after: { choice: input.choice, slotId: input.slotId ?? null },
        baseVersion: item.upstream?.version ?? null,
      });
      if (input.choice === 'keep_upstream') this.recordOutcomeInTx(item, 'kept_upstream', ctx, now);
    });
    const after = this.plan().items.find((i) => i.key === item.key);
    return after ?? { ...item, resolution: { choice: input.choice, slotId: input.slotId ?? null } };
  }

  private recordOutcomeInTx(item: PlanItem, outcome: Outcome, ctx: RequestContext, at: string, detail: string | null = null): void {
    for (const entryId of item.entryIds) {
      this.db.run(sql`INSERT INTO merge_outcome (entry_id, item_key, outcome, upstream_id, upstream_version, detail, user, at)
        VALUES (${entryId}, ${item.key}, ${outcome}, ${null}, ${null}, ${detail}, ${ctx.user}, ${at}) ON CONFLICT(entry_id, item_key) DO NOTHING`);
    }
    this.db.run(sql`DELETE FROM merge_attempt WHERE item_key = ${item.key}`);
    this.clearWriteSent(item.key);
    this.settle(item, outcome, null);
  }

  /**
   * A worklist item keyed in by hand (ticked), or set aside with a reason (dismissed). Only an item on the
   * worklist (onWorklist): ticking a conflict or an item apply still has to write would end it with the desk's
   * change never reaching upstream. The reason is journalled, and so in the audit trail.
   */
  tick(input: { itemKey: string; state: 'keyed' | 'dismissed'; reason?: string | undefined }, ctx: RequestContext): { itemKey: string; outcome: Outcome } {
    const reason = input.reason?.trim() ?? '';
    if (input.state === 'dismissed' && reason === '') {
      throw new DeskError('invalid_input', 'reason: dismissing an item needs a reason (what was decided, and why it is not keyed)', { issues: [{ path: 'reason', message: 'required' }] });
    }
    const item = this.plan().items.find((i) => i.key === input.itemKey);
    if (!item) throw new DeskError('not_found', `no pending worklist item "${input.itemKey}" (already done?)`);
    if (!onWorklist(item, this.attempts().get(item.key) ?? null)) {
      const why =
        item.class === 'conflict'
          ? 'it is a conflict: a manager decides it in the merge review (keep the desk\u2019s, keep upstream\u2019s, rebook, or leave it for manual entry)'
          : item.class === 'already'
            ? 'upstream already has it: merge-back records it when it next applies'
            : 'merge-back writes it to the clinical system: apply it from the merge review, or a manager leaves it for manual entry';
      throw new DeskError('conflict', `"${item.key}" is not on the worklist, so it cannot be ${input.state}: ${why}; nothing was changed`);
    }
    const now = this.deps.clock().toISOString();
    this.db.transaction(() => {
      this.deps.journal.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        op: input.state === 'keyed' ? 'merge.keyed' : 'merge.dismiss',
        entity: 'merge',
        entityId: item.key,
        before: { class: item.class },
        after: { entries: item.entryIds, ...(reason ? { reason } : {}) },
        baseVersion: null,
      });
      this.recordOutcomeInTx(item, input.state, ctx, now, reason || null);
    });
    return { itemKey: item.key, outcome: input.state };
  }

  // ---- views ---------------------------------------------------------------------------------------------

  /**
   * Names for the views: patients from the mirror, else as the journal recorded them (a signposted walk-in new to
   * the practice is never in the mirror), clinicians by name, appointments as the desk holds them.
   */
  lookup(attempts = this.attempts()): WorklistLookup {
    const { mirror } = this.deps;
    const names = new Map<string, string>();
    let journalled: Map<string, PatientInfo> | null = null;
    const info = (p: { id: string; familyName: string; givenName: string; nhsNumber: string | null; dateOfBirth: string | null; phone: string | null; flags: readonly PatientFlag[] }): PatientInfo => ({
      id: p.id,
      name: `${p.familyName.toUpperCase()}, ${p.givenName}`,
      nhsNumber: p.nhsNumber,
      dateOfBirth: p.dateOfBirth,
      phone: p.phone,
      flags: p.flags,
    });
    return {
      patient: (id) => {
        const p = mirror.patient(id);
        if (p) return info(p);
        journalled ??= patientsInJournal(this.entries(), info);
        return journalled.get(id) ?? null;
      },
      clinicianName: (id) => {
        let n = names.get(id);
        if (n === undefined) names.set(id, (n = mirror.clinician(id)?.name ?? id));
        return n;
      },
      appointment: (id) => {
        const a = mirror.appointment(id);
        return a ? { patientId: a.patientId, start: a.start, clinicianId: a.clinicianId } : null;
      },
      attempt: (key) => attempts.get(key) ?? null,
    };
  }

  worklist(plan: Plan = this.plan()): WorklistPatient[] {
    return buildWorklist(plan, this.lookup());
  }

  /**
   * Each outage, from a switch to outage mode to the switch back (to: null while it lasts), from the journal's
   * mode switches; without any, one outage from the first to the last desk change.
   */
  outages(): OutageWindow[] {
    const modes = this.db.all<{ at: string; after: string }>(sql`SELECT at, after FROM journal WHERE op = 'desk.setMode' ORDER BY seq`);
    const out: OutageWindow[] = [];
    let open: string | null = null;
    for (const m of modes) {
      const mode = (JSON.parse(m.after) as { mode?: string }).mode;
      if (mode === 'outage' && open === null) open = m.at;
      if (mode === 'online' && open !== null) {
        out.push({ from: open, to: m.at });
        open = null;
      }
    }
    if (open !== null) out.push({ from: open, to: null });
    if (out.length === 0) {
      const span = this.db.get<{ a: string | null; b: string | null }>({ text: `SELECT min(at) AS a, max(at) AS b FROM journal WHERE op IN (${OPS_SQL})`, params: [] });
      if (span?.a) out.push({ from: span.a, to: span.b });
    }
    return out;
  }

  /** From the first outage's start to the last one's end (to: null while it lasts). */
  outageWindow(): { from: string | null; to: string | null } {
    const all = this.outages();
    const last = all.at(-1);
    return { from: all[0]?.from ?? null, to: last ? last.to : null };
  }

  private impactInput(plan: Plan): ImpactInput {
    const entries = this.entries();
    // The practice's own book: what the desk made (walk-ins, rebookings), under its own id or the one upstream
    // gave it once merged back, is counted from the journal instead.
    const made = new Set<string>();
    for (const e of entries) {
      const after = e.after as { appointment?: { id?: unknown }; booked?: { id?: unknown } } | null;
      for (const id of [after?.appointment?.id, after?.booked?.id]) if (typeof id === 'string') made.add(id);
    }
    for (const id of this.db.prepare("SELECT upstream_id FROM merge_outcome WHERE item_key LIKE 'create:%' AND upstream_id IS NOT NULL").pluck().all() as string[]) made.add(id);
    const book = this.db
      .all<{ id: string; patient_id: string; start: string; origin: string }>(sql`SELECT id, patient_id, start, origin FROM appointment`)
      .filter((a) => a.origin === 'upstream' && !made.has(a.id))
      .map((a) => ({ id: a.id, patientId: a.patient_id, start: a.start }));
    const base = this.base();
    const { mirror } = this.deps;
    const flags = new Map<string, boolean>();
    return {
      outages: this.outages(),
      now: this.deps.clock().toISOString(),
      entries,
      book,
      patientOf: (id) => mirror.appointment(id)?.patientId ?? base.get(id)?.patientId ?? null,
      timeSensitive: (id) => {
        let ts = flags.get(id);
        if (ts === undefined) flags.set(id, (ts = (mirror.patient(id)?.flags ?? []).some((f) => TIME_SENSITIVE_FLAGS.includes(f))));
        return ts;
      },
      outcomes: this.db.all<{ entryId: string; outcome: Outcome }>(sql`SELECT entry_id AS entryId, outcome FROM merge_outcome`),
      pending: plan.items.flatMap((i) => i.entryIds.map((entryId) => ({ entryId, class: i.class }))),
    };
  }

  /** The outage's figures: each outage on its own and all together, counts only (kept after the purge). */
  impact(plan: Plan = this.plan()): ImpactReport {
    return impactReport(this.impactInput(plan));
  }

  /**
   * The figures with the patient-identifiable part: the patients in time-sensitive care each outage touched, by
   * name, with their appointments inside it. For the practice (a manager's), never stored with the counts.
   */
  impactView(plan: Plan = this.plan()): ImpactReportView {
    const input = this.impactInput(plan);
    const lookup = this.lookup();
    const patients = affectedPatients(input).map((a) => {
      const p = lookup.patient(a.patientId);
      return {
        outage: a.outage,
        patientId: a.patientId,
        name: p?.name ?? 'Patient not recorded',
        nhsNumber: p?.nhsNumber ?? null,
        dateOfBirth: p?.dateOfBirth ?? null,
        flags: (p?.flags ?? []).filter((f) => TIME_SENSITIVE_FLAGS.includes(f)),
        appointments: a.appointments.flatMap((x) => {
          const held = this.deps.mirror.appointment(x.id);
          if (!held) return [];
          const status = DeskStatus.safeParse(x.status ?? held.status);
          return [{ start: held.start, clinician: lookup.clinicianName(held.clinicianId), status: status.success ? status.data : held.status }];
        }),
      };
    });
    return { ...impactReport(input), patients };
  }

  /**
   * Desk changes not yet merged, as the header counts them: plan items (one per appointment, one per thing made
   * or noted at the desk) without an outcome, less those whose changes cancel out (undone: nothing to put back).
   * Journal entries would never go down, and would count an appointment checked in, sent in and seen three times.
   */
  unmerged(plan: Plan = this.plan()): number {
    return plan.items.filter((i) => i.reason !== UNDONE_REASON).length;
  }

  /** Complete: no journal entry left without an outcome (nothing to write, decide, key or dismiss). */
  complete(plan: Plan = this.plan()): boolean {
    return plan.items.length === 0;
  }

  // ---- retention --------------------------------------------------------------------------------------------

  retentionDays(): number {
    const v = Number(this.deps.mirror.getMeta(MERGE_META.retentionDays));
    return Number.isInteger(v) && v > 0 ? v : DEFAULT_RETENTION_DAYS;
  }

  setRetentionDays(days: number): void {
    if (!Number.isInteger(days) || days < 1) throw new RangeError('retention must be a whole number of days, at least 1');
    this.db.transaction(() => this.deps.mirror.setMeta(MERGE_META.retentionDays, String(days)));
  }

  /**
   * Marks the reconciliation complete (keeping its anonymous counts) when it is, and purges the outage's
   * patient-identifiable data once the retention period has passed: the journal entries up to the completion
   * (their hash chain re-anchored), outcomes, attempts, decisions, upstream as read, and patients registered at
   * the desk that nothing refers to any more. The counts in merge_summary stay.
   */
  retention(ctx: RequestContext): { completedAt: string | null; purgeAfter: string | null; purged: boolean } {
    const now = this.deps.clock();
    const nowIso = now.toISOString();
    let summary = this.db.get<{ id: number; completed_at: string; purge_after: string; purged_at: string | null }>(sql`SELECT * FROM merge_summary WHERE purged_at IS NULL ORDER BY id DESC LIMIT 1`);
    if (!summary) {
      const plan = this.plan();
      if (!this.complete(plan) || this.entries().length === 0) return { completedAt: null, purgeAfter: null, purged: false };
      const report = this.impact(plan);
      const purgeAfter = `${addDays(localDateOf(now), this.retentionDays())}T00:00:00.000Z`;
      this.db.transaction(() => {
        this.db.run(sql`INSERT INTO merge_summary (completed_at, purge_after, counts) VALUES (${nowIso}, ${purgeAfter}, ${JSON.stringify(report)})`);
        this.deps.journal.append({ at: nowIso, user: ctx.user, desk: ctx.desk, op: 'merge.complete', entity: 'merge', entityId: null, before: null, after: { counts: report, purgeAfter }, baseVersion: null });
      });
      summary = this.db.get(sql`SELECT * FROM merge_summary WHERE purged_at IS NULL ORDER BY id DESC LIMIT 1`);
      if (!summary) throw new Error('merge summary just written cannot be read back');
    }
    if (nowIso < summary.purge_after) return { completedAt: summary.completed_at, purgeAfter: summary.purge_after, purged: false };
    const completedAt = summary.completed_at;
    const summaryId = summary.id;
    this.db.transaction(() => {
      const last = this.db.get<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM journal WHERE at <= ${completedAt} ORDER BY seq DESC LIMIT 1`);
      if (last) {
        this.deps.mirror.setMeta('journal.purgeThrough', String(last.seq));
        this.deps.mirror.setMeta(ANCHOR_META_KEY, last.hash);
        this.db.run(sql`DELETE FROM journal WHERE seq <= ${last.seq}`);
        this.deps.mirror.setMeta('journal.purgeThrough', '0');
      }
      for (const table of ['merge_outcome', 'merge_attempt', 'merge_resolution', 'merge_upstream', 'upstream_pending']) this.db.prepare(`DELETE FROM ${table}`).run();
      this.db.run(sql`DELETE FROM meta WHERE key LIKE ${`${WRITE_SENT_META}%`}`);
      // Desk-registered patients nothing refers to: clear the guard (migration 0003), then remove them.
      this.db.run(sql`UPDATE patient SET local = 0 WHERE local = 1 AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = patient.id)`);
      this.db.run(sql`DELETE FROM patient WHERE local = 0 AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = patient.id)
        AND NOT EXISTS (SELECT 1 FROM upstream_record r WHERE r.resource_type = 'Patient' AND r.id = patient.id)`);
      this.db.run(sql`UPDATE merge_summary SET purged_at = ${nowIso} WHERE id = ${summaryId}`);
      this.deps.journal.append({ at: nowIso, user: ctx.user, desk: ctx.desk, op: 'merge.purge', entity: 'merge', entityId: null, before: null, after: { through: last?.seq ?? 0 }, baseVersion: null });
    });
    return { completedAt, purgeAfter: summary.purge_after, purged: true };
  }

  summaries(): Array<{ completedAt: string; purgeAfter: string; purgedAt: string | null; counts: ImpactReport }> {
    return this.db
      .all<{ completed_at: string; purge_after: string; purged_at: string | null; counts: string }>(sql`SELECT * FROM merge_summary ORDER BY id`)
      .map((r) => ({ completedAt: r.completed_at, purgeAfter: r.purge_after, purgedAt: r.purged_at, counts: JSON.parse(r.counts) as ImpactReport }));
  }

  // ---- the contract's views -----------------------------------------------------------------------------

  /**
   * One item as the review shows it: named (time and clinician, from the desk's copy when the plan has no base),
   * and an item the clinical system refused (a 422) as what it now is: one to key by hand, not "ready to apply"
   * (apply does not retry it; the worklist carries it).
   */
  itemView(item: PlanItem, attempts = this.attempts(), lookup: WorklistLookup = this.lookup(attempts)): MergeItemView {
    const attempt = attempts.get(item.key);
    const refused = attempt?.result === 'rejected' && item.write !== null;
    const place = itemPlace(item, lookup);
    return {
      key: item.key,
      kind: item.kind,
      op: item.op,
      class: refused ? 'manual' : item.class,
      conflict: item.conflict,
      reason: refused ? refusedReason(attempt.detail) : item.reason,
      start: place.start,
      base: item.base,
      upstream: item.upstream,
      desk: item.desk,
      resolution: item.resolution ? { choice: item.resolution.choice, slotId: item.resolution.slotId ?? null } : null,
      attempt: attempt ? { result: attempt.result, detail: attempt.detail } : null,
      entryIds: item.entryIds,
      writes: item.write !== null && !refused,
      detail: item.detail,
      clinician: place.clinicianId !== null ? lookup.clinicianName(place.clinicianId) : null,
    };
  }

  /** The plan grouped by patient, patients with conflicts first (then time-sensitive, then by time). */
  planView(): MergePlanView {
    const plan = this.plan();
    const attempts = this.attempts();
    const lookup = this.lookup(attempts);
    const groups = new Map<string, MergePatientGroup & { first: string }>();
    const counts = emptyCounts();
    for (const item of plan.items) {
      const view = this.itemView(item, attempts, lookup);
      counts[view.class]++;
      const patientId = itemPlace(item, lookup).patientId;
      const k = patientId ?? '';
      let g = groups.get(k);
      if (!g) {
        const p = patientId !== null ? lookup.patient(patientId) : null;
        g = {
          patientId,
          name: p?.name ?? 'Patient not recorded',
          nhsNumber: p?.nhsNumber ?? null,
          timeSensitive: (p?.flags ?? []).some((f) => TIME_SENSITIVE_FLAGS.includes(f)),
          conflicts: 0,
          items: [],
          first: view.start ?? '9999',
        };
        groups.set(k, g);
      }
      if (item.class === 'conflict' && item.resolution === null) g.conflicts++;
      if ((view.start ?? '9999') < g.first) g.first = view.start ?? '9999';
      g.items.push(view);
    }
    const rank = (c: MergeItemView) => (c.class === 'conflict' ? 0 : c.class === 'manual' ? 1 : 2);
    const sorted = [...groups.values()].sort(
      (a, b) => Number(b.conflicts > 0) - Number(a.conflicts > 0) || Number(b.timeSensitive) - Number(a.timeSensitive) || a.first.localeCompare(b.first) || (a.patientId ?? '').localeCompare(b.patientId ?? ''),
    );
    for (const g of sorted) g.items.sort((a, b) => rank(a) - rank(b) || (a.start ?? '').localeCompare(b.start ?? '') || a.key.localeCompare(b.key));
    return {
      upstreamReadAt: this.upstreamReadAt(),
      capability: this.capability(),
      complete: this.complete(plan),
      running: this.running !== null,
      counts,
      groups: sorted.map(({ first: _first, ...g }) => g),
    };
  }

  // ---- running reconcile in the background (the contract's startMergeApply) --------------------------------

  private progress(runId: string, phase: 'reading' | 'applying' | 'finished' | 'failed', done: number, total: number, message: string | null = null): void {
    this.deps.emit({ kind: 'merge.progress', seq: this.deps.journal.lastSeq(), runId, phase, done, total, message });
  }

  /**
   * Reads upstream again and (unless a dry run) applies every clean item; returns at once, progress comes as
   * events. One run at a time: a second would race the first for the same items.
   */
  startApply(input: { dryRun?: boolean | undefined }, ctx: RequestContext, settings?: FhirSettings): { runId: string; done: Promise<ApplyReport | null> } {
    if (this.running !== null) throw new DeskError('conflict', 'merge-back is already running; wait for it to finish');
    const fhir = settings ?? this.deps.upstreamSettings();
    if (!fhir) throw new DeskError('invalid_input', 'no FHIR server is set for this desk: pull from it first (standby-desk pull --fhir URL)', { issues: [{ path: 'fhir', message: 'not set' }] });
    const runId = randomUUID();
    this.running = runId;
    const done = (async () => {
      try {
        this.progress(runId, 'reading', 0, 0);
        await readUpstreamForMerge(this, fhir);
        if (input.dryRun) {
          this.progress(runId, 'finished', 0, 0, 'read upstream; nothing written (dry run)');
          return null;
        }
        const report = await applyMerge(this, fhir, { ctx, retryDelayMs: 250, onProgress: (p) => this.progress(runId, 'applying', p.done, p.total, p.itemKey) });
        // Marks the reconciliation complete when it is (and purges once the retention period has passed).
        this.retention(ctx);
        this.progress(runId, 'finished', report.total, report.total, `${report.applied} applied, ${report.already} already there, ${report.conflict} conflicts, ${report.rejected} refused, ${report.failed} failed`);
        return report;
      } catch (error) {
        this.progress(runId, 'failed', 0, 0, error instanceof Error ? error.message : String(error));
        return null;
      } finally {
        this.running = null;
      }
    })();
    return { runId, done };
  }
}

/** Patients as the journal recorded them when the desk registered them (a walk-in, a signposted walk-in). */
function patientsInJournal(entries: readonly PlanEntry[], info: (p: Patient) => PatientInfo): Map<string, PatientInfo> {
  const out = new Map<string, PatientInfo>();
  for (const e of entries) {
    const after = e.after as { newPatient?: unknown; patient?: unknown } | null;
    for (const candidate of [after?.newPatient, after?.patient]) {
      const p = Patient.safeParse(candidate);
      if (p.success) out.set(p.data.id, info(p.data));
    }
  }
  return out;
}
