/**
 * Browser mode: the contract over HTTP, and change events over server-sent events, on localhost.
 *   POST /api/op/<name>   JSON input -> JSON Result (HTTP status from the error code)
 *   GET  /api/events      text/event-stream of DeskEvent ("event: desk"); ?view=display sends only the
 *                         waiting-room display's pings (displayEventOf), never patient data
 *   GET  /api/health      liveness
 *   GET  /*               the renderer (dist/renderer), index.html for app routes such as /display
 * Every input goes through the same dispatcher as IPC, so validation cannot differ between transports.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { displayEventOf, HTTP_STATUS_OF, type DeskErrorShape, type DeskEvent, type Result } from '../../shared/api';
import type { OpenDesk } from '../desk/open';

export interface ServeOptions {
  desk: OpenDesk;
  staticDir: string;
  host?: string;
  port?: number;
  /** Who is acting, until sign-in exists; recorded in the journal with every change. */
  user: string;
  /** Largest request body accepted; the contract's inputs are small. */
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const DESK_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;
const OP_PATH_RE = /^\/api\/op\/([A-Za-z0-9_]{1,64})$/;
const DEFAULT_MAX_BODY = 64 * 1024;
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
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const clients = new Set<http.ServerResponse>();
  /** Waiting-room displays: sent only displayEventOf(event), a ping without patient data. */
  const displays = new Set<http.ServerResponse>();
  const frameOf = (event: DeskEvent) => `event: desk\nid: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;

  const unsubscribe = desk.onEvent((event: DeskEvent) => {
    const frame = frameOf(event);
    for (const res of clients) res.write(frame);
    const ping = displayEventOf(event);
    if (ping !== null) {
      const displayFrame = frameOf(ping);
      for (const res of displays) res.write(displayFrame);
    }
  });
  const keepalive = setInterval(() => {
    for (const res of [...clients, ...displays]) res.write(': keepalive\n\n');
  }, SSE_KEEPALIVE_MS);
  keepalive.unref();

  const server = http.createServer((req, res) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const boundPort = (server.address() as AddressInfo | null)?.port ?? 0;
    if (!isAllowedHost(req.headers.host, boundPort)) {
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
    serveStatic(options.staticDir, url.pathname, res);
  });

  function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    if (url.pathname === '/api/health' && req.method === 'GET') {
      sendJson(res, 200, { ok: true, value: { status: 'up' } });
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.write(`: connected\nretry: 1000\n\n`);
      const audience = url.searchParams.get('view') === 'display' ? displays : clients;
      audience.add(res);
      req.on('close', () => audience.delete(res));
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
      (body) => {
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
        sendResult(res, desk.dispatch(name, input, { user: options.user, desk: deskId }));
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

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4780, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}/`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            clearInterval(keepalive);
            for (const res of [...clients, ...displays]) res.end();
            clients.clear();
            displays.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

class BodyTooLargeError extends Error {}

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
