/**
 * Browser mode: the contract over HTTP, and change events over server-sent events, on localhost.
 *   POST /api/op/<name>   JSON input -> JSON Result (HTTP status from the error code). A caller whose
 *                         X-Standby-Desk is the waiting-room display's (DISPLAY_DESK_ID) may call only what the
 *                         operation's policy lets a display call (getDisplayBoard)
 *   GET  /api/events      text/event-stream of DeskEvent ("event: desk"); ?view=display sends only the
 *                         waiting-room display's pings (displayEventOf), never patient data
 *   GET  /api/health      liveness
 *   GET  /sheets/<sheet>.pdf|.html?date=...  a paper sheet (sheets.ts); signed-in sessions only, PDFs audited
 *   GET  /sheets/worklist|impact-report.pdf|.html|.csv   the merge-back sheets, to those who may read them
 *   GET  /*               the renderer (dist/renderer), index.html for app routes such as /display
 * Every input goes through the same dispatcher as IPC, so validation and the role table cannot differ between
 * transports.
 *
 * Sign-in: the session is an HttpOnly, SameSite=Strict cookie holding a random 256-bit token; the desk keeps
 * who it belongs to in memory (auth/auth.ts). Each successful sign-in gets a NEW token (the old one is
 * forgotten), so a token planted before sign-in is worthless. Without --allow-remote the server binds loopback
 * and refuses other Host names; with it, every request except signing in needs a signed-in session, and `serve`
 * speaks HTTPS (TLS 1.3) with the desk group's certificate (ServeOptions.tls), the cookie then Secure.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import {
  DeskError,
  DISPLAY_DESK_ID,
  displayEventOf,
  roomEventOf,
  HTTP_STATUS_OF,
  isOperationName,
  policyOf,
  type DeskErrorShape,
  type DeskEvent,
  type OperationName,
  type Result,
  roleMayCall,
  refusalMessage,
  type SessionInfo,
} from '../../shared/api';
import type { OpenDesk } from '../desk/open';
import type { RequestContext } from '../desk/dispatch';
import { roomSheetRefusal } from '../desk/auth/room-scope';
import { createSheetRoutes, sheetOperation } from './sheets';
import { mergeSheetCsv, mergeSheetDocument } from '../desk/merge/output';

export interface ServeOptions {
  desk: OpenDesk;
  staticDir: string;
  host?: string;
  port?: number;
  /** Named in the audit trail for requests made before anyone signs in (failed sign-ins carry the name tried). */
  user: string;
  /**
   * Serve other machines: any Host name is accepted, and even the waiting-room display needs a signed-in
   * session. `serve` allows it only with `tls` (the desk group's certificate): plain HTTP stays on loopback.
   */
  allowRemote?: boolean;
  /** Largest request body accepted; the contract's inputs are small. */
  maxBodyBytes?: number;
  /** The browser that prints /sheets/*.pdf (else found as `standby-desk print` finds it). */
  browserPath?: string;
  /**
   * How operations reach the desk. By default its own dispatcher; in a desk group the group link
   * (electron/desk/group/node.ts), which carries a member's operations to the coordinator and answers a change
   * once a second PC holds it.
   */
  dispatch?: (name: string, input: unknown, ctx: RequestContext) => Promise<Result<unknown>>;
  /**
   * Serve HTTPS (TLS 1.3 only) with this certificate and key instead of HTTP: how `serve --allow-remote` reaches
   * browsers on other PCs, with the desk group's certificate (plain HTTP never leaves loopback). The session
   * cookie is then Secure.
   */
  tls?: { cert: string; key: string };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DESK_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;
const OP_PATH_RE = /^\/api\/op\/([A-Za-z0-9_]{1,64})$/;
const DEFAULT_MAX_BODY = 64 * 1024;
export const SESSION_COOKIE = 'sd_session';
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
/** Operations that start a session: they get a fresh token, set as the cookie when they succeed. */
const STARTS_SESSION = new Set(['signIn', 'setUpFirstManager', 'completeSetup']);
/** First-run set-up: from the desk PC itself, and the public checks only while no account exists (setup.ts). */
const FIRST_RUN_ONLY = new Set(['setUpFirstManager', 'completeSetup', 'joinGroupInSetup']);
const SETUP_CHECKS = new Set(['checkFolder', 'testFhirConnection', 'getFhirConnectionTest', 'getGroupSetup']);
const SSE_KEEPALIVE_MS = 15_000;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const { desk } = options;
  const call = options.dispatch ?? ((name: string, input: unknown, ctx: RequestContext) => Promise.resolve(desk.dispatch(name, input, ctx)));
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  /** Signed-in views, each with the clinician whose list it may see (null: the whole day, reception and managers). */
  const clients = new Map<http.ServerResponse, string | null>();
  /** Waiting-room displays: sent only displayEventOf(event), a ping without patient data. */
  const displays = new Set<http.ServerResponse>();
  const frameOf = (event: DeskEvent) => `event: desk\nid: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;

  const unsubscribe = desk.onEvent((event: DeskEvent) => {
    const frame = frameOf(event);
    for (const [res, clinicianId] of clients) {
      if (clinicianId === null) res.write(frame);
      else {
        const own = roomEventOf(event, clinicianId);
        if (own !== null) res.write(own === event ? frame : frameOf(own));
      }
    }
    const ping = displayEventOf(event);
    if (ping !== null) {
      const displayFrame = frameOf(ping);
      for (const res of displays) res.write(displayFrame);
    }
  });
  const sheets = createSheetRoutes({
    // The sandbox's day during an outage drill (every page then says DRILL), the real one otherwise.
    reader: { getDay: (date, clinicianId) => desk.serving().getDay(date, clinicianId) },
    merge: { document: (kind, printedAt, options) => mergeSheetDocument(desk.serving(), kind, printedAt, options), csv: (kind) => mergeSheetCsv(desk.serving(), kind) },
    ...(options.browserPath ? { browserPath: options.browserPath } : {}),
  });
  const keepalive = setInterval(() => {
    for (const res of [...clients.keys(), ...displays]) res.write(': keepalive\n\n');
  }, SSE_KEEPALIVE_MS);
  keepalive.unref();

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      // "//" and the like: no URL can be made of them, and a throw here would end the process.
      sendError(res, { code: 'invalid_input', message: 'not a request target this desk understands' });
      return;
    }
    const boundPort = (server.address() as AddressInfo | null)?.port ?? 0;
    if (!options.allowRemote && !isAllowedHost(req.headers.host, boundPort)) {
      // A page on another site can point a DNS name at 127.0.0.1 (DNS rebinding); only our own names are served.
      sendError(res, { code: 'forbidden', message: 'unexpected Host header' });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      handleApi(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname.startsWith('/sheets/')) {
      void handleSheet(req, res, url);
      return;
    }
    serveStatic(options.staticDir, url.pathname, res);
  };
  const server: http.Server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }, handler)
    : http.createServer(handler);
  const secure = options.tls !== undefined;

  /** clinicianId: the list a clinician's session may follow; null for the whole day; undefined for a display. */
  function openEvents(req: http.IncomingMessage, res: http.ServerResponse, clinicianId: string | null | undefined): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write(`: connected\nretry: 1000\n\n`);
    if (clinicianId === undefined) {
      displays.add(res);
      req.on('close', () => displays.delete(res));
    } else {
      clients.set(res, clinicianId);
      req.on('close', () => clients.delete(res));
    }
  }

  function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    if (url.pathname === '/api/health' && req.method === 'GET') {
      sendJson(res, 200, { ok: true, value: { status: 'up' } });
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      const wantsDisplay = url.searchParams.get('view') === 'display';
      void (async () => {
        let clinicianId: string | null = null;
        if (!wantsDisplay || options.allowRemote) {
          // The full feed carries patient data; the display's pings are public only on this PC.
          const checked = await checkedSession(req);
          if ('code' in checked) {
            sendError(res, checked);
            return;
          }
          clinicianId = checked.role === 'clinician' ? (checked.clinicianId ?? '') : null;
        }
        openEvents(req, res, wantsDisplay ? undefined : clinicianId);
      })();
      return;
    }
    const match = OP_PATH_RE.exec(url.pathname);
    if (!match) {
      sendError(res, { code: 'unknown_operation', message: `no such endpoint: ${url.pathname.slice(0, 100)}` });
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, { ok: false, error: { code: 'invalid_input', message: 'operations are called with POST' } });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, req.headers.host)) {
      // A browser sends Origin on cross-site POSTs: another web page must not drive the desk.
      sendError(res, { code: 'forbidden', message: 'cross-origin requests are refused' });
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      sendError(res, { code: 'unsupported_media_type', message: 'send the input as Content-Type: application/json' });
      req.resume();
      return;
    }
    readBody(req, maxBody).then(
      async (body) => {
        let input: unknown;
        try {
          input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
        } catch {
          sendError(res, { code: 'invalid_input', message: 'the body is not valid JSON', issues: [{ path: '(body)', message: 'not valid JSON' }] });
          return;
        }
        const deskHeader = req.headers['x-standby-desk'];
        const deskId = typeof deskHeader === 'string' && DESK_ID_RE.test(deskHeader) ? deskHeader : 'browser';
        const name = match[1] ?? '';
        const policy = isOperationName(name) ? policyOf(name) : null;
        if (deskId === DISPLAY_DESK_ID && policy?.display !== true) {
          // The waiting-room display, on a public screen: only what the contract's policy lets a display call.
          sendError(res, { code: 'forbidden', message: `${name.slice(0, 64)} is not allowed from the waiting-room display` });
          return;
        }
        const current = sessionTokenOf(req);
        if (options.allowRemote && policy?.display === true) {
          // Public on the desk PC only: a display on another machine signs in like anyone else.
          const checked = await checkedSession(req);
          if ('code' in checked) {
            sendError(res, checked);
            return;
          }
        }
        const setUpFromAfar = FIRST_RUN_ONLY.has(name) || (SETUP_CHECKS.has(name) && desk.service.auth.accountCount() === 0);
        if (setUpFromAfar && options.allowRemote && !isLoopbackAddress(req.socket.remoteAddress)) {
          sendError(res, { code: 'forbidden', message: 'the first practice manager is created on the desk PC itself' });
          return;
        }
        if (STARTS_SESSION.has(name)) {
          const fresh = newToken();
          const ctx = { user: options.user, desk: deskId, sessionId: fresh, ...(current === null ? {} : { replacesSession: current }) };
          const result = await call(name, input, ctx);
          if (result.ok) res.setHeader('Set-Cookie', sessionCookie(fresh, secure));
          sendResult(res, result);
          return;
        }
        // No cookie: a throwaway id the desk has never seen, so only public operations can succeed.
        const result = await call(name, input, { user: options.user, desk: deskId, sessionId: current ?? newToken() });
        if (name === 'signOut' && result.ok) {
          res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0${secure ? '; Secure' : ''}`);
        }
        sendResult(res, result);
      },
      (error: unknown) => {
        if (error instanceof BodyTooLargeError) {
          sendError(res, { code: 'payload_too_large', message: `the body is larger than ${maxBody} bytes` });
          // Stop reading the rest; the connection is not reusable after an unread body.
          res.on('finish', () => req.destroy());
        } else if (!res.headersSent) {
          sendError(res, { code: 'invalid_input', message: 'the request body could not be read' });
        }
      },
    );
  }

  async function handleSheet(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    // The merge-back sheets need the right to read what they print (the impact report is the manager's).
    const checked = await checkedSession(req, sheetOperation(url.pathname));
    const refusal = 'code' in checked ? checked : roomSheetRefusal(url, checked); // a clinician: their own list only
    const token = sessionTokenOf(req);
    if (refusal || token === null) {
      const why = refusal?.message ?? 'sign in first';
      res.writeHead(HTTP_STATUS_OF[refusal?.code ?? 'unauthenticated'], { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Sign in to the desk, then open the sheet again (${why}).\n`);
      return;
    }
    const deskParam = url.searchParams.get('desk') ?? '';
    const deskId = DESK_ID_RE.test(deskParam) ? deskParam : 'browser';
    const audit = async (sheet: string, date: string | null, pages: number) => {
      const result = await call('recordPrint', { what: 'sheet', sheet, ...(date === null ? {} : { date }), pages }, { user: options.user, desk: deskId, sessionId: token });
      if (!result.ok) throw new DeskError(result.error.code, result.error.message);
    };
    sheets.handle(res, url, audit).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The sheet could not be printed: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }

  /**
   * The request's session when it is signed in, unlocked and may call `op`; otherwise why not. Asked through the
   * same way in as the operations (in a desk group the session may be the coordinator's to answer).
   */
  async function checkedSession(req: http.IncomingMessage, op: OperationName = 'getDay'): Promise<DeskErrorShape | SessionInfo> {
    const token = sessionTokenOf(req);
    if (token === null) return { code: 'unauthenticated', message: 'sign in first' };
    const session = await call('getSession', {}, { user: options.user, desk: 'browser', sessionId: token });
    if (!session.ok) return session.error;
    const info = session.value as SessionInfo;
    if (!info.signedIn || info.role === null) return { code: 'unauthenticated', message: 'sign in first' };
    if (info.locked) return { code: 'unauthenticated', message: 'the desk is locked: sign in again to carry on' };
    if (!roleMayCall(info.role, policyOf(op))) return { code: 'forbidden', message: refusalMessage(info.role, op) };
    return info;
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4780, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `${secure ? 'https' : 'http'}://${host}:${address.port}/`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            clearInterval(keepalive);
            for (const res of [...clients.keys(), ...displays]) res.end();
            clients.clear();
            displays.clear();
            const closing = new Promise<void>((closed) => server.close(() => closed()));
            void Promise.all([closing, sheets.close()]).then(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

class BodyTooLargeError extends Error {}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sessionCookie(token: string, secure: boolean): string {
  // No Max-Age: a browser session cookie, gone when the browser closes; the desk forgets it on restart too.
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;
}

/** The session token from the Cookie header, or null when there is none that could be ours. */
export function sessionTokenOf(req: Pick<http.IncomingMessage, 'headers'>): string | null {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN_RE.test(value) ? value : null;
  }
  return null;
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendResult(res: http.ServerResponse, result: Result<unknown>): void {
  sendJson(res, result.ok ? 200 : HTTP_STATUS_OF[result.error.code], result);
}

function sendError(res: http.ServerResponse, error: DeskErrorShape): void {
  sendResult(res, { ok: false, error });
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader.toLowerCase());
  if (!match) return false;
  const [, name = '', portText] = match;
  if (portText !== undefined && Number(portText) !== port) return false;
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name);
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    const o = new URL(origin);
    return o.protocol === 'http:' && o.host === (host ?? '').toLowerCase();
  } catch {
    return false;
  }
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const rootResolved = path.resolve(root);
  const wantsFile = path.extname(decoded) !== '';
  const target = wantsFile ? path.resolve(rootResolved, '.' + path.posix.normalize(decoded)) : path.join(rootResolved, 'index.html');
  if (target !== rootResolved && !target.startsWith(rootResolved + path.sep)) {
    res.writeHead(404).end();
    return;
  }
  fs.readFile(target, (error, data) => {
    if (error) {
      if (!wantsFile) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The desk screen has not been built. Run: npm run build:renderer\n');
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const type = CONTENT_TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream';
    // Built assets carry a content hash in their names; index.html must always be re-read.
    const cache = decoded.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.length, 'Cache-Control': cache });
    res.end(data);
  });
}
