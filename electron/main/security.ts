/**
 * Every security decision of the Electron shell, as plain functions so they are tested under Node without
 * Electron. main.ts only wires them to Electron's events. The app loads nothing but its own files, so each
 * rule is an allow-list of one origin: anything we did not ship is refused.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The renderer is served from `app://desk/` (see app-protocol.ts), not file://. A file:// page shares its
 * origin with every other file on the disk (a downloaded .html could read ours, ours could read theirs) and
 * cannot carry response headers, so no CSP header; a registered standard, secure scheme gives the app an
 * origin of its own.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page shown instead of the desk when its data cannot be opened (recovery.ts); an origin of its own. */
export const RECOVERY_HOST = 'recovery';
export const RECOVERY_ORIGIN = `${APP_SCHEME}://${RECOVERY_HOST}`;
/** Sheets being printed (print.ts): static HTML, JavaScript off, no preload, so no way to reach main at all. */
export const PRINT_HOST = 'print';
export const PRINT_ORIGIN = `${APP_SCHEME}://${PRINT_HOST}`;

/** What a window's page may do beyond showing itself. */
export interface PageAccess {
  /** The preload script that is the page's only door to main, or null for a page that talks to nothing. */
  preload: string | null;
  /** Off for printed sheets: they are static, and a patient's name that somehow became markup must not run. */
  javascript: boolean;
  /**
   * The waiting-room display chimes and speaks each call on a screen nobody clicks: without this Chromium keeps
   * its audio suspended until a gesture, and the calls would be silent. Every other window keeps the default.
   */
  soundWithoutGesture?: boolean;
}

export type SecureWindowOptions = Omit<BrowserWindowConstructorOptions, 'webPreferences'>;

export type BrowserWindowClass<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * The only place the app makes a window, so every window is hardened the same way. The class is passed in so
 * this runs under Node in tests. The preferences are written out at the constructor call, not built by a
 * helper, because that is where Electronegativity reads them (tests/unit/electron/electronegativity.test.ts);
 * they come after the caller's options, so nothing a caller passes can replace them.
 */
export function createSecureWindow<W>(BrowserWindow: BrowserWindowClass<W>, options: SecureWindowOptions, access: PageAccess): W {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      ...(access.preload === null ? {} : { preload: access.preload }),
      javascript: access.javascript,
      autoplayPolicy: access.soundWithoutGesture === true ? 'no-user-gesture-required' : 'user-gesture-required',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // Middle-click (auxclick) can open a link without the click the page and the window-open handler expect;
      // the desk has no use for it.
      disableBlinkFeatures: 'Auxclick',
      // Off so that patient names are not sent to an OS or cloud spelling service, and not underlined as typos.
      spellcheck: false,
      // A file dropped on the window would otherwise replace the desk with that file.
      navigateOnDragDrop: false,
    },
  });
}

/**
 * Sent as a response header by the app:// handler (the renderer's <meta> policy says the same, minus what a
 * meta tag cannot say: frame-ancestors). No 'unsafe-inline' anywhere: the build emits no inline scripts or
 * <style> blocks, and React's `style={...}` sets properties through the CSSOM, which style-src does not govern.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Same scheme, host and port as the app, and no user-info. Compared field by field because Node's URL gives
 * the origin of a non-special scheme as "null", and because "app://desk@evil/" puts "desk" in the user name.
 */
export function isAppUrl(url: string, appOrigin: string = APP_ORIGIN): boolean {
  const u = parseUrl(url);
  const app = parseUrl(appOrigin);
  if (!u || !app) return false;
  return u.protocol === app.protocol && u.hostname === app.hostname && u.hostname !== '' && u.port === app.port && u.username === '' && u.password === '';
}

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/**
 * An IPC message is acted on only when it comes from the top frame of one of our own pages. An iframe (even
 * one of ours) or a page that navigated elsewhere is refused: the frame is null once its document has gone.
 */
export function isTrustedSender(senderFrame: SenderFrame | null | undefined, appOrigin: string = APP_ORIGIN): boolean {
  if (!senderFrame) return false;
  if (senderFrame.parent !== null) return false;
  if (typeof senderFrame.url !== 'string') return false;
  return isAppUrl(senderFrame.url, appOrigin);
}

/** The desk is a single page; a navigation is allowed only to another page of the app (a reload, say). */
export function isAllowedNavigation(url: string, appOrigin: string = APP_ORIGIN): boolean {
  return isAppUrl(url, appOrigin);
}

export type ExternalLinkAction = 'open-in-browser' | 'deny';

/**
 * Links that leave the app (NHS guidance, the practice's website) go to the user's browser, never into an
 * app window. Only https: is handed over: file:, smb:, ms-*: and custom handlers can run programs or leak
 * Windows credentials, and plain http: would be readable on the practice network.
 */
export function externalLinkAction(url: string): ExternalLinkAction {
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:' || u.hostname === '' || u.username !== '' || u.password !== '') return 'deny';
  return 'open-in-browser';
}

/**
 * No web permission is granted: the desk needs no camera, microphone, location, notifications, MIDI, USB,
 * HID, serial, screen capture, clipboard reading or fullscreen requests from the page (the waiting-room
 * window is made fullscreen by the main process, which needs no permission). Copying with Ctrl+C is an
 * editing command, not a permission. If a "copy NHS number" button is added, allow
 * 'clipboard-sanitized-write' here deliberately, with a test.
 */
export function permissionDecision(_permission: string): boolean {
  return false;
}
