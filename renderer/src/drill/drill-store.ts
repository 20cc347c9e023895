/**
 * Whether an outage drill is running (issue 20 item 5), for the DRILL band on every signed-in screen and the
 * manager's drill panel. Read on mount, every POLL_MS (another PC may start or end it), and after this screen
 * starts or ends one.
 */
import { create } from 'zustand';
import type { DrillEndInput, DrillState } from '../../../shared/api';
import { getDeskClient } from '../api/client';

const POLL_MS = 10_000;

interface DrillStore {
  state: DrillState | null;
  error: string | null;
  busy: boolean;
  refresh(): Promise<void>;
  start(): Promise<void>;
  end(input: DrillEndInput): Promise<void>;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useDrillStore = create<DrillStore>((set) => {
  const act = async (run: () => Promise<DrillState>) => {
    set({ busy: true });
    try {
      set({ state: await run(), error: null, busy: false });
    } catch (e) {
      set({ error: messageOf(e), busy: false });
    }
  };
  return {
    state: null,
    error: null,
    busy: false,
    async refresh() {
      try {
        set({ state: await getDeskClient().send('getDrill', {}) });
      } catch {
        // Signed out or locked meanwhile: the band stays as it was until the next read succeeds.
      }
    },
    start: () => act(() => getDeskClient().send('startDrill', {})),
    end: (input) => act(() => getDeskClient().send('endDrill', input)),
  };
});

/** Keeps the drill state read while a signed-in screen is up. */
export function watchDrill(): () => void {
  void useDrillStore.getState().refresh();
  const poll = setInterval(() => void useDrillStore.getState().refresh(), POLL_MS);
  return () => clearInterval(poll);
}
