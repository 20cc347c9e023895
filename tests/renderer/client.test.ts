import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserDeskId, createDeskClient, DeskClientError, httpTransport, ipcTransport, type ConnectionState } from '../../renderer/src/api/client';
import type { DeskEvent } from '../../shared/api';
import { standInBridge } from './doubles/bridge';
import { NodeEventSource } from './doubles/event-source';
import { changed, dayViewOf, rowOf } from './support/day';
import { TEST_DAY } from '../support/clock';

const day = dayViewOf();
const arrived = changed(rowOf(day, 'appt-1'), { status: 'arrived' });
const EVENT: DeskEvent = { kind: 'appointment.changed', seq: 7, appointment: arrived, user: 'test.reception', desk: 'other-desk' };

async function failure(promise: Promise<unknown>): Promise<DeskClientError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DeskClientError)) throw new Error(`expected a DeskClientError, got ${String(error)}`);
  return error;
}

describe('the IPC transport (a stand-in preload bridge)', () => {
  it('sends each operation to the bridge function of its name and parses the answer with the contract', async () => {
    const bridge = standInBridge({ getDay: async () => ({ ok: true, value: day }) });
    const client = createDeskClient(ipcTransport(bridge));
    expect(client.transport).toBe('ipc');
    expect(client.deskId).toBeNull();
    const answer = await client.send('getDay', { date: TEST_DAY });
    expect(answer.appointments).toHaveLength(day.appointments.length);
    expect(bridge.received).toEqual([['getDay', { date: TEST_DAY }]]);
  });

  it("turns the desk's refusal into a DeskClientError with its code and the current record", async () => {
    const bridge = standInBridge({ setAppointmentStatus: async () => ({ ok: false, error: { code: 'conflict', message: 'changed by another desk', current: arrived } }) });
    const error = await failure(createDeskClient(ipcTransport(bridge)).send('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }));
    expect(error).toMatchObject({ code: 'conflict', operation: 'setAppointmentStatus', message: 'changed by another desk', current: arrived });
  });

  it('says network when the bridge throws, and bad_response for an answer outside the contract', async () => {
    const bridge = standInBridge({
      getMirrorStatus: () => Promise.reject(new Error('utility process gone')),
      getDay: async () => ({ ok: true, value: { ...day, appointments: 'not a list' } }),
      getSession: async () => 'not a Result',
    });
    const client = createDeskClient(ipcTransport(bridge));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await failure(client.send('getMirrorStatus', {}))).toMatchObject({ code: 'network' });
    expect(await failure(client.send('getDay', { date: TEST_DAY }))).toMatchObject({ code: 'bad_response' });
    expect(await failure(client.send('getSession', {}))).toMatchObject({ code: 'bad_response' });
    vi.restoreAllMocks();
  });

  it('delivers events that match the contract, asks for a re-read after one that does not, and stops on unsubscribe', () => {
    const bridge = standInBridge({});
    const client = createDeskClient(ipcTransport(bridge));
    const events: DeskEvent[] = [];
    const states: Array<[ConnectionState, boolean]> = [];
    const stop = client.subscribe(
      (e) => events.push(e),
      (s, r) => states.push([s, r]),
    );
    bridge.emit(EVENT);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    bridge.emit({ kind: 'appointment.changed', seq: 'eight' });
    vi.restoreAllMocks();
    expect(events).toEqual([EVENT]);
    expect(states).toEqual([
      ['connecting', false],
      ['live', false],
      ['live', true],
    ]);
    stop();
    expect(bridge.listeners).toBe(0);
  });
});

describe('the HTTP transport (a real local server)', () => {
  const requests: Array<{ method: string; url: string; deskId: string | undefined; body: unknown }> = [];
  const streams = new Set<http.ServerResponse>();
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', deskId: req.headers['x-standby-desk'] as string | undefined, body: body ? JSON.parse(body) : null });
        const json = (status: number, value: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
        if (req.url?.startsWith('/api/events')) {
          res.writeHead(200, { 'Content-Type': 'text/event-stream' });
          res.write(`event: desk\ndata: ${JSON.stringify(EVENT)}\n\n`);
          streams.add(res);
          res.on('close', () => streams.delete(res));
          return;
        }
        switch (req.url) {
          case '/api/op/getDay':
            return json(200, { ok: true, value: day });
          case '/api/op/setAppointmentStatus':
            return json(409, { ok: false, error: { code: 'conflict', message: 'changed by another desk', current: arrived } });
          case '/api/op/getMirrorStatus':
            return res.writeHead(502, { 'Content-Type': 'text/html' }).end('<h1>Bad gateway</h1>');
          default:
            return json(404, { ok: false, error: { code: 'unknown_operation', message: 'no such operation' } });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    for (const s of streams) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (events?: 'desk' | 'display', at = baseUrl) =>
    createDeskClient(httpTransport({ deskId: 'browser-0000test', baseUrl: at, EventSource: NodeEventSource as unknown as typeof EventSource, ...(events ? { events } : {}) }));

  it('POSTs the input as JSON to /api/op/<name> with the desk id, and parses the answer', async () => {
    requests.length = 0;
    const answer = await client().send('getDay', { date: TEST_DAY });
    expect(answer.date).toBe(TEST_DAY);
    expect(requests).toEqual([{ method: 'POST', url: '/api/op/getDay', deskId: 'browser-0000test', body: { date: TEST_DAY } }]);
  });

  it("reads the desk's refusal from the body whatever the HTTP status, and a non-JSON answer as bad_response", async () => {
    const conflict = await failure(client().send('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }));
    expect(conflict).toMatchObject({ code: 'conflict', current: arrived });
    expect(await failure(client().send('getMirrorStatus', {}))).toMatchObject({ code: 'bad_response', httpStatus: 502 });
  });

  it('says network when nothing listens at the address', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = client('desk', `http://127.0.0.1:${port}/`);
    expect(await failure(unreachable.send('getDay', { date: TEST_DAY }))).toMatchObject({ code: 'network' });
  });

  it("listens on the desk's event stream (the display's for a display), live with a re-read once open", async () => {
    requests.length = 0;
    for (const kind of ['desk', 'display'] as const) {
      const states: Array<[ConnectionState, boolean]> = [];
      const received = new Promise<DeskEvent>((resolve) => {
        const stop = client(kind).subscribe(
          (e) => {
            stop();
            resolve(e);
          },
          (s, r) => states.push([s, r]),
        );
      });
      expect(await received).toEqual(EVENT);
      expect(states).toEqual([
        ['connecting', false],
        ['live', true],
      ]);
    }
    expect(requests.map((r) => r.url)).toEqual(['/api/events', '/api/events?view=display']);
    expect(NodeEventSource.opened.every((s) => s.readyState === NodeEventSource.CLOSED)).toBe(true);
  });
});

describe("a browser tab's desk id", () => {
  const storage = (held: string | null) => {
    const kept = new Map<string, string>(held === null ? [] : [['standbyDesk.deskId', held]]);
    return { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v), kept };
  };

  it('is kept across reloads, and a malformed one is replaced', () => {
    expect(browserDeskId(storage('browser-0a1b2c3d'))).toBe('browser-0a1b2c3d');
    const bad = storage('robert"); DROP TABLE');
    const id = browserDeskId(bad);
    expect(id).toMatch(/^browser-[0-9a-f]{8}$/);
    expect(bad.kept.get('standbyDesk.deskId')).toBe(id);
  });
});
