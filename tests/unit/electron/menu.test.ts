import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, helpMessage, type MenuActions } from '../../../electron/main/menu';

function actions() {
  return { print: vi.fn<() => void>(), openWaitingRoom: vi.fn<() => void>(), showHelp: vi.fn<() => void>() } satisfies MenuActions;
}

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function click(item: MenuItemConstructorOptions | undefined): void {
  const handler = item?.click as (() => void) | undefined;
  if (!handler) throw new Error('menu item has no click handler');
  handler();
}

function submenuOf(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((m) => m.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return menu.submenu;
}

const DEV_ROLES = ['reload', 'forceReload', 'toggleDevTools'];

describe('menu template', () => {
  it('has File, Edit, View and Help with keyboard mnemonics', () => {
    const template = buildMenuTemplate({ development: false, waitingRoom: true, actions: actions() });
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
  });

  it('prints with Ctrl+P', () => {
    const a = actions();
    const print = flatten(buildMenuTemplate({ development: false, waitingRoom: false, actions: a })).find((i) => i.id === 'print');
    expect(print).toMatchObject({ label: '&Print…', accelerator: 'CmdOrCtrl+P' });
    click(print);
    expect(a.print).toHaveBeenCalledOnce();
    expect(a.showHelp).not.toHaveBeenCalled();
  });

  it('opens help with F1', () => {
    const a = actions();
    const help = submenuOf(buildMenuTemplate({ development: false, waitingRoom: false, actions: a }), '&Help')[0];
    expect(help).toMatchObject({ accelerator: 'F1' });
    click(help);
    expect(a.showHelp).toHaveBeenCalledOnce();
  });

  it('offers the waiting-room display only when it is enabled', () => {
    const a = actions();
    const off = flatten(buildMenuTemplate({ development: false, waitingRoom: false, actions: a }));
    expect(off.find((i) => i.id === 'waiting-room')).toBeUndefined();
    const item = flatten(buildMenuTemplate({ development: false, waitingRoom: true, actions: a })).find((i) => i.id === 'waiting-room');
    expect(item).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+D' });
    click(item);
    expect(a.openWaitingRoom).toHaveBeenCalledOnce();
  });

  it('in production has no reload and no developer tools anywhere', () => {
    const items = flatten(buildMenuTemplate({ development: false, waitingRoom: true, actions: actions() }));
    for (const role of DEV_ROLES) expect(items.some((i) => i.role === role)).toBe(false);
  });

  it('in development adds reload and the developer tools to View', () => {
    const view = submenuOf(buildMenuTemplate({ development: true, waitingRoom: true, actions: actions() }), '&View');
    expect(view.map((i) => i.role).filter((r) => r !== undefined)).toEqual([...DEV_ROLES, 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
  });

  it('keeps zoom and the editing commands in production', () => {
    const template = buildMenuTemplate({ development: false, waitingRoom: false, actions: actions() });
    expect(submenuOf(template, '&View').map((i) => i.role)).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut']));
    expect(submenuOf(template, '&Edit').map((i) => i.role)).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    expect(submenuOf(template, '&File').at(-1)).toEqual({ role: 'quit' });
  });

  it('gives every item a role, a click handler or a submenu, and no accelerator twice', () => {
    for (const development of [false, true]) {
      const items = flatten(buildMenuTemplate({ development, waitingRoom: true, actions: actions() }));
      for (const item of items) {
        if (item.type === 'separator') continue;
        expect(item.role !== undefined || typeof item.click === 'function' || Array.isArray(item.submenu)).toBe(true);
      }
      const accelerators = items.map((i) => i.accelerator).filter((a) => a !== undefined);
      expect(new Set(accelerators).size).toBe(accelerators.length);
    }
  });
});

describe('helpMessage', () => {
  it('names the version and the data folder', () => {
    const help = helpMessage('0.1.0', 'C:\\Users\\reception\\AppData\\Roaming\\Standby Desk', false);
    expect(help.message).toBe('Standby Desk 0.1.0');
    expect(help.detail).toContain('C:\\Users\\reception\\AppData\\Roaming\\Standby Desk');
    expect(help.detail).toContain('Ctrl+P');
    expect(help.detail).not.toContain('waiting-room');
    expect(helpMessage('0.1.0', '/d', true).detail).toContain('waiting-room display (Ctrl+Shift+D)');
  });
});
