import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELP, KEYMAP, matchKey, shownKey, type KeyBinding, type KeyPress, type KeyScope } from '../../renderer/src/keyboard/keys';
import { KEY_HANDLERS } from '../../renderer/src/keyboard/useDeskKeys';
import { useUiStore } from '../../renderer/src/state/ui-store';

const BINDINGS: readonly KeyBinding[] = KEYMAP;
const SCOPES = Object.keys(KEY_HANDLERS) as KeyScope[];

/** Every key a receptionist could plausibly press, with every modifier combination. */
const KEYS = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''),
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
  ...'`-=[]\\;\',./~!@#$%^&*()_+{}|:"<>? '.split(''),
  ...['Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'Home', 'End', 'PageUp', 'PageDown', 'Insert'],
  ...['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'],
  ...Array.from({ length: 12 }, (_v, i) => `F${i + 1}`),
];
const PRESSES: KeyPress[] = KEYS.flatMap((key) =>
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((m) => ({ key, shiftKey: (m & 1) > 0, ctrlKey: (m & 2) > 0, metaKey: (m & 4) > 0, altKey: (m & 8) > 0 })),
);

/** The press as aria-keyshortcuts would write it, to compare with the table's keys. */
function chordOf(press: KeyPress): string[] {
  const key = press.key.length === 1 ? press.key.toUpperCase() : press.key;
  const control = press.ctrlKey || press.metaKey ? 'Control+' : '';
  return [`${control}${key}`, `${control}Shift+${key}`];
}

describe('the keymap (renderer/src/keyboard/keys.ts)', () => {
  it('has a handler for every binding, and no handler without a binding', () => {
    for (const b of BINDINGS) expect(typeof (KEY_HANDLERS[b.scope] as Record<string, unknown>)[b.action], `${b.scope} ${b.action}`).toBe('function');
    const bound = new Set(BINDINGS.map((b) => `${b.scope} ${b.action}`));
    const handled = SCOPES.flatMap((scope) => Object.keys(KEY_HANDLERS[scope]).map((action) => `${scope} ${action}`));
    expect(handled.filter((h) => !bound.has(h))).toEqual([]);
    expect(new Set(BINDINGS.map((b) => b.action)).size).toBe(BINDINGS.length);
  });

  it('documents every binding in the help overlay: its keys and what it does', () => {
    const lines = HELP.flatMap((section) => section.keys);
    for (const b of BINDINGS) {
      expect(b.help.trim(), b.action).not.toBe('');
      const line = lines.find(([, what]) => what === b.help);
      expect(line, b.action).toBeDefined();
      for (const key of b.keys) expect(line?.[0].split(/ or | \/ /), `${b.action} ${key}`).toContain(shownKey(key));
    }
    // And nothing in the help that no binding puts there.
    expect(lines.filter(([, what]) => !BINDINGS.some((b) => b.help === what))).toEqual([]);
  });

  it('matches only keys in the table, and every key in the table', () => {
    for (const scope of SCOPES) {
      for (const typing of [false, true]) {
        for (const press of PRESSES) {
          const binding = matchKey(scope, press, typing);
          if (binding === null) continue;
          const keys = typing ? (binding.inFields ?? []) : binding.keys;
          expect(
            keys.some((k) => chordOf(press).includes(k)),
            `${scope} ${JSON.stringify(press)} -> ${binding.action}`,
          ).toBe(true);
        }
      }
    }
    const none = { shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };
    for (const b of BINDINGS) {
      for (const key of b.keys) {
        const [mods, k] = key.includes('+') ? [key.slice(0, key.lastIndexOf('+')), key.slice(key.lastIndexOf('+') + 1)] : ['', key];
        const press = { ...none, key: k, shiftKey: mods.includes('Shift'), ctrlKey: mods.includes('Control') };
        expect(matchKey(b.scope, press, false)?.action, key).toBe(b.action);
      }
    }
  });

  it('keeps letters and symbols out of text fields: only F2 and Escape act while typing', () => {
    const inFields = SCOPES.flatMap((scope) => PRESSES.filter((p) => matchKey(scope, p, true) !== null).map((p) => p.key));
    expect([...new Set(inFields)].sort()).toEqual(['Escape', 'F2']);
  });

  it('tells D (DNA) from Shift+D (the session’s no-shows), and takes a letter in either case', () => {
    const press = (key: string, shiftKey = false) => ({ key, shiftKey, ctrlKey: false, metaKey: false, altKey: false });
    expect(matchKey('appointment', press('d'), false)?.action).toBe('status.dna');
    expect(matchKey('appointment', press('D'), false)?.action).toBe('status.dna'); // caps lock
    expect(matchKey('appointment', press('D', true), false)?.action).toBe('sessionDna');
    expect(matchKey('appointment', press('A', true), false)?.action).toBe('status.arrived');
    expect(matchKey('anywhere', { ...press('z'), ctrlKey: true }, false)?.action).toBe('undoMine');
    expect(matchKey('anywhere', press('z'), false)).toBeNull();
  });

  it('is the only place key presses are read: the handlers compare no key themselves', () => {
    // Moving within a list reads which arrow it was, and Enter on a button inside a row or callback is the
    // button's: those are the only key names the handlers may use, and only after the keymap matched.
    for (const file of ['renderer/src/keyboard/useDeskKeys.ts', 'renderer/src/dialogs/ActionsDialog.tsx']) {
      const source = fs.readFileSync(file, 'utf8');
      const compared = [...source.matchAll(/(?:event\.key|key)\s*===\s*'([^']*)'|case '([^']*)':/g)].map((m) => m[1] ?? m[2]);
      expect(
        compared.filter((k) => !['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'Enter'].includes(k ?? '')),
        file,
      ).toEqual([]);
    }
  });
});

describe('the group screen key', () => {
  it('N opens the desk group screen, from anywhere on the desk, and the help lists it', () => {
    const press = { key: 'n', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };
    expect(matchKey('anywhere', press, false)?.action).toBe('group');
    expect(matchKey('anywhere', press, true)).toBeNull();
    // A row's letters come first: N must not be one of them, or it would never reach the group screen from a row.
    expect(matchKey('row', press, false)).toBeNull();
    expect(matchKey('appointment', press, false)).toBeNull();
    useUiStore.setState({ dialog: null });
    // The handler reads nothing of the event; Node has Event but no KeyboardEvent.
    KEY_HANDLERS.anywhere.group(new Event('keydown') as KeyboardEvent);
    expect(useUiStore.getState().dialog).toEqual({ kind: 'group' });
    expect(HELP.flatMap((s) => s.keys).find(([, what]) => what.startsWith('Desk group'))?.[0]).toBe('N');
  });
});
