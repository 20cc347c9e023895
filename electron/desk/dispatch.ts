/**
 * The one place an operation arrives from outside, whichever transport carried it: look the name up in the
 * contract, parse the input with its zod schema, call the handler, and turn the outcome into a Result.
 * HTTP (electron/server) and IPC (electron/main) both call this, so they cannot disagree about validation.
 */
import {
  contract,
  DeskError,
  invalidInput,
  isOperationName,
  type OperationName,
  type OperationOutput,
  type ParsedInput,
  type Result,
} from '../../shared/api';

/** Who is acting and from where; set by the transport, never read from the request body. */
export interface RequestContext {
  user: string;
  desk: string;
}

export type Handlers = {
  [N in OperationName]: (input: ParsedInput<N>, ctx: RequestContext) => OperationOutput<N>;
};

export type Dispatch = (name: string, rawInput: unknown, ctx: RequestContext) => Result<unknown>;

export interface DispatchOptions {
  /** Called with unexpected errors (bugs), which are reported to the client only as "internal". */
  onInternalError?: (error: unknown, name: string) => void;
}

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return (name, rawInput, ctx) => {
    if (!isOperationName(name)) {
      return { ok: false, error: { code: 'unknown_operation', message: `no operation named "${name}"` } };
    }
    const parsed = contract[name].input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: invalidInput(parsed.error, name).toShape() };
    try {
      const handler = handlers[name] as (input: unknown, ctx: RequestContext) => unknown;
      return { ok: true, value: handler(parsed.data, ctx) };
    } catch (error) {
      if (error instanceof DeskError) return { ok: false, error: error.toShape() };
      options.onInternalError?.(error, name);
      return { ok: false, error: { code: 'internal', message: `${name} failed unexpectedly; nothing was changed` } };
    }
  };
}
