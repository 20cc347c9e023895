/**
 * Every shortcut in one table: the key handler (useDeskKeys) dispatches only through it, the help overlay (?) is
 * drawn from it and the hints on buttons (aria-keyshortcuts, the key shown) read it, so a key shown is a key that
 * works and a key that works is shown. tests/renderer/keymap.test.ts holds the handlers and the help to it.
 * Single letters act on the appointment that has the keyboard; they never fire while typing in a field or while
 * a dialog is open.
 */
import type { DeskStatus } from '../../../shared/domain';

/**
 * Where a binding acts: anywhere on the desk; on the appointment row that has the keyboard ('row': moving and
 * its actions menu); on that appointment, from its row or its actions dialog ('appointment'); on the callback list.
 */
export type KeyScope = 'anywhere' | 'row' | 'appointment' | 'callback';

export interface KeyBinding {
  scope: KeyScope;
  /** What the handler does: its name in useDeskKeys' handler table. Unique across the table. */
  action: string;
  /**
   * The keys, in aria-keyshortcuts' syntax (KeyboardEvent.key, modifiers first: 'A', 'Shift+D', 'Control+Z').
   * A letter matches either case, and with or without Shift unless another binding of its scope takes Shift+it.
   */
  keys: readonly string[];
  /** Those of `keys` that also act while typing in a field; letters and symbols never do. */
  inFields?: readonly string[];
  /** Its line in the help overlay; consecutive bindings with the same line share it, their keys joined. */
  help: string;
}

const STATUS_BINDINGS = [
  { scope: 'appointment', action: 'status.arrived', keys: ['A'], help: 'Arrived' },
  { scope: 'appointment', action: 'status.late', keys: ['L'], help: 'Arrived late' },
  { scope: 'appointment', action: 'status.sent_in', keys: ['S'], help: 'Send in (shown on the waiting-room display)' },
  { scope: 'appointment', action: 'status.quiet_sent_in', keys: ['Q'], help: 'Quiet send in (never shown on the display)' },
  { scope: 'appointment', action: 'status.seen', keys: ['E'], help: 'Seen' },
  { scope: 'appointment', action: 'status.left', keys: ['G'], help: 'Left (gone)' },
  { scope: 'appointment', action: 'status.walked_out', keys: ['O'], help: 'Walked out before being seen' },
  { scope: 'appointment', action: 'status.dna', keys: ['D'], help: 'DNA (did not attend)' },
  { scope: 'appointment', action: 'status.cancelled', keys: ['X'], help: 'Cancel, with a reason' },
] as const satisfies readonly KeyBinding[];

export const KEYMAP = [
  { scope: 'anywhere', action: 'search', keys: ['/', 'F2'], inFields: ['F2'], help: 'Find a patient (surname, DOB dd/mm/yyyy, NHS number, phone)' },
  { scope: 'anywhere', action: 'walkIn', keys: ['W'], help: 'Register a walk-in' },
  { scope: 'anywhere', action: 'book', keys: ['B'], help: 'Book a new appointment: find the patient, then a free slot' },
  { scope: 'anywhere', action: 'mode', keys: ['M'], help: 'Outage mode on / off (with a reason, then a confirmation)' },
  { scope: 'anywhere', action: 'view.day', keys: ['1'], help: 'Day / Queue / Callbacks' },
  { scope: 'anywhere', action: 'view.queue', keys: ['2'], help: 'Day / Queue / Callbacks' },
  { scope: 'anywhere', action: 'view.callbacks', keys: ['3'], help: 'Day / Queue / Callbacks' },
  { scope: 'anywhere', action: 'layout', keys: ['V'], help: 'Day: all clinicians side by side, or one at a time' },
  { scope: 'anywhere', action: 'clinician.previous', keys: ['['], help: 'Previous / next clinician (one at a time)' },
  { scope: 'anywhere', action: 'clinician.next', keys: [']'], help: 'Previous / next clinician (one at a time)' },
  { scope: 'anywhere', action: 'filters', keys: ['F'], help: 'Go to the state filters' },
  { scope: 'anywhere', action: 'print', keys: ['P'], help: 'Print a paper sheet (day lists, walk-in register, callback list)' },
  { scope: 'anywhere', action: 'group', keys: ['N'], help: 'Desk group (practice network): members, pairing code, take-over' },
  { scope: 'anywhere', action: 'undoMine', keys: ['Control+Z'], help: 'Undo the change the message on screen confirms' },
  { scope: 'anywhere', action: 'help', keys: ['?'], help: 'This help' },
  { scope: 'anywhere', action: 'close', keys: ['Escape'], inFields: ['Escape'], help: 'Close a dialog or menu; with none open, close the message' },
  { scope: 'anywhere', action: 'toList', keys: ['ArrowDown', 'ArrowUp', 'J', 'K'], help: 'Go to the list: the appointment last worked on, or the first' },

  { scope: 'row', action: 'move.up', keys: ['ArrowUp'], help: 'Previous / next appointment' },
  { scope: 'row', action: 'move.down', keys: ['ArrowDown'], help: 'Previous / next appointment' },
  { scope: 'row', action: 'move.left', keys: ['ArrowLeft'], help: 'Same time in the clinician to the left / right' },
  { scope: 'row', action: 'move.right', keys: ['ArrowRight'], help: 'Same time in the clinician to the left / right' },
  { scope: 'row', action: 'move.first', keys: ['Home'], help: 'First / last appointment in the list' },
  { scope: 'row', action: 'move.last', keys: ['End'], help: 'First / last appointment in the list' },
  ...STATUS_BINDINGS,
  { scope: 'appointment', action: 'rebook', keys: ['R'], help: 'Rebook into a free slot' },
  { scope: 'appointment', action: 'bookForPatient', keys: ['B'], help: 'Book this patient a new appointment' },
  { scope: 'appointment', action: 'note', keys: ['T'], help: 'Add a note (text) to this appointment' },
  { scope: 'appointment', action: 'contact', keys: ['C'], help: 'Change the patient’s phone number' },
  { scope: 'appointment', action: 'undo', keys: ['U'], help: "Undo this appointment's last change" },
  { scope: 'appointment', action: 'sessionDna', keys: ['Shift+D'], help: "Mark this session's remaining no-shows DNA (asks first)" },
  { scope: 'row', action: 'actions', keys: ['Enter'], help: 'All actions for this appointment' },

  { scope: 'callback', action: 'callback.up', keys: ['ArrowUp'], help: 'Previous / next patient to call' },
  { scope: 'callback', action: 'callback.down', keys: ['ArrowDown'], help: 'Previous / next patient to call' },
  { scope: 'callback', action: 'callback.first', keys: ['Home'], help: 'First / last patient to call' },
  { scope: 'callback', action: 'callback.last', keys: ['End'], help: 'First / last patient to call' },
  { scope: 'callback', action: 'callback.rebook', keys: ['R', 'Enter'], help: 'Rebook this patient into a free slot' },
  { scope: 'callback', action: 'callback.backlog', keys: ['A'], help: 'Rebooking assistant: a free slot proposed for everyone on the list' },
] as const satisfies readonly KeyBinding[];

type Binding = (typeof KEYMAP)[number];
export type KeyAction = Binding['action'];
/** The actions of one scope: a handler table keyed by these has a handler for every binding, and no other. */
export type ActionOf<S extends KeyScope> = Extract<Binding, { scope: S }>['action'];
export type StatusAction = (typeof STATUS_BINDINGS)[number]['action'];

const BY_ACTION = new Map<string, KeyBinding>(KEYMAP.map((b) => [b.action, b]));

function bindingOf(action: KeyAction): KeyBinding {
  const binding = BY_ACTION.get(action);
  if (!binding) throw new Error(`no key binding for ${action}`);
  return binding;
}

/** The action that moves an appointment to `status`, when a key does (booked has none). */
export function statusAction(status: DeskStatus): StatusAction | null {
  const action = `status.${status}`;
  return BY_ACTION.has(action) ? (action as StatusAction) : null;
}

// ---- Hints on buttons -----------------------------------------------------------------------------------------

const SHOWN: Readonly<Record<string, string>> = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc' };

/** How a key is written for people: '↑' for ArrowUp, 'Esc', 'Ctrl+Z'. */
export function shownKey(key: string): string {
  return SHOWN[key] ?? key.replace(/^Control\+/, 'Ctrl+');
}

/** A button's aria-keyshortcuts: every key of its action. */
export function ariaKeys(action: KeyAction | null): string | undefined {
  return action === null ? undefined : bindingOf(action).keys.join(' ');
}

/** The key a button shows beside its label: its action's first. */
export function hintKey(action: KeyAction): string {
  return shownKey(bindingOf(action).keys[0] ?? '');
}

// ---- The help overlay -----------------------------------------------------------------------------------------

export interface HelpSection {
  title: string;
  keys: ReadonlyArray<readonly [keys: string, what: string]>;
}

const HELP_SECTIONS: ReadonlyArray<{ title: string; scopes: readonly KeyScope[] }> = [
  { title: 'Anywhere', scopes: ['anywhere'] },
  { title: 'On an appointment (move with the arrow keys; the letters work in its actions too)', scopes: ['row', 'appointment'] },
  { title: 'On the callback list', scopes: ['callback'] },
];

export const HELP: readonly HelpSection[] = HELP_SECTIONS.map(({ title, scopes }) => {
  const lines: Array<[keys: string, what: string]> = [];
  for (const binding of KEYMAP as readonly KeyBinding[]) {
    if (!scopes.includes(binding.scope)) continue;
    const keys = binding.keys.map(shownKey).join(' or ');
    const last = lines.at(-1);
    if (last && last[1] === binding.help) last[0] += ` / ${keys}`;
    else lines.push([keys, binding.help]);
  }
  return { title, keys: lines };
});

// ---- Matching a key press -------------------------------------------------------------------------------------

export type KeyPress = Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey'>;

function parseChord(chord: string): { key: string; shift: boolean; control: boolean } {
  const parts = chord.split('+');
  // '+' itself would be the last, empty part; no binding uses it.
  const key = parts.pop() ?? '';
  return { key, shift: parts.includes('Shift'), control: parts.includes('Control') };
}

function chordMatches(chord: string, press: KeyPress, shiftTaken: boolean): boolean {
  const { key, shift, control } = parseChord(chord);
  if (press.altKey || control !== (press.ctrlKey || press.metaKey)) return false;
  if (/^[A-Z]$/.test(key)) return press.key.toUpperCase() === key && (shift ? press.shiftKey : !(shiftTaken && press.shiftKey));
  // Symbols ('?', '/') need Shift on some layouts and not others: the character decides.
  return press.key === key;
}

/**
 * The binding of `scope` a key press asks for, or null. The one place key presses are read: the desk's handlers
 * act only on what this returns. While typing in a field only a binding's `inFields` keys count.
 */
export function matchKey(scope: KeyScope, press: KeyPress, typing: boolean): KeyBinding | null {
  const bindings = (KEYMAP as readonly KeyBinding[]).filter((b) => b.scope === scope);
  const shifted = new Set(
    bindings.flatMap((b) =>
      b.keys
        .map(parseChord)
        .filter((c) => c.shift)
        .map((c) => c.key),
    ),
  );
  for (const binding of bindings) {
    const keys = typing ? (binding.inFields ?? []) : binding.keys;
    const upper = press.key.length === 1 ? press.key.toUpperCase() : press.key;
    if (keys.some((k) => chordMatches(k, press, shifted.has(upper)))) return binding;
  }
  return null;
}

/**
 * True when a key press belongs to a text field, a select or a radio group (whose arrow keys choose among its
 * options), not to the desk's shortcuts.
 */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'button', 'submit', 'reset'].includes(type);
}
