/**
 * The desk's keyboard: one listener on the document. Global shortcuts work wherever focus is (but not while
 * typing in a field or inside a dialog, which handle their own keys); row shortcuts act on the appointment whose
 * row (or a button in it) has focus. Arrow keys move between rows: up and down within a list, left and right to
 * the nearest time in the neighbouring list.
 */
import { useEffect } from 'react';
import type { AppointmentRow } from '../../../shared/api';
import { TRANSITIONS } from '../../../shared/domain';
import { useDeskStore } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { isTyping, statusForKey } from './keys';

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
  return target instanceof Element ? (target.closest(ROW_SELECTOR) as HTMLElement | null) : null;
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

/** Runs the row action a key asks for; true when the key meant something here. */
export function rowKey(row: AppointmentRow, event: Pick<KeyboardEvent, 'key' | 'shiftKey'>): boolean {
  const ui = useUiStore.getState();
  const desk = useDeskStore.getState();
  const key = event.key;
  if (event.shiftKey && (key === 'D' || key === 'd')) {
    if (row.sessionId === null) {
      desk.reportError('This appointment is not in a session, so there is no session to mark.', row.id);
    } else {
      ui.open({ kind: 'session-dna', sessionId: row.sessionId });
    }
    return true;
  }
  const upper = key.length === 1 ? key.toUpperCase() : key;
  if (upper === 'R') {
    if (canRebook(row)) ui.open({ kind: 'rebook', appointmentId: row.id });
    else desk.reportError(row.desk?.rebookedTo ? 'Already rebooked.' : 'Only a booked, cancelled or missed appointment can be rebooked.', row.id);
    return true;
  }
  if (upper === 'U') {
    void desk.undo(row.id);
    return true;
  }
  const status = statusForKey(key);
  if (status === null) return false;
  if (status === 'cancelled' && TRANSITIONS[row.status].includes('cancelled')) {
    ui.open({ kind: 'cancel', appointmentId: row.id });
    return true;
  }
  void desk.setStatus(row.id, status);
  return true;
}

export function useDeskKeys(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const ui = useUiStore.getState();
      // Dialogs own their keys (Escape, Enter, arrows in lists); the desk's shortcuts wait until they close.
      if (ui.dialog !== null) return;
      if (event.key === 'Escape') {
        // Escape closes the message on screen; a dialog took it above, so one press closes one thing. A key
        // pressed inside a dialog that has just closed itself was that dialog's too.
        const { lastError, lastChange } = useDeskStore.getState();
        const inDialog = event.target instanceof Element && event.target.closest('dialog') !== null;
        if (!inDialog && (lastError !== null || lastChange !== null)) {
          event.preventDefault();
          closeMessage();
        }
        return;
      }
      if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === 'z' || event.key === 'Z') && !isTyping(event.target)) {
        event.preventDefault();
        void useDeskStore.getState().undoMine();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'F2') {
        event.preventDefault();
        ui.open({ kind: 'search' });
        return;
      }
      if (isTyping(event.target)) return;

      const rowElement = rowOf(event.target);
      if (rowElement) {
        if (['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) {
          if (move(rowElement, event.key)) event.preventDefault();
          return;
        }
        const row = findRow(rowElement.dataset['appointmentId'] ?? '');
        if (row) {
          // Enter on the row itself opens its actions; on a button inside it, the button does its own thing.
          if (event.key === 'Enter' && event.target === rowElement) {
            event.preventDefault();
            ui.open({ kind: 'actions', appointmentId: row.id });
            return;
          }
          if (rowKey(row, event)) {
            event.preventDefault();
            return;
          }
        }
      }
      const callback = event.target instanceof Element ? (event.target.closest('[data-callback-id]') as HTMLElement | null) : null;
      if (callback && ['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) {
        // The callback list is one roving tab stop too: arrows move through it.
        const all = Array.from(document.querySelectorAll<HTMLElement>('#main [data-callback-id]'));
        const i = all.indexOf(callback);
        const next = event.key === 'Home' ? all[0] : event.key === 'End' ? all.at(-1) : all[event.key === 'ArrowDown' ? i + 1 : i - 1];
        if (next) {
          event.preventDefault();
          callback.tabIndex = -1;
          next.tabIndex = 0;
          focusRow(next);
        }
        return;
      }
      if (callback && (event.key === 'Enter' || event.key === 'r' || event.key === 'R') && (event.key !== 'Enter' || event.target === callback)) {
        event.preventDefault();
        ui.open({ kind: 'rebook', appointmentId: callback.dataset['callbackId'] ?? '' });
        return;
      }

      switch (event.key) {
        case '/':
          event.preventDefault();
          ui.open({ kind: 'search' });
          return;
        case '?':
          event.preventDefault();
          ui.open({ kind: 'help' });
          return;
        case 'p':
        case 'P':
          event.preventDefault();
          ui.open({ kind: 'print' });
          return;
        case 'w':
        case 'W':
          event.preventDefault();
          ui.open({ kind: 'walk-in' });
          return;
        case '1':
          ui.setView('day');
          return;
        case '2':
          ui.setView('queue');
          return;
        case '3':
          ui.setView('callbacks');
          return;
        case 'v':
        case 'V':
          ui.setView('day');
          ui.setLayout(ui.layout === 'columns' ? 'single' : 'columns');
          return;
        case '[':
        case ']':
          stepClinician(event.key === ']' ? 1 : -1);
          return;
        case 'f':
        case 'F': {
          const first = document.querySelector<HTMLElement>('#filters button');
          if (first) {
            event.preventDefault();
            first.focus();
          }
          return;
        }
        case 'ArrowDown':
        case 'ArrowUp':
        case 'j':
        case 'k': {
          // Not on a row yet: start at the row that last had the keyboard, or the first one.
          const main = document.getElementById('main');
          if (!main) return;
          const current = ui.current ? main.querySelector<HTMLElement>(`[data-appointment-id=${JSON.stringify(ui.current)}]`) : null;
          const target = current ?? rowsIn(main)[0] ?? main.querySelector<HTMLElement>('[data-callback-id]');
          if (target) {
            event.preventDefault();
            focusRow(target);
          }
          return;
        }
        default:
          return;
      }
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
