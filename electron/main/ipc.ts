/**
 * The IPC transport of the contract. Each message is checked before anything else happens: it must come from
 * the top frame of one of our own pages (security.ts). Input is not touched here; dispatch parses it against
 * the contract exactly as the HTTP transport does.
 */
import { OPERATION_NAMES, READ_OPERATIONS, type OperationName, type Result } from '../../shared/api';
import type { RequestContext } from '../desk/dispatch';
import { operationChannel } from './ipc-channels';

export interface IpcHandlerDeps<E> {
  isTrusted(event: E): boolean;
  /** Who is acting and from which desk: decided by main, never taken from the message. */
  contextOf(event: E): RequestContext;
  /**
   * Windows that may only read (the waiting-room display on a public screen): anything else they send is
   * refused, so a fault in that view cannot change the day.
   */
  isReadOnly?(event: E): boolean;
}

/**
 * What runs an operation: the desk's own dispatch (synchronous, in tests) or the client of the desk process
 * (desk-client.ts), which answers later. Either way it parses the input against the contract first.
 */
export type DispatchLike = (name: string, rawInput: unknown, ctx: RequestContext) => Result<unknown> | Promise<Result<unknown>>;

export type IpcOperationHandler<E> = (event: E, name: string, rawInput: unknown) => Result<unknown> | Promise<Result<unknown>>;

export const UNTRUSTED_SENDER_MESSAGE = 'sender not trusted';

export function createIpcHandler<E>(dispatch: DispatchLike, deps: IpcHandlerDeps<E>): IpcOperationHandler<E> {
  return (event, name, rawInput) => {
    if (!checks(() => deps.isTrusted(event))) {
      return { ok: false, error: { code: 'forbidden', message: UNTRUSTED_SENDER_MESSAGE } };
    }
    const isReadOnly = deps.isReadOnly;
    if (isReadOnly && !isReadOperation(name) && !checks(() => isReadOnly(event) === false)) {
      return { ok: false, error: { code: 'forbidden', message: `${name} is not allowed from a read-only window` } };
    }
    let ctx: RequestContext;
    try {
      ctx = deps.contextOf(event);
    } catch {
      return { ok: false, error: { code: 'internal', message: `${name}: could not tell who is signed in; nothing was changed` } };
    }
    return dispatch(name, rawInput, ctx);
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

function isReadOperation(name: string): boolean {
  return (READ_OPERATIONS as ReadonlySet<string>).has(name);
}

/** The part of Electron's ipcMain used here, so registration is tested with a fake. */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
}

/**
 * Registers `desk:op:<name>` for every operation in the contract. Only the first argument is passed on: the
 * preload sends exactly one, and anything more is not part of the contract.
 */
export function registerOperationHandlers<E>(
  ipcMain: IpcMainLike<E>,
  handler: IpcOperationHandler<E>,
  names: readonly OperationName[] = OPERATION_NAMES,
): string[] {
  return names.map((name) => {
    const channel = operationChannel(name);
    ipcMain.handle(channel, (event, rawInput) => handler(event, name, rawInput));
    return channel;
  });
}
