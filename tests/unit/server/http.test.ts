import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { openStream } from '../../support/sse';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, isAllowedHost, type RunningServer } from '../../../electron/server/server';
import { DeskEvent } from '../../../shared/api';
import { openTestDesk, tempDir } from '../../support/fixtures';

const running: Array<{ server: RunningServer; close(): void }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.server.close();
    r.close();
  }
});

async function serve() {
  const desk = openTestDesk();
  const staticDir = tempDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  const server = await startServer({ desk, staticDir, port: 0, user: 'http-user' });
  running.push({ server, close: () => desk.close() });
  desk.service.auth.addUser({ username: 'http-user', displayName: 'HTTP Receptionist', role: 'receptionist', secret: { kind: 'pin', value: '482913' } }, desk.context);
  const base = server.url.replace(/\/$/, '');
  const signIn = await fetch(`${base}/api/op/signIn`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'http-user', secret: '482913' }),
  });
  cookie = /sd_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
  return { desk, server, base };
}

/** The signed-in receptionist's session cookie, sent with every request unless a test says otherwise. */
let cookie = '';

function post(base: string, op: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/op/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, ...headers }, body });
}

/** The database's observable state: the day and the journal. Rejected requests must leave both as they were. */
function snapshot(desk: ReturnType<typeof openTestDesk>) {
  return JSON.stringify({ day: desk.service.getDay('2026-07-20', null), journal: desk.service.journal.list() });
}

describe('HTTP transport', () => {
  it('runs an operation and records the desk named in X-Standby-Desk', async () => {
    const { base, desk } = await serve();
    const res = await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'appt-1', status: 'arrived' }), { 'X-Standby-Desk': 'front-2' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, value: { id: 'appt-1', status: 'arrived' } });
    expect(desk.service.journal.list().at(-1)).toMatchObject({ user: 'http-user', desk: 'front-2' });
    expect(desk.service.audit.list({ kind: 'journal' }).at(-1)).toMatchObject({ user: 'http-user', desk: 'front-2' });
  });

  it('answers a malformed body with 400 naming the field, and changes nothing', async () => {
    const { base, desk } = await serve();
    const before = snapshot(desk);
    const res = await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'appt-1', status: 'beamed-up' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: false; error: { code: string; message: string; issues: Array<{ path: string }> } };
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.issues.map((i) => i.path)).toEqual(['status']);
    expect(body.error.message).toMatch(/^setAppointmentStatus: status: /);
    const notJson = await post(base, 'setAppointmentStatus', '{"appointmentId": "appt-1", "status": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_input', message: 'the body is not valid JSON' } });
    expect(snapshot(desk)).toBe(before);
  });

  it('answers an unknown operation or endpoint with 404', async () => {
    const { base } = await serve();
    const res = await post(base, 'dropAllTables', '{}');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
    expect((await fetch(`${base}/api/nothing/here`)).status).toBe(404);
    expect((await post(base, '__proto__', '{}')).status).toBe(404);
    expect((await post(base, 'constructor', '{}')).status).toBe(404);
  });

  it('refuses the wrong method, media type, size, origin and host', async () => {
    const { base, desk, server } = await serve();
    const before = snapshot(desk);
    expect((await fetch(`${base}/api/op/getDay`)).status).toBe(405);
    expect((await fetch(`${base}/api/op/getDay`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    const big = JSON.stringify({ query: 'x'.repeat(200_000) });
    expect((await post(base, 'searchPatients', big)).status).toBe(413);
    const cross = await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'appt-1', status: 'arrived' }), { Origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    const rebind = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/api/health', headers: { Host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
    });
    expect(rebind).toBe(403);
    expect(snapshot(desk)).toBe(before);
  });

  it('maps service errors to HTTP statuses: 409 conflict, 422 forbidden transition, 404 not found', async () => {
    const { base } = await serve();
    await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 }));
    expect((await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'appt-2', status: 'dna', expectedVersion: 0 }))).status).toBe(409);
    expect((await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'appt-4', status: 'arrived' }))).status).toBe(422);
    expect((await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'nope', status: 'arrived' }))).status).toBe(404);
  });

  it('pushes every change to every open event stream', async () => {
    const { base } = await serve();
    const streams = await Promise.all([openStream(`${base}/api/events`, cookie), openStream(`${base}/api/events`, cookie)]);
    await post(base, 'setAppointmentStatus', JSON.stringify({ appointmentId: 'appt-3', status: 'arrived' }), { 'X-Standby-Desk': 'desk-a' });
    for (const stream of streams) {
      const event = DeskEvent.parse(await stream.next());
      expect(event).toMatchObject({ kind: 'appointment.changed', desk: 'desk-a', appointment: { id: 'appt-3', status: 'arrived' } });
      stream.close();
    }
  });

  it('serves the renderer, with index.html for app routes and no escape from the folder', async () => {
    const { base } = await serve();
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await (await fetch(`${base}/display`)).text()).toContain('<title>desk</title>');
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const traversal = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: Number(new URL(base).port), path: '/..%2f..%2f..%2fetc%2fpasswd.txt' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
    });
    expect(traversal).toBe(404);
  });

  it('answers a request target no URL can be made of ("//") with 400, and keeps serving', async () => {
    const { base } = await serve();
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: Number(new URL(base).port), path: '//' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
    });
    expect(status).toBe(400);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it('accepts only loopback Host names on its own port', () => {
    expect(isAllowedHost('127.0.0.1:4780', 4780)).toBe(true);
    expect(isAllowedHost('localhost:4780', 4780)).toBe(true);
    expect(isAllowedHost('[::1]:4780', 4780)).toBe(true);
    expect(isAllowedHost('localhost:9999', 4780)).toBe(false);
    expect(isAllowedHost('localhost.evil.example:4780', 4780)).toBe(false);
    expect(isAllowedHost(undefined, 4780)).toBe(false);
  });
});

/** A minimal SSE reader: resolves with each event's data as parsed JSON. */
