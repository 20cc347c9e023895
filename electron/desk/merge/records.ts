/**
 * Merge-back's records in the desk's own database: the planner's inputs read from SQLite (journal, base records,
 * upstream as last read), the plan they make, and every merge-back write (outcomes, attempts, the write-sent
 * marks, settling the mirror, the settings). apply.ts reads and writes through this class alone; MergeDesk
 * (desk.ts) adds a person's decisions, the views and the retention purge on top of it.
 *
 * Settling: once every step of an appointment's entries has an outcome, the mirror row stops being a local
 * change (version 0), so the next pull replaces it with upstream's record; an appointment the desk made takes
 * the id upstream gave it. Without this, refresh would keep the desk's copy for ever and the mirror would never
 * again equal upstream.
 */
import { addDays, localDateOf, missingCaseError, type Appointment } from '../../../shared/domain';
import {
  CAPABILITIES,
  ClaimSettings,
  DEFAULT_CLAIM_SETTINGS,
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
} from '../../../shared/merge';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { ANCHOR_META_KEY } from '../store/journal';
import { sql, type Db } from '../store/sql';

/** What the records need of the desk: all but the emitter (MergeDeps in desk.ts is the whole). */
export type MergeRecordsDeps = Omit<DeskDeps, 'emit'>;

const MERGE_META = {
  capability: 'merge.capability',
  upstreamReadAt: 'merge.upstreamReadAt',
  retentionDays: 'merge.retentionDays',
  claim: 'merge.claim',
} as const;

const DEFAULT_RETENTION_DAYS = 30;

/**
 * Meta key prefix of a write sent for an item and not yet answered (meta: merge.writeSent:<item key> = when).
 * Set, committed, before the write goes out; cleared with the item's outcome, or when the answer shows the write
 * did not land (412, 4xx). Still there on the next run (the apply was stopped, the desk killed, the answer lost),
 * it says the desk's state found upstream is the desk's own write: counted as applied, not as already there.
 */
const WRITE_SENT_META = 'merge.writeSent:';

const OPS_SQL = MERGE_OPS.map((op) => `'${op}'`).join(', ');

export class MergeRecords {
  constructor(protected readonly deps: MergeRecordsDeps) {}

  protected get db(): Db {
    return this.deps.db;
  }

  // ---- the planner's inputs ----------------------------------------------------------------------------------

  entries(): PlanEntry[] {
    return this.deps.journal.ofOps(MERGE_OPS);
  }

  /** Each appointment as last pulled (upstream_record), as the planner compares it. */
  base(): Map<string, UpstreamAppointment> {
    const out = new Map<string, UpstreamAppointment>();
    const rows = this.db.prepare("SELECT id, version, entity FROM upstream_record WHERE resource_type = 'Appointment' AND entity IS NOT NULL").raw().all() as Array<
      [string, string, string]
    >;
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
      const insert = this.db.prepare(
        'INSERT INTO merge_upstream (kind, id, data, read_at) VALUES (?, ?, ?, ?) ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data, read_at = excluded.read_at',
      );
      for (const a of appointments) insert.run('appointment', a.id, JSON.stringify(a), at);
      for (const s of slots) insert.run('slot', s.id, JSON.stringify(s), at);
      this.deps.mirror.setMeta(MERGE_META.upstreamReadAt, at);
    });
  }

  /** One appointment as just re-read (during apply), so the stored view stays what upstream last said. */
  noteUpstream(a: UpstreamAppointment): void {
    this.db.run(
      sql`INSERT INTO merge_upstream (kind, id, data, read_at) VALUES ('appointment', ${a.id}, ${JSON.stringify(a)}, ${this.deps.clock().toISOString()}) ON CONFLICT(kind, id) DO UPDATE SET data = excluded.data, read_at = excluded.read_at`,
    );
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

  /** Settling inside the caller's transaction (a person's decision: keep upstream's, keyed, dismissed). */
  protected recordOutcomeInTx(item: PlanItem, outcome: Outcome, ctx: RequestContext, at: string, detail: string | null = null): void {
    for (const entryId of item.entryIds) {
      this.db.run(sql`INSERT INTO merge_outcome (entry_id, item_key, outcome, upstream_id, upstream_version, detail, user, at)
        VALUES (${entryId}, ${item.key}, ${outcome}, ${null}, ${null}, ${detail}, ${ctx.user}, ${at}) ON CONFLICT(entry_id, item_key) DO NOTHING`);
    }
    this.db.run(sql`DELETE FROM merge_attempt WHERE item_key = ${item.key}`);
    this.clearWriteSent(item.key);
    this.settle(item, outcome, null);
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

  // ---- settings ---------------------------------------------------------------------------------------------

  retentionDays(): number {
    const v = Number(this.deps.mirror.getMeta(MERGE_META.retentionDays));
    return Number.isInteger(v) && v > 0 ? v : DEFAULT_RETENTION_DAYS;
  }

  setRetentionDays(days: number): void {
    if (!Number.isInteger(days) || days < 1) throw new RangeError('retention must be a whole number of days, at least 1');
    this.db.transaction(() => this.deps.mirror.setMeta(MERGE_META.retentionDays, String(days)));
  }

  /**
   * The week after's work the impact report counts, by the appointment it was about: every try at calling a patient
   * back, and every message recorded as sent (contact tracking).
   */
  followUps(): { callbackAttempts: Array<{ appointmentId: string }>; messagesSent: Array<{ appointmentId: string }> } {
    return {
      callbackAttempts: this.db.all<{ appointmentId: string }>(sql`SELECT appointment_id AS appointmentId FROM callback_attempt`),
      messagesSent: this.db.all<{ appointmentId: string }>(sql`SELECT appointment_id AS appointmentId FROM patient_contact WHERE status = 'sent'`),
    };
  }

  /** The practice's minutes per task and costs per hour for its claim (shared/merge/claim.ts); the defaults until set. */
  claimSettings(): ClaimSettings {
    const stored = this.deps.mirror.getMeta(MERGE_META.claim);
    const parsed = stored === null ? null : ClaimSettings.safeParse(JSON.parse(stored));
    return parsed?.success ? parsed.data : DEFAULT_CLAIM_SETTINGS;
  }

  setClaimSettings(settings: ClaimSettings): void {
    this.db.transaction(() => this.deps.mirror.setMeta(MERGE_META.claim, JSON.stringify(ClaimSettings.parse(settings))));
  }

  summaries(): Array<{ completedAt: string; purgeAfter: string; purgedAt: string | null; counts: ImpactReport }> {
    return this.db
      .all<{ completed_at: string; purge_after: string; purged_at: string | null; counts: string }>(sql`SELECT * FROM merge_summary ORDER BY id`)
      .map((r) => ({ completedAt: r.completed_at, purgeAfter: r.purge_after, purgedAt: r.purged_at, counts: JSON.parse(r.counts) as ImpactReport }));
  }

  // ---- what the views and the purge read ---------------------------------------------------------------

  /** The journal's switches between outage and online mode, oldest first. */
  modeSwitches(): Array<{ at: string; mode: string | undefined }> {
    return this.db
      .all<{ at: string; after: string }>(sql`SELECT at, after FROM journal WHERE op = 'desk.setMode' ORDER BY seq`)
      .map((m) => ({ at: m.at, mode: (JSON.parse(m.after) as { mode?: string }).mode }));
  }

  /** When the first and the last desk change (a merge op) were made. */
  changeSpan(): { first: string | null; last: string | null } {
    const span = this.db.get<{ a: string | null; b: string | null }>({ text: `SELECT min(at) AS a, max(at) AS b FROM journal WHERE op IN (${OPS_SQL})`, params: [] });
    return { first: span?.a ?? null, last: span?.b ?? null };
  }

  /** Ids upstream gave the appointments the desk made, once merged back. */
  createdUpstreamIds(): string[] {
    return this.db.prepare("SELECT upstream_id FROM merge_outcome WHERE item_key LIKE 'create:%' AND upstream_id IS NOT NULL").pluck().all() as string[];
  }

  /** The practice's own book of upstream appointments as the mirror holds them. */
  upstreamBook(): Array<{ id: string; patientId: string; start: string }> {
    return this.db
      .all<{ id: string; patient_id: string; start: string; origin: string }>(sql`SELECT id, patient_id, start, origin FROM appointment`)
      .filter((a) => a.origin === 'upstream')
      .map((a) => ({ id: a.id, patientId: a.patient_id, start: a.start }));
  }

  /** Every recorded outcome, by journal entry. */
  entryOutcomes(): Array<{ entryId: string; outcome: Outcome }> {
    return this.db.all<{ entryId: string; outcome: Outcome }>(sql`SELECT entry_id AS entryId, outcome FROM merge_outcome`);
  }

  // ---- completion and the retention purge ----------------------------------------------------------------

  /** The completed reconciliation not yet purged, if any. */
  openSummary(): OpenSummary | null {
    const row = this.db.get<{ id: number; completed_at: string; purge_after: string }>(
      sql`SELECT id, completed_at, purge_after FROM merge_summary WHERE purged_at IS NULL ORDER BY id DESC LIMIT 1`,
    );
    return row ? { id: row.id, completedAt: row.completed_at, purgeAfter: row.purge_after } : null;
  }

  /** Marks the reconciliation complete with its anonymous counts, purgeable after the retention period. */
  markComplete(report: ImpactReport, ctx: RequestContext): OpenSummary {
    const now = this.deps.clock();
    const nowIso = now.toISOString();
    const purgeAfter = `${addDays(localDateOf(now), this.retentionDays())}T00:00:00.000Z`;
    this.db.transaction(() => {
      this.db.run(sql`INSERT INTO merge_summary (completed_at, purge_after, counts) VALUES (${nowIso}, ${purgeAfter}, ${JSON.stringify(report)})`);
      this.deps.journal.append({
        at: nowIso,
        user: ctx.user,
        desk: ctx.desk,
        op: 'merge.complete',
        entity: 'merge',
        entityId: null,
        before: null,
        after: { counts: report, purgeAfter },
        baseVersion: null,
      });
    });
    const summary = this.openSummary();
    if (!summary) throw new Error('merge summary just written cannot be read back');
    return summary;
  }

  /**
   * Purges the outage's patient-identifiable data: the journal entries up to the completion (their hash chain
   * re-anchored), outcomes, attempts, decisions, upstream as read, and patients registered at the desk that
   * nothing refers to any more. The counts in merge_summary stay.
   */
  purge(summary: OpenSummary, ctx: RequestContext): void {
    const nowIso = this.deps.clock().toISOString();
    this.db.transaction(() => {
      const last = this.db.get<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM journal WHERE at <= ${summary.completedAt} ORDER BY seq DESC LIMIT 1`);
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
      this.db.run(sql`UPDATE merge_summary SET purged_at = ${nowIso} WHERE id = ${summary.id}`);
      this.deps.journal.append({
        at: nowIso,
        user: ctx.user,
        desk: ctx.desk,
        op: 'merge.purge',
        entity: 'merge',
        entityId: null,
        before: null,
        after: { through: last?.seq ?? 0 },
        baseVersion: null,
      });
    });
  }
}

export interface OpenSummary {
  id: number;
  completedAt: string;
  purgeAfter: string;
}
