/**
 * Every shortcut in one place: the handlers, the hints on buttons and the help overlay (?) all read this, so a
 * key shown is a key that works. Single letters act on the appointment that has the keyboard; they never fire
 * while typing in a field or while a dialog is open.
 */
import type { DeskStatus } from '../../../shared/domain';

/** The key for each status change a receptionist makes from a row. */
export const STATUS_KEY: Readonly<Record<DeskStatus, string | null>> = {
  booked: null,
  arrived: 'A',
  late: 'L',
  sent_in: 'S',
  quiet_sent_in: 'Q',
  seen: 'E',
  left: 'G',
  walked_out: 'O',
  dna: 'D',
  cancelled: 'X',
};

export const ROW_KEYS = {
  rebook: 'R',
  undo: 'U',
  actions: 'Enter',
  sessionDna: 'Shift+D',
} as const;

export const GLOBAL_KEYS = {
  search: '/',
  searchAlt: 'F2',
  walkIn: 'W',
  dayView: '1',
  queueView: '2',
  callbacksView: '3',
  layout: 'V',
  previousClinician: '[',
  nextClinician: ']',
  filters: 'F',
  undoMine: 'Ctrl+Z',
  print: 'P',
  help: '?',
} as const;

export interface HelpSection {
  title: string;
  keys: ReadonlyArray<readonly [keys: string, what: string]>;
}

export const HELP: readonly HelpSection[] = [
  {
    title: 'Anywhere',
    keys: [
      ['/ or F2', 'Find a patient (surname, DOB dd/mm/yyyy, NHS number, phone)'],
      ['W', 'Register a walk-in'],
      ['1 / 2 / 3', 'Day / Queue / Callbacks'],
      ['V', 'Day: all clinicians side by side, or one at a time'],
      ['[ and ]', 'Previous / next clinician (one at a time)'],
      ['F', 'Go to the state filters'],
      ['P', 'Print a paper sheet (day lists, walk-in register, callback list)'],
      ['Ctrl+Z', "Undo the change the message on screen confirms"],
      ['?', 'This help'],
      ['Esc', 'Close a dialog or menu; with none open, close the message'],
    ],
  },
  {
    title: 'On an appointment (move with the arrow keys)',
    keys: [
      ['↑ ↓', 'Previous / next appointment'],
      ['← →', 'Same time in the clinician to the left / right'],
      ['Home / End', 'First / last appointment in the list'],
      ['A', 'Arrived'],
      ['L', 'Arrived late'],
      ['S', 'Send in (shown on the waiting-room display)'],
      ['Q', 'Quiet send in (never shown on the display)'],
      ['E', 'Seen'],
      ['G', 'Left (gone)'],
      ['O', 'Walked out before being seen'],
      ['D', 'DNA (did not attend)'],
      ['X', 'Cancel, with a reason'],
      ['R', 'Rebook into a free slot'],
      ['U', "Undo this appointment's last change"],
      ['Shift+D', "Mark this session's remaining no-shows DNA (asks first)"],
      ['Enter', 'All actions for this appointment'],
    ],
  },
];

/** True when a key press belongs to a text field (or a select), not to the desk's shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
}

/** The status a single letter asks for, if any. */
export function statusForKey(key: string): DeskStatus | null {
  const upper = key.length === 1 ? key.toUpperCase() : key;
  for (const [status, k] of Object.entries(STATUS_KEY) as Array<[DeskStatus, string | null]>) {
    if (k === upper) return status;
  }
  return null;
}
