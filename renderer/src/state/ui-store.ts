/**
 * What the receptionist is looking at, apart from the data: which view, how the day is laid out, which states
 * are filtered, which appointment has the keyboard, and which dialog is open. Kept apart from the desk store so
 * that moving the cursor never re-renders what shows the data.
 */
import { create } from 'zustand';
import type { DeskStatus, Patient } from '../../../shared/domain';
import { useDeskStore } from './desk-store';
import { LAYOUT_CHOICE_KEY } from './layout-choice';

export type View = 'day' | 'queue' | 'callbacks';
export type Layout = 'columns' | 'single';

/** The state filters of the day view, each a group of statuses as the desk talks about them. */
export const FILTERS = [
  { id: 'expected', label: 'Expected', statuses: ['booked'] },
  { id: 'arrived', label: 'Arrived', statuses: ['arrived'] },
  { id: 'late', label: 'Late', statuses: ['late'] },
  { id: 'with', label: 'With clinician', statuses: ['sent_in', 'quiet_sent_in'] },
  { id: 'done', label: 'Done', statuses: ['seen', 'left'] },
  { id: 'dna', label: 'DNA / walked out', statuses: ['dna', 'walked_out'] },
  { id: 'cancelled', label: 'Cancelled', statuses: ['cancelled'] },
] as const satisfies ReadonlyArray<{ id: string; label: string; statuses: readonly DeskStatus[] }>;
export type FilterId = (typeof FILTERS)[number]['id'];

export type Dialog =
  /** purpose 'book': Enter books the patient found a new appointment (B) rather than going to theirs. */
  | { kind: 'search'; purpose?: 'book' }
  | { kind: 'book'; patient: Patient }
  | { kind: 'mode' }
  | { kind: 'note'; appointmentId: string }
  | { kind: 'contact'; appointmentId: string }
  | { kind: 'walk-in'; patient?: Patient }
  | { kind: 'cancel'; appointmentId: string }
  | { kind: 'rebook'; appointmentId: string }
  /** The rebooking assistant's proposals for everyone on the callback list (issue 21). */
  | { kind: 'backlog' }
  | { kind: 'session-dna'; sessionId: string }
  | { kind: 'actions'; appointmentId: string }
  | { kind: 'help' }
  | { kind: 'print' }
  | { kind: 'group' };

export interface UiData {
  view: View;
  /** The layout on screen: the person's choice once they made one, else what fits (fitLayout). */
  layout: Layout;
  /** A person chose the layout (V, the switch, stepping clinicians): what fits no longer overrides it. */
  layoutChosen: boolean;
  /** The clinician shown when one at a time; null: the first. */
  clinicianId: string | null;
  /** No filter on: everything shows. */
  filters: readonly FilterId[];
  /** The appointment with the keyboard (roving tab stop). */
  current: string | null;
  /** Bumped to ask the screen to move focus to `current` once it is rendered. */
  focusRequest: number;
  /**
   * Where that focus must go when it is not simply back to `current`: a closing dialog hands focus back to the
   * row it was opened from, which would otherwise make that row current again before the request is served.
   */
  focusTarget: string | null;
  dialog: Dialog | null;
}

export interface UiActions {
  /** Goes to another view; the message on screen stays behind (it reported an action taken in the old one). */
  setView(view: View): void;
  /** A person's choice of layout: it stands, whatever the width. */
  setLayout(layout: Layout): void;
  /**
   * The layout the day's width calls for, taken only while no one has chosen one: side by side when every
   * clinician's column fits, else one at a time (fittingLayout).
   */
  fitLayout(layout: Layout): void;
  setClinician(clinicianId: string | null): void;
  toggleFilter(id: FilterId): void;
  clearFilters(): void;
  setCurrent(appointmentId: string | null): void;
  /**
   * Shows an appointment: day view (leaving the message of another view behind), its clinician, filters cleared
   * if they hide it, focus on its row (once drawn).
   */
  reveal(appointmentId: string, clinicianId: string, status: DeskStatus): void;
  /**
   * Shows an appointment in the queue view with the keyboard on it (a walk-in just registered). Part of that
   * action, so its confirmation comes along.
   */
  showInQueue(appointmentId: string): void;
  /** Moves focus to `current` (after a dialog or a view change). */
  refocus(): void;
  open(dialog: Dialog): void;
  close(): void;
}

export type UiState = UiData & UiActions;

export const initialUiState: UiData = {
  view: 'day',
  layout: 'columns',
  layoutChosen: false,
  clinicianId: null,
  filters: [],
  current: null,
  focusRequest: 0,
  focusTarget: null,
  dialog: null,
};

/** The narrowest a clinician's column may be (time, patient with DOB and NHS number, status and actions). */
export const MIN_COLUMN_PX = 300;
/** The gap between columns (day-board.css .columns). */
export const COLUMN_GAP_PX = 10;

/** Side by side when `clinicians` columns of at least MIN_COLUMN_PX fit across `width` pixels, else one at a time. */
export function fittingLayout(clinicians: number, width: number): Layout {
  return clinicians * MIN_COLUMN_PX + Math.max(0, clinicians - 1) * COLUMN_GAP_PX <= width ? 'columns' : 'single';
}

export function statusesOf(filters: readonly FilterId[]): ReadonlySet<DeskStatus> | null {
  if (filters.length === 0) return null;
  return new Set(FILTERS.filter((f) => filters.includes(f.id)).flatMap((f) => f.statuses));
}

/**
 * A message belongs to the action it reports, in the view it was taken in: it does not follow the receptionist to
 * another view, where it would sit above patients it is not about (and its Undo would act on one out of sight).
 */
function leaveMessageBehind(from: View, to: View): void {
  if (from !== to) useDeskStore.getState().dismissMessage();
}

function windowStorage(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    // Storage can be disabled by policy: the choice then lasts as long as the page.
    return null;
  }
}

function chosenLayout(): Pick<UiData, 'layout' | 'layoutChosen'> | null {
  try {
    const stored = windowStorage()?.getItem(LAYOUT_CHOICE_KEY);
    return stored === 'columns' || stored === 'single' ? { layout: stored, layoutChosen: true } : null;
  } catch {
    return null;
  }
}

function keepLayoutChoice(layout: Layout): void {
  try {
    windowStorage()?.setItem(LAYOUT_CHOICE_KEY, layout);
  } catch {
    // As above: not keeping the choice is no reason to refuse it.
  }
}

export const useUiStore = create<UiState>()((set, get) => ({
  ...initialUiState,
  ...chosenLayout(),
  setView: (view) => {
    leaveMessageBehind(get().view, view);
    set({ view, focusRequest: get().focusRequest + 1 });
  },
  setLayout: (layout) => {
    keepLayoutChoice(layout);
    set({ layout, layoutChosen: true, focusRequest: get().focusRequest + 1 });
  },
  fitLayout: (layout) => {
    if (!get().layoutChosen && get().layout !== layout) set({ layout });
  },
  setClinician: (clinicianId) => set({ clinicianId }),
  toggleFilter: (id) => {
    const filters = get().filters;
    set({ filters: filters.includes(id) ? filters.filter((f) => f !== id) : [...filters, id] });
  },
  clearFilters: () => set({ filters: [] }),
  setCurrent: (current) => {
    if (get().current !== current) set({ current });
  },
  reveal: (appointmentId, clinicianId, status) => {
    leaveMessageBehind(get().view, 'day');
    const shown = statusesOf(get().filters);
    set({
      view: 'day',
      clinicianId: get().layout === 'single' ? clinicianId : get().clinicianId,
      filters: shown === null || shown.has(status) ? get().filters : [],
      current: appointmentId,
      focusTarget: appointmentId,
      focusRequest: get().focusRequest + 1,
    });
  },
  showInQueue: (appointmentId) => set({ view: 'queue', current: appointmentId, focusTarget: appointmentId, focusRequest: get().focusRequest + 1 }),
  refocus: () => set({ focusRequest: get().focusRequest + 1 }),
  open: (dialog) => set({ dialog }),
  close: () => set({ dialog: null, focusRequest: get().focusRequest + 1 }),
}));

export const useView = () => useUiStore((s) => s.view);
export const useLayout = () => useUiStore((s) => s.layout);
export const useShownClinician = () => useUiStore((s) => s.clinicianId);
export const useFilters = () => useUiStore((s) => s.filters);
export const useIsCurrent = (appointmentId: string) => useUiStore((s) => s.current === appointmentId);
export const useHasCurrent = () => useUiStore((s) => s.current !== null);
export const useDialog = () => useUiStore((s) => s.dialog);
export const useFocusRequest = () => useUiStore((s) => s.focusRequest);
