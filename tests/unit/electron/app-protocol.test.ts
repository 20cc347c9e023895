import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, appResponseHeaders, contentTypeOf, resolveAppFile } from '../../../electron/main/app-protocol';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY } from '../../../electron/main/security';

const ROOT = path.posix.resolve('/opt/standby-desk/dist/renderer');
const WIN_ROOT = 'C:\\Program Files\\Standby Desk\\resources\\app.asar\\dist\\renderer';

const resolvePosix = (url: string) => resolveAppFile(url, ROOT, APP_ORIGIN, path.posix);
const resolveWin = (url: string) => resolveAppFile(url, WIN_ROOT, APP_ORIGIN, path.win32);

function isInside(file: string, root: string, p: typeof path.posix): boolean {
  return file.startsWith(root + p.sep) && p.normalize(file) === file;
}

describe('resolveAppFile', () => {
  it.each([
    ['app://desk/', 'index.html'],
    ['app://desk', 'index.html'],
    ['app://desk/index.html', 'index.html'],
    ['app://desk/index.html?view=waiting-room#top', 'index.html'],
    ['app://desk/assets/index-BuLUCoZP.js', 'assets/index-BuLUCoZP.js'],
    ['app://desk/favicon.svg', 'favicon.svg'],
    ['app://desk/assets/My%20Font.woff2', 'assets/My Font.woff2'],
    ['app://desk//assets//x.css', 'assets/x.css'],
  ])('maps %s to %s under the root', (url, relative) => {
    expect(resolvePosix(url)).toBe(path.posix.join(ROOT, relative));
  });

  it('maps to Windows paths with the Windows path rules', () => {
    expect(resolveWin('app://desk/assets/index.js')).toBe(`${WIN_ROOT}\\assets\\index.js`);
    expect(resolveWin('app://desk/')).toBe(`${WIN_ROOT}\\index.html`);
  });

  // The URL parser already folds literal and %2e dot segments, so these stay inside the root.
  it.each(['app://desk/../../../etc/passwd', 'app://desk/%2e%2e/%2e%2e/etc/passwd', 'app://desk/assets/../../../x', 'app://desk/.%2E/.%2e/x'])(
    'keeps %s inside the root',
    (url) => {
      const file = resolvePosix(url);
      expect(file).not.toBeNull();
      expect(isInside(file ?? '', ROOT, path.posix)).toBe(true);
    },
  );

  it.each([
    // encoded separators smuggling dot segments past the URL parser
    'app://desk/..%2f..%2f..%2fetc%2fpasswd',
    'app://desk/assets%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://desk/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://desk/%2E%2E%2Fsecret',
    'app://desk/..%5c..%5c..%5cWindows%5cwin.ini',
    'app://desk/%2e%2e%5csecret',
    'app://desk/assets/..%5C..%5C..%5Csecret',
    'app://desk/..%252f..%252fetc/passwd%00',
    // absolute paths and drive letters
    'app://desk/%2fetc%2fpasswd',
    'app://desk/%5cWindows%5cwin.ini',
    'app://desk/C:%5cWindows%5cwin.ini',
    'app://desk/C:/Windows/win.ini',
    'app://desk/c%3a/Windows/win.ini',
    'app://desk/%5c%5cserver%5cshare%5cx',
    // NUL and broken escapes
    'app://desk/index.html%00.png',
    'app://desk/%E0%A4%A',
    'app://desk/%',
  ])('refuses %s', (url) => {
    expect(resolvePosix(url)).toBeNull();
    expect(resolveWin(url)).toBeNull();
  });

  it.each([
    'app://evil/index.html',
    'app://desk.evil/index.html',
    'app://desk@evil/index.html',
    'app://desk:1234/index.html',
    'https://desk/index.html',
    'file:///etc/passwd',
    'file:///opt/standby-desk/dist/renderer/index.html',
    'http://127.0.0.1/index.html',
    'data:text/html,hi',
    'not a url',
  ])('refuses a URL that is not the app origin: %s', (url) => {
    expect(resolvePosix(url)).toBeNull();
  });

  it('accepts a relative root and still answers with absolute paths inside it', () => {
    const file = resolveAppFile('app://desk/assets/a.js', 'dist/renderer', APP_ORIGIN, path.posix);
    expect(file).toBe(path.posix.resolve('dist/renderer/assets/a.js'));
  });

  it('never answers outside the root, whatever the path (property)', () => {
    const piece = fc.constantFrom(
      '..',
      '.',
      '%2e',
      '%2E',
      '%2e%2e',
      '.%2e',
      '%2f',
      '%2F',
      '%5c',
      '%5C',
      '/',
      '//',
      '\\',
      'a',
      'etc',
      'passwd',
      '%00',
      ':',
      'C:',
      'c%3a',
      '%25',
      '%252f',
      '?',
      '#',
      ' ',
      '%20',
      'index.html',
      '~',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const url = 'app://desk/' + pieces.join('');
        const posixFile = resolvePosix(url);
        const winFile = resolveWin(url);
        return (posixFile === null || isInside(posixFile, ROOT, path.posix)) && (winFile === null || isInside(winFile, WIN_ROOT, path.win32));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('app:// responses', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/index-abc.CSS', 'text/css; charset=utf-8'],
    ['favicon.svg', 'image/svg+xml'],
    ['assets/font.woff2', 'font/woff2'],
    ['assets/index.js.map', 'application/json; charset=utf-8'],
    ['README', 'application/octet-stream'],
    ['archive.exe', 'application/octet-stream'],
  ])('%s is served as %s', (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });

  it('every response carries the CSP and nosniff, including not-found', () => {
    for (const file of ['/r/index.html', '/r/a.js', null]) {
      const headers = appResponseHeaders(file);
      expect(headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
    }
  });

  it('registers the scheme standard and secure, without CORS or a CSP bypass', () => {
    const privileges: Record<string, unknown> = { ...APP_SCHEME_PRIVILEGES };
    expect(privileges['standard']).toBe(true);
    expect(privileges['secure']).toBe(true);
    expect(privileges['supportFetchAPI']).toBe(true);
    expect(privileges['bypassCSP']).toBeUndefined();
    expect(privileges['corsEnabled']).toBeUndefined();
    expect(privileges['allowServiceWorkers']).toBeUndefined();
  });
});
