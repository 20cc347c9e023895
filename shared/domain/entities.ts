/**
 * The mirror's entities as zod schemas; the types are inferred from them so that the boundary check and the
 * compile-time type cannot drift apart. Instants are UTC ISO strings; dates are London calendar dates.
 */
import { z } from 'zod';
import { DeskStatus, FhirAppointmentStatus } from './status';
import { isLocalDate } from './time';
import { checkNhsNumber } from './nhs-number';

export const Id = z.string().min(1).max(128);
export const LocalDateSchema = z.string().refine(isLocalDate, { message: 'must be a date as YYYY-MM-DD' });
export const Instant = z.iso.datetime({ offset: true });

export const Practice = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  odsCode: z.string().max(10).nullable(),
});
export type Practice = z.infer<typeof Practice>;

export const CLINICIAN_ROLES = ['gp', 'nurse', 'hca', 'pharmacist', 'physio', 'paramedic', 'physician_associate', 'other'] as const;
export const ClinicianRole = z.enum(CLINICIAN_ROLES);
export type ClinicianRole = z.infer<typeof ClinicianRole>;
export const CLINICIAN_ROLE_LABEL: Record<ClinicianRole, string> = {
  gp: 'GP',
  nurse: 'Practice nurse',
  hca: 'Healthcare assistant',
  pharmacist: 'Clinical pharmacist',
  physio: 'First-contact physio',
  paramedic: 'Paramedic',
  physician_associate: 'Physician associate',
  other: 'Clinician',
};

export const Clinician = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  role: ClinicianRole,
  /** Default room; a session may override it. */
  room: z.string().max(50).nullable(),
});
export type Clinician = z.infer<typeof Clinician>;

export const Session = z.object({
  id: Id,
  clinicianId: Id,
  room: z.string().max(50).nullable(),
  date: LocalDateSchema,
  start: Instant,
  end: Instant,
  label: z.string().max(100).nullable(),
});
export type Session = z.infer<typeof Session>;

export const SLOT_STATUSES = ['free', 'busy', 'busy-unavailable', 'busy-tentative', 'entered-in-error'] as const;
export const SlotStatus = z.enum(SLOT_STATUSES);
export const Slot = z.object({
  id: Id,
  sessionId: Id.nullable(),
  clinicianId: Id,
  start: Instant,
  end: Instant,
  status: SlotStatus,
});
export type Slot = z.infer<typeof Slot>;

/** An address line longer than this is cut: a whole address fits in far less. */
export const MAX_ADDRESS = 300;

export const NHS_NUMBER_STATUSES = ['valid', 'invalid', 'missing'] as const;
export const NhsNumberStatus = z.enum(NHS_NUMBER_STATUSES);

/** Flags a receptionist must see at once; the time-sensitive ones go first on callback lists. */
export const PATIENT_FLAGS = ['suspected_cancer', 'anticoagulation', 'palliative', 'safeguarding', 'interpreter', 'wheelchair', 'hearing'] as const;
export const PatientFlag = z.enum(PATIENT_FLAGS);
export type PatientFlag = z.infer<typeof PatientFlag>;
export const TIME_SENSITIVE_FLAGS: readonly PatientFlag[] = ['suspected_cancer', 'anticoagulation', 'palliative'];
export const PATIENT_FLAG_LABEL: Record<PatientFlag, string> = {
  suspected_cancer: 'Suspected cancer (2WW)',
  anticoagulation: 'Anticoagulation',
  palliative: 'Palliative care',
  safeguarding: 'Safeguarding',
  interpreter: 'Interpreter needed',
  wheelchair: 'Wheelchair user',
  hearing: 'Hearing impaired',
};

/**
 * What the desk added to a patient the clinical system does not have: present only on patients registered at the
 * desk (a walk-in new to the practice). Such a patient exists only locally until merge-back creates it upstream,
 * so a refresh never removes it (the database refuses too: migration 0003).
 */
export const PatientDesk = z.object({
  origin: z.literal('desk'),
});
export type PatientDesk = z.infer<typeof PatientDesk>;

export const Patient = z.object({
  id: Id,
  nhsNumber: z.string().max(20).nullable(),
  /** Derived from nhsNumber with Modulus 11; never trusted from outside. */
  nhsNumberStatus: NhsNumberStatus,
  familyName: z.string().min(1).max(100),
  givenName: z.string().max(100),
  dateOfBirth: LocalDateSchema.nullable(),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  phone: z.string().max(40).nullable(),
  flags: z.array(PatientFlag),
  /**
   * Registered for a short stay (a visitor, a student on placement): FHIR's temporary resident. One notion whoever
   * says so: the practice list (EMIS's patient type, a patient-list CSV's registration type) or the desk, for a walk-in
   * it registers. Present only when true, so a record the list says nothing of reads as upstream sent it.
   */
  temporaryResident: z.literal(true).optional(),
  /** The practice list records a death: kept on the list, marked, never booked. Present only when true. */
  deceased: z.literal(true).optional(),
  /** The home address now in use as one line, when the practice list gives one. */
  address: z.string().max(MAX_ADDRESS).optional(),
  /** Absent on every record as pulled from upstream. */
  desk: PatientDesk.optional(),
});
export type Patient = z.infer<typeof Patient>;

/** What the practice list (or the desk, for a walk-in it registers) says of a patient beyond who they are. */
export interface PatientListFacts {
  deceased: boolean;
  temporaryResident: boolean;
  address: string | null;
}

/** The list's facts as a Patient holds them: each present only when it says something. */
export function withListFacts<T extends object>(p: T, f: PatientListFacts): T & Pick<Patient, 'deceased' | 'temporaryResident' | 'address'> {
  const address = f.address?.trim().slice(0, MAX_ADDRESS) ?? '';
  return { ...p, ...(f.deceased ? { deceased: true } : {}), ...(f.temporaryResident ? { temporaryResident: true } : {}), ...(address !== '' ? { address } : {}) };
}

/** Fills nhsNumberStatus from the number itself: the check is ours, not the source's. */
export function withNhsNumberStatus<T extends { nhsNumber: string | null }>(p: T): T & { nhsNumberStatus: z.infer<typeof NhsNumberStatus> } {
  const check = checkNhsNumber(p.nhsNumber);
  return { ...p, nhsNumber: check.status === 'missing' ? null : check.value, nhsNumberStatus: check.status };
}

export const APPOINTMENT_TYPES = ['face_to_face', 'telephone', 'home_visit', 'video'] as const;
export const AppointmentType = z.enum(APPOINTMENT_TYPES);
export type AppointmentType = z.infer<typeof AppointmentType>;
export const APPOINTMENT_TYPE_LABEL: Record<AppointmentType, string> = {
  face_to_face: 'Face to face',
  telephone: 'Telephone',
  home_visit: 'Home visit',
  video: 'Video',
};

/**
 * Care navigation of a walk-in (receptionists are not clinicians: this is where the patient goes, not a
 * diagnosis). Red-flag symptoms are not a category: they go to 999 before anything is registered.
 */
export const TRIAGE_CATEGORIES = ['urgent_today', 'same_day', 'routine', 'signposted'] as const;
export const TriageCategory = z.enum(TRIAGE_CATEGORIES);
export type TriageCategory = z.infer<typeof TriageCategory>;
export const TRIAGE_LABEL: Record<TriageCategory, string> = {
  urgent_today: 'Urgent today',
  same_day: 'Same day',
  routine: 'Routine',
  signposted: 'Signposted elsewhere',
};

export const APPOINTMENT_ORIGINS = ['upstream', 'walk_in', 'rebooked'] as const;
export const AppointmentOrigin = z.enum(APPOINTMENT_ORIGINS);
export type AppointmentOrigin = z.infer<typeof AppointmentOrigin>;

/** How a patient was called in: on the waiting-room display, or quietly (their call never shown there). */
export const CALL_KINDS = ['display', 'quiet'] as const;
export const CallKind = z.enum(CALL_KINDS);
export type CallKind = z.infer<typeof CallKind>;

/**
 * What the desk knows about an appointment that upstream does not: where it came from, the walk-in's triage,
 * the waiting-room ticket, how the patient was called, and rebooking links. Absent on a record the desk has
 * added nothing to, so every record as pulled reads exactly as upstream sent it.
 */
export const AppointmentDesk = z.object({
  origin: AppointmentOrigin,
  triage: TriageCategory.nullable(),
  /** Waiting for whoever is the duty clinician rather than a named clinician's list. */
  dutyList: z.boolean(),
  /** The day's ticket number, given at check-in: what the waiting-room display shows instead of a name. */
  ticket: z.number().int().positive().nullable(),
  call: CallKind.nullable(),
  /** The cancelled appointment this one replaces, and the one that replaced this one. */
  rebookedFrom: Id.nullable(),
  rebookedTo: Id.nullable(),
});
export type AppointmentDesk = z.infer<typeof AppointmentDesk>;

export const NO_DESK_INFO: AppointmentDesk = {
  origin: 'upstream',
  triage: null,
  dutyList: false,
  ticket: null,
  call: null,
  rebookedFrom: null,
  rebookedTo: null,
};

export const Appointment = z.object({
  id: Id,
  patientId: Id,
  clinicianId: Id,
  sessionId: Id.nullable(),
  slotId: Id.nullable(),
  start: Instant,
  end: Instant,
  type: AppointmentType,
  status: DeskStatus,
  /** What the status is upstream (FHIR_STATUS_OF[status]); kept so views and merge-back need not recompute. */
  fhirStatus: FhirAppointmentStatus,
  reason: z.string().max(500).nullable(),
  cancelReason: z.string().max(500).nullable(),
  arrivedAt: Instant.nullable(),
  sentInAt: Instant.nullable(),
  seenAt: Instant.nullable(),
  /** Local change counter: a desk acting on an older version is told of the other desk's change. */
  version: z.number().int().nonnegative(),
  /** Upstream version (FHIR versionId/ETag, or a content hash) as last pulled; merge-back's base. */
  upstreamVersion: z.string().max(200).nullable(),
  updatedAt: Instant,
  desk: AppointmentDesk.optional(),
});
export type Appointment = z.infer<typeof Appointment>;

/** One practice's book as a unit: what the demo generator and importers hand to the mirror. */
export const PracticeBook = z.object({
  practice: Practice,
  clinicians: z.array(Clinician),
  sessions: z.array(Session),
  slots: z.array(Slot),
  patients: z.array(Patient),
  appointments: z.array(Appointment),
});
export type PracticeBook = z.infer<typeof PracticeBook>;
