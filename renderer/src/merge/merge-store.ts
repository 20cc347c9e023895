/**
 * The merge-back review's state: the plan by patient, the worklist, and the progress of an apply. Reaches the
 * backend only through the api client; progress arrives as merge.progress events.
 */
import { create } from 'zustand';
import type { FreeSlot } from '../../../shared/api';
import {
  CLAIM_STAFF_LABEL,
  CLAIM_TASK_LABEL,
  changedClaimSettings,
  type ClaimChanges,
  type ClaimProblem,
  type ClaimStaff,
  type ClaimTask,
  type ClaimValueWords,
  type ImpactReportView,
  type MergePlanView,
  type ResolutionChoice,
  type WorklistView,
} from '../../../shared/merge';
import { DeskClientError, getDeskClient, type DeskClient } from '../api/client';

export interface MergeProgress {
  runId: string;
  phase: 'reading' | 'applying' | 'finished' | 'failed';
  done: number;
  total: number;
  message: string | null;
}

interface MergeState {
  plan: MergePlanView | null;
  worklist: WorklistView | null;
  /** The outages in counts, as the printed impact report gives them, and the time-sensitive patients affected. */
  impact: ImpactReportView | null;
  progress: MergeProgress | null;
  error: string | null;
  busy: boolean;
  start(client?: DeskClient): () => void;
  reload(): Promise<void>;
  resolve(itemKey: string, choice: ResolutionChoice, slotId?: string): Promise<void>;
  apply(options: { dryRun: boolean }): Promise<void>;
  tick(itemKey: string, state: 'keyed' | 'dismissed', reason?: string): Promise<void>;
  /** Free slots from a date on, for rebooking a conflict into another slot. */
  freeSlots(from: string): Promise<FreeSlot[]>;
  /**
   * The claim's minutes per task and costs per hour as typed, saved through setMergeSettings when every value is
   * good (the impact report is then read again, priced at them); else nothing is sent. The problems, none if saved.
   */
  saveClaim(changes: ClaimChanges): Promise<ClaimProblem[]>;
}

export const initialMergeState = { plan: null, worklist: null, impact: null, progress: null, error: null, busy: false } as const;

/** The form's problems name its rows: "Minutes for one message sent", "Receptionist: cost per hour". */
const claimFormWords: ClaimValueWords = (kind, name) =>
  kind === 'cost'
    ? `${CLAIM_STAFF_LABEL[name as ClaimStaff]}: cost per hour`
    : `${kind === 'minutes' ? 'Minutes' : 'Staff'} for ${CLAIM_TASK_LABEL[name as ClaimTask].toLowerCase()}`;

let client: DeskClient | null = null;
const api = (): DeskClient => (client ??= getDeskClient());

const message = (error: unknown) => (error instanceof DeskClientError || error instanceof Error ? error.message : String(error));

export const useMergeStore = create<MergeState>()((set, get) => {
  /** A change from the review: busy while it runs, then everything re-read; a failure is shown. */
  async function change(work: () => Promise<unknown>): Promise<void> {
    set({ busy: true });
    try {
      await work();
      await get().reload();
    } catch (error) {
      set({ error: message(error) });
    } finally {
      set({ busy: false });
    }
  }

  return {
    ...initialMergeState,

    start(given) {
      if (given) client = given;
      void get().reload();
      return api().subscribe(
        (event) => {
          if (event.kind !== 'merge.progress') return;
          set({ progress: { runId: event.runId, phase: event.phase, done: event.done, total: event.total, message: event.message } });
          if (event.phase === 'finished' || event.phase === 'failed') void get().reload();
        },
        (_state, needsResync) => {
          if (needsResync) void get().reload();
        },
      );
    },

    async reload() {
      try {
        const [plan, worklist, impact] = await Promise.all([api().send('getMergePlan', {}), api().send('getWorklist', {}), api().send('getImpactReport', {})]);
        set({ plan, worklist, impact, error: null });
      } catch (error) {
        set({ error: message(error) });
      }
    },

    resolve(itemKey, choice, slotId) {
      return change(() => api().send('resolveMergeConflict', slotId ? { itemKey, choice, slotId } : { itemKey, choice }));
    },

    async apply({ dryRun }) {
      set({ busy: true });
      try {
        const { runId } = await api().send('startMergeApply', { confirmed: true, dryRun });
        // The run's own events may have arrived before this answer: never step back from what they said.
        if (get().progress?.runId !== runId) set({ progress: { runId, phase: 'reading', done: 0, total: 0, message: null } });
      } catch (error) {
        set({ error: message(error) });
      } finally {
        set({ busy: false });
      }
    },

    async freeSlots(from) {
      try {
        return await api().send('findFreeSlots', { from, limit: 50 });
      } catch (error) {
        set({ error: message(error) });
        return [];
      }
    },

    async saveClaim(changes) {
      const current = get().impact?.claim;
      if (current === undefined) return [{ field: '', message: 'The impact report has not been read yet.' }];
      const next = changedClaimSettings(current, changes, claimFormWords);
      if (!next.ok) return next.problems;
      set({ busy: true });
      try {
        await api().send('setMergeSettings', { claim: next.settings });
        await get().reload();
        return [];
      } catch (error) {
        return [{ field: '', message: `Not saved: ${message(error)}` }];
      } finally {
        set({ busy: false });
      }
    },

    tick(itemKey, state, reason) {
      return change(() => api().send('tickWorklistItem', reason ? { itemKey, state, reason } : { itemKey, state }));
    },
  };
});

/** One field of the review's state: a component re-renders only when that field changes. */
export const useMergeField = <K extends keyof MergeState>(key: K): MergeState[K] => useMergeStore((s) => s[key]);
