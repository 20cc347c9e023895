/**
 * The one contract between the desk backend and every client. Each operation is declared once with zod input
 * and output; the HTTP routes, the IPC handlers, the preload bridge and the renderer client are all typed from
 * this map, and main/server parse every input with it (the renderer is never trusted).
 */
import { z } from 'zod';
import { Appointment, Clinician, ClinicianRole, Id, Instant, LocalDateSchema, Patient, Practice, Session, TriageCategory } from '../domain/entities';
import { DESK_STATUSES, DeskStatus } from '../domain/status';
import { MERGE_CONTRACT } from '../merge/schemas';
import { authOperations } from './auth';
import { GROUP_CONTRACT } from './group';
import { ROOM_CONTRACT } from './rooms';
import { BOOKING_CONTRACT } from './booking';
import { BATCH_UNDO_CONTRACT } from './batch-undo';
import { DESK_SETTINGS_CONTRACT } from './desk-settings';
import { FEED_MAPPING_CONTRACT } from './feed-mapping';
import { READINESS_CONTRACT } from './readiness';
import { CALLBACK_CONTRACT, CallbackAttempt, PatientContact } from './callbacks';
import { BACKLOG_CONTRACT } from './backlog';
import { AppointmentRow, FreeSlot } from './rows';
import { DRILL_CONTRACT } from './drill';
import { SETUP_CONTRACT } from './setup';
import { DEFAULT_STALE_AFTER_MINUTES } from './mirror-age';
import type { OperationEntry, OperationPolicy } from './policy';

export const MirrorInfo = z.object({
  /**
   * When the book was true in the clinical system (a pull's first request, an export's own time or its file's
   * modification time, the earliest known), never when it was loaded. null when the mirror is empty, or when
   * loadedAt is set but no time came with the data: then its age is unknown and it counts as stale (hazard H1).
   */
  asOf: Instant.nullable(),
  /** When the desk last loaded the book (a refresh or the demo), by its own clock; null when the mirror is empty. */
  loadedAt: Instant.nullable(),
  source: z.string().nullable(),
  mode: z.enum(['online', 'outage']),
  /** When the desk was last switched to outage mode (by hand or by a failed pull); only while in outage. */
  outageSince: Instant.optional(),
  /**
   * The desk's stale limit (shared/api/mirror-age.ts): the screens and the paper read it from here. A sheet input
   * saved before the limit was carried gets the default.
   */
  staleAfterMinutes: z.number().int().positive().default(DEFAULT_STALE_AFTER_MINUTES),
  /** True only in an outage drill's sandbox copy (shared/api/drill.ts): every screen and every printed page says DRILL. */
  drill: z.boolean().optional(),
});
export type MirrorInfo = z.infer<typeof MirrorInfo>;

export { AppointmentRow, FreeSlot } from './rows';

export const DayView = z.object({
  practice: Practice.nullable(),
  date: LocalDateSchema,
  clinicians: z.array(Clinician),
  sessions: z.array(Session),
  appointments: z.array(AppointmentRow),
  /**
   * Who sees the duty list's walk-ins that day (null when no GP has a session). Always filled by the desk;
   * optional so views built elsewhere (paper sheets) need not invent one.
   */
  dutyClinicianId: Id.nullable().optional(),
  /** Tries at calling back the day's cancelled and missed patients (callbacks.ts): the printed callback list shows them. */
  callbackAttempts: z.array(CallbackAttempt).optional(),
  /**
   * The other end of a rebooking that is not among this view's appointments (the patient moved to or from another
   * day): when and with whom, so the row can say "Rebooked to Thu 23 Jul 10:20 with Dr X". Optional: views built
   * elsewhere need not fill it.
   */
  rebookedElsewhere: z.array(z.object({ id: Id, start: Instant, clinicianName: z.string().nullable() })).optional(),
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
  /** Every patient the mirror holds: the practice list (and anyone registered at the desk). */
  patients: z.number().int(),
  /** Of those, the ones with an appointment in the mirror; the rest are found only through the practice list. */
  bookedPatients: z.number().int(),
  clinicians: z.number().int(),
  journal: z.object({
    entries: z.number().int(),
    lastSeq: z.number().int(),
    lastAt: Instant.nullable(),
    /**
     * Receptionists' changes without a merge-back outcome (plan items: one per appointment, not per journal entry;
     * undone changes and loads, refreshes or mode switches not counted): what merge-back still has to put back.
     */
    deskChanges: z.number().int().nonnegative(),
  }),
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

/** Who is acting: the server's (or app's) user until sign-in exists, and this window's desk id. */
export const DeskSession = z.object({ user: z.string(), desk: z.string() });
export type DeskSession = z.infer<typeof DeskSession>;

/** An appointment as a receptionist last saw it: refused if another desk changed it since. */
const SeenVersion = z.strictObject({ appointmentId: Id, expectedVersion: z.number().int().nonnegative() });

export const NewPatientInput = z.strictObject({
  familyName: text(100).min(1, 'a family name is needed'),
  givenName: text(100),
  dateOfBirth: LocalDateSchema,
  sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  phone: text(40).optional(),
  /** Optional; checked with Modulus 11 and flagged when it fails, never refused (a walk-in may misremember it). */
  nhsNumber: text(20).optional(),
  temporaryResident: z.boolean(),
});
export type NewPatientInput = z.infer<typeof NewPatientInput>;

export const WalkInInput = z.strictObject({
  patient: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('existing'), patientId: Id }), z.strictObject({ kind: z.literal('new'), details: NewPatientInput })]),
  triage: TriageCategory,
  /** What they came about, in their words: care navigation, not a diagnosis. */
  reason: text(500).optional(),
  assignTo: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('duty') }), z.strictObject({ kind: z.literal('clinician'), clinicianId: Id })]),
  /** Where a signposted patient was sent (pharmacy, NHS 111, urgent treatment centre ...). */
  signpostedTo: text(200).optional(),
  /**
   * A patient with an appointment today is refused as a walk-in (they would sit in two queues) unless the
   * receptionist has seen that appointment and confirms they need a walk-in as well.
   */
  despiteAppointmentToday: z.boolean().optional(),
});
export type WalkInInput = z.infer<typeof WalkInInput>;

/**
 * An appointment today that a walk-in for the same patient would duplicate: what the refusal (a conflict) carries
 * in `current`, so the walk-in dialog can show it and offer to check the patient in on it instead.
 */
export const AppointmentToday = z.object({ appointment: Appointment, clinicianName: z.string() });
export type AppointmentToday = z.infer<typeof AppointmentToday>;
export const WalkInClash = z.object({ appointmentsToday: z.array(AppointmentToday).min(1) });
export type WalkInClash = z.infer<typeof WalkInClash>;

/**
 * The clinician's patient who is still with them, which a new send in would put in the room beside: what the
 * refusal (a conflict) carries in `current`, so the room or the desk can ask before sending the next one in.
 */
export const StillWithClinician = z.object({ stillWithClinician: z.array(Appointment).min(1) });
export type StillWithClinician = z.infer<typeof StillWithClinician>;

export const WalkInResult = z.object({
  patient: Patient,
  /** Null when signposted elsewhere: they are not in the queue. */
  appointment: AppointmentRow.nullable(),
});

export const CallbackEntry = z.object({
  appointment: AppointmentRow,
  clinicianName: z.string(),
  /** The patient's other live appointments from that day on: they may not need a call at all. */
  alsoBooked: z.array(z.object({ appointmentId: Id, start: Instant, clinicianName: z.string() })),
  /** Every try at calling them back, oldest first; done once the latest was "rebooked" or "no callback needed". */
  attempts: z.array(CallbackAttempt),
  /** What came of messaging them (contact tracking), oldest first, beside the attempts. */
  contacts: z.array(PatientContact),
  done: z.boolean(),
});
export type CallbackEntry = z.infer<typeof CallbackEntry>;

export const contract = {
  getDay: {
    input: z.strictObject({ date: LocalDateSchema, clinicianId: Id.optional() }),
    output: DayView,
    policy: { role: 'desk', reads: true, display: false, room: 'own', session: true, runsIn: 'desk', standalone: true },
  },
  searchPatients: {
    input: z.strictObject({
      query: text(100).min(1, 'type at least one character'),
      date: LocalDateSchema.optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: z.array(PatientHit),
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  setAppointmentStatus: {
    input: z.strictObject({
      appointmentId: Id,
      status: DeskStatus,
      /** The version the desk was looking at; a mismatch means another desk changed it first. */
      expectedVersion: z.number().int().nonnegative().optional(),
      reason: text(500).optional(),
      /**
       * Sending a patient in while the clinician's previous patient is still with them is refused (a conflict
       * carrying StillWithClinician) unless the person saw that and confirms: the room asks first, and so does the desk.
       */
      despiteStillWithClinician: z.boolean().optional(),
    }),
    output: Appointment,
    policy: { role: 'desk', reads: false, display: false, room: 'own', session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  getMirrorStatus: {
    input: z.strictObject({}),
    output: MirrorStatus,
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** A receptionist switches between online and outage mode by hand; journalled. */
  setMode: {
    input: z.strictObject({ mode: z.enum(['online', 'outage']), reason: text(500).optional() }),
    output: MirrorInfo,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  getJournal: {
    input: z.strictObject({
      afterSeq: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    output: z.array(JournalEntry),
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /**
   * Puts back the state before the appointment's last change, as its own journal entry. Refused when the
   * appointment changed since the receptionist looked (expectedVersion), or when its last change is not a
   * status change (a rebooking is put right by cancelling, not undone). Undoing a walk-in's registration, with
   * nothing done to it since, takes it back as registered in error (cancelWalkInInError).
   */
  undoLastChange: {
    input: SeenVersion,
    output: Appointment,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  /** The session's remaining no-shows, exactly the list the receptionist confirmed: all marked, or none. */
  markSessionDna: {
    input: z.strictObject({ sessionId: Id, appointments: z.array(SeenVersion).min(1).max(200) }),
    output: z.object({ batchId: z.string(), appointments: z.array(Appointment) }),
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  /** A session's DNA batch undone as one (batch-undo.ts). */
  ...BATCH_UNDO_CONTRACT,
  /** Refused (conflict, carrying WalkInClash) for a patient already booked today unless despiteAppointmentToday. */
  registerWalkIn: {
    input: WalkInInput,
    output: WalkInResult,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  /**
   * A walk-in registered by mistake, taken back: cancelled and entered in error ("Registered in error"), so it
   * counts nowhere (day, queue, walk-in register, impact figures) and merge-back creates nothing for it. Not for
   * a walk-in already seen: that consultation happened.
   */
  cancelWalkInInError: {
    input: SeenVersion,
    output: Appointment,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  /** Slots the desk may book from a date on, not yet started: free upstream (or freed by a cancellation), not taken at the desk. */
  findFreeSlots: {
    input: z.strictObject({
      from: LocalDateSchema,
      to: LocalDateSchema.optional(),
      clinicianId: Id.optional(),
      /** Only clinicians of this role (a nurse's slot for a dressing, a GP's for the rest). */
      role: ClinicianRole.optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    output: z.array(FreeSlot),
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** Cancels the appointment (if it is not cancelled already) and books the patient into a free slot. */
  rebookAppointment: {
    input: SeenVersion.extend({ slotId: Id, reason: text(500).optional() }),
    output: z.object({ cancelled: Appointment, booked: AppointmentRow }),
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  getCallbackList: {
    input: z.strictObject({ from: LocalDateSchema.optional(), to: LocalDateSchema.optional() }),
    output: z.array(CallbackEntry),
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /**
   * A note against an appointment (from paper, the desk, or the clinician's room), journalled for merge-back's
   * worklist and never written upstream. A clinician's note is their contemporaneous note: the worklist says so
   * (shared/merge/worklist.ts), as the MDU's rules for consulting without the record ask.
   */
  addAppointmentNote: {
    input: z.strictObject({ appointmentId: Id, text: text(2000).min(1, 'the note is empty') }),
    output: z.object({ seq: z.number().int(), at: Instant }),
    policy: { role: 'desk', reads: false, display: false, room: 'own', session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  /** A patient's new phone number (null: none); journalled for merge-back's worklist. */
  updatePatientContact: {
    input: z.strictObject({ patientId: Id, phone: text(40).nullable() }),
    output: Patient,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
  /** A new appointment for a patient who phones or comes to the desk (booking.ts). */
  ...BOOKING_CONTRACT,
  /** The practice's rules for the desk: changes while online (desk-settings.ts). */
  ...DESK_SETTINGS_CONTRACT,
  // Merge-back (shared/merge/schemas.ts): review, decide, apply, worklist, impact.
  ...MERGE_CONTRACT,
  /** Sign-in, the lock, accounts and the audit trail (auth.ts). */
  ...authOperations,
  /** The desk group: status, pairing, members, take-over (group.ts). */
  ...GROUP_CONTRACT,
  /** Clinicians' rooms and the waiting-room displays: their settings, the board, the recall (rooms.ts). */
  ...ROOM_CONTRACT,
  /** Callback attempts and the practice's Late rule (callbacks.ts). */
  ...CALLBACK_CONTRACT,
  /** The practice's own CSV mapping, built on screen from a sample file (feed-mapping.ts). */
  ...FEED_MAPPING_CONTRACT,
  /** The practice's readiness for an outage: pack, backup, mirror, group, drill (readiness.ts). */
  ...READINESS_CONTRACT,
  /** After the outage: the rebooking assistant's proposals, and booking them (backlog.ts). */
  ...BACKLOG_CONTRACT,
  /** Practising an outage on a sandbox copy (drill.ts). */
  ...DRILL_CONTRACT,
  /** First-run set-up and the practice's settings: source, pack, backups, token (setup.ts). */
  ...SETUP_CONTRACT,
} as const satisfies Record<string, OperationEntry>;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export type OperationInput<N extends OperationName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;
export type OperationOutput<N extends OperationName> = z.output<Contract[N]['output']>;

export const OPERATION_NAMES = Object.keys(contract) as OperationName[];

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Each operation's policy, as declared on its entry. */
export function policyOf(name: OperationName): OperationPolicy {
  return contract[name].policy;
}

function operationsWhere(test: (policy: OperationPolicy) => boolean): ReadonlySet<OperationName> {
  return new Set(OPERATION_NAMES.filter((name) => test(policyOf(name))));
}

/** Operations that change nothing: safe to retry, and the only ones a read-only view may call. */
export const READ_OPERATIONS = operationsWhere((p) => p.reads);

/**
 * The desk's changes to the book (policy.changesBook): the ones the practice's online-changes rule is about, checked
 * by the desk (electron/desk/actions/desk-settings.ts) and asked about by the screen (renderer/src/state/online-guard.ts).
 */
export const BOOK_CHANGING_OPERATIONS = operationsWhere((p) => p.changesBook === true);

/**
 * All a waiting-room display may call: it shows no patient details, so it must not be able to read them. Main
 * refuses anything else from the waiting-room window, and the server anything else from a caller that names
 * itself the display (DISPLAY_DESK_ID).
 */
export const DISPLAY_OPERATIONS = operationsWhere((p) => p.display);

/** The operations whose policy has them carried out by a given process (printSheet: main; the rest: the desk). */
export type OperationRunIn<P extends OperationPolicy['runsIn']> = {
  [N in OperationName]: Contract[N]['policy']['runsIn'] extends P ? N : never;
}[OperationName];
/** The operations the display may call, as a type: what the renderer's display client may send. */
export type DisplayOperationName = {
  [N in OperationName]: Contract[N]['policy']['display'] extends true ? N : never;
}[OperationName];
