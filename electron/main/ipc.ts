/**
 * The IPC transport of the contract. Each message is checked before anything else happens: it must come from
 * the top frame of one of our own pages (security.ts). Input is not touched here; dispatch parses it against
 * the contract exactly as the HTTP transport does.
 */
import { contract, DISPLAY_OPERATIONS, isOperationName, OPERATION_NAMES, policyOf, SessionInfo, type OperationName, type OperationRunIn, type Result } from '../../shared/api';
import type { RequestContext } from '../desk/dispatch';
import { operationChannel } from './ipc-channels';

export interface IpcHandlerDeps<E> {
  isTrusted(event: E): boolean;
  /** Who is acting and from which desk: decided by main, never taken from the message. */
  contextOf(event: E): RequestContext;
  /**
   * The waiting-room display's window, on a public screen: it may call only what the contract's policy lets a
   * display call (getDisplayBoard), so a fault in that view can neither change the day nor read patient details.
   */
  isDisplay?(event: E): boolean;
  /**
   * Who a window's session now is, after every operation that answers with the session (sign-in, switch, lock,
   * sign-out): main sends a clinician's window only their own list's events (roomEventOf).
   */
  onSession?(event: E, session: SessionInfo): void;
}

/** The operations that answer with the caller's session, read off the contract. */
const SESSION_OPERATIONS: ReadonlySet<string> = new Set(OPERATION_NAMES.filter((name) => contract[name].output === SessionInfo));

/**
 * What runs an operation: the desk's own dispatch (synchronous, in tests) or the client of the desk process
 * (desk-client.ts), which answers later. Either way it parses the input against the contract first.
 */
export type DispatchLike = (name: string, rawInput: unknown, ctx: RequestContext) => Result<unknown> | Promise<Result<unknown>>;

/** Main's own handlers: one for each operation whose policy says main carries it out (printSheet: the printer is main's). */
export type MainHandlers = { readonly [N in OperationRunIn<'main'>]: DispatchLike };

/**
 * Sends each call to the process its policy names: main's own handler, or the desk process for everything else.
 * An operation declared as main's cannot be left without a handler: MainHandlers would not compile.
 */
export function routeByPolicy(desk: DispatchLike, inMain: MainHandlers): DispatchLike {
  return (name, rawInput, ctx) => {
    if (isOperationName(name) && policyOf(name).runsIn === 'main') return inMain[name as OperationRunIn<'main'>](name, rawInput, ctx);
    return desk(name, rawInput, ctx);
  };
}

export type IpcOperationHandler<E> = (event: E, name: string, rawInput: unknown) => Result<unknown> | Promise<Result<unknown>>;

export const UNTRUSTED_SENDER_MESSAGE = 'sender not trusted';

export function createIpcHandler<E>(dispatch: DispatchLike, deps: IpcHandlerDeps<E>): IpcOperationHandler<E> {
  return (event, name, rawInput) => {
    if (!checks(() => deps.isTrusted(event))) {
      return { ok: false, error: { code: 'forbidden', message: UNTRUSTED_SENDER_MESSAGE } };
    }
    const isDisplay = deps.isDisplay;
    if (isDisplay && !isDisplayOperation(name) && !checks(() => isDisplay(event) === false)) {
      return { ok: false, error: { code: 'forbidden', message: `${name} is not allowed from the waiting-room display` } };
    }
    let ctx: RequestContext;
    try {
      ctx = deps.contextOf(event);
    } catch {
      return { ok: false, error: { code: 'internal', message: `${name}: could not tell who is signed in; nothing was changed` } };
    }
    const result = dispatch(name, rawInput, ctx);
    const onSession = deps.onSession;
    if (!onSession || !SESSION_OPERATIONS.has(name)) return result;
    const note = (r: Result<unknown>): Result<unknown> => {
      if (r.ok) onSession(event, r.value as SessionInfo);
      return r;
    };
    return result instanceof Promise ? result.then(note) : note(result);
  };
}

/** A check that throws (a frame torn down mid-call, say) counts as a refusal. */
function checks(predicate: () => boolean): boolean {
  try {
    return predicate() === true;
  } catch {
    return false;
  }
}

function isDisplayOperation(name: string): boolean {
  return (DISPLAY_OPERATIONS as ReadonlySet<string>).has(name);
}

/** The part of Electron's ipcMain used here, so registration is tested with a fake. */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

/**
 * Registers `desk:op:<name>` for every operation in the contract. Only the first argument is passed on: the
 * preload sends exactly one, and anything more is not part of the contract.
 */
export function registerOperationHandlers<E>(ipcMain: IpcMainLike<E>, handler: IpcOperationHandler<E>, names: readonly OperationName[] = OPERATION_NAMES): string[] {
  return names.map((name) => {
    const channel = operationChannel(name);
    ipcMain.handle(channel, (event, rawInput) => handler(event, name, rawInput));
    return channel;
  });
}
