/**
 * The one CSV mapping (issue 19 item 3): which column of a report export or a Vision backup file holds which desk
 * field. The field list, the JSON shape of a mapping file and the default live here, in shared/, because the
 * manager's mapping screen (renderer/src/feeds) builds the same mapping the importer reads
 * (electron/desk/upstream/csv/mapping.ts re-exports them and resolves a mapping for the reader).
 *
 * A mapping is JSON: { "columns": { "<field>": "<column header>" | null }, "delimiter": "," }, laid over the
 * default, so it names only what differs; null means "this file has no such column". The default is built on the
 * NHS Data Dictionary's GP Data Set "Appointment" vocabulary and documented in docs/csv-import.md.
 *
 * Operations: previewFeedMapping (a sample file's first rows, a guessed mapping and what each row becomes),
 * saveFeedMapping (the practice's own mapping, kept in the database, audited) and getFeedMapping (the saved one,
 * and which mapping the watched folder uses). Managers only: a mapping decides what the whole book becomes.
 */
import { z } from 'zod';
import { Appointment, Clinician, Patient, Slot } from '../domain/entities';
import type { OperationEntry } from './policy';

export interface CsvFieldSpec {
  column: string;
  /** Needed on every appointment row, so the column must be in the header. */
  required: boolean;
  /** A GP Data Set Appointment field name, rather than one of ours in its style. */
  gpDataSet: boolean;
  /** What the mapping screen calls the field. */
  label: string;
  what: string;
}

export const CSV_FIELDS = {
  practiceId: { column: 'practice_id', required: false, gpDataSet: false, label: 'Practice id', what: 'Practice id (default: the ODS code, else "practice")' },
  practiceOdsCode: { column: 'provider_id', required: false, gpDataSet: true, label: 'Practice ODS code', what: "Practice's ODS code" },
  practiceName: { column: 'practice_name', required: false, gpDataSet: false, label: 'Practice name', what: 'Practice name' },
  extractedAt: {
    column: 'extracted_at',
    required: false,
    gpDataSet: false,
    label: 'Exported at',
    what: 'When the export was taken, as for start (a London date and time, or an instant with a zone); the earliest on any row, or the file\'s modification time if earlier, is the mirror\'s "as of"',
  },
  appointmentId: { column: 'appointment_id', required: true, gpDataSet: true, label: 'Appointment id', what: 'Appointment id; empty on a row that is only a free slot' },
  status: {
    column: 'appointment_status',
    required: true,
    gpDataSet: false,
    label: 'Status',
    what: 'FHIR status code, desk status, or a common word (Booked, Arrived, DNA, Did not attend, Cancelled, Seen...)',
  },
  date: { column: 'appointment_date', required: false, gpDataSet: false, label: 'Date', what: 'Date, dd/mm/yyyy or yyyy-mm-dd; needed when the time columns hold times only' },
  start: {
    column: 'appointment_start_time',
    required: true,
    gpDataSet: false,
    label: 'Start',
    what: 'Start: HH:MM London time on the date, a London date and time, or an instant with a zone',
  },
  end: { column: 'appointment_end_time', required: false, gpDataSet: false, label: 'End', what: 'End, as for start (or give a duration)' },
  durationMinutes: { column: 'appointment_duration', required: false, gpDataSet: false, label: 'Length (minutes)', what: 'Planned length in minutes, when there is no end column' },
  type: {
    column: 'appointment_mode',
    required: false,
    gpDataSet: false,
    label: 'Mode',
    what: 'Face-to-Face, Telephone, Home Visit, Video Conference/Online (GP Appointments Data modes) or our ids',
  },
  reason: { column: 'appointment_reason', required: false, gpDataSet: false, label: 'Reason', what: 'Reason or booking note' },
  cancelReason: { column: 'cancellation_reason', required: false, gpDataSet: false, label: 'Cancellation reason', what: 'Why it was cancelled' },
  arrivedAt: { column: 'arrival_time', required: false, gpDataSet: true, label: 'Arrived at', what: 'When the patient arrived' },
  sentInAt: { column: 'actual_start_date_time', required: false, gpDataSet: true, label: 'Sent in at', what: 'When the consultation started (sent in)' },
  seenAt: { column: 'actual_end_date_time', required: false, gpDataSet: true, label: 'Seen at', what: 'When the consultation ended (seen)' },
  clinicianId: { column: 'appointment_clinician', required: true, gpDataSet: true, label: 'Clinician id', what: 'Clinician id' },
  clinicianName: { column: 'clinician_name', required: false, gpDataSet: false, label: 'Clinician name', what: 'Clinician name as shown (default: the id)' },
  clinicianRole: { column: 'clinician_role', required: false, gpDataSet: false, label: 'Clinician role', what: 'GP, Practice nurse, HCA, Pharmacist, ... (default: Clinician)' },
  clinicianRoom: { column: 'clinician_room', required: false, gpDataSet: false, label: 'Clinician room', what: "Clinician's usual room" },
  sessionId: { column: 'session_id', required: false, gpDataSet: false, label: 'Session id', what: 'Session id' },
  sessionStart: { column: 'session_start_time', required: false, gpDataSet: false, label: 'Session start', what: 'Session start, as for start' },
  sessionEnd: { column: 'session_end_time', required: false, gpDataSet: false, label: 'Session end', what: 'Session end' },
  sessionLabel: { column: 'session_name', required: false, gpDataSet: false, label: 'Session name', what: 'Session name ("Morning surgery")' },
  sessionRoom: { column: 'session_room', required: false, gpDataSet: false, label: 'Session room', what: 'Room for the session' },
  slotId: { column: 'slot_id', required: false, gpDataSet: false, label: 'Slot id', what: 'Slot id' },
  slotStart: { column: 'slot_start_time', required: false, gpDataSet: false, label: 'Slot start', what: 'Slot start (default: the appointment start)' },
  slotEnd: { column: 'slot_end_time', required: false, gpDataSet: false, label: 'Slot end', what: 'Slot end (default: the appointment end)' },
  slotStatus: {
    column: 'slot_status',
    required: false,
    gpDataSet: false,
    label: 'Slot status',
    what: 'free, busy, busy-unavailable, busy-tentative (default: busy if booked, free if not)',
  },
  patientId: { column: 'patient_id', required: true, gpDataSet: false, label: 'Patient id', what: 'Patient id' },
  nhsNumber: { column: 'nhs_number', required: false, gpDataSet: false, label: 'NHS number', what: 'NHS number (spaces allowed; checked with Modulus 11)' },
  familyName: { column: 'family_name', required: true, gpDataSet: false, label: 'Family name', what: 'Family name' },
  givenName: { column: 'given_name', required: false, gpDataSet: false, label: 'Given name', what: 'Given names' },
  dateOfBirth: { column: 'date_of_birth', required: false, gpDataSet: false, label: 'Date of birth', what: 'Date of birth, dd/mm/yyyy or yyyy-mm-dd' },
  sex: { column: 'sex', required: false, gpDataSet: false, label: 'Sex', what: 'female, male, other, unknown (or F, M, U)' },
  phone: { column: 'phone', required: false, gpDataSet: false, label: 'Phone', what: 'Phone number' },
  flags: {
    column: 'patient_flags',
    required: false,
    gpDataSet: false,
    label: 'Flags',
    what: 'Flags separated by ";": suspected_cancer (2WW), anticoagulation, palliative, safeguarding, interpreter, wheelchair, hearing',
  },
} as const satisfies Record<string, CsvFieldSpec>;

export type CsvField = keyof typeof CSV_FIELDS;
export const CSV_FIELD_NAMES = Object.keys(CSV_FIELDS) as CsvField[];

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

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

/** A mapping file's JSON, and a mapping sent by the screen: the same shape. */
export const CsvMappingFile = z.strictObject({
  columns: z.strictObject(columnsShape).optional(),
  delimiter: z.enum(CSV_DELIMITERS).optional(),
});
export type CsvMappingFile = z.infer<typeof CsvMappingFile>;

/** Every field named: what the screen shows, guesses and saves (nothing left to a default the screen did not show). */
export function completeMapping(file: CsvMappingFile = {}): { columns: Record<CsvField, string | null>; delimiter: CsvDelimiter } {
  const columns = Object.fromEntries(CSV_FIELD_NAMES.map((f) => [f, file.columns?.[f] === undefined ? DEFAULT_CSV_MAPPING.columns[f] : (file.columns[f] ?? null)])) as Record<
    CsvField,
    string | null
  >;
  return { columns, delimiter: file.delimiter ?? ',' };
}

/**
 * Ready-made mappings, chosen on the screen. Only a layout whose columns are published is a preset without a
 * "guess" mark: today that is Standby Desk's own (the default, which `bookToCsv` and the desk's CSV export write).
 * Vision's Appointments backup columns are not published anywhere we found (../shared/FEEDS.md), and EMIS and
 * SystmOne reports have the columns each practice picks, so there is no preset claiming to be theirs: the screen
 * guesses those from a sample. The EMIS and SystmOne bulk extracts are sets of files with their own reader, not a
 * one-row-per-appointment CSV.
 */
export interface FeedMappingPreset {
  id: string;
  label: string;
  /** True when the column names come from a published layout; false when they are our guess. */
  published: boolean;
  note: string;
  mapping: CsvMappingFile;
}

export const FEED_MAPPING_PRESETS: readonly FeedMappingPreset[] = [
  {
    id: 'standby-desk',
    label: 'Standby Desk CSV (the default)',
    published: true,
    note: 'The GP Data Set style columns in docs/csv-import.md; what Standby Desk itself exports.',
    mapping: completeMapping(),
  },
  {
    id: 'report-headings',
    label: 'A report with plain headings (a guess)',
    published: false,
    note: 'A guess at a report built by hand in a clinical system ("Appointment Date", "Start Time", "Surname"...): no supplier publishes one. Check every column below.',
    mapping: completeMapping({
      columns: {
        practiceId: null,
        practiceOdsCode: 'ODS Code',
        practiceName: 'Practice',
        extractedAt: null,
        appointmentId: 'Appointment ID',
        status: 'Status',
        date: 'Appointment Date',
        start: 'Start Time',
        end: 'End Time',
        durationMinutes: 'Duration',
        type: 'Appointment Type',
        reason: 'Reason',
        cancelReason: null,
        arrivedAt: 'Arrival Time',
        sentInAt: null,
        seenAt: null,
        clinicianId: 'Clinician',
        clinicianName: null,
        clinicianRole: null,
        clinicianRoom: null,
        sessionId: 'Session',
        sessionStart: null,
        sessionEnd: null,
        sessionLabel: null,
        sessionRoom: 'Location',
        slotId: 'Slot ID',
        slotStart: null,
        slotEnd: null,
        slotStatus: null,
        patientId: 'Patient ID',
        nhsNumber: 'NHS Number',
        familyName: 'Surname',
        givenName: 'Forename',
        dateOfBirth: 'Date of Birth',
        sex: 'Gender',
        phone: 'Telephone',
        flags: null,
      },
    }),
  },
];

/**
 * Largest sample the screen sends: the first rows are all it shows, so a sample is the top of the file. Kept well
 * under the HTTP server's 64 KB request limit (electron/server/server.ts), JSON escaping and UTF-8 included.
 */
export const FEED_SAMPLE_MAX_CHARS = 20_000;
/** Lines of the file the screen sends: the header and the shown rows, with room for line breaks inside quoted fields. */
export const FEED_SAMPLE_MAX_LINES = 60;
/** Rows of the sample shown and previewed. */
export const FEED_PREVIEW_ROWS = 10;

export const FeedMappingName = z.string().trim().min(1, 'give the mapping a name').max(100);

/** What one shown row becomes on import: an appointment (with its patient and clinician), a free slot, left out, or its problem. */
export const FeedRowOutcome = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('appointment'), appointment: Appointment, patient: Patient.nullable(), clinician: Clinician.nullable() }),
  z.object({ kind: z.literal('free-slot'), slot: Slot }),
  /** Read, but not part of the day's book (entered in error, waitlist). */
  z.object({ kind: z.literal('left-out'), why: z.string() }),
  /** The row's problem: the column it is in (as the header names it) and what is wrong. */
  z.object({ kind: z.literal('problem'), column: z.string(), message: z.string() }),
]);
export type FeedRowOutcome = z.infer<typeof FeedRowOutcome>;

export const FeedMappingPreview = z.object({
  header: z.array(z.string()),
  /** The mapping previewed: the one sent, or the guess when none was sent. Every field named. */
  mapping: z.object({ columns: z.record(z.string(), z.string().nullable()), delimiter: z.enum(CSV_DELIMITERS) }),
  /** The guess from the sample's names and values, always sent so the screen can go back to it. */
  guessed: z.object({ columns: z.record(z.string(), z.string().nullable()), delimiter: z.enum(CSV_DELIMITERS) }),
  /** The first rows as the file has them, with their spreadsheet row numbers (the header is row 1). */
  rows: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()), becomes: FeedRowOutcome })),
  /** Problems with the mapping itself (a required field with no column, a column not in the header): none to save. */
  problems: z.array(z.string()),
});
export type FeedMappingPreview = z.infer<typeof FeedMappingPreview>;

export const SavedFeedMapping = z.object({
  name: z.string(),
  mapping: CsvMappingFile,
  savedAt: z.string(),
  savedBy: z.string(),
});
export type SavedFeedMapping = z.infer<typeof SavedFeedMapping>;

/** Which mapping the watched folder reads CSV files with. */
export const FeedMappingInForce = z.discriminatedUnion('source', [
  /** upkeep-settings.json's watch.mapping names a file: it wins over the saved one. */
  z.object({ source: z.literal('file'), file: z.string() }),
  z.object({ source: z.literal('saved'), name: z.string() }),
  z.object({ source: z.literal('default') }),
]);
export type FeedMappingInForce = z.infer<typeof FeedMappingInForce>;

export const FeedMappingState = z.object({ saved: SavedFeedMapping.nullable(), inForce: FeedMappingInForce });
export type FeedMappingState = z.infer<typeof FeedMappingState>;

export const FEED_MAPPING_CONTRACT = {
  /** A sample file's header, first rows, guessed mapping and what each row becomes. Writes nothing. */
  previewFeedMapping: {
    input: z.strictObject({ sample: z.string().max(FEED_SAMPLE_MAX_CHARS, 'the sample is too big: send the top of the file'), mapping: CsvMappingFile.optional() }),
    output: FeedMappingPreview,
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** The practice's own mapping, replacing any saved before; audited ('settings-changed'). */
  saveFeedMapping: {
    input: z.strictObject({ name: FeedMappingName, mapping: CsvMappingFile }),
    output: FeedMappingState,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  getFeedMapping: {
    input: z.strictObject({}),
    output: FeedMappingState,
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
} as const satisfies Record<string, OperationEntry>;
