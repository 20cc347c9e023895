/**
 * The role table over both transports: a receptionist is refused a manager's operation over HTTP (real server,
 * session cookie) and over IPC (the real handler logic with a fake event, as in tests/unit/electron/ipc.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenDesk } from '../../../electron/desk/open';
import { createIpcHandler } from '../../../electron/main/ipc';
import { isTrustedSender } from '../../../electron/main/security';
import { WindowSessions } from '../../../electron/main/window-sessions';
import { startServer, type RunningServer } from '../../../electron/server/server';
import { DISPLAY_DESK_ID, OPERATION_NAMES, type Result } from '../../../shared/api';
import { tempDir } from '../../support/fixtures';
import { deskWithAccounts, MANAGER, RECEPTIONIST } from './support';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function desk(): OpenDesk {
  const { desk } = deskWithAccounts();
  cleanup.push(() => desk.close());
  return desk;
}

async function serve(options: { allowRemote?: boolean } = {}) {
  const d = desk();
  const staticDir = tempDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
  const server: RunningServer = await startServer({ desk: d, staticDir, port: 0, user: 'anonymous', ...options });
  cleanup.push(() => server.close());
  const base = server.url.replace(/\/$/, '');
  const post = (op: string, body: unknown, cookie = '', deskId?: string) =>
    fetch(`${base}/api/op/${op}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, ...(deskId === undefined ? {} : { 'X-Standby-Desk': deskId }) },
      body: JSON.stringify(body),
    });
  const signIn = async (username: string, secret: string, cookie = '') => {
    const res = await post('signIn', { username, secret }, cookie);
    return { res, cookie: /sd_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '' };
  };
  return { desk: d, base, post, signIn };
}

describe('over HTTP', () => {
  it('answers 401 before sign-in, 403 to a receptionist calling a manager operation, 200 to a manager', async () => {
    const { post, signIn, desk: d } = await serve();
    expect((await post('getDay', { date: '2026-07-20' })).status).toBe(401);
    expect((await post('listUsers', {})).status).toBe(401);
    const r = await signIn(RECEPTIONIST.username, RECEPTIONIST.pin);
    expect(r.res.status).toBe(200);
    expect(r.res.headers.get('set-cookie')).toMatch(/^sd_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect((await post('getDay', { date: '2026-07-20' }, r.cookie)).status).toBe(200);
    const refused = await post('addUser', { username: 'sneaky', displayName: 'S', role: 'manager', secret: { kind: 'pin', value: '111111' } }, r.cookie);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(d.service.auth.listUsers().map((u) => u.username)).not.toContain('sneaky');
    expect((await post('getAudit', {}, r.cookie)).status).toBe(403);
    const m = await signIn(MANAGER.username, MANAGER.secret);
    expect((await post('getAudit', {}, m.cookie)).status).toBe(200);
  });

  it('gives a new token at each sign-in and forgets the old one; sign-out clears the cookie', async () => {
    const { post, signIn } = await serve();
    const first = await signIn(RECEPTIONIST.username, RECEPTIONIST.pin);
    const second = await signIn(MANAGER.username, MANAGER.secret, first.cookie);
    expect(second.cookie).not.toBe(first.cookie);
    expect((await post('getDay', { date: '2026-07-20' }, first.cookie)).status).toBe(401);
    const out = await post('signOut', {}, second.cookie);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await post('getDay', { date: '2026-07-20' }, second.cookie)).status).toBe(401);
  });

  it('a wrong password is 401 and a locked-out name is 429', async () => {
    const { signIn } = await serve();
    expect((await signIn(RECEPTIONIST.username, '000000')).res.status).toBe(401);
    for (let i = 0; i < 4; i++) await signIn(RECEPTIONIST.username, '000000');
    expect((await signIn(RECEPTIONIST.username, RECEPTIONIST.pin)).res.status).toBe(429);
  });

  it('streams events only to a signed-in session; with --allow-remote even the display needs one', async () => {
    const local = await serve();
    expect((await fetch(`${local.base}/api/events`)).status).toBe(401);
    const display = await fetch(`${local.base}/api/events?view=display`);
    expect(display.status).toBe(200);
    await display.body?.cancel();
    expect((await local.post('getDisplayBoard', {})).status).toBe(200);

    const remote = await serve({ allowRemote: true });
    expect((await fetch(`${remote.base}/api/events?view=display`)).status).toBe(401);
    expect((await remote.post('getDisplayBoard', {})).status).toBe(401);
    const r = await remote.signIn(RECEPTIONIST.username, RECEPTIONIST.pin);
    expect((await remote.post('getDisplayBoard', {}, r.cookie)).status).toBe(200);
  });
});

describe('over IPC', () => {
  interface FakeEvent {
    senderFrame: { url: string; parent: unknown } | null;
    sender: { id: number };
  }
  const windowEvent = (id: number): FakeEvent => ({ senderFrame: { url: 'app://desk/index.html', parent: null }, sender: { id } });

  it('refuses a receptionist a manager operation, signed in through their own window', async () => {
    const d = desk();
    const sessions = new WindowSessions('FRONT-DESK-PC');
    const handle = createIpcHandler<FakeEvent>(d.dispatch, {
      isTrusted: (event) => isTrustedSender(event.senderFrame),
      contextOf: (event) => sessions.contextOf(event.sender.id),
    });
    const reception = windowEvent(1);
    const office = windowEvent(2);
    expect(await handle(reception, 'getDay', { date: '2026-07-20' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await handle(reception, 'signIn', { username: RECEPTIONIST.username, secret: RECEPTIONIST.pin })).toMatchObject({ ok: true });
    expect(await handle(reception, 'getDay', { date: '2026-07-20' })).toMatchObject({ ok: true });
    const refused = await handle(reception, 'addUser', { username: 'sneaky', displayName: 'S', role: 'manager', secret: { kind: 'pin', value: '111111' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handle(reception, 'exportAudit', { format: 'csv' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Another window is another session: the receptionist's sign-in does not carry over, nor the manager's back.
    expect(await handle(office, 'listUsers', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await handle(office, 'signIn', { username: MANAGER.username, secret: MANAGER.secret })).toMatchObject({ ok: true });
    expect(await handle(office, 'listUsers', {})).toMatchObject({ ok: true });
    expect(await handle(reception, 'listUsers', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // A reloaded window starts signed out.
    sessions.forget(1);
    expect(await handle(reception, 'getDay', { date: '2026-07-20' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(d.service.auth.listUsers().map((u) => u.username)).not.toContain('sneaky');
  });
});

/**
 * The waiting-room display is on a public screen: of the whole contract it may call getDisplayBoard and nothing
 * else (each operation's policy.display), whoever is signed in on that PC. Before the policy was enforced it could
 * call any read, getDay and the manager's lists included.
 */
describe('the waiting-room display, calling every operation', () => {
  const refusalFor = (name: string) => ({ code: 'forbidden', message: `${name} is not allowed from the waiting-room display` });

  it('over HTTP, is answered getDisplayBoard only, even with a manager signed in in the same browser', async () => {
    const { post, signIn, desk: d } = await serve();
    const m = await signIn(MANAGER.username, MANAGER.secret);
    const journal = () => d.dispatch('getJournal', { limit: 1000 }, { user: 'test', desk: 'test' });
    const journalBefore = journal();
    const answered: string[] = [];
    for (const name of OPERATION_NAMES) {
      const res = await post(name, {}, m.cookie, DISPLAY_DESK_ID);
      const body = (await res.json()) as Result<unknown>;
      if (body.ok) answered.push(name);
      else expect({ status: res.status, error: body.error }).toEqual({ status: 403, error: refusalFor(name) });
    }
    expect(answered).toEqual(['getDisplayBoard']);
    expect(journal()).toEqual(journalBefore);
    // The same manager's own desk tab is still answered.
    expect((await post('getDay', { date: '2026-07-20' }, m.cookie, 'browser-0a0b0c0d')).status).toBe(200);
  });

  it('over IPC, is answered getDisplayBoard only, by the real desk behind the handler', async () => {
    const d = desk();
    const sessions = new WindowSessions('FRONT-DESK-PC');
    const displayWindowId = 7;
    const handle = createIpcHandler<{ senderFrame: { url: string; parent: unknown }; sender: { id: number } }>(d.dispatch, {
      isTrusted: (event) => isTrustedSender(event.senderFrame),
      contextOf: (event) => sessions.contextOf(event.sender.id),
      isDisplay: (event) => event.sender.id === displayWindowId,
    });
    const displayWindow = { senderFrame: { url: 'app://desk/index.html?view=waiting-room', parent: null }, sender: { id: displayWindowId } };
    const answered: string[] = [];
    for (const name of OPERATION_NAMES) {
      const result = await handle(displayWindow, name, {});
      if (result.ok) answered.push(name);
      else expect(result.error).toEqual(refusalFor(name));
    }
    expect(answered).toEqual(['getDisplayBoard']);
  });
});
