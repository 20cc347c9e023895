import { describe, expect, it, vi } from 'vitest';
import { createDispatch, type Dispatch, type Handlers, type RequestContext } from '../../../electron/desk/dispatch';
import { createIpcHandler, registerOperationHandlers, routeByPolicy, UNTRUSTED_SENDER_MESSAGE } from '../../../electron/main/ipc';
import { EVENT_CHANNEL, operationChannel } from '../../../electron/main/ipc-channels';
import { isTrustedSender } from '../../../electron/main/security';
import { OPERATION_NAMES, type Result } from '../../../shared/api';

/** The parts of IpcMainInvokeEvent the shell reads. */
interface FakeEvent {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { id: number };
}

const trustedEvent = (id = 1): FakeEvent => ({ senderFrame: { url: 'app://desk/index.html', parent: null }, sender: { id } });
const CTX: RequestContext = { user: 'reception1', desk: 'FRONT-DESK-PC' };
const OK: Result<unknown> = { ok: true, value: 'dispatched' };

function fakeIpcMain() {
  const channels = new Map<string, (event: FakeEvent, ...args: unknown[]) => unknown>();
  return {
    channels,
    handle(channel: string, listener: (event: FakeEvent, ...args: unknown[]) => unknown) {
      if (channels.has(channel)) throw new Error(`second handler for ${channel}`);
      channels.set(channel, listener);
    },
  };
}

function setup(options: { displayIds?: number[]; dispatchResult?: Result<unknown> } = {}) {
  const dispatch = vi.fn<Dispatch>(() => options.dispatchResult ?? OK);
  const contextOf = vi.fn((_event: FakeEvent) => CTX);
  const displays = new Set(options.displayIds ?? []);
  const handle = createIpcHandler<FakeEvent>(dispatch, {
    isTrusted: (event) => isTrustedSender(event.senderFrame),
    contextOf,
    isDisplay: (event) => displays.has(event.sender.id),
  });
  return { dispatch, contextOf, handle };
}

describe('createIpcHandler', () => {
  it.each<[string, FakeEvent['senderFrame']]>([
    ['a destroyed frame', null],
    ['a subframe of our page', { url: 'app://desk/index.html', parent: { url: 'app://desk/index.html', parent: null } }],
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a lookalike host', { url: 'app://desk.evil/index.html', parent: null }],
    ['a file page', { url: 'file:///C:/Users/x/Downloads/evil.html', parent: null }],
    ['a data page', { url: 'data:text/html,<script>1</script>', parent: null }],
    ['about:blank', { url: 'about:blank', parent: null }],
  ])('refuses %s and dispatches nothing', (_what, senderFrame) => {
    const { dispatch, contextOf, handle } = setup();
    const result = handle({ senderFrame, sender: { id: 1 } }, 'setAppointmentStatus', { appointmentId: 'a1', status: 'arrived' });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: UNTRUSTED_SENDER_MESSAGE } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(contextOf).not.toHaveBeenCalled();
  });

  it('refuses when the trust check itself throws (a frame torn down mid-call)', () => {
    const dispatch = vi.fn<Dispatch>(() => OK);
    const handle = createIpcHandler<FakeEvent>(dispatch, {
      isTrusted: () => {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      contextOf: () => CTX,
    });
    expect(handle(trustedEvent(), 'getDay', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('dispatches a trusted call with the context main decides, not one from the message', () => {
    const { dispatch, contextOf, handle } = setup();
    const event = trustedEvent();
    const input = { date: '2025-01-06', user: 'someone-else', desk: 'spoofed' };
    expect(handle(event, 'getDay', input)).toBe(OK);
    expect(contextOf).toHaveBeenCalledWith(event);
    expect(dispatch).toHaveBeenCalledOnce();
    expect(dispatch).toHaveBeenCalledWith('getDay', input, CTX);
  });

  it('passes the input through untouched, for dispatch to validate', async () => {
    const { dispatch, handle } = setup();
    const hostile = JSON.parse('{"date":"not-a-date","__proto__":{"polluted":true},"extra":[1,2,3]}') as unknown;
    const snapshot = JSON.stringify(hostile);
    await handle(trustedEvent(), 'getDay', hostile);
    expect(dispatch.mock.calls[0]?.[1]).toBe(hostile);
    expect(JSON.stringify(hostile)).toBe(snapshot);
    for (const raw of [undefined, null, 42, 'text', [1, 2]]) {
      await handle(trustedEvent(), 'getDay', raw);
      expect(dispatch.mock.lastCall?.[1]).toBe(raw);
    }
  });

  it("returns dispatch's answer as it is, failures included", () => {
    const failure: Result<unknown> = { ok: false, error: { code: 'conflict', message: 'another desk changed it first' } };
    const { handle } = setup({ dispatchResult: failure });
    expect(handle(trustedEvent(), 'setAppointmentStatus', {})).toBe(failure);
  });

  it('answers the waiting-room window getDisplayBoard and nothing else, of every operation in the contract', async () => {
    const { dispatch, handle } = setup({ displayIds: [2] });
    const ipcMain = fakeIpcMain();
    registerOperationHandlers(ipcMain, handle);
    const answered: string[] = [];
    for (const name of OPERATION_NAMES) {
      const result = (await ipcMain.channels.get(operationChannel(name))?.(trustedEvent(2), {})) as Result<unknown>;
      if (result.ok) answered.push(name);
      else expect(result.error).toEqual({ code: 'forbidden', message: `${name} is not allowed from the waiting-room display` });
    }
    expect(answered).toEqual(['getDisplayBoard']);
    expect(dispatch.mock.calls.map(([name]) => name)).toEqual(['getDisplayBoard']);
    // getDay was a read the display could make before the policy was enforced; the desk's own window still can.
    expect(await handle(trustedEvent(1), 'getDay', { date: '2026-07-20' })).toBe(OK);
  });

  it('treats a display check that throws as the display', () => {
    const dispatch = vi.fn<Dispatch>(() => OK);
    const handle = createIpcHandler<FakeEvent>(dispatch, {
      isTrusted: () => true,
      contextOf: () => CTX,
      isDisplay: () => {
        throw new Error('gone');
      },
    });
    expect(handle(trustedEvent(), 'getDay', { date: '2026-07-20' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handle(trustedEvent(), 'getDisplayBoard', {})).toBe(OK);
    expect(dispatch).toHaveBeenCalledOnce();
  });

  it('reports an internal error, and dispatches nothing, when the context cannot be made', () => {
    const dispatch = vi.fn<Dispatch>(() => OK);
    const handle = createIpcHandler<FakeEvent>(dispatch, {
      isTrusted: () => true,
      contextOf: () => {
        throw new Error('no user');
      },
    });
    expect(handle(trustedEvent(), 'getDay', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('with the real dispatcher: an untrusted sender reaches no handler; bad input is named', () => {
    const getMirrorStatus = vi.fn(() => ({ invented: true }));
    const getDay = vi.fn();
    const dispatch = createDispatch({ getMirrorStatus, getDay } as unknown as Handlers);
    const handle = createIpcHandler<FakeEvent>(dispatch, { isTrusted: (e) => isTrustedSender(e.senderFrame), contextOf: () => CTX });

    const evil: FakeEvent = { senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 1 } };
    expect(handle(evil, 'getMirrorStatus', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(getMirrorStatus).not.toHaveBeenCalled();

    expect(handle(trustedEvent(), 'getMirrorStatus', {})).toEqual({ ok: true, value: { invented: true } });
    expect(getMirrorStatus).toHaveBeenCalledWith({}, CTX);

    const bad = handle(trustedEvent(), 'getDay', { date: '6 January' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(getDay).not.toHaveBeenCalled();
  });
});

describe('registerOperationHandlers', () => {
  it('registers desk:op:<name> once for every operation in the contract, and nothing else', () => {
    const ipcMain = fakeIpcMain();
    const registered = registerOperationHandlers(ipcMain, () => OK);
    const expected = OPERATION_NAMES.map((n) => `desk:op:${n}`);
    expect(registered).toEqual(expected);
    expect([...ipcMain.channels.keys()]).toEqual(expected);
    expect(OPERATION_NAMES.length).toBeGreaterThan(0);
  });

  it('binds each channel to its operation: the page cannot choose the name, and only the first argument counts', () => {
    const ipcMain = fakeIpcMain();
    const handler = vi.fn((_event: FakeEvent, _name: string, _input: unknown) => OK);
    registerOperationHandlers(ipcMain, handler);
    const event = trustedEvent();
    for (const name of OPERATION_NAMES) {
      const listener = ipcMain.channels.get(operationChannel(name));
      expect(listener?.(event, { some: 'input' }, 'getJournal', { more: true })).toBe(OK);
      expect(handler).toHaveBeenLastCalledWith(event, name, { some: 'input' });
    }
    expect(handler).toHaveBeenCalledTimes(OPERATION_NAMES.length);
  });

  it('keeps events on their own channel, apart from the operations', () => {
    expect(OPERATION_NAMES.map(operationChannel)).not.toContain(EVENT_CHANNEL);
  });
});

/**
 * The preload (the page's side) against registerOperationHandlers (main's side), joined by a fake ipcRenderer
 * that delivers to what main registered, as Electron does: a channel the two spell differently is a call that
 * reaches nothing.
 */
describe('the preload with main', () => {
  type Listener = (event: unknown, ...args: unknown[]) => void;

  async function loadPreload(channels: Map<string, (event: FakeEvent, ...args: unknown[]) => unknown>) {
    const exposed = new Map<string, unknown>();
    const listeners = new Map<string, Set<Listener>>();
    vi.resetModules();
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) => {
          const listener = channels.get(channel);
          return listener ? Promise.resolve(listener(trustedEvent(), ...args)) : Promise.reject(new Error(`No handler registered for '${channel}'`));
        },
        on: (channel: string, fn: Listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(fn)),
        removeListener: (channel: string, fn: Listener) => listeners.get(channel)?.delete(fn),
      },
    }));
    try {
      await import('../../../electron/preload/preload');
    } finally {
      vi.doUnmock('electron');
    }
    /** What main does to tell the page of a change: send on its event channel. */
    const send = (channel: string, payload: unknown) => {
      for (const fn of listeners.get(channel) ?? []) fn({ sender: 'ipcRenderer itself' }, payload);
    };
    return { bridge: exposed.get('standbyDesk') as Record<string, (arg: unknown) => unknown>, exposedKeys: [...exposed.keys()], send };
  }

  it("gives the page one function per operation, each reaching main's handler for that operation with its input", async () => {
    const channels = new Map<string, (event: FakeEvent, ...args: unknown[]) => unknown>();
    const handler = vi.fn((_event: FakeEvent, name: string, _input: unknown): Result<unknown> => ({ ok: true, value: name }));
    registerOperationHandlers({ handle: (channel, listener) => channels.set(channel, listener) }, handler);
    const { bridge, exposedKeys } = await loadPreload(channels);
    expect(exposedKeys).toEqual(['standbyDesk']);
    expect(Object.keys(bridge).sort()).toEqual([...OPERATION_NAMES, 'onEvent'].sort());
    for (const name of OPERATION_NAMES) {
      await expect(bridge[name]?.({ asked: name })).resolves.toEqual({ ok: true, value: name });
      expect(handler).toHaveBeenLastCalledWith(expect.anything(), name, { asked: name });
    }
    expect(handler).toHaveBeenCalledTimes(OPERATION_NAMES.length);
  });

  it('hands the page what main sends on its event channel, the payload alone, until the page stops listening', async () => {
    const { bridge, send } = await loadPreload(new Map());
    const heard: unknown[] = [];
    const stop = bridge['onEvent']?.((event: unknown) => heard.push(event)) as () => void;
    send(EVENT_CHANNEL, { kind: 'first' });
    send(operationChannel('getDay'), { kind: 'not an event' });
    stop();
    send(EVENT_CHANNEL, { kind: 'after stopping' });
    expect(heard).toEqual([{ kind: 'first' }]);
  });
});

describe('routeByPolicy', () => {
  it('sends the operations the contract gives to main to main, and every other to the desk process', async () => {
    const desk = vi.fn((_name: string, _input: unknown, _ctx: RequestContext): Result<unknown> => ({ ok: true, value: 'desk' }));
    const printSheet = vi.fn((_name: string, _input: unknown, _ctx: RequestContext): Result<unknown> => ({ ok: true, value: 'main' }));
    const route = routeByPolicy(desk, { printSheet, printRecoverySheet: printSheet });
    const ranIn = await Promise.all(OPERATION_NAMES.map(async (name) => [name, ((await route(name, {}, CTX)) as { value: unknown }).value] as const));
    expect(ranIn.filter(([, where]) => where === 'main').map(([name]) => name)).toEqual(['printSheet', 'printRecoverySheet']);
    expect(printSheet).toHaveBeenCalledWith('printSheet', {}, CTX);
    // A name outside the contract is the desk's to refuse.
    expect(await route('nope', {}, CTX)).toEqual({ ok: true, value: 'desk' });
  });
});

describe('createIpcHandler with the desk process', () => {
  it('passes an answer that comes later straight back, after the same checks', async () => {
    const later: Result<unknown> = { ok: true, value: { from: 'the desk process' } };
    const dispatch = vi.fn((_name: string, _input: unknown, _ctx: RequestContext) => Promise.resolve(later));
    const handle = createIpcHandler<FakeEvent>(dispatch, { isTrusted: (e) => isTrustedSender(e.senderFrame), contextOf: () => CTX });
    await expect(handle(trustedEvent(), 'getDay', { date: '2025-01-06' })).resolves.toBe(later);
    expect(dispatch).toHaveBeenCalledWith('getDay', { date: '2025-01-06' }, CTX);
    // Refusals do not wait for the desk process: they never reach it.
    const refused = handle({ senderFrame: { url: 'https://evil.example/', parent: null }, sender: { id: 1 } }, 'getDay', {});
    expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: UNTRUSTED_SENDER_MESSAGE } });
    expect(dispatch).toHaveBeenCalledOnce();
  });
});
