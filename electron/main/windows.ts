/**
 * Options for the app's two kinds of window, and where the waiting-room display goes. Both load only
 * app://desk pages with the hardened webPreferences of security.ts; nothing here may relax them.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_ORIGIN, secureWebPreferences } from './security';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The parts of Electron's Display used to place the waiting-room window. */
export interface DisplayLike {
  id: number;
  bounds: Rect;
  workArea: Rect;
  /** True for a laptop's own panel; the waiting-room screen is an external one. */
  internal?: boolean;
}

export interface WindowPlacement {
  bounds: Rect;
  /** Fullscreen only on a second display: on the receptionist's own screen it would hide the desk. */
  fullscreen: boolean;
}

export const RECEPTION_URL = `${APP_ORIGIN}/index.html`;
/** The renderer shows the public view (no patient detail beyond what the display shows) for this query. */
export const WAITING_ROOM_URL = `${APP_ORIGIN}/index.html?view=waiting-room`;

// The NHS page background and dark blue, so the window does not flash white before the page paints.
const RECEPTION_BACKGROUND = '#f0f4f5';
const WAITING_ROOM_BACKGROUND = '#003087';

/** Most reception PCs run 1366x768 or larger; below 1024 wide the day board no longer fits. */
export function receptionWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Standby Desk',
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 600,
    // Shown on ready-to-show, so the receptionist never sees a blank window.
    show: false,
    backgroundColor: RECEPTION_BACKGROUND,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export function waitingRoomWindowOptions(preloadPath: string, placement: WindowPlacement): BrowserWindowConstructorOptions {
  return {
    title: 'Standby Desk: waiting room',
    ...placement.bounds,
    fullscreen: placement.fullscreen,
    show: false,
    backgroundColor: WAITING_ROOM_BACKGROUND,
    // A public screen: no menu bar for a patient to open.
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  };
}

const WAITING_ROOM_WINDOWED = { width: 1280, height: 720 } as const;

/**
 * The second display when there is one (an external one first: a laptop's own panel is the receptionist's),
 * filled completely. With a single display, a window on it, centred in its work area, that the receptionist
 * can drag to a screen plugged in later.
 */
export function pickDisplayBounds(displays: readonly DisplayLike[], primaryId: number): WindowPlacement {
  // Should the primary's id be missing from the list, the first display stands in for it.
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  const others = displays.filter((d) => d !== primary);
  const second = others.find((d) => d.internal === false) ?? others[0];
  if (second) return { bounds: { ...second.bounds }, fullscreen: true };

  const area = primary?.workArea ?? { x: 0, y: 0, ...WAITING_ROOM_WINDOWED };
  const width = Math.min(WAITING_ROOM_WINDOWED.width, area.width);
  const height = Math.min(WAITING_ROOM_WINDOWED.height, area.height);
  return {
    bounds: {
      x: area.x + Math.floor((area.width - width) / 2),
      y: area.y + Math.floor((area.height - height) / 2),
      width,
      height,
    },
    fullscreen: false,
  };
}
