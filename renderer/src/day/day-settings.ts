/**
 * The practice's Late rule as this window knows it (getDaySettings): read once the board shows, and again after
 * a manager changes it here. Until it is read, the default rule, so a slow answer never leaves a row unmarked.
 */
import { DEFAULT_LATE_AFTER_MINUTES } from '../../../shared/domain';
import { create } from 'zustand';
import { DEFAULT_DAY_SETTINGS, type DaySettings } from '../../../shared/api';
import { getDeskClient } from '../api/client';

interface DaySettingsState {
  settings: DaySettings;
  loaded: boolean;
  load: () => Promise<void>;
  /** A manager's change; the desk refuses it for anyone else. */
  save: (settings: DaySettings) => Promise<void>;
}

export const useDaySettingsStore = create<DaySettingsState>()((set) => ({
  settings: DEFAULT_DAY_SETTINGS,
  loaded: false,
  async load() {
    try {
      set({ settings: await getDeskClient().send('getDaySettings', {}), loaded: true });
    } catch {
      // Signed out, locked or unreachable: keep the rule in hand (the default until read); the next view reads again.
    }
  },
  async save(settings) {
    set({ settings: await getDeskClient().send('setDaySettings', settings), loaded: true });
  },
}));

/** The minutes after which the board calls a booked patient overdue: the practice's Late rule, or the default without one. */
export const useLateAfterMinutes = () => useDaySettingsStore((s) => s.settings.lateAfterMinutes ?? DEFAULT_LATE_AFTER_MINUTES);
