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
  /** Set by authorize() with role: the clinician a clinician's account works as (null for other roles). */
  clinicianId?: string | null;
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
  /**
   * Runs after the input is parsed, for a caller signed in as a clinician: the contract's `room` policy ('own':
   * their own list only). Throws a DeskError to refuse; returns the input the handler gets (a clinician's getDay is
   * narrowed to their own list).
   */
  scope?: (name: OperationName, input: unknown, ctx: RequestContext) => unknown;
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
      const input: unknown = acting.role === 'clinician' ? (options.scope ? options.scope(name, parsed.data, acting) : refuseUnscoped(name)) : parsed.data;
      const handler = handlers[name] as (input: unknown, ctx: RequestContext) => unknown;
      return { ok: true, value: handler(input, acting) };
    } catch (error) {
      if (error instanceof DeskError) return { ok: false, error: error.toShape() };
      options.onInternalError?.(error, name);
      return { ok: false, error: { code: 'internal', message: `${name} failed unexpectedly; nothing was changed` } };
    }
  };
}

/** A dispatcher without a scope check cannot tell a clinician's own patients from another's: it refuses them all. */
function refuseUnscoped(name: OperationName): never {
  throw new DeskError('forbidden', `${name} cannot be checked against a clinician's own list here`);
}
