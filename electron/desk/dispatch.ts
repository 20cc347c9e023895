/**
 * The one place an operation arrives from outside, whichever transport carried it: look the name up in the
 * contract, parse the input with its zod schema, call the handler, and turn the outcome into a Result.
 * HTTP (electron/server) and IPC (electron/main) both call this, so they cannot disagree about validation.
 */
import { contract, DeskError, invalidInput, isOperationName, type OperationName, type OperationOutput, type ParsedInput, type Result, type Role } from '../../shared/api';

/**
 * Who is acting and from where; set by the transport, never read from the request body. Transports set
 * sessionId (never role); the desk's authorize() resolves it to the signed-in user and role. Without a
 * sessionId the caller is trusted in-process code (CLI, tests) acting as `user` with `role` (manager by default).
 */
export interface RequestContext {
  user: string;
  desk: string;
  sessionId?: string;
  /** Set by authorize() for handlers; a transport must never set it. */
  role?: Role | null;
  /** HTTP sign-in: the session the new one replaces (the old cookie), forgotten once sign-in succeeds. */
  replacesSession?: string;
}

export type Handlers = {
  [N in OperationName]: (input: ParsedInput<N>, ctx: RequestContext) => OperationOutput<N>;
};

export type Dispatch = (name: string, rawInput: unknown, ctx: RequestContext) => Result<unknown>;

export interface DispatchOptions {
  /** Called with unexpected errors (bugs), which are reported to the client only as "internal". */
  onInternalError?: (error: unknown, name: string) => void;
  /**
   * Runs before the input is parsed: the role table, sign-in and the lock (auth/auth.ts). Throws a DeskError to
   * refuse; returns the context the handler runs with (the signed-in user, their role).
   */
  authorize?: (name: OperationName, ctx: RequestContext) => RequestContext;
}

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return (name, rawInput, ctx) => {
    if (!isOperationName(name)) {
      return { ok: false, error: { code: 'unknown_operation', message: `no operation named "${name}"` } };
    }
    let acting = ctx;
    try {
      if (options.authorize) acting = options.authorize(name, ctx);
    } catch (error) {
      if (error instanceof DeskError) return { ok: false, error: error.toShape() };
      options.onInternalError?.(error, name);
      return { ok: false, error: { code: 'internal', message: `${name} failed unexpectedly; nothing was changed` } };
    }
    const parsed = contract[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: invalidInput(parsed.error, name).toShape() };
    try {
      const handler = handlers[name] as (input: unknown, ctx: RequestContext) => unknown;
      return { ok: true, value: handler(parsed.data, acting) };
    } catch (error) {
      if (error instanceof DeskError) return { ok: false, error: error.toShape() };
      options.onInternalError?.(error, name);
      return { ok: false, error: { code: 'internal', message: `${name} failed unexpectedly; nothing was changed` } };
    }
  };
}
