/**
 * Options for the app's windows, and where the waiting-room display goes. They say size, place and look only:
 * every window is made by createSecureWindow (security.ts), which adds the hardened webPreferences, and
 * SecureWindowOptions has no room for any.
 */
import { APP_ORIGIN, RECOVERY_ORIGIN, type SecureWindowOptions } from './security';

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
export const RECOVERY_URL = `${RECOVERY_ORIGIN}/index.html`;
/** The clinician's room view (renderer/src/room): a room PC's app starts on it with `--room`. */
export const ROOM_URL = `${APP_ORIGIN}/index.html?view=room`;
/** The start option that makes this PC a consulting room's: its window shows the room view, not the desk. */
export const ROOM_ARG = '--room';

/** Where the main window starts, from the app's command line: the room view with `--room`, else the desk. */
export function mainWindowUrl(args: readonly string[]): string {
  return args.includes(ROOM_ARG) ? ROOM_URL : RECEPTION_URL;
}

// The NHS page background and dark blue, so the window does not flash white before the page paints.
const RECEPTION_BACKGROUND = '#f0f4f5';
const WAITING_ROOM_BACKGROUND = '#003087';

/** Most reception PCs run 1366x768 or larger; below 1024 wide the day board no longer fits. */
export function receptionWindowOptions(): SecureWindowOptions {
  return {
    title: 'Standby Desk',
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 600,
    // Shown on ready-to-show, so the receptionist never sees a blank window.
    show: false,
    backgroundColor: RECEPTION_BACKGROUND,
  };
}

export function waitingRoomWindowOptions(placement: WindowPlacement): SecureWindowOptions {
  return {
    title: 'Standby Desk: waiting room',
    ...placement.bounds,
    fullscreen: placement.fullscreen,
    show: false,
    backgroundColor: WAITING_ROOM_BACKGROUND,
    // A public screen: no menu bar for a patient to open.
    autoHideMenuBar: true,
  };
}

/** Shown instead of the reception window when the desk's data cannot be opened: a message and a few buttons. */
export function recoveryWindowOptions(): SecureWindowOptions {
  return {
    title: 'Standby Desk: the desk data needs attention',
    width: 820,
    height: 640,
    minWidth: 560,
    minHeight: 420,
    show: false,
    backgroundColor: RECEPTION_BACKGROUND,
    // Nothing to reach from a menu here, and no reload that could lose the choices on screen.
    autoHideMenuBar: true,
  };
}

/** A4 at 96 dpi. Never shown: a sheet is laid out here, then printed or saved as PDF, then the window goes. */
export function printWindowOptions(): SecureWindowOptions {
  return {
    title: 'Standby Desk: printing',
    width: 794,
    height: 1123,
    show: false,
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
