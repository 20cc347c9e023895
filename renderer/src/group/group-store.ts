/**
 * The desk group as this window sees it (issue 16): this desk's place in the group, read every few seconds for
 * the header, and the manager's group actions (pairing code, removal, take-over, carrying on alone and rejoining,
 * the certificate) and the review of what this desk did while cut off. Kept apart
 * from the desk store: the group changes on its own clock (members come and go, the coordinator goes quiet),
 * not with the day's events. It reaches the desk only through the api client, so it runs the same over IPC and
 * HTTP (and with a fake transport under test).
 */
import { create } from 'zustand';
import type { GroupReview, GroupReviewItem, GroupStatus, OperationInput, PairingCode } from '../../../shared/api';
import { getDeskClient, type DeskClient } from '../api/client';

/**
 * How often the group's status is read: members are declared lost after 10 s without a word, so a header that
 * lags by up to 5 s still says so well inside the limit.
 */
export const GROUP_POLL_MS = 5_000;

/** The timers the poll runs on: the real ones in the window, hand-fired ones under test. */
export interface PollTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: PollTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export type GroupAction = 'pairing' | 'remove' | 'take-over' | 'carry-on' | 'rejoin' | 'review' | 'export';

/** A manager's decision on one review item: make the desk's change, keep the group's, or say it was keyed. */
export type GroupReviewAction = OperationInput<'resolveGroupReviewItem'>['action'];

/** Items still to decide: clean, conflict and by-hand. */
export function isOpenReviewItem(item: Pick<GroupReviewItem, 'state'>): boolean {
  return item.state === 'clean' || item.state === 'conflict' || item.state === 'by-hand';
}

export function openReviewCount(review: GroupReview): number {
  return review.items.filter(isOpenReviewItem).length;
}

/**
 * Whether the group screen reads the review now: for a manager only (the desk refuses anyone else), when none is
 * on screen yet (the screen opening), or when the desk counts a different number still open (a rejoin, say).
 */
export function reviewReadWanted(isManager: boolean | null, review: GroupReview | null, reviewOpen: number): boolean {
  return isManager === true && (review === null || openReviewCount(review) !== reviewOpen);
}

export interface GroupData {
  /** Null until the first answer. */
  status: GroupStatus | null;
  /** Why the last status read failed; the last status known stays on screen beside it. */
  readProblem: string | null;
  /** The code on screen, once a manager asked for one. */
  pairing: PairingCode | null;
  /** The action waiting for its answer; its button waits too. */
  busy: GroupAction | null;
  /** The desk's answer to the last action when it refused it, in its own words. */
  actionError: string | null;
  /** What the last action did, read out by screen readers. */
  done: string | null;
  /** The changes made while cut off (a manager's screen only); null until read. */
  review: GroupReview | null;
  /** Why the last review read failed. */
  reviewProblem: string | null;
}

export interface GroupActions {
  /** Reads the status now and every GROUP_POLL_MS until the returned function is called. */
  start(): () => void;
  refresh(): Promise<void>;
  createPairingCode(): Promise<void>;
  removeMember(name: string): Promise<void>;
  takeOver(): Promise<void>;
  /** The coordinator is lost and nobody can take over: this desk makes changes on its own copy (confirmed). */
  carryOnAlone(): Promise<void>;
  /** Back to the group after carrying on alone; the review is read again, since rejoining makes it. */
  rejoinGroup(): Promise<void>;
  /** Reads the review (the group screen opening, or its count changing). */
  refreshReview(): Promise<void>;
  /** One decision on a review item; the review is the desk's answer, or read again when the desk refused. */
  resolveReviewItem(seq: number, action: GroupReviewAction): Promise<void>;
  /** Fetches the certificate and hands it to `save` (the download); audited by the desk. */
  exportCertificate(save: (file: { fileName: string; contentType: string; content: string }) => void): Promise<void>;
  /** Forgets the code on screen, the review and the last action's message (the group screen closed). */
  clearScreen(): void;
}

export type GroupStoreState = GroupData & GroupActions;

export const initialGroupData: GroupData = {
  status: null,
  readProblem: null,
  pairing: null,
  busy: null,
  actionError: null,
  done: null,
  review: null,
  reviewProblem: null,
};

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a decision did, read out: the patient (or the change) first, so a list of them is told apart. */
export function decidedMessage(item: Pick<GroupReviewItem, 'patientName' | 'summary'> | undefined, action: GroupReviewAction): string {
  const what = item === undefined ? 'The change' : (item.patientName ?? item.summary);
  switch (action) {
    case 'apply':
      return `${what}: the desk's change was made in the group`;
    case 'keep-group':
      return `${what}: the group's was kept`;
    case 'keyed':
      return `${what}: marked as keyed`;
  }
}

export function createGroupStore(getClient: () => DeskClient = getDeskClient, timers: PollTimers = realTimers) {
  return create<GroupStoreState>()((set, get) => {
    // Only the latest read counts: a slow answer must not overwrite a newer one (after a take-over, say).
    let readToken = 0;
    let reviewToken = 0;

    /**
     * Runs one action: one at a time, its refusal shown in the desk's words, the status read again after it.
     * Says whether the desk did it (false when refused, or when another action was still waiting).
     */
    async function act<T>(action: GroupAction, run: () => Promise<T>, after: (value: T) => Partial<GroupData>): Promise<boolean> {
      if (get().busy !== null) return false;
      set({ busy: action, actionError: null, done: null });
      let ok = false;
      try {
        const value = await run();
        set({ ...after(value), busy: null });
        ok = true;
      } catch (error) {
        set({ busy: null, actionError: messageOf(error) });
      }
      await get().refresh();
      return ok;
    }

    return {
      ...initialGroupData,

      start() {
        let stopped = false;
        let handle: unknown = null;
        const poll = async () => {
          await get().refresh();
          // The next read is set once this one has answered, so a slow desk never has reads piling up.
          if (!stopped) handle = timers.setTimeout(() => void poll(), GROUP_POLL_MS);
        };
        void poll();
        return () => {
          stopped = true;
          if (handle !== null) timers.clearTimeout(handle);
          readToken += 1;
          reviewToken += 1;
          set({ ...initialGroupData });
        };
      },

      async refresh() {
        const token = ++readToken;
        try {
          const status = await getClient().send('getGroupStatus', {});
          if (token === readToken) set({ status, readProblem: null });
        } catch (error) {
          if (token === readToken) set({ readProblem: messageOf(error) });
        }
      },

      async createPairingCode() {
        await act(
          'pairing',
          () => getClient().send('createPairingCode', {}),
          (pairing) => ({ pairing, done: `Pairing code ${pairing.code} is ready` }),
        );
      },

      async removeMember(name) {
        await act(
          'remove',
          () => getClient().send('removeGroupMember', { name }),
          (status) => ({ status, done: `${name} was removed from the group` }),
        );
      },

      async takeOver() {
        await act(
          'take-over',
          () => getClient().send('takeOverGroup', { confirm: true }),
          (status) => ({ status, done: 'This desk is now the coordinator' }),
        );
      },

      async carryOnAlone() {
        await act(
          'carry-on',
          () => getClient().send('carryOnAlone', { confirm: true }),
          (status) => ({ status, done: 'This desk is carrying on alone: its changes are kept for review when it rejoins' }),
        );
      },

      async rejoinGroup() {
        const rejoined = await act(
          'rejoin',
          () => getClient().send('rejoinGroup', { confirm: true }),
          (status) => ({ status, done: 'This desk rejoined the group: what it did while cut off is listed for review' }),
        );
        if (rejoined) await get().refreshReview();
      },

      async refreshReview() {
        const token = ++reviewToken;
        try {
          const review = await getClient().send('getGroupReview', {});
          if (token === reviewToken) set({ review, reviewProblem: null });
        } catch (error) {
          if (token === reviewToken) set({ reviewProblem: messageOf(error) });
        }
      },

      async resolveReviewItem(seq, action) {
        if (get().busy !== null) return;
        const item = get().review?.items.find((i) => i.seq === seq);
        const decided = await act(
          'review',
          // The group's version the manager saw: if the group changes it again meanwhile, the desk refuses.
          () => getClient().send('resolveGroupReviewItem', { seq, action, ...(item?.groupVersion == null ? {} : { groupVersion: item.groupVersion }) }),
          (review) => {
            // The desk's answer is the review after the decision: any read still on the wire is older.
            reviewToken += 1;
            return { review, reviewProblem: null, done: decidedMessage(item ?? review.items.find((i) => i.seq === seq), action) };
          },
        );
        // Refused (decided already, or the group changed it again): what is on screen is stale, so read it again.
        if (!decided) await get().refreshReview();
      },

      async exportCertificate(save) {
        await act(
          'export',
          () => getClient().send('exportGroupCertificate', {}),
          (file) => {
            save(file);
            return { done: `The group certificate was saved as ${file.fileName}` };
          },
        );
      },

      clearScreen: () => {
        reviewToken += 1;
        set({ pairing: null, actionError: null, done: null, review: null, reviewProblem: null });
      },
    };
  });
}

export const useGroupStore = createGroupStore();

export const useGroupStatus = () => useGroupStore((s) => s.status);
