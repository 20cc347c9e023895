/**
 * The desk group as this window sees it (issue 16): this desk's place in the group, read every few seconds for
 * the header, and the manager's group actions (pairing code, removal, take-over, the certificate). Kept apart
 * from the desk store: the group changes on its own clock (members come and go, the coordinator goes quiet),
 * not with the day's events. It reaches the desk only through the api client, so it runs the same over IPC and
 * HTTP (and with a fake transport under test).
 */
import { create } from 'zustand';
import type { GroupStatus, PairingCode } from '../../../shared/api';
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

export type GroupAction = 'pairing' | 'remove' | 'take-over' | 'export';

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
}

export interface GroupActions {
  /** Reads the status now and every GROUP_POLL_MS until the returned function is called. */
  start(): () => void;
  refresh(): Promise<void>;
  createPairingCode(): Promise<void>;
  removeMember(name: string): Promise<void>;
  takeOver(): Promise<void>;
  /** Fetches the certificate and hands it to `save` (the download); audited by the desk. */
  exportCertificate(save: (file: { fileName: string; contentType: string; content: string }) => void): Promise<void>;
  /** Forgets the code on screen and the last action's message (the group screen closed). */
  clearScreen(): void;
}

export type GroupStoreState = GroupData & GroupActions;

export const initialGroupData: GroupData = { status: null, readProblem: null, pairing: null, busy: null, actionError: null, done: null };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createGroupStore(getClient: () => DeskClient = getDeskClient, timers: PollTimers = realTimers) {
  return create<GroupStoreState>()((set, get) => {
    // Only the latest read counts: a slow answer must not overwrite a newer one (after a take-over, say).
    let readToken = 0;

    /** Runs one action: one at a time, its refusal shown in the desk's words, the status read again after it. */
    async function act<T>(action: GroupAction, run: () => Promise<T>, after: (value: T) => Partial<GroupData>): Promise<void> {
      if (get().busy !== null) return;
      set({ busy: action, actionError: null, done: null });
      try {
        const value = await run();
        set({ ...after(value), busy: null });
      } catch (error) {
        set({ busy: null, actionError: messageOf(error) });
      }
      await get().refresh();
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

      createPairingCode: () =>
        act(
          'pairing',
          () => getClient().send('createPairingCode', {}),
          (pairing) => ({ pairing, done: `Pairing code ${pairing.code} is ready` }),
        ),

      removeMember: (name) =>
        act(
          'remove',
          () => getClient().send('removeGroupMember', { name }),
          (status) => ({ status, done: `${name} was removed from the group` }),
        ),

      takeOver: () =>
        act(
          'take-over',
          () => getClient().send('takeOverGroup', { confirm: true }),
          (status) => ({ status, done: 'This desk is now the coordinator' }),
        ),

      exportCertificate: (save) =>
        act(
          'export',
          () => getClient().send('exportGroupCertificate', {}),
          (file) => {
            save(file);
            return { done: `The group certificate was saved as ${file.fileName}` };
          },
        ),

      clearScreen: () => set({ pairing: null, actionError: null, done: null }),
    };
  });
}

export const useGroupStore = createGroupStore();

export const useGroupStatus = () => useGroupStore((s) => s.status);
