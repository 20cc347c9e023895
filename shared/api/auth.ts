/**
 * Who is at the desk: local accounts, sign-in, the lock, and the audit trail. Declared here beside the
 * contract so both transports parse the same shapes; each entry's policy (policy.ts) says who may call it.
 */
import { z } from 'zod';
import { SHEET_NAMES } from '../sheets/catalogue';
import type { OperationEntry } from './policy';

/**
 * A clinician (issue 17) signs in at their room and works their own list only: the contract's `room` policy says
 * which operations, and the dispatcher checks the appointment is theirs.
 */
export const ROLES = ['receptionist', 'manager', 'clinician'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Lower-case so "Anne" and "anne" cannot be two accounts; short and plain so it fits the audit export. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, '2 to 32 letters, digits, dots, dashes or underscores');

/**
 * A new secret: a password (long, because a shared PC's keyboard is watched) or a PIN (quick at a busy desk,
 * made tolerable by the lockout after failures). Never returned by any operation.
 */
export const NewSecret = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('password'), value: z.string().min(10, 'at least 10 characters').max(200) }),
  z.strictObject({ kind: z.literal('pin'), value: z.string().regex(/^\d{6,8}$/, '6 to 8 digits') }),
]);
export type NewSecret = z.infer<typeof NewSecret>;

export const DisplayName = z.string().trim().min(1).max(100);

/** The book's id of the clinician an account works as (checked against the mirror when linked). */
export const ClinicianLink = z.string().trim().min(1).max(128);

export const SessionInfo = z.object({
  /** The journal's "who": the signed-in username, or for a trusted local caller (the CLI) the OS user. */
  user: z.string(),
  desk: z.string(),
  signedIn: z.boolean(),
  displayName: z.string().nullable(),
  role: Role.nullable(),
  /** For a clinician's account: the clinician in the book whose list they work; null for everyone else. */
  clinicianId: z.string().nullable(),
  /** Signed in but locked (idle, or locked by hand): patient data is hidden until the secret is given again. */
  locked: z.boolean(),
  /** No account exists yet: the first person creates the practice manager. */
  setupNeeded: z.boolean(),
  idleLockMinutes: z.number().int().positive(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const UserSummary = z.object({
  username: z.string(),
  displayName: z.string(),
  role: Role,
  /** The clinician in the book a clinician's account is linked to (null for other roles). */
  clinicianId: z.string().nullable(),
  secretKind: z.enum(['password', 'pin']),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
  /** Until when sign-in is refused after repeated failures; null when it is not. */
  lockedUntil: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const AUDIT_KINDS = [
  'journal',
  'print',
  'export',
  'import',
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'lock',
  'unlock',
  'switch-user',
  'user-added',
  'user-changed',
  'settings-changed',
  /** The desk group: created, joined, a member removed, a take-over, a pairing code shown (issue 16). */
  'group',
  /** A try at calling a patient back from the callback list (issue 18): the practice's record, not journalled. */
  'callback',
] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.infer<typeof AuditKind>;

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  id: z.string(),
  at: z.string(),
  user: z.string(),
  desk: z.string(),
  kind: AuditKind,
  /** What was done, without patient details beyond ids (the journal holds the change itself). */
  detail: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const IsoInstant = z.iso.datetime({ offset: true });

export const AuditFilter = z.strictObject({
  afterSeq: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(5000).optional(),
  user: z.string().trim().min(1).max(64).optional(),
  kind: AuditKind.optional(),
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const authOperations = {
  getSession: {
    input: z.strictObject({}),
    output: SessionInfo,
    policy: { role: 'public', reads: true, display: false, room: false, session: false, runsIn: 'desk', standalone: true },
  },
  /** Also how users switch at a shared desk, and how a locked screen is unlocked (same or another user). */
  signIn: {
    input: z.strictObject({ username: Username, secret: z.string().min(1).max(200) }),
    output: SessionInfo,
    policy: { role: 'public', reads: false, display: false, room: false, session: false, runsIn: 'desk', standalone: true },
  },
  signOut: {
    input: z.strictObject({}),
    output: SessionInfo,
    policy: { role: 'public', reads: false, display: false, room: false, session: false, runsIn: 'desk', standalone: true },
  },
  lock: {
    input: z.strictObject({}),
    output: SessionInfo,
    policy: { role: 'public', reads: false, display: false, room: false, session: false, runsIn: 'desk', standalone: true },
  },
  /** First run only: refused as soon as any account exists. Signs the new manager in. */
  setUpFirstManager: {
    input: z.strictObject({ username: Username, displayName: DisplayName, secret: NewSecret }),
    output: SessionInfo,
    policy: { role: 'public', reads: false, display: false, room: false, session: false, runsIn: 'desk', standalone: true },
  },
  listUsers: {
    input: z.strictObject({}),
    output: z.array(UserSummary),
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  addUser: {
    /** A clinician's account needs clinicianId (a clinician in the book); no other role may have one. */
    input: z.strictObject({ username: Username, displayName: DisplayName, role: Role, secret: NewSecret, clinicianId: ClinicianLink.optional() }),
    output: UserSummary,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** Rename, change role, disable (never delete: the audit trail names them) or reset the secret. */
  /** How long a desk may sit idle before it locks (default 5 minutes): the practice's policy, kept in the database. */
  setIdleLock: {
    input: z.strictObject({ minutes: z.number().int().min(1, 'at least 1 minute').max(60, 'at most 60 minutes') }),
    output: z.object({ idleLockMinutes: z.number().int().positive() }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  updateUser: {
    input: z.strictObject({
      username: Username,
      displayName: DisplayName.optional(),
      role: Role.optional(),
      /** null unlinks (only when the role stops being clinician). */
      clinicianId: ClinicianLink.nullable().optional(),
      disabled: z.boolean().optional(),
      secret: NewSecret.optional(),
    }),
    output: UserSummary,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  getAudit: {
    input: AuditFilter,
    output: z.array(AuditEntry),
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** Paper carries patient details out of the database: each print is audited under whoever is signed in. */
  recordPrint: {
    input: z.strictObject({
      what: z.enum(['screen', 'sheet', 'outage-pack']),
      sheet: z
        .string()
        .trim()
        .min(1)
        .max(40)
        .regex(/^[a-z0-9-]+$/)
        .optional(),
      date: z.iso.date().optional(),
      pages: z.number().int().min(0).max(10_000).optional(),
    }),
    output: z.object({ seq: z.number().int().positive() }),
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /**
   * In the desktop app: a paper sheet to a printer through the system's print dialog, or saved as a PDF where the
   * user chooses. Main does the printing, after the desk has checked who asks and built the sheet; the print is
   * audited once it is made. In a browser every sheet is a PDF link instead, and the desk refuses this.
   */
  printSheet: {
    input: z.strictObject({
      sheet: z.enum(SHEET_NAMES),
      /** The day, for a day's sheets; the merge-back sheets are the outage's. */
      date: z.iso.date().optional(),
      clinicianId: z.string().min(1).max(128).optional(),
      /** The rest of the day from this London time, for the sheets the catalogue marks restOfDay. */
      from: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
        .optional(),
      to: z.enum(['printer', 'pdf']),
    }),
    output: z.object({ outcome: z.enum(['printed', 'saved', 'cancelled']), file: z.string().nullable() }),
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'main', standalone: true },
  },
  /** The filtered trail as a file's content; the export is itself audited. */
  exportAudit: {
    input: AuditFilter.extend({ format: z.enum(['csv', 'json']) }),
    output: z.object({ fileName: z.string(), contentType: z.string(), content: z.string(), entries: z.number().int() }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /**
   * The desk's log file (<data>/logs, rotated files included, oldest line first) as a file's content, for the
   * practice's IT. It holds no patient data (electron/desk/log.ts); the export is audited all the same.
   */
  exportLog: {
    input: z.strictObject({}),
    output: z.object({ fileName: z.string(), contentType: z.string(), content: z.string(), files: z.number().int().nonnegative() }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
} as const satisfies Record<string, OperationEntry>;
