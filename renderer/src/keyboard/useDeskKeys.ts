/**
 * The desk's keyboard: one listener on the document. Global shortcuts work wherever focus is (but not while
 * typing in a field or inside a dialog, which handle their own keys); row shortcuts act on the appointment whose
 * row (or a button in it) has focus. Arrow keys move between rows: up and down within a list, left and right to
 * the nearest time in the neighbouring list.
 */
import { useEffect } from 'react';
import type { AppointmentRow } from '../../../shared/api';
import { DESK_STATUSES, TRANSITIONS, type DeskStatus } from '../../../shared/domain';
import { useDeskStore } from '../state/desk-store';
import { useOnlineQuestion } from '../state/online-guard';
import { useUiStore, type Dialog, type View } from '../state/ui-store';
import { isTyping, matchKey, statusAction, type ActionOf, type KeyPress, type KeyScope, type StatusAction } from './keys';

const ROW_SELECTOR = '[data-appointment-id]';
/** Where the message about the last action is shown (Notices). */
export const MESSAGE_AREA_ID = 'message';

/**
 * Closes the message on screen. When the keyboard was on one of its buttons it goes back to the row that had it,
 * not to <body>, where the next key would do nothing the receptionist can see.
 */
export function closeMessage(): void {
  const focusWasInMessage = document.activeElement?.closest(`#${MESSAGE_AREA_ID}`) != null;
  useDeskStore.getState().dismissMessage();
  if (focusWasInMessage) useUiStore.getState().refocus();
}

function rowOf(target: EventTarget | null): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>(ROW_SELECTOR) : null;
}

function rowsIn(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(ROW_SELECTOR));
}

function focusRow(row: HTMLElement | undefined | null): void {
  if (!row) return;
  row.focus();
  row.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** Up/down within the row's list; left/right to the row nearest in time in the neighbouring list. */
function move(from: HTMLElement, key: string): boolean {
  const main = document.getElementById('main');
  if (!main) return false;
  const column = from.closest('[data-nav-column]') ?? main;
  const inColumn = rowsIn(column);
  const i = inColumn.indexOf(from);
  switch (key) {
    case 'ArrowDown':
      focusRow(inColumn[i + 1]);
      return true;
    case 'ArrowUp':
      focusRow(inColumn[i - 1]);
      return true;
    case 'Home':
      focusRow(inColumn[0]);
      return true;
    case 'End':
      focusRow(inColumn.at(-1));
      return true;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const columns = Array.from(main.querySelectorAll<HTMLElement>('[data-nav-column]')).filter((c) => rowsIn(c).length > 0);
      const c = columns.findIndex((col) => col.contains(from));
      if (c < 0) return false;
      const target = columns[key === 'ArrowLeft' ? c - 1 : c + 1];
      if (!target) return true;
      const start = from.dataset['start'] ?? '';
      const rows = rowsIn(target);
      focusRow(rows.find((r) => (r.dataset['start'] ?? '') >= start) ?? rows.at(-1));
      return true;
    }
    default:
      return false;
  }
}

export function findRow(appointmentId: string): AppointmentRow | null {
  const { day, callbacks } = useDeskStore.getState();
  return day?.appointments.find((a) => a.id === appointmentId) ?? callbacks?.find((c) => c.appointment.id === appointmentId)?.appointment ?? null;
}

export function canRebook(row: AppointmentRow): boolean {
  if (row.desk?.rebookedTo) return false;
  return row.status === 'booked' || row.status === 'cancelled' || row.status === 'dna' || row.status === 'walked_out';
}

interface RowContext {
  event: KeyboardEvent;
  row: AppointmentRow;
  rowElement: HTMLElement;
}
interface AppointmentContext {
  row: AppointmentRow;
}
interface CallbackContext {
  event: KeyboardEvent;
  callback: HTMLElement;
}

/** A handler returns true when it used the key (the browser's own action for it is then prevented). */
type Handlers<S extends KeyScope, C> = Record<ActionOf<S>, (context: C) => boolean>;

const moveRow = ({ rowElement, event }: RowContext) => move(rowElement, event.key);

/** Up, down, first, last in the callback list, which is one roving tab stop too. */
function moveCallback({ callback, event }: CallbackContext): boolean {
  const all = Array.from(document.querySelectorAll<HTMLElement>('#main [data-callback-id]'));
  const i = all.indexOf(callback);
  const next = event.key === 'Home' ? all[0] : event.key === 'End' ? all.at(-1) : all[event.key === 'ArrowDown' ? i + 1 : i - 1];
  if (!next) return false;
  callback.tabIndex = -1;
  next.tabIndex = 0;
  focusRow(next);
  return true;
}

function setStatusFor(status: DeskStatus) {
  return ({ row }: AppointmentContext): boolean => {
    if (status === 'cancelled' && TRANSITIONS[row.status].includes('cancelled')) {
      useUiStore.getState().open({ kind: 'cancel', appointmentId: row.id });
      return true;
    }
    void useDeskStore.getState().setStatus(row.id, status);
    return true;
  };
}

const STATUS_HANDLERS = Object.fromEntries(
  DESK_STATUSES.flatMap((status) => {
    const action = statusAction(status);
    return action === null ? [] : [[action, setStatusFor(status)]];
  }),
) as Record<StatusAction, (context: AppointmentContext) => boolean>;

/** What each binding of the keymap (keys.ts) does, by scope; the types ask for one handler per binding. */
export const KEY_HANDLERS: {
  anywhere: Handlers<'anywhere', KeyboardEvent>;
  row: Handlers<'row', RowContext>;
  appointment: Handlers<'appointment', AppointmentContext>;
  callback: Handlers<'callback', CallbackContext>;
} = {
  anywhere: {
    search: () => open({ kind: 'search' }),
    walkIn: () => open({ kind: 'walk-in' }),
    book: () => open({ kind: 'search', purpose: 'book' }),
    mode: () => open({ kind: 'mode' }),
    'view.day': () => setView('day'),
    'view.queue': () => setView('queue'),
    'view.callbacks': () => setView('callbacks'),
    layout: () => {
      const ui = useUiStore.getState();
      ui.setView('day');
      ui.setLayout(ui.layout === 'columns' ? 'single' : 'columns');
      return false;
    },
    'clinician.previous': () => {
      stepClinician(-1);
      return false;
    },
    'clinician.next': () => {
      stepClinician(1);
      return false;
    },
    filters: () => {
      const first = document.querySelector<HTMLElement>('#filters button');
      first?.focus();
      return first !== null;
    },
    print: () => open({ kind: 'print' }),
    group: () => open({ kind: 'group' }),
    undoMine: () => {
      void useDeskStore.getState().undoMine();
      return true;
    },
    help: () => open({ kind: 'help' }),
    close: (event) => {
      // Escape closes the message on screen; a dialog took it before the desk, so one press closes one thing. A
      // key pressed inside a dialog that has just closed itself was that dialog's too.
      const { lastError, lastChange } = useDeskStore.getState();
      const inDialog = event.target instanceof Element && event.target.closest('dialog') !== null;
      if (inDialog || (lastError === null && lastChange === null)) return false;
      closeMessage();
      return true;
    },
    toList: () => {
      // Not on a row yet: start at the row that last had the keyboard, or the first one.
      const main = document.getElementById('main');
      if (!main) return false;
      const currentId = useUiStore.getState().current;
      const current = currentId ? main.querySelector<HTMLElement>(`[data-appointment-id=${JSON.stringify(currentId)}]`) : null;
      const target = current ?? rowsIn(main)[0] ?? main.querySelector<HTMLElement>('[data-callback-id]');
      focusRow(target);
      return target !== null;
    },
  },
  row: {
    'move.up': moveRow,
    'move.down': moveRow,
    'move.left': moveRow,
    'move.right': moveRow,
    'move.first': moveRow,
    'move.last': moveRow,
    // Enter on the row itself opens its actions; on a button inside it, the button does its own thing.
    actions: ({ event, row, rowElement }) => event.target === rowElement && open({ kind: 'actions', appointmentId: row.id }),
  },
  appointment: {
    ...STATUS_HANDLERS,
    rebook: ({ row }) => {
      if (canRebook(row)) open({ kind: 'rebook', appointmentId: row.id });
      else useDeskStore.getState().reportError(row.desk?.rebookedTo ? 'Already rebooked.' : 'Only a booked, cancelled or missed appointment can be rebooked.', row.id);
      return true;
    },
    undo: ({ row }) => {
      void useDeskStore.getState().undo(row.id);
      return true;
    },
    bookForPatient: ({ row }) => open({ kind: 'book', patient: row.patient }),
    note: ({ row }) => open({ kind: 'note', appointmentId: row.id }),
    contact: ({ row }) => open({ kind: 'contact', appointmentId: row.id }),
    sessionDna: ({ row }) => {
      if (row.sessionId === null) useDeskStore.getState().reportError('This appointment is not in a session, so there is no session to mark.', row.id);
      else open({ kind: 'session-dna', sessionId: row.sessionId });
      return true;
    },
  },
  callback: {
    'callback.up': moveCallback,
    'callback.down': moveCallback,
    'callback.first': moveCallback,
    'callback.last': moveCallback,
    'callback.rebook': ({ event, callback }) => {
      if (event.key === 'Enter' && event.target !== callback) return false;
      return open({ kind: 'rebook', appointmentId: callback.dataset['callbackId'] ?? '' });
    },
    'callback.backlog': () => open({ kind: 'backlog' }),
  },
};

function open(dialog: Dialog): true {
  useUiStore.getState().open(dialog);
  return true;
}

function setView(view: View): false {
  useUiStore.getState().setView(view);
  return false;
}

/**
 * Runs the appointment action a key asks for (from its actions dialog); true when the key meant one. `before`
 * runs first, only for a key that means something (the dialog closes, so the action may open the next one).
 */
export function rowKey(row: AppointmentRow, event: KeyPress, before: () => void = () => undefined): boolean {
  const binding = matchKey('appointment', event, false);
  if (binding === null) return false;
  before();
  KEY_HANDLERS.appointment[binding.action as ActionOf<'appointment'>]({ row });
  return true;
}

/**
 * One key press, through the keymap: the row's bindings first (when a row has the keyboard), then the
 * appointment's, the callback list's, and last those that work anywhere. The first binding that matches owns it.
 */
function dispatchKey(event: KeyboardEvent): void {
  const typing = isTyping(event.target);
  const rowElement = rowOf(event.target);
  const row = rowElement ? findRow(rowElement.dataset['appointmentId'] ?? '') : null;
  const callback = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-callback-id]') : null;
  const run = (used: boolean) => {
    if (used) event.preventDefault();
  };
  if (rowElement && row) {
    const onRow = matchKey('row', event, typing);
    if (onRow) return run(KEY_HANDLERS.row[onRow.action as ActionOf<'row'>]({ event, row, rowElement }));
    const onAppointment = matchKey('appointment', event, typing);
    if (onAppointment) return run(KEY_HANDLERS.appointment[onAppointment.action as ActionOf<'appointment'>]({ row }));
  }
  if (callback) {
    const onCallback = matchKey('callback', event, typing);
    if (onCallback) return run(KEY_HANDLERS.callback[onCallback.action as ActionOf<'callback'>]({ event, callback }));
  }
  const anywhere = matchKey('anywhere', event, typing);
  if (anywhere) run(KEY_HANDLERS.anywhere[anywhere.action as ActionOf<'anywhere'>](event));
}

export function useDeskKeys(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      // Dialogs own their keys (Escape, Enter, arrows in lists); the desk's shortcuts wait until they close. So do
      // the questions asked before a change while the clinical system is up, and before a second send in.
      if (useUiStore.getState().dialog !== null || useOnlineQuestion.getState().question !== null || useDeskStore.getState().sendInQuestion !== null) return;
      dispatchKey(event);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}

/** In "one at a time", moves to the previous or next clinician of the day. */
export function stepClinician(step: 1 | -1): void {
  const ui = useUiStore.getState();
  const order = Array.from(document.querySelectorAll<HTMLElement>('[data-clinician-choice]')).map((e) => e.dataset['clinicianChoice'] ?? '');
  if (order.length === 0) return;
  if (ui.layout !== 'single') ui.setLayout('single');
  const at = Math.max(0, order.indexOf(ui.clinicianId ?? order[0] ?? ''));
  const next = order[(at + step + order.length) % order.length] ?? null;
  ui.setClinician(next);
}
