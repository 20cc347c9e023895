/**
 * A CSV export into an UpstreamBatch. One row per appointment (denormalised: the patient, clinician, session and
 * slot repeat on each row), or a row with no appointment_id and a slot_id for a free slot. Every record's
 * version is a sha256 of its own columns, so an unchanged patient on a re-imported file is skipped as unchanged.
 */
import {
  FHIR_STATUS_OF,
  PATIENT_FLAGS,
  withNhsNumberStatus,
  type Appointment,
  type Clinician,
  type Patient,
  type PatientFlag,
  type Practice,
  type Session,
  type Slot,
} from '../../../../shared/domain';
import { earliestKnown, emptyBatch, fingerprintOf, ImportError, sha256Version, type Problems, type ResourceType, type UpstreamBatch, type UpstreamItem } from '../batch';
import { makeLocalDateCache, parseDateCell, parseDateTimeCell } from '../time';
import { appointmentTypeFrom, deskStatusFromWord, isSlotStatus, patientFlagFrom, roleFrom } from '../vocabulary';
import { CsvSyntaxError, parseCsv } from './parse';
import { CSV_FIELD_NAMES, CSV_FIELDS, type CsvField, type ResolvedMapping } from './mapping';

export interface CsvReadOptions {
  file: string;
  source: string;
  mapping: ResolvedMapping;
  problems: Problems;
  /** A time the data is known to have been true upstream by: the file's modification time. */
  asOf?: string | null | undefined;
}

const PRACTICE_FIELDS: readonly CsvField[] = ['practiceId', 'practiceOdsCode', 'practiceName'];
const CLINICIAN_FIELDS: readonly CsvField[] = ['clinicianId', 'clinicianName', 'clinicianRole', 'clinicianRoom'];
const SESSION_FIELDS: readonly CsvField[] = ['sessionId', 'sessionStart', 'sessionEnd', 'sessionLabel', 'sessionRoom', 'clinicianId', 'date'];
const SLOT_FIELDS: readonly CsvField[] = ['slotId', 'slotStart', 'slotEnd', 'slotStatus', 'sessionId', 'clinicianId', 'date'];
const PATIENT_FIELDS: readonly CsvField[] = ['patientId', 'nhsNumber', 'familyName', 'givenName', 'dateOfBirth', 'sex', 'phone', 'flags'];
const APPOINTMENT_FIELDS: readonly CsvField[] = [
  'appointmentId',
  'status',
  'date',
  'start',
  'end',
  'durationMinutes',
  'type',
  'reason',
  'cancelReason',
  'arrivedAt',
  'sentInAt',
  'seenAt',
  'clinicianId',
  'patientId',
  'sessionId',
  'slotId',
];

/** Skips the rest of a row: its problem has been reported (or thrown). */
class RowRejected extends Error {}

export function readCsv(text: string, options: CsvReadOptions): UpstreamBatch {
  const { file, mapping, problems } = options;
  const fileError = (where: string, field: string, message: string) => new ImportError({ file, where, resourceType: null, id: null, field, message });
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) {
    throw fileError('the file', 'format', 'is said to be CSV but holds JSON (a FHIR Bundle? use --format fhir)');
  }
  let records;
  try {
    records = parseCsv(text, mapping.delimiter);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw fileError(`line ${error.line}`, 'CSV', error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw fileError('the file', 'header', 'the file is empty: a CSV import needs a header row naming its columns');
  const names = header.fields.map((h) => h.trim());
  // Control characters in the header: a binary file (a spreadsheet's .xlsx, say) given as CSV.
  if ([...names.join('')].some((ch) => ch.charCodeAt(0) < 0x20 && ch !== '\t')) {
    throw fileError('row 1', 'header', 'holds control characters: this is not a text CSV file');
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (name !== '' && seen.has(name)) throw fileError('row 1', name, 'the column appears twice in the header');
    seen.add(name);
  }
  const index = new Map<CsvField, number>();
  for (const field of CSV_FIELD_NAMES) {
    const column = mapping.columns[field];
    if (column === null) continue;
    const at = names.indexOf(column);
    if (at >= 0) index.set(field, at);
    else if (CSV_FIELDS[field].required || mapping.explicit.has(field)) {
      throw fileError('row 1 (the header)', `${column} (${field})`, `the column is missing; the header has: ${names.join(', ')}`);
    }
  }

  const batch = emptyBatch(options.source);
  const localDate = makeLocalDateCache();
  const dates = new Set<string>();
  /** What each shared record looked like where first seen, to catch two rows that disagree. */
  const firstSeen = new Map<string, { row: number; raw: Record<string, string> }>();
  let extractedAt: string | null = null;

  rows.forEach((record, i) => {
    const rowNumber = i + 2; // the header is row 1, as a spreadsheet shows it
    const where = record.line === rowNumber ? `row ${rowNumber}` : `row ${rowNumber} (line ${record.line})`;
    const cell = (field: CsvField): string => {
      const at = index.get(field);
      return at === undefined ? '' : (record.fields[at] ?? '').trim();
    };
    const columnOf = (field: CsvField): string => `${mapping.columns[field] ?? field}`;
    let rowType: ResourceType | null = null;
    let rowId: string | null = null;
    const reject = (field: CsvField | '(row)', message: string): never => {
      problems.report({ file, where, resourceType: rowType, id: rowId, field: field === '(row)' ? field : columnOf(field), message });
      throw new RowRejected();
    };
    const rawOf = (fields: readonly CsvField[]): Record<string, string> => {
      const raw: Record<string, string> = {};
      for (const f of fields) if (index.has(f)) raw[columnOf(f)] = cell(f);
      return raw;
    };
    /** The record seen before under this key must match; a disagreement names the first column that differs. */
    const consistent = (key: string, raw: Record<string, string>, fields: readonly CsvField[]): boolean => {
      const before = firstSeen.get(key);
      if (!before) {
        firstSeen.set(key, { row: rowNumber, raw });
        return true;
      }
      for (const f of fields) {
        const column = columnOf(f);
        if ((before.raw[column] ?? '') !== (raw[column] ?? '')) {
          reject(f, `${key} has "${before.raw[column] ?? ''}" here on row ${before.row} but "${raw[column] ?? ''}" on this row`);
        }
      }
      return false;
    };
    const item = <T>(resourceType: ResourceType, id: string, raw: Record<string, string>, entity: T, versionRaw = raw): UpstreamItem<T> => {
      const version = sha256Version(JSON.stringify(versionRaw));
      return { resourceType, id, version, fingerprint: fingerprintOf(version), format: 'csv', raw, entity, file, where };
    };
    const instant = (field: CsvField, date: string | null, required: boolean): string | null => {
      const value = cell(field);
      if (value === '') {
        if (required) reject(field, 'is empty');
        return null;
      }
      const parsed = parseDateTimeCell(value, date);
      if (parsed === null) {
        reject(field, date === null && /^\d{1,2}:\d{2}/.test(value) ? `"${value}" is a time with no date (map a date column)` : `"${value}" is not a date and time`);
      }
      return parsed;
    };

    try {
      if (record.fields.length !== names.length) reject('(row)', `has ${record.fields.length} fields, the header has ${names.length}`);
      const appointmentId = cell('appointmentId');
      const slotId = cell('slotId');
      rowType = appointmentId ? 'Appointment' : slotId ? 'Slot' : null;
      rowId = appointmentId || slotId || null;
      if (!appointmentId && !slotId) reject('appointmentId', 'is empty (a row is an appointment, or a free slot with a slot_id)');
      if (rowId !== null && rowId.length > 128) reject(appointmentId ? 'appointmentId' : 'slotId', 'is longer than 128 characters');
      const extractedText = cell('extractedAt');
      if (extractedText !== '') {
        const at = parseDateTimeCell(extractedText, null);
        if (at === null) reject('extractedAt', `"${extractedText}" is not a date and time (the export's time: 20/07/2026 08:30 or 2026-07-20T07:30:00Z)`);
        else extractedAt = earliestKnown([extractedAt, at]);
      }

      const dateText = cell('date');
      const date = dateText === '' ? null : parseDateCell(dateText);
      if (dateText !== '' && date === null) reject('date', `"${dateText}" is not a date (dd/mm/yyyy or yyyy-mm-dd)`);

      // The practice, when the file names it.
      if (cell('practiceOdsCode') || cell('practiceName') || cell('practiceId')) {
        const raw = rawOf(PRACTICE_FIELDS);
        const ods = cell('practiceOdsCode') || null;
        if (ods !== null && ods.length > 10) reject('practiceOdsCode', `"${ods}" is not an ODS code`);
        if (consistent('the practice', raw, PRACTICE_FIELDS)) {
          const practice: Practice = { id: cell('practiceId') || ods || 'practice', name: cell('practiceName') || 'Practice', odsCode: ods };
          batch.practice = item('Organization', practice.id, raw, practice);
        }
      }

      // The clinician.
      const clinicianId = cell('clinicianId');
      if (!clinicianId) reject('clinicianId', 'is empty');
      const clinicianRaw = rawOf(CLINICIAN_FIELDS);
      const roleText = cell('clinicianRole');
      if (consistent(`clinician ${clinicianId}`, clinicianRaw, CLINICIAN_FIELDS)) {
        const clinician: Clinician = {
          id: clinicianId,
          name: (cell('clinicianName') || clinicianId).slice(0, 200),
          role: roleText ? (roleFrom(roleText) ?? 'other') : 'other',
          room: cell('clinicianRoom') || null,
        };
        batch.clinicians.set(clinicianId, item('Practitioner', clinicianId, clinicianRaw, clinician));
      }

      // The session, if the row names one.
      const sessionId = cell('sessionId');
      if (sessionId && !batch.clinicians.has(clinicianId)) reject('clinicianId', `clinician ${clinicianId} could not be read (see its first row)`);
      if (sessionId) {
        const raw = rawOf(SESSION_FIELDS);
        if (consistent(`session ${sessionId}`, raw, SESSION_FIELDS)) {
          const start = instant('sessionStart', date, true) ?? '';
          const end = instant('sessionEnd', date, true) ?? '';
          if (end < start) reject('sessionEnd', 'ends before the session starts');
          const session: Session = { id: sessionId, clinicianId, room: cell('sessionRoom') || null, date: localDate(start), start, end, label: cell('sessionLabel') || null };
          batch.sessions.set(sessionId, item('Schedule', sessionId, raw, session));
        }
      }

      // The appointment's own times (a free-slot row uses them for the slot).
      const start = instant('start', date, true) ?? '';
      let end = instant('end', date, false);
      if (end === null) {
        const minutes = Number(cell('durationMinutes'));
        if (cell('durationMinutes') === '' || !Number.isFinite(minutes) || minutes <= 0) {
          reject(index.has('end') ? 'end' : 'durationMinutes', 'is empty: give an end time or a duration in minutes');
        }
        end = new Date(Date.parse(start) + minutes * 60000).toISOString();
      }
      if (end < start) reject('end', 'ends before it starts');

      // The slot, if the row names one.
      if (slotId) {
        const raw = rawOf(SLOT_FIELDS);
        raw['(start)'] = start;
        raw['(end)'] = end;
        if (consistent(`slot ${slotId}`, raw, SLOT_FIELDS)) {
          const status = cell('slotStatus') || (appointmentId ? 'busy' : 'free');
          if (!isSlotStatus(status)) reject('slotStatus', `unknown slot status "${status}"`);
          const slot: Slot = {
            id: slotId,
            sessionId: sessionId || null,
            clinicianId,
            start: instant('slotStart', date, false) ?? start,
            end: instant('slotEnd', date, false) ?? end,
            status: status as Slot['status'],
          };
          batch.slots.set(slotId, item('Slot', slotId, raw, slot));
          dates.add(localDate(slot.start));
        }
      }
      if (!appointmentId) return;

      // The patient.
      const patientId = cell('patientId');
      if (!patientId) reject('patientId', 'is empty');
      const patientRaw = rawOf(PATIENT_FIELDS);
      if (consistent(`patient ${patientId}`, patientRaw, PATIENT_FIELDS)) {
        const family = cell('familyName');
        if (!family) reject('familyName', 'is empty: a patient needs a family name');
        const dobText = cell('dateOfBirth');
        const dob = dobText === '' ? null : parseDateCell(dobText);
        if (dobText !== '' && dob === null) reject('dateOfBirth', `"${dobText}" is not a date (dd/mm/yyyy or yyyy-mm-dd)`);
        const sex = sexFrom(cell('sex'));
        if (sex === null) reject('sex', `"${cell('sex')}" is not female, male, other or unknown`);
        const flags = new Set<PatientFlag>();
        for (const word of cell('flags').split(/[;|]/)) {
          const flag = word.trim() ? patientFlagFrom(word) : null;
          if (flag) flags.add(flag);
        }
        const patient: Patient = withNhsNumberStatus({
          id: patientId,
          nhsNumber: cell('nhsNumber') ? cell('nhsNumber').slice(0, 20) : null,
          familyName: family.slice(0, 100),
          givenName: cell('givenName').slice(0, 100),
          dateOfBirth: dob,
          sex: sex ?? 'unknown',
          phone: cell('phone') ? cell('phone').slice(0, 40) : null,
          flags: PATIENT_FLAGS.filter((f) => flags.has(f)),
        });
        batch.patients.set(patientId, item('Patient', patientId, patientRaw, patient));
      }

      // The appointment. What it refers to must have been read (on this row or an earlier one).
      const unread = (what: string, id: string) => `${what} ${id} could not be read (see its first row)`;
      if (!batch.clinicians.has(clinicianId)) reject('clinicianId', unread('clinician', clinicianId));
      if (!batch.patients.has(patientId)) reject('patientId', unread('patient', patientId));
      if (sessionId && !batch.sessions.has(sessionId)) reject('sessionId', unread('session', sessionId));
      if (slotId && !batch.slots.has(slotId)) reject('slotId', unread('slot', slotId));
      if (batch.appointments.has(appointmentId))
        reject('appointmentId', `appointment ${appointmentId} is also on ${batch.appointments.get(appointmentId)?.where ?? 'another row'}`);
      const statusText = cell('status');
      const status = deskStatusFromWord(statusText);
      if (statusText === '') reject('status', 'is empty');
      if (status === undefined) reject('status', `unknown status "${statusText}"`);
      // entered-in-error or waitlist: not in the day's book (as for FHIR).
      if (!status) return;
      const typeText = cell('type');
      const type = typeText ? appointmentTypeFrom(typeText) : 'face_to_face';
      if (type === null) reject('type', `unknown appointment mode "${typeText}"`);
      const appointment: Appointment = {
        id: appointmentId,
        patientId,
        clinicianId,
        sessionId: sessionId || null,
        slotId: slotId || null,
        start,
        end,
        type: type ?? 'face_to_face',
        status,
        fhirStatus: FHIR_STATUS_OF[status],
        reason: cell('reason') ? cell('reason').slice(0, 500) : null,
        cancelReason: cell('cancelReason') ? cell('cancelReason').slice(0, 500) : null,
        arrivedAt: instant('arrivedAt', localDate(start), false),
        sentInAt: instant('sentInAt', localDate(start), false),
        seenAt: instant('seenAt', localDate(start), false),
        version: 0,
        upstreamVersion: null,
        updatedAt: start,
      };
      const rowRaw: Record<string, string> = {};
      names.forEach((name, k) => {
        if (name !== '') rowRaw[name] = record.fields[k] ?? '';
      });
      const it = item('Appointment', appointmentId, rowRaw, appointment, rawOf(APPOINTMENT_FIELDS));
      it.entity.upstreamVersion = it.version;
      batch.appointments.set(appointmentId, it);
      dates.add(localDate(start));
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
    }
  });
  batch.dates = [...dates].sort();
  batch.asOf = earliestKnown([options.asOf, extractedAt]);
  batch.invalid = problems.list;
  return batch;
}

function sexFrom(text: string): Patient['sex'] | null {
  switch (text.trim().toLowerCase()) {
    case '':
    case 'u':
    case 'unknown':
    case 'not known':
    case 'not specified':
      return 'unknown';
    case 'f':
    case 'female':
      return 'female';
    case 'm':
    case 'male':
      return 'male';
    case 'o':
    case 'other':
    case 'indeterminate':
      return 'other';
    default:
      return null;
  }
}
