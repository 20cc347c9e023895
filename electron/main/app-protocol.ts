/**
 * The `app://desk/...` protocol that serves the built renderer (dist/renderer) to the app's windows. The
 * path resolution is the security boundary: a request must map to a file inside the renderer folder and
 * nowhere else, whatever a page puts in the URL (../, encoded slashes, backslashes, drive letters).
 */
import nodePath from 'node:path';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isAppUrl, PRINT_ORIGIN, RECOVERY_ORIGIN } from './security';

/** The privileges main.ts registers for the scheme before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  // standard: relative URLs, a real origin and its storage; secure: treated like https (no mixed-content
  // downgrade); supportFetchAPI: module scripts and fetch() load over it; codeCache: V8 caches the bundle.
  // corsEnabled stays off on purpose: it would let other origins read app:// responses cross-origin (Electron
  // does not check Access-Control-Allow-Origin for registered schemes), and our own loads are same-origin.
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

export const INDEX_FILE = 'index.html';

type PathModule = Pick<typeof nodePath, 'join' | 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * The file on disk for an app:// URL, or null when the URL is not ours or would leave `rootDir`. The query
 * and fragment are ignored (the renderer reads them). `pathModule` is there so tests can check Windows rules.
 */
export function resolveAppFile(url: string, rootDir: string, appOrigin: string = APP_ORIGIN, pathModule: PathModule = nodePath): string | null {
  if (!isAppUrl(url, appOrigin)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    // After decoding: "%2e%2e", "..%2f" and "..%5c" arrive here as dots and separators.
    if (segment === '.' || segment === '..') return null;
    if (/[/\\\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0) segments.push(INDEX_FILE);

  const root = pathModule.resolve(rootDir);
  const file = pathModule.resolve(pathModule.join(root, ...segments));
  // Belt and braces: whatever the checks above missed, the answer must still lie under the root.
  const relative = pathModule.relative(root, file);
  if (relative === '' || relative === '..' || relative.startsWith('..' + pathModule.sep) || pathModule.isAbsolute(relative)) {
    return null;
  }
  return file;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  const dot = file.lastIndexOf('.');
  const ext = dot >= 0 ? file.slice(dot).toLowerCase() : '';
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

/**
 * Headers for every app:// response. nosniff matters because module scripts are refused unless their type
 * is JavaScript, and an unknown file must not be guessed into something executable.
 */
export function appResponseHeaders(file: string | null): Record<string, string> {
  return {
    'Content-Type': file === null ? 'text/plain; charset=utf-8' : contentTypeOf(file),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  };
}

/** Which of the app's three origins a request is for, and what it names there. */
export type AppRoute = { kind: 'desk'; file: string } | { kind: 'recovery' } | { kind: 'print'; url: string };

/**
 * app://desk/... is the built renderer (a file under rendererDir); app://recovery/ is the generated recovery
 * page; app://print/<token>.html is a sheet being printed. Anything else, including any other path on the
 * recovery origin, is not found.
 */
export function routeAppRequest(url: string, rendererDir: string, pathModule: PathModule = nodePath): AppRoute | null {
  if (isAppUrl(url, APP_ORIGIN)) {
    const file = resolveAppFile(url, rendererDir, APP_ORIGIN, pathModule);
    return file === null ? null : { kind: 'desk', file };
  }
  if (isAppUrl(url, RECOVERY_ORIGIN)) {
    const pathname = new URL(url).pathname;
    return pathname === '/' || pathname === `/${INDEX_FILE}` ? { kind: 'recovery' } : null;
  }
  if (isAppUrl(url, PRINT_ORIGIN)) return { kind: 'print', url };
  return null;
}

/** Headers for a generated page (recovery, a printed sheet), with that page's own policy. */
export function generatedPageHeaders(contentSecurityPolicy: string): Record<string, string> {
  return { ...appResponseHeaders('page.html'), 'Content-Security-Policy': contentSecurityPolicy, 'Cache-Control': 'no-store' };
}
