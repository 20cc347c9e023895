/**
 * Whether an outage drill is running (issue 20 item 5), for the DRILL band on every signed-in screen and the
 * manager's drill panel. Read when the band mounts, when the day on screen turns to or from a drill's copy
 * (DrillBand), and after this screen starts or ends one. Not polled: every operation a session calls counts as
 * activity, and a poll would keep the desk's idle lock from ever locking an unattended screen.
 */
import { create } from 'zustand';
import type { DrillEndInput, DrillState } from '../../../shared/api';
import { getDeskClient } from '../api/client';

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
