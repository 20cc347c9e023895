/**
 * The room's keys in one table: the handler (RoomApp) dispatches only through it, and the help (?) and the key
 * hints on the buttons are drawn from it, so a key shown is a key that works. Letters act on the patient with the
 * keyboard; none of them fire while typing in the note or while a dialog is open.
 */
import { shownKey, type KeyPress } from '../keyboard/keys';
import type { RoomAction } from './room-model';

export type RoomKeyAction = RoomAction | 'up' | 'down' | 'first' | 'last' | 'help';

export interface RoomKeyBinding {
  action: RoomKeyAction;
  keys: readonly string[];
  help: string;
}

export const ROOM_KEYMAP: readonly RoomKeyBinding[] = [
  { action: 'up', keys: ['ArrowUp', 'K'], help: 'Previous patient' },
  { action: 'down', keys: ['ArrowDown', 'J'], help: 'Next patient' },
  { action: 'first', keys: ['Home'], help: 'First patient in the list' },
  { action: 'last', keys: ['End'], help: 'Last patient in the list' },
  { action: 'call', keys: ['C'], help: 'Call: send in, shown on the waiting-room display' },
  { action: 'quiet', keys: ['Q'], help: 'Quiet call: send in, never shown on a display' },
  { action: 'recall', keys: ['R'], help: 'Recall: show the call on the displays again' },
  { action: 'seen', keys: ['S'], help: 'Seen' },
  { action: 'left', keys: ['L'], help: 'Left' },
  { action: 'dna', keys: ['D'], help: 'DNA (did not attend), when the practice allows it' },
  { action: 'note', keys: ['N'], help: 'Write a short note for the re-keying worklist' },
  { action: 'help', keys: ['?'], help: 'This help (Esc closes it, and any other dialog)' },
];

/** The binding a key press asks for, or null. Modified keys (Ctrl, Alt, Meta) are the browser's, never ours. */
export function matchRoomKey(press: KeyPress): RoomKeyBinding | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const key = press.key.length === 1 ? press.key.toUpperCase() : press.key;
  return ROOM_KEYMAP.find((b) => b.keys.includes(key)) ?? null;
}

/** The key a button shows beside its label. */
export function roomHintKey(action: RoomKeyAction): string {
  return shownKey(ROOM_KEYMAP.find((b) => b.action === action)?.keys[0] ?? '');
}

/** A button's aria-keyshortcuts. */
export function roomAriaKeys(action: RoomKeyAction): string {
  return ROOM_KEYMAP.find((b) => b.action === action)?.keys.join(' ') ?? '';
}

/** The help overlay's lines: keys as people write them, and what they do. */
export const ROOM_HELP: ReadonlyArray<readonly [keys: string, what: string]> = ROOM_KEYMAP.map((b) => [b.keys.map(shownKey).join(' or '), b.help]);
