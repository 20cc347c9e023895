/**
 * The reception desk's store as the screen uses it: the one store of this window, and a selector for each thing a
 * component shows. What it holds (desk-state.ts), how it changes (create-desk-store.ts), the messages it words
 * (desk-notices.ts) and the day's reducers (../day/reducers.ts) live apart; this module is what the rest imports.
 */
import { useShallow } from 'zustand/react/shallow';
import { getDeskClient, type DeskClient } from '../api/client';
import { createDeskStore } from './create-desk-store';
import { guardOnlineChanges } from './online-guard';
import { withLatePrompt } from '../day/late-arrival';

export { createDeskStore } from './create-desk-store';
export { initialState } from './desk-state';

let guarded: DeskClient | null = null;
/**
 * The api client the desk writes through: every change made while online is first put to the receptionist when
 * the practice warns (online-guard.ts). The store uses it, and so do the writes outside the store (desk-writes.ts).
 */
export const deskClient = (): DeskClient => (guarded ??= guardOnlineChanges(getDeskClient(), () => useDeskStore.getState().day?.mirror.mode ?? null));

// Check-in asks the practice's Late question when the rule says so (day/late-arrival.tsx), whichever way it is done.
export const useDeskStore = withLatePrompt(createDeskStore(deskClient));

// Selectors: one value each, so a component re-renders only when what it shows changes.
export const useLoadState = () => useDeskStore((s) => s.load);
export const useSelectedDate = () => useDeskStore((s) => s.date);
export const useMirrorDates = () => useDeskStore((s) => s.mirrorDates);
export const useDay = () => useDeskStore((s) => s.day);
export const useMirrorStatus = () => useDeskStore((s) => s.mirrorStatus);
export const useConnection = () => useDeskStore((s) => s.connection);
export const useLastError = () => useDeskStore((s) => s.lastError);
export const useLastChange = () => useDeskStore((s) => s.lastChange);
export const useAnnouncement = () => useDeskStore((s) => s.announcement);
export const useCallbacks = () => useDeskStore((s) => s.callbacks);
export const usePendingStatus = (appointmentId: string) => useDeskStore((s) => s.pending[appointmentId] ?? null);
export const useHasErrorFor = (appointmentId: string) => useDeskStore((s) => s.lastError?.appointmentId === appointmentId);
export const useDeskId = () => useDeskStore((s) => s.deskId);
export const useTransport = () => useDeskStore((s) => s.transport);
export const usePending = () => useDeskStore((s) => s.pending);
export const useSetStatus = () => useDeskStore((s) => s.setStatus);
export const useSendInQuestion = () => useDeskStore((s) => s.sendInQuestion);
export const useDeskActions = () =>
  useDeskStore(
    useShallow((s) => ({
      start: s.start,
      selectDate: s.selectDate,
      reloadDay: s.reloadDay,
      setStatus: s.setStatus,
      undo: s.undo,
      undoMine: s.undoMine,
      markSessionDna: s.markSessionDna,
      registerWalkIn: s.registerWalkIn,
      cancelWalkInInError: s.cancelWalkInInError,
      rebook: s.rebook,
      loadCallbacks: s.loadCallbacks,
      searchPatients: s.searchPatients,
      findFreeSlots: s.findFreeSlots,
      dismissMessage: s.dismissMessage,
      reportError: s.reportError,
    })),
  );
