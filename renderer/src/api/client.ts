/**
 * The renderer's only way to the desk backend. One client typed from the contract, two transports behind it:
 * the preload bridge (IPC) inside the Electron app, HTTP + server-sent events in browser mode. Everything that
 * arrives is parsed with the contract's zod schemas: a renderer that acts on a malformed record could show the
 * wrong patient, so a bad response becomes an error here instead.
 */
import {
  contract,
  DeskErrorShape,
  DeskEvent,
  DISPLAY_DESK_ID,
  type DisplayOperationName,
  type ErrorCode,
  type Issue,
  type OperationInput,
  type OperationName,
  type OperationOutput,
  type Result,
} from '../../../shared/api';
import type { StandbyDeskBridge } from '../../../shared/api/bridge';

/** Failures that happen before the backend could answer in the contract's terms. */
export type ClientErrorCode =
  | 'network' // the backend could not be reached
  | 'bad_response'; // it answered, but not with a Result the contract allows

export class DeskClientError extends Error {
  readonly code: ErrorCode | ClientErrorCode;
  readonly operation: OperationName;
  readonly issues: readonly Issue[];
  /** For conflicts: the record as the backend holds it now (unparsed; the caller knows its schema). */
  readonly current: unknown;
  readonly httpStatus: number | null;

  constructor(operation: OperationName, code: ErrorCode | ClientErrorCode, message: string, extra: { issues?: readonly Issue[]; current?: unknown; httpStatus?: number } = {}) {
    super(message);
    this.name = 'DeskClientError';
    this.operation = operation;
    this.code = code;
    this.issues = extra.issues ?? [];
    this.current = extra.current;
    this.httpStatus = extra.httpStatus ?? null;
  }
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/**
 * `needsResync` is true when events may have been missed (the stream opened or reopened, or an event could
 * not be read): the listener should re-read what it shows.
 */
export type ConnectionListener = (state: ConnectionState, needsResync: boolean) => void;

export interface DeskClient {
  readonly transport: 'ipc' | 'http';
  /** The desk id this window sends (browser mode); null when the app's main process assigns it. */
  readonly deskId: string | null;
  send<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
  subscribe(listener: (event: DeskEvent) => void, onConnection?: ConnectionListener): () => void;
}

/** What a transport must provide; the client adds the typing and the parsing. */
export interface Transport {
  readonly kind: 'ipc' | 'http';
  readonly deskId: string | null;
  call(name: OperationName, input: unknown): Promise<unknown>;
  /** Raw event payloads (already JSON-decoded) and connection changes; returns an unsubscribe function. */
  listen(onEvent: (raw: unknown) => void, onState: (state: ConnectionState, needsResync: boolean) => void): () => void;
}

export function createDeskClient(transport: Transport): DeskClient {
  const eventListeners = new Set<(event: DeskEvent) => void>();
  const connectionListeners = new Set<ConnectionListener>();
  let connection: ConnectionState = 'connecting';
  let stopListening: (() => void) | null = null;

  function deliver(raw: unknown): void {
    const parsed = DeskEvent.safeParse(raw);
    if (!parsed.success) {
      console.error('Standby Desk: ignored an event that does not match the contract', parsed.error.issues);
      for (const l of connectionListeners) l(connection, true);
      return;
    }
    for (const l of eventListeners) l(parsed.data);
  }

  function changeState(state: ConnectionState, needsResync: boolean): void {
    connection = state;
    for (const l of connectionListeners) l(state, needsResync);
  }

  return {
    transport: transport.kind,
    deskId: transport.deskId,

    async send<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
      const raw = await transport.call(name, input);
      const result = readResult(name, raw);
      if (!result.ok) {
        const { code, message, issues, current } = result.error;
        throw new DeskClientError(name, code, message, { ...(issues ? { issues } : {}), current });
      }
      const output = contract[name].output.safeParse(result.value);
      if (!output.success) {
        // The receptionist sees a plain message; whoever diagnoses it needs the fields.
        console.error(`Standby Desk: ${name} answered outside the contract`, output.error.issues);
        throw new DeskClientError(name, 'bad_response', `${name}: the desk answered with data this screen cannot read`, {
          issues: output.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        });
      }
      // The generic index loses the link between N and its schema; the parse above is what makes this true.
      return output.data as OperationOutput<N>;
    },

    subscribe(listener, onConnection) {
      eventListeners.add(listener);
      if (onConnection) {
        connectionListeners.add(onConnection);
        onConnection(connection, false);
      }
      stopListening ??= transport.listen(deliver, changeState);
      return () => {
        eventListeners.delete(listener);
        if (onConnection) connectionListeners.delete(onConnection);
        if (eventListeners.size === 0 && stopListening) {
          stopListening();
          stopListening = null;
          connection = 'connecting';
        }
      };
    },
  };
}

function readResult(name: OperationName, raw: unknown): Result<unknown> {
  if (typeof raw === 'object' && raw !== null && 'ok' in raw) {
    if (raw.ok === true && 'value' in raw) return { ok: true, value: raw.value };
    if (raw.ok === false && 'error' in raw) {
      const error = DeskErrorShape.safeParse(raw.error);
      if (error.success) return { ok: false, error: error.data };
      const message = describeUnknownError(raw.error);
      throw new DeskClientError(name, 'bad_response', `${name} failed: ${message}`);
    }
  }
  throw new DeskClientError(name, 'bad_response', `${name}: the desk's answer is not a Result`);
}

function describeUnknownError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  return 'the desk reported an error this screen does not recognise';
}

// ---- IPC (Electron) --------------------------------------------------------------------------------------

export function ipcTransport(bridge: StandbyDeskBridge): Transport {
  return {
    kind: 'ipc',
    deskId: null,
    async call(name, input) {
      // The bridge is typed per operation; here the name is only known to be one of them.
      const invoke = bridge[name] as (input: unknown) => Promise<unknown>;
      try {
        return await invoke(input);
      } catch (error) {
        throw new DeskClientError(name, 'network', `${name}: the desk backend did not answer (${errorText(error)})`);
      }
    },
    listen(onEvent, onState) {
      // IPC does not drop while the window exists: the stream is live from the start.
      const off = bridge.onEvent((event) => onEvent(event));
      onState('live', false);
      return off;
    },
  };
}

// ---- HTTP + server-sent events (browser mode) -------------------------------------------------------------

const DESK_ID_KEY = 'standbyDesk.deskId';

/**
 * One id per browser tab, kept across reloads so the journal shows one desk, not one per refresh.
 * getRandomValues, not randomUUID: the latter exists only in secure contexts, and a desk may be opened over
 * plain http on a host name other than localhost.
 */
export function browserDeskId(storage: Pick<Storage, 'getItem' | 'setItem'> | null): string {
  try {
    const existing = storage?.getItem(DESK_ID_KEY);
    if (existing && /^browser-[0-9a-f]{8}$/.test(existing)) return existing;
  } catch {
    // Storage can be disabled by policy; an id for this page's lifetime is still right.
  }
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  const id = 'browser-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    storage?.setItem(DESK_ID_KEY, id);
  } catch {
    // As above: not being able to keep the id is not a reason to fail.
  }
  return id;
}

export interface HttpTransportOptions {
  deskId: string;
  /** Where /api lives; the page's own origin in browser mode. */
  baseUrl: string;
  /**
   * Which event stream: the desk's (every change) or the waiting-room display's (bare pings only, so a screen
   * in a public room never receives patient data).
   */
  events?: 'desk' | 'display';
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

/** How long to wait before opening a new stream once EventSource has given up by itself. */
const RESTART_DELAYS_MS = [1000, 2000, 5000, 10000] as const;

export function httpTransport(options: HttpTransportOptions): Transport {
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  const EventSourceImpl = options.EventSource ?? EventSource;
  const opUrl = (name: string) => new URL(`api/op/${name}`, options.baseUrl).toString();

  return {
    kind: 'http',
    deskId: options.deskId,

    async call(name, input) {
      let response: Response;
      try {
        response = await doFetch(opUrl(name), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Standby-Desk': options.deskId },
          body: JSON.stringify(input),
        });
      } catch (error) {
        throw new DeskClientError(name, 'network', `Could not reach the desk server (${errorText(error)})`);
      }
      try {
        return await response.json();
      } catch {
        throw new DeskClientError(name, 'bad_response', `${name}: the desk server answered ${response.status} without JSON`, {
          httpStatus: response.status,
        });
      }
    },

    listen(onEvent, onState) {
      let source: EventSource | null = null;
      let restartTimer: ReturnType<typeof setTimeout> | null = null;
      let restarts = 0;
      let stopped = false;

      const open = () => {
        source = new EventSourceImpl(new URL(options.events === 'display' ? 'api/events?view=display' : 'api/events', options.baseUrl).toString());
        source.addEventListener('open', () => {
          // Whatever changed before the stream (re)opened was never sent to us: after a break, and also on the
          // first open, which may come after the view read its day.
          onState('live', true);
          restarts = 0;
        });
        source.addEventListener('error', () => {
          onState('reconnecting', false);
          // EventSource retries by itself unless the response was unusable (e.g. not text/event-stream); then
          // it closes for good, and only a new one will try again.
          if (source?.readyState === EventSourceImpl.CLOSED && !stopped) {
            const delay = RESTART_DELAYS_MS[Math.min(restarts, RESTART_DELAYS_MS.length - 1)];
            restarts += 1;
            restartTimer = setTimeout(open, delay);
          }
        });
        source.addEventListener('desk', (message: MessageEvent<unknown>) => {
          let raw: unknown;
          try {
            raw = typeof message.data === 'string' ? JSON.parse(message.data) : undefined;
          } catch {
            raw = undefined;
          }
          onEvent(raw);
        });
      };
      open();

      return () => {
        stopped = true;
        if (restartTimer !== null) clearTimeout(restartTimer);
        source?.close();
      };
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let defaultClient: DeskClient | null = null;

/** The client for this window: IPC inside the app, HTTP in a browser. Chosen once, on first use. */
export function getDeskClient(): DeskClient {
  if (defaultClient === null) {
    const bridge = window.standbyDesk;
    defaultClient = createDeskClient(bridge ? ipcTransport(bridge) : httpTransport({ deskId: browserDeskId(safeSessionStorage()), baseUrl: window.location.origin + '/' }));
  }
  return defaultClient;
}

/**
 * What the waiting-room display may send: the operations whose policy lets a display call them (getDisplayBoard),
 * so a display screen that reached for another does not compile. Main and the server refuse the rest anyway.
 */
export interface DisplayClient extends Omit<DeskClient, 'send'> {
  send<N extends DisplayOperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
}

let displayClient: DisplayClient | null = null;

/**
 * The waiting-room display's client. In a browser it listens on the display's own event stream; in the app the
 * main process sends the waiting-room window only display pings and answers it only the display's operations.
 */
export function getDisplayClient(): DisplayClient {
  if (displayClient === null) {
    const bridge = window.standbyDesk;
    displayClient = createDeskClient(bridge ? ipcTransport(bridge) : httpTransport({ deskId: DISPLAY_DESK_ID, baseUrl: window.location.origin + '/', events: 'display' }));
  }
  return displayClient;
}

function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
