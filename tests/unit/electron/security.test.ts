import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  externalLinkAction,
  isAllowedNavigation,
  isTrustedSender,
  createSecureWindow,
  permissionDecision,
} from '../../../electron/main/security';

/** Stands in for Electron's BrowserWindow: keeps what it was made with. */
class FakeWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}

const HARDENED = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  disableBlinkFeatures: 'Auxclick',
  spellcheck: false,
  navigateOnDragDrop: false,
};

describe('createSecureWindow', () => {
  it('sets every hardening flag, the preload, and JavaScript as asked', () => {
    const win = createSecureWindow(FakeWindow, { title: 'x', show: false }, { preload: '/app/dist/electron/preload.cjs', javascript: true });
    expect(win).toBeInstanceOf(FakeWindow);
    expect(win.options).toEqual({
      title: 'x',
      show: false,
      webPreferences: { ...HARDENED, preload: '/app/dist/electron/preload.cjs', javascript: true },
    });
  });

  it('makes a page with no preload and no JavaScript (a sheet being printed)', () => {
    const win = createSecureWindow(FakeWindow, {}, { preload: null, javascript: false });
    expect(win.options.webPreferences).toEqual({ ...HARDENED, javascript: false });
  });

  it('cannot be talked out of the hardening by the options it is given', () => {
    // SecureWindowOptions has no webPreferences; this is what a cast or a plain-JS caller could still pass.
    const sneaky = { webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, preload: '/evil.js' } } as object;
    const win = createSecureWindow(FakeWindow, sneaky, { preload: '/p.cjs', javascript: true });
    expect(win.options.webPreferences).toEqual({ ...HARDENED, preload: '/p.cjs', javascript: true });
  });

  it('does not set the sub-frame Node switch or anything that relaxes isolation', () => {
    const prefs = createSecureWindow(FakeWindow, {}, { preload: '/p.cjs', javascript: true }).options.webPreferences as Record<string, unknown>;
    expect(prefs['nodeIntegrationInSubFrames']).toBeUndefined();
    expect(prefs['enableBlinkFeatures']).toBeUndefined();
    expect(prefs['additionalArguments']).toBeUndefined();
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

  it.each(['app://desk/index.html', 'app://desk/', 'app://desk/index.html?view=waiting-room#now', APP_ORIGIN])(
    'trusts the app page %s in the main frame',
    (url) => {
      expect(isTrustedSender(top(url), APP_ORIGIN)).toBe(true);
    },
  );

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
  it.each(['app://desk/index.html', 'app://desk/index.html?date=2025-01-06', 'app://desk/', 'app://desk/index.html#appointments'])(
    'allows the app page %s',
    (url) => {
      expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(true);
    },
  );

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
