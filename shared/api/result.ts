/**
 * Every operation answers `{ ok: true, value } | { ok: false, error }` over both transports, so a client
 * handles failure the same way whether it came from IPC or HTTP.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  'invalid_input', // the input does not match the contract; names the field
  'unknown_operation',
  'not_found', // the thing the input names does not exist
  'unauthenticated', // nobody is signed in on this session, or it is locked: sign in (again)
  'forbidden', // the caller may not do this (untrusted sender, cross-site request, role)
  'too_many_attempts', // sign-in slowed down after failed attempts; try again later
  'conflict', // another desk changed it first (stale expectedVersion)
  'forbidden_transition', // the status machine does not allow it
  'payload_too_large',
  'unsupported_media_type',
  'unavailable', // the desk group's coordinator cannot be reached (or this desk was taken over): nothing was changed
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unknown_operation: 404,
  not_found: 404,
  unauthenticated: 401,
  forbidden: 403,
  too_many_attempts: 429,
  conflict: 409,
  forbidden_transition: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

export const IssueSchema = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof IssueSchema>;

export const DeskErrorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  issues: z.array(IssueSchema).optional(),
  /** For conflicts: the record as it is now, so the desk can show what the other desk did. */
  current: z.unknown().optional(),
});
export type DeskErrorShape = z.infer<typeof DeskErrorShape>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: DeskErrorShape };

/** A failure the service means to report (as opposed to a bug); carries its code to the transport. */
export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;
  readonly current: unknown;
  constructor(code: ErrorCode, message: string, extra: { issues?: Issue[]; current?: unknown } = {}) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.issues = extra.issues;
    this.current = extra.current;
  }
  toShape(): DeskErrorShape {
    const shape: DeskErrorShape = { code: this.code, message: this.message };
    if (this.issues) shape.issues = this.issues;
    if (this.current !== undefined) shape.current = this.current;
    return shape;
  }
}

/** zod's issues as "field: message" pairs a person can read ("status: Invalid option ..."). */
export function issuesFromZod(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(input)',
    message: i.message,
  }));
}

export function invalidInput(error: z.ZodError, what: string): DeskError {
  const issues = issuesFromZod(error);
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new DeskError('invalid_input', `${what}: ${summary}`, { issues });
}
