/**
 * Merge-back at the desk: the records (records.ts) with a person's decisions on top (resolving a conflict,
 * ticking the worklist), the contract's views (views.ts), completion and the retention purge, and running
 * reconcile in the background. DeskService owns this object; nothing else writes the merge tables.
 */
import { DeskError } from '../../../shared/api';
import {
  buildWorklist,
  impactReport,
  onWorklist,
  UNDONE_REASON,
  type ImpactReport,
  type ImpactReportView,
  type MergeItemView,
  type MergePlanView,
  type Outcome,
  type OutageWindow,
  type Plan,
  type PlanItem,
  type ResolutionChoice,
  type UpstreamSlot,
  type WorklistLookup,
  type WorklistPatient,
} from '../../../shared/merge';
import { randomUUID } from 'node:crypto';
import type { FhirSettings } from '../upstream/fhir/client';
import type { UpstreamSettingsProvider } from '../upstream/settings';
import { applyMerge, readUpstreamForMerge, type ApplyReport } from './apply';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { sql } from '../store/sql';
import { MergeRecords } from './records';
import { impactInputOf, impactViewOf, itemViewOf, mergeLookup, outageWindows, planGroups } from './views';

export interface MergeDeps extends DeskDeps {
  /** The FHIR server and token this desk's pulls use: merge-back writes with the same (upstream/settings.ts). */
  upstreamSettings: UpstreamSettingsProvider;
}

export class MergeDesk extends MergeRecords {
  // The records need only part of MergeDeps; the desk also emits progress and reads the upstream settings.
  declare protected readonly deps: MergeDeps;

  private running: string | null = null;

  constructor(deps: MergeDeps) {
    super(deps);
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
      if (item.kind !== 'create')
        throw new DeskError('invalid_input', 'choice: rebook applies to a rebooking or walk-in whose slot was taken; rebook the patient at the desk instead', {
          issues: [{ path: 'choice', message: 'not a new appointment' }],
        });
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

  /**
   * A worklist item keyed in by hand (ticked), or set aside with a reason (dismissed). Only an item on the
   * worklist (onWorklist): ticking a conflict or an item apply still has to write would end it with the desk's
   * change never reaching upstream. The reason is journalled, and so in the audit trail.
   */
  tick(input: { itemKey: string; state: 'keyed' | 'dismissed'; reason?: string | undefined }, ctx: RequestContext): { itemKey: string; outcome: Outcome } {
    const reason = input.reason?.trim() ?? '';
    if (input.state === 'dismissed' && reason === '') {
      throw new DeskError('invalid_input', 'reason: dismissing an item needs a reason (what was decided, and why it is not keyed)', {
        issues: [{ path: 'reason', message: 'required' }],
      });
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

  /** Names for the views (views.ts mergeLookup). */
  lookup(attempts = this.attempts()): WorklistLookup {
    return mergeLookup(this.deps.mirror, () => this.entries(), attempts);
  }

  worklist(plan: Plan = this.plan()): WorklistPatient[] {
    return buildWorklist(plan, this.lookup());
  }

  outages(): OutageWindow[] {
    return outageWindows(this);
  }

  /** From the first outage's start to the last one's end (to: null while it lasts). */
  outageWindow(): { from: string | null; to: string | null } {
    const all = this.outages();
    const last = all.at(-1);
    return { from: all[0]?.from ?? null, to: last ? last.to : null };
  }

  /** The outage's figures: each outage on its own and all together, counts only (kept after the purge). */
  impact(plan: Plan = this.plan()): ImpactReport {
    return impactReport(impactInputOf(this, this.deps.mirror, plan, this.deps.clock()));
  }

  /** The figures with the patient-identifiable part (views.ts impactViewOf): a manager's, never stored. */
  impactView(plan: Plan = this.plan()): ImpactReportView {
    return impactViewOf(impactInputOf(this, this.deps.mirror, plan, this.deps.clock()), this.deps.mirror, this.lookup());
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

  /**
   * Marks the reconciliation complete (keeping its anonymous counts) when it is, and purges the outage's
   * patient-identifiable data once the retention period has passed (records.ts purge).
   */
  retention(ctx: RequestContext): { completedAt: string | null; purgeAfter: string | null; purged: boolean } {
    let summary = this.openSummary();
    if (!summary) {
      const plan = this.plan();
      if (!this.complete(plan) || this.entries().length === 0) return { completedAt: null, purgeAfter: null, purged: false };
      summary = this.markComplete(this.impact(plan), ctx);
    }
    if (this.deps.clock().toISOString() < summary.purgeAfter) return { completedAt: summary.completedAt, purgeAfter: summary.purgeAfter, purged: false };
    this.purge(summary, ctx);
    return { completedAt: summary.completedAt, purgeAfter: summary.purgeAfter, purged: true };
  }

  // ---- the contract's views -----------------------------------------------------------------------------

  /** One item as the review shows it (views.ts itemViewOf). */
  itemView(item: PlanItem, attempts = this.attempts(), lookup: WorklistLookup = this.lookup(attempts)): MergeItemView {
    return itemViewOf(item, attempts, lookup);
  }

  /** The plan grouped by patient, patients with conflicts first (then time-sensitive, then by time). */
  planView(): MergePlanView {
    const plan = this.plan();
    const attempts = this.attempts();
    return {
      upstreamReadAt: this.upstreamReadAt(),
      capability: this.capability(),
      complete: this.complete(plan),
      running: this.running !== null,
      ...planGroups(plan, attempts, this.lookup(attempts)),
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
    if (!fhir)
      throw new DeskError('invalid_input', 'no FHIR server is set for this desk: pull from it first (standby-desk pull --fhir URL)', {
        issues: [{ path: 'fhir', message: 'not set' }],
      });
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
        this.progress(
          runId,
          'finished',
          report.total,
          report.total,
          `${report.applied} applied, ${report.already} already there, ${report.conflict} conflicts, ${report.rejected} refused, ${report.failed} failed`,
        );
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
