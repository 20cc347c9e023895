import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  externalLinkAction,
  isAllowedNavigation,
  isTrustedSender,
  createSecureWindow,
  type PageAccess,
  permissionDecision,
} from '../../../electron/main/security';

/** Stands in for Electron's BrowserWindow: keeps what it was made with. */
class FakeWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}

/**
 * What Electron's security checklist (electronjs.org/docs/latest/tutorial/security) asks of a window's
 * webPreferences, as the insecure value of each setting: what a window must never end up with, whatever
 * createSecureWindow happens to write. Taken from the checklist, not from security.ts.
 */
const INSECURE = {
  nodeIntegration: true, // 2. do not enable Node.js integration for remote content
  nodeIntegrationInWorker: true,
  nodeIntegrationInSubFrames: true,
  contextIsolation: false, // 3. enable context isolation
  sandbox: false, // 4. enable process sandboxing
  webSecurity: false, // 6. do not disable webSecurity
  allowRunningInsecureContent: true, // 8. do not enable allowRunningInsecureContent
  experimentalFeatures: true, // 9. do not enable experimental features
  webviewTag: true, // 11. do not use <webview>
} as const;

const make = (options: object, access: PageAccess = { preload: '/p.cjs', javascript: true }) => createSecureWindow(FakeWindow, options, access).options;

describe('createSecureWindow', () => {
  it.each([
    ['a desk page', { preload: '/app/dist/electron/preload.cjs', javascript: true }],
    ['a printed sheet', { preload: null, javascript: false }],
  ])('makes %s with none of the insecure settings on the checklist', (_what, access) => {
    const prefs = make({ title: 'x' }, access).webPreferences as Record<string, unknown>;
    for (const [setting, insecure] of Object.entries(INSECURE)) expect(prefs[setting], setting).not.toBe(insecure);
    // Sandboxing and isolation are on by default only in recent Electron versions: said outright, not assumed.
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    // 10. do not use enableBlinkFeatures; nor pass the page process switches.
    expect(prefs['enableBlinkFeatures']).toBeUndefined();
    expect(prefs['additionalArguments']).toBeUndefined();
  });

  it('keeps the options it is given and gives the page exactly the preload and JavaScript asked for', () => {
    const win = createSecureWindow(FakeWindow, { title: 'x', show: false }, { preload: '/app/dist/electron/preload.cjs', javascript: true });
    expect(win).toBeInstanceOf(FakeWindow);
    expect(win.options).toMatchObject({ title: 'x', show: false, webPreferences: { preload: '/app/dist/electron/preload.cjs', javascript: true } });
    const sheet = make({}, { preload: null, javascript: false }).webPreferences;
    expect(sheet).not.toHaveProperty('preload');
    expect(sheet?.javascript).toBe(false);
  });

  it('lets only a window asked to (the waiting-room display) sound a call without a click', () => {
    expect(make({}).webPreferences?.autoplayPolicy).toBe('user-gesture-required');
    expect(make({}, { preload: '/p.cjs', javascript: true, soundWithoutGesture: true }).webPreferences?.autoplayPolicy).toBe('no-user-gesture-required');
  });

  it('cannot be talked out of the hardening by the options it is given', () => {
    // SecureWindowOptions has no webPreferences; this is what a cast or a plain-JS caller could still pass.
    const sneaky = { webPreferences: { ...INSECURE, enableBlinkFeatures: 'Auxclick', preload: '/evil.js', javascript: true } };
    expect(make(sneaky).webPreferences).toEqual(make({}).webPreferences);
    expect(make(sneaky, { preload: null, javascript: false }).webPreferences).toEqual(make({}, { preload: null, javascript: false }).webPreferences);
  });

  it('turns off what the desk has no use for and that would leak or replace the page', () => {
    // Spellcheck sends what is typed (patient names) to a spelling service; a dropped file replaces the desk;
    // a middle click (auxclick) opens a link without the click the window-open handler expects.
    expect(make({}).webPreferences).toMatchObject({ spellcheck: false, navigateOnDragDrop: false, disableBlinkFeatures: 'Auxclick' });
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );

  it.each([
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self' data:"],
    ['connect-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['frame-ancestors', "'none'"],
    ['form-action', "'none'"],
  ])('%s is %s', (name, value) => {
    expect(directives.get(name)).toBe(value);
  });

  it('allows no inline code, eval or remote source', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval|hashes)|wasm-unsafe-eval|https?:|\*/);
  });
});

describe('isTrustedSender', () => {
  const top = (url: string) => ({ url, parent: null });

  it.each(['app://desk/index.html', 'app://desk/', 'app://desk/index.html?view=waiting-room#now', APP_ORIGIN])('trusts the app page %s in the main frame', (url) => {
    expect(isTrustedSender(top(url), APP_ORIGIN)).toBe(true);
  });

  it('trusts a WebFrameMain-shaped object with more properties', () => {
    const webFrameMain = { url: 'app://desk/index.html', parent: null, origin: 'app://desk', frameTreeNodeId: 1, top: null };
    expect(isTrustedSender(webFrameMain, APP_ORIGIN)).toBe(true);
  });

  it('refuses a missing frame (destroyed or navigated away)', () => {
    expect(isTrustedSender(null, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender(undefined, APP_ORIGIN)).toBe(false);
  });

  it('refuses a subframe, even one showing our own page', () => {
    const parent = top('app://desk/index.html');
    expect(isTrustedSender({ url: 'app://desk/index.html', parent }, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender({ url: 'app://desk/index.html', parent: {} }, APP_ORIGIN)).toBe(false);
  });

  it('refuses a frame whose parent is unknown rather than null', () => {
    expect(isTrustedSender({ url: 'app://desk/index.html', parent: undefined }, APP_ORIGIN)).toBe(false);
  });

  it.each([
    // lookalikes of our origin
    'app://desk.evil/index.html',
    'app://evil.desk/index.html',
    'app://desk.evil',
    'app://deskk/',
    'app://des/',
    'app://desk@evil/index.html',
    'app://user:pass@desk/index.html',
    'app://desk:@desk/',
    'app://desk:8080/index.html',
    'app://desk%2eevil/',
    'app:///desk/index.html',
    'app:desk/index.html',
    'apps://desk/index.html',
    'ap://desk/index.html',
    'app://DESK/index.html',
    // other schemes and origins
    'https://desk/index.html',
    'http://desk/index.html',
    'https://app.desk/',
    'http://127.0.0.1:4780/',
    'http://localhost/',
    'file:///C:/Program%20Files/Standby%20Desk/resources/app.asar/dist/renderer/index.html',
    'file://desk/index.html',
    'file:///app/dist/renderer/index.html',
    'data:text/html,<script>ipc()</script>',
    'data:text/html;base64,PHNjcmlwdD4=',
    'about:blank',
    'about:srcdoc',
    'javascript:alert(1)',
    'blob:app://desk/6c0a3f4e-0000-4000-8000-000000000000',
    'filesystem:app://desk/temporary/x.html',
    'chrome-extension://abcdefghijklmnop/index.html',
    'devtools://devtools/bundled/devtools_app.html',
    'chrome://settings',
    'view-source:app://desk/index.html',
    // not URLs at all
    '',
    ' ',
    'desk',
    '/index.html',
    'app://',
    'app://desk\\evil/',
  ])('refuses %j', (url) => {
    expect(isTrustedSender(top(url), APP_ORIGIN)).toBe(false);
  });

  it('refuses a frame whose url is not a string', () => {
    const frame = { url: 42, parent: null } as unknown as { url: string; parent: null };
    expect(isTrustedSender(frame, APP_ORIGIN)).toBe(false);
  });

  it('uses the origin it is given, not a built-in one', () => {
    expect(isTrustedSender(top('app://desk/index.html'), 'app://other')).toBe(false);
    expect(isTrustedSender(top('app://other/index.html'), 'app://other')).toBe(true);
  });
});

describe('isAllowedNavigation', () => {
  it.each(['app://desk/index.html', 'app://desk/index.html?date=2025-01-06', 'app://desk/', 'app://desk/index.html#appointments'])('allows the app page %s', (url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(true);
  });

  it.each([
    'https://www.nhs.uk/',
    'http://example.com/',
    'file:///etc/passwd',
    'file:///C:/Windows/System32/calc.exe',
    'app://desk.evil/index.html',
    'app://desk@evil/',
    'data:text/html,hi',
    'about:blank',
    'javascript:alert(1)',
    'blob:app://desk/x',
    'smb://server/share',
    '',
    'not a url',
  ])('refuses %j', (url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(false);
  });
});

describe('externalLinkAction', () => {
  it.each(['https://www.nhs.uk/', 'https://digital.nhs.uk/services/path?q=1#x', 'HTTPS://WWW.NHS.UK/'])('opens %s in the browser', (url) => {
    expect(externalLinkAction(url)).toBe('open-in-browser');
  });

  it.each([
    'http://www.nhs.uk/',
    'file:///C:/Windows/System32/calc.exe',
    'file://server/share/x.exe',
    'smb://server/share',
    '\\\\server\\share\\x.exe',
    'ms-settings:',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'mailto:someone@example.com',
    'tel:01234567890',
    'javascript:alert(1)',
    'data:text/html,hi',
    'about:blank',
    'app://desk/index.html',
    'chrome://settings',
    'https://user:password@evil.example/',
    'https://',
    '',
    'www.nhs.uk',
  ])('denies %j', (url) => {
    expect(externalLinkAction(url)).toBe('deny');
  });
});

describe('permissionDecision', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'openExternal',
    'pointerLock',
    'hid',
    'serial',
    'usb',
    'window-management',
    'unknown',
    'something-new-in-a-later-chromium',
  ])('denies %s', (permission) => {
    expect(permissionDecision(permission)).toBe(false);
  });
});
