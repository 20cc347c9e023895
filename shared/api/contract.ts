/**
 * The one contract between the desk backend and every client. Each operation is declared once with zod input
 * and output; the HTTP routes, the IPC handlers, the preload bridge and the renderer client are all typed from
 * this map, and main/server parse every input with it (the renderer is never trusted).
 */
import { z } from 'zod';
import {
  Appointment,
  Clinician,
  Id,
  Instant,
  LocalDateSchema,
  Patient,
  Practice,
  Session,
} from '../domain/entities';
import { DESK_STATUSES, DeskStatus } from '../domain/status';

export const MirrorInfo = z.object({
  /** When the book was last loaded from the clinical system (or the demo); null when the mirror is empty. */
  asOf: Instant.nullable(),
  source: z.string().nullable(),
  mode: z.enum(['online', 'outage']),
});
export type MirrorInfo = z.infer<typeof MirrorInfo>;

export const AppointmentRow = Appointment.extend({ patient: Patient });
export type AppointmentRow = z.infer<typeof AppointmentRow>;

export const DayView = z.object({
  practice: Practice.nullable(),
  date: LocalDateSchema,
  clinicians: z.array(Clinician),
  sessions: z.array(Session),
  appointments: z.array(AppointmentRow),
  mirror: MirrorInfo,
  /** The journal's last sequence number when this view was read: events after it are news. */
  journalSeq: z.number().int().nonnegative(),
});
export type DayView = z.infer<typeof DayView>;

export const PatientHit = z.object({
  patient: Patient,
  /** Their appointments on the date searched (today by default), earliest first. */
  appointmentsOnDate: z.array(Appointment),
});
export type PatientHit = z.infer<typeof PatientHit>;

export const StatusCount = z.object({
  date: LocalDateSchema,
  total: z.number().int(),
  // Only the statuses that occur on that date (partial: a day with no DNA has no "dna" key).
  byStatus: z.partialRecord(z.enum(DESK_STATUSES), z.number().int()),
});

/** Where the mirror comes from, whether upstream answers, and how old the mirror is (electron/desk/refresh.ts). */
export const UpstreamInfo = z.object({
  fhirBaseUrl: z.string().nullable(),
  /** null until a pull has been tried. */
  reachable: z.boolean().nullable(),
  lastAttemptAt: Instant.nullable(),
  lastSuccessAt: Instant.nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: Instant.nullable(),
  asOf: Instant.nullable(),
  ageMinutes: z.number().int().nonnegative().nullable(),
  /** Older than staleAfterMinutes: the desk must not show it as the current book without saying so. */
  stale: z.boolean(),
  staleAfterMinutes: z.number().int().positive(),
  /** The dates the last refresh covered. */
  dates: z.array(LocalDateSchema),
  /** Upstream changes kept beside appointments the desk changed, waiting for reconciliation. */
  heldChanges: z.number().int().nonnegative(),
  /** Appointments changed at the desk and not yet reconciled. */
  localChanges: z.number().int().nonnegative(),
});
export type UpstreamInfo = z.infer<typeof UpstreamInfo>;

export const MirrorStatus = z.object({
  practice: Practice.nullable(),
  mirror: MirrorInfo,
  upstream: UpstreamInfo,
  dates: z.array(StatusCount),
  patients: z.number().int(),
  clinicians: z.number().int(),
  journal: z.object({ entries: z.number().int(), lastSeq: z.number().int(), lastAt: Instant.nullable() }),
});
export type MirrorStatus = z.infer<typeof MirrorStatus>;

export const JournalEntry = z.object({
  seq: z.number().int().positive(),
  id: z.string(),
  at: Instant,
  user: z.string(),
  desk: z.string(),
  op: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  baseVersion: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

const text = (max: number) => z.string().trim().max(max);

export const contract = {
  getDay: {
    input: z.strictObject({ date: LocalDateSchema, clinicianId: Id.optional() }),
    output: DayView,
  },
  searchPatients: {
    input: z.strictObject({
      query: text(100).min(1, 'type at least one character'),
      date: LocalDateSchema.optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.array(PatientHit),
  },
  setAppointmentStatus: {
    input: z.strictObject({
      appointmentId: Id,
      status: DeskStatus,
      /** The version the desk was looking at; a mismatch means another desk changed it first. */
      expectedVersion: z.number().int().nonnegative().optional(),
      reason: text(500).optional(),
    }),
    output: Appointment,
  },
  getMirrorStatus: {
    input: z.strictObject({}),
    output: MirrorStatus,
  },
  /** A receptionist switches between online and outage mode by hand; journalled. */
  setMode: {
    input: z.strictObject({ mode: z.enum(['online', 'outage']), reason: text(500).optional() }),
    output: MirrorInfo,
  },
  getJournal: {
    input: z.strictObject({
      afterSeq: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    output: z.array(JournalEntry),
  },
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<N extends OperationName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Contract[N]['output']>;

export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Operations that change nothing: safe to retry, and the only ones a read-only view may call. */
export const READ_OPERATIONS: ReadonlySet<OperationName> = new Set(['getDay', 'searchPatients', 'getMirrorStatus', 'getJournal']);
