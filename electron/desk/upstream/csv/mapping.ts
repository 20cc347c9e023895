/**
 * Which CSV column holds which field. No GP system publishes an export layout, so the mapping is configurable;
 * the default is built on the NHS Data Dictionary's GP Data Set "Appointment" vocabulary (appointment_id,
 * appointment_clinician, arrival_time, actual_start_date_time, ...) and documented in docs/csv-import.md.
 * A mapping file is JSON: { "columns": { "<field>": "<column header>" | null }, "delimiter": "," }; it is laid
 * over the default, so it names only what differs. null means "this file has no such column".
 */
import { z } from 'zod';

export interface CsvFieldSpec {
  column: string;
  /** Needed on every appointment row, so the column must be in the header. */
  required: boolean;
  /** A GP Data Set Appointment field name, rather than one of ours in its style. */
  gpDataSet: boolean;
  what: string;
}

export const CSV_FIELDS = {
  practiceId: { column: 'practice_id', required: false, gpDataSet: false, what: 'Practice id (default: the ODS code, else "practice")' },
  practiceOdsCode: { column: 'provider_id', required: false, gpDataSet: true, what: "Practice's ODS code" },
  practiceName: { column: 'practice_name', required: false, gpDataSet: false, what: 'Practice name' },
  extractedAt: {
    column: 'extracted_at',
    required: false,
    gpDataSet: false,
    what: 'When the export was taken, as for start (a London date and time, or an instant with a zone); the earliest on any row, or the file\'s modification time if earlier, is the mirror\'s "as of"',
  },
  appointmentId: { column: 'appointment_id', required: true, gpDataSet: true, what: 'Appointment id; empty on a row that is only a free slot' },
  status: {
    column: 'appointment_status',
    required: true,
    gpDataSet: false,
    what: 'FHIR status code, desk status, or a common word (Booked, Arrived, DNA, Did not attend, Cancelled, Seen...)',
  },
  date: { column: 'appointment_date', required: false, gpDataSet: false, what: 'Date, dd/mm/yyyy or yyyy-mm-dd; needed when the time columns hold times only' },
  start: { column: 'appointment_start_time', required: true, gpDataSet: false, what: 'Start: HH:MM London time on the date, a London date and time, or an instant with a zone' },
  end: { column: 'appointment_end_time', required: false, gpDataSet: false, what: 'End, as for start (or give a duration)' },
  durationMinutes: { column: 'appointment_duration', required: false, gpDataSet: false, what: 'Planned length in minutes, when there is no end column' },
  type: {
    column: 'appointment_mode',
    required: false,
    gpDataSet: false,
    what: 'Face-to-Face, Telephone, Home Visit, Video Conference/Online (GP Appointments Data modes) or our ids',
  },
  reason: { column: 'appointment_reason', required: false, gpDataSet: false, what: 'Reason or booking note' },
  cancelReason: { column: 'cancellation_reason', required: false, gpDataSet: false, what: 'Why it was cancelled' },
  arrivedAt: { column: 'arrival_time', required: false, gpDataSet: true, what: 'When the patient arrived' },
  sentInAt: { column: 'actual_start_date_time', required: false, gpDataSet: true, what: 'When the consultation started (sent in)' },
  seenAt: { column: 'actual_end_date_time', required: false, gpDataSet: true, what: 'When the consultation ended (seen)' },
  clinicianId: { column: 'appointment_clinician', required: true, gpDataSet: true, what: 'Clinician id' },
  clinicianName: { column: 'clinician_name', required: false, gpDataSet: false, what: 'Clinician name as shown (default: the id)' },
  clinicianRole: { column: 'clinician_role', required: false, gpDataSet: false, what: 'GP, Practice nurse, HCA, Pharmacist, ... (default: Clinician)' },
  clinicianRoom: { column: 'clinician_room', required: false, gpDataSet: false, what: "Clinician's usual room" },
  sessionId: { column: 'session_id', required: false, gpDataSet: false, what: 'Session id' },
  sessionStart: { column: 'session_start_time', required: false, gpDataSet: false, what: 'Session start, as for start' },
  sessionEnd: { column: 'session_end_time', required: false, gpDataSet: false, what: 'Session end' },
  sessionLabel: { column: 'session_name', required: false, gpDataSet: false, what: 'Session name ("Morning surgery")' },
  sessionRoom: { column: 'session_room', required: false, gpDataSet: false, what: 'Room for the session' },
  slotId: { column: 'slot_id', required: false, gpDataSet: false, what: 'Slot id' },
  slotStart: { column: 'slot_start_time', required: false, gpDataSet: false, what: 'Slot start (default: the appointment start)' },
  slotEnd: { column: 'slot_end_time', required: false, gpDataSet: false, what: 'Slot end (default: the appointment end)' },
  slotStatus: { column: 'slot_status', required: false, gpDataSet: false, what: 'free, busy, busy-unavailable, busy-tentative (default: busy if booked, free if not)' },
  patientId: { column: 'patient_id', required: true, gpDataSet: false, what: 'Patient id' },
  nhsNumber: { column: 'nhs_number', required: false, gpDataSet: false, what: 'NHS number (spaces allowed; checked with Modulus 11)' },
  familyName: { column: 'family_name', required: true, gpDataSet: false, what: 'Family name' },
  givenName: { column: 'given_name', required: false, gpDataSet: false, what: 'Given names' },
  dateOfBirth: { column: 'date_of_birth', required: false, gpDataSet: false, what: 'Date of birth, dd/mm/yyyy or yyyy-mm-dd' },
  sex: { column: 'sex', required: false, gpDataSet: false, what: 'female, male, other, unknown (or F, M, U)' },
  phone: { column: 'phone', required: false, gpDataSet: false, what: 'Phone number' },
  flags: {
    column: 'patient_flags',
    required: false,
    gpDataSet: false,
    what: 'Flags separated by ";": suspected_cancer (2WW), anticoagulation, palliative, safeguarding, interpreter, wheelchair, hearing',
  },
} as const satisfies Record<string, CsvFieldSpec>;

export type CsvField = keyof typeof CSV_FIELDS;
export const CSV_FIELD_NAMES = Object.keys(CSV_FIELDS) as CsvField[];

export interface CsvMapping {
  columns: Record<CsvField, string | null>;
  delimiter: string;
}

/** The default mapping as a JSON-able object: what docs/csv-import.md shows and a mapping file overrides. */
export const DEFAULT_CSV_MAPPING: CsvMapping = {
  columns: Object.fromEntries(CSV_FIELD_NAMES.map((f) => [f, CSV_FIELDS[f].column])) as Record<CsvField, string>,
  delimiter: ',',
};

const columnsShape = Object.fromEntries(CSV_FIELD_NAMES.map((f) => [f, z.string().trim().min(1).max(200).nullable().optional()])) as Record<
  CsvField,
  z.ZodOptional<z.ZodNullable<z.ZodString>>
>;

export const CsvMappingFile = z.strictObject({
  columns: z.strictObject(columnsShape).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
});
export type CsvMappingFile = z.infer<typeof CsvMappingFile>;

export interface ResolvedMapping extends CsvMapping {
  /** Fields the mapping file named: their columns must be in the file, whether required or not. */
  explicit: ReadonlySet<CsvField>;
}

export class MappingError extends Error {}

/** Lays a mapping file over the default. Refuses unknown fields and a required field mapped to nothing. */
export function resolveMapping(file?: CsvMappingFile): ResolvedMapping {
  const columns = { ...DEFAULT_CSV_MAPPING.columns };
  const explicit = new Set<CsvField>();
  for (const field of CSV_FIELD_NAMES) {
    const value = file?.columns?.[field];
    if (value === undefined) continue;
    if (value === null && CSV_FIELDS[field].required) throw new MappingError(`columns.${field}: is required and cannot be null`);
    columns[field] = value;
    if (value !== null) explicit.add(field);
  }
  return { columns, delimiter: file?.delimiter ?? DEFAULT_CSV_MAPPING.delimiter, explicit };
}

/** Parses a mapping file's JSON text; the message names the field that is wrong. */
export function parseMappingFile(text: string, name: string): ResolvedMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = CsvMappingFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : '(mapping)';
    const message = issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}; the fields are ${CSV_FIELD_NAMES.join(', ')}` : issue?.message;
    throw new MappingError(`${name}: ${where}: ${message ?? 'is not a column mapping'}`);
  }
  try {
    return resolveMapping(parsed.data);
  } catch (error) {
    throw new MappingError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
