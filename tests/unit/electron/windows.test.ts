import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { routeAppRequest } from '../../../electron/main/app-protocol';
import { createSecureWindow, isTrustedSender } from '../../../electron/main/security';
import {
  mainWindowUrl,
  pickDisplayBounds,
  printWindowOptions,
  RECEPTION_URL,
  receptionWindowOptions,
  RECOVERY_URL,
  recoveryWindowOptions,
  ROOM_ARG,
  ROOM_URL,
  WAITING_ROOM_URL,
  waitingRoomWindowOptions,
  type DisplayLike,
} from '../../../electron/main/windows';

const PRELOAD = '/app/dist/electron/preload.cjs';

/** Stands in for Electron's BrowserWindow: keeps what it was made with. */
class FakeWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}

const made = (options: Parameters<typeof createSecureWindow>[1], preload: string | null = PRELOAD, javascript = true) =>
  createSecureWindow(FakeWindow, options, { preload, javascript }).options;

function display(id: number, x: number, y: number, width: number, height: number, extra: Partial<DisplayLike> = {}): DisplayLike {
  // A 40px taskbar at the bottom of every display.
  return { id, bounds: { x, y, width, height }, workArea: { x, y, width, height: height - 40 }, ...extra };
}

describe('window options', () => {
  it('say size, place and look only: the hardened webPreferences are added by createSecureWindow', () => {
    const placement = { bounds: { x: 0, y: 0, width: 800, height: 600 }, fullscreen: false };
    for (const options of [receptionWindowOptions(), waitingRoomWindowOptions(placement), recoveryWindowOptions(), printWindowOptions()]) {
      expect(options).not.toHaveProperty('webPreferences');
      expect(options.show).toBe(false);
      expect(made(options).webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: PRELOAD });
    }
  });
});

/** Where the app protocol sends a window's URL, and whether main answers that page's IPC calls. */
const RENDERER = '/app/dist/renderer';
const served = (url: string) => ({ route: routeAppRequest(url, RENDERER, path.posix), answeredOverIpc: isTrustedSender({ url, parent: null }) });

/** Whether a window opened with these options fits a screen of the given size, and can be shrunk to its minimum. */
function fitsScreen(options: BrowserWindowConstructorOptions, screen: { width: number; height: number }): boolean {
  const { width = 0, height = 0, minWidth = 0, minHeight = 0 } = options;
  return width <= screen.width && height <= screen.height && minWidth <= width && minHeight <= height;
}

describe('reception window', () => {
  const options = made(receptionWindowOptions());

  it('fits the smallest common reception screen (1366x768), opens no smaller than the day board needs, hidden until ready', () => {
    expect(fitsScreen(options, { width: 1366, height: 768 })).toBe(true);
    // Below 1024 wide the day board no longer fits: the window must not be shrunk past it.
    expect(options.minWidth).toBeGreaterThanOrEqual(1024);
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('loads the built desk page, which main answers over IPC', () => {
    expect(served(RECEPTION_URL)).toEqual({ route: { kind: 'desk', file: `${RENDERER}/index.html` }, answeredOverIpc: true });
  });
});

describe('a room PC (--room)', () => {
  it('starts the main window on the room view with --room, anywhere on the command line, and on the desk without it', () => {
    expect(ROOM_ARG).toBe('--room');
    expect(mainWindowUrl(['.', '--room'])).toBe(ROOM_URL);
    expect(mainWindowUrl(['--room', '--after-desk-crash=3'])).toBe(ROOM_URL);
    expect(mainWindowUrl([])).toBe(RECEPTION_URL);
    expect(mainWindowUrl(['.', '--after-desk-crash=3'])).toBe(RECEPTION_URL);
    // Only the exact option: a look-alike must not turn a reception PC into a room.
    expect(mainWindowUrl(['--roomy', '--room=1'])).toBe(RECEPTION_URL);
  });

  it('loads the same built renderer at ?view=room, answered over IPC like the desk', () => {
    expect(served(ROOM_URL)).toEqual(served(RECEPTION_URL));
    expect(new URL(ROOM_URL).searchParams.get('view')).toBe('room');
  });
});

describe('waiting-room window', () => {
  it('fills a second display, hidden until ready, with no menu bar', () => {
    const options = made(waitingRoomWindowOptions({ bounds: { x: 1920, y: 0, width: 1920, height: 1080 }, fullscreen: true }));
    expect(options).toMatchObject({ x: 1920, y: 0, width: 1920, height: 1080, fullscreen: true, show: false, autoHideMenuBar: true });
    expect(options.title).toMatch(/waiting room/);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('is windowed when told so', () => {
    const options = waitingRoomWindowOptions({ bounds: { x: 10, y: 20, width: 1280, height: 720 }, fullscreen: false });
    expect(options.fullscreen).toBe(false);
  });

  it('loads the same built page as the desk, asking for its public view', () => {
    expect(served(WAITING_ROOM_URL)).toEqual(served(RECEPTION_URL));
    expect(new URL(WAITING_ROOM_URL).searchParams.get('view')).toBe('waiting-room');
    expect(new URL(RECEPTION_URL).searchParams.get('view')).toBeNull();
  });
});

describe('recovery and print windows', () => {
  it('the recovery window loads the generated recovery page, which the desk IPC does not answer, and hides its menu bar', () => {
    expect(served(RECOVERY_URL)).toEqual({ route: { kind: 'recovery' }, answeredOverIpc: false });
    expect(made(recoveryWindowOptions(), null)).toMatchObject({ autoHideMenuBar: true, show: false });
  });

  it('the print window is an A4 page at 96 dpi, never shown, and made with no preload and JavaScript off', () => {
    const a4 = { width: Math.round((210 / 25.4) * 96), height: Math.round((297 / 25.4) * 96) };
    expect(printWindowOptions()).toMatchObject({ ...a4, show: false });
    const prefs = made(printWindowOptions(), null, false).webPreferences;
    expect(prefs).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true });
    expect(prefs).not.toHaveProperty('preload');
  });
});

describe('pickDisplayBounds', () => {
  it('with one display, a 1280x720 window centred in its work area', () => {
    expect(pickDisplayBounds([display(1, 0, 0, 1920, 1080)], 1)).toEqual({
      bounds: { x: 320, y: 160, width: 1280, height: 720 },
      fullscreen: false,
    });
  });

  it('with one small display, a window no bigger than its work area', () => {
    expect(pickDisplayBounds([display(1, 0, 0, 1024, 600)], 1)).toEqual({
      bounds: { x: 0, y: 0, width: 1024, height: 560 },
      fullscreen: false,
    });
  });

  it('with two displays, the whole of the one that is not primary, fullscreen', () => {
    const displays = [display(1, 0, 0, 1366, 768), display(2, 1366, 0, 1920, 1080)];
    expect(pickDisplayBounds(displays, 1)).toEqual({ bounds: { x: 1366, y: 0, width: 1920, height: 1080 }, fullscreen: true });
  });

  it('finds the second display whatever the order, including left of or above the primary', () => {
    const displays = [display(7, -1920, -200, 1920, 1080), display(3, 0, 0, 1366, 768)];
    expect(pickDisplayBounds(displays, 3)).toEqual({ bounds: { x: -1920, y: -200, width: 1920, height: 1080 }, fullscreen: true });
  });

  it("prefers an external screen to a laptop's own panel", () => {
    const displays = [display(1, 0, 0, 1920, 1080, { internal: false }), display(2, 1920, 0, 1366, 768, { internal: true }), display(3, 3286, 0, 3840, 2160, { internal: false })];
    expect(pickDisplayBounds(displays, 1).bounds).toEqual({ x: 3286, y: 0, width: 3840, height: 2160 });
  });

  it('takes the first other display when none says whether it is internal', () => {
    const displays = [display(1, 0, 0, 1920, 1080), display(2, 1920, 0, 1280, 1024), display(3, 3200, 0, 1920, 1080)];
    expect(pickDisplayBounds(displays, 1).bounds).toEqual({ x: 1920, y: 0, width: 1280, height: 1024 });
  });

  it('when the primary id is not in the list, treats the first display as primary', () => {
    const displays = [display(5, 0, 0, 1920, 1080), display(6, 1920, 0, 1920, 1080)];
    expect(pickDisplayBounds(displays, 99)).toEqual({ bounds: { x: 1920, y: 0, width: 1920, height: 1080 }, fullscreen: true });
    expect(pickDisplayBounds([display(5, 0, 0, 1920, 1080)], 99).fullscreen).toBe(false);
  });

  it('with no displays reported, a plain 1280x720 window', () => {
    expect(pickDisplayBounds([], 1)).toEqual({ bounds: { x: 0, y: 0, width: 1280, height: 720 }, fullscreen: false });
  });

  it("returns a copy: moving the window cannot change Electron's display record", () => {
    const second = display(2, 1920, 0, 1920, 1080);
    const placement = pickDisplayBounds([display(1, 0, 0, 1920, 1080), second], 1);
    placement.bounds.x = 0;
    expect(second.bounds.x).toBe(1920);
  });
});
