/**
 * The mapping screen's backend (issue 19 item 3): from a sample file, guess which column holds which desk field,
 * and show what each of the first rows becomes. The preview runs the importer's own reader (read.ts) over the
 * sample's first rows, so what the screen shows is what an import will do: there is no second parser.
 *
 * The guess is from the columns' names (our default's, the GP Data Set's, the EMIS and SystmOne extracts' and
 * common report headings) and from their values (a column of dd/mm/yyyy is a date, 10 digits passing Modulus 11 an
 * NHS number, HH:MM a time, "Booked"/"DNA" a status...). It is a starting point the manager checks, never saved
 * by itself.
 */
import {
  CSV_DELIMITERS,
  CSV_FIELD_NAMES,
  CSV_FIELDS,
  completeMapping,
  FEED_PREVIEW_ROWS,
  type CsvDelimiter,
  type CsvField,
  type CsvMappingFile,
  type FeedMappingPreview,
  type FeedRowOutcome,
} from '../../../../shared/api/feed-mapping';
import { isValidNhsNumber } from '../../../../shared/domain';
import { ImportError, Problems, type InvalidRecord } from '../batch';
import { parseDateCell, parseDateTimeCell } from '../time';
import { appointmentTypeFrom, deskStatusFromWord, isSlotStatus } from '../vocabulary';
import type { ResolvedMapping } from './mapping';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './parse';
import { readCsv } from './read';

type Columns = Record<CsvField, string | null>;
export interface GuessedMapping {
  columns: Columns;
  delimiter: CsvDelimiter;
}

/** Lower case, letters and digits only: "Appointment Date", "appointment_date" and "AppointmentDate" are one name. */
const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Names each field goes by, best first: ours, then the EMIS extract's and SystmOne's (FEEDS.md), then report
 * headings people write. Whole-name matches only, except where `contains` says a part is enough.
 */
const NAMES: Record<CsvField, readonly string[]> = {
  practiceId: ['practiceid', 'organisationguid', 'idorganisation'],
  practiceOdsCode: ['providerid', 'odscode', 'ods', 'practicecode', 'organisationcode'],
  practiceName: ['practicename', 'practice', 'surgery', 'organisationname'],
  extractedAt: ['extractedat', 'exportedat', 'extractdate', 'exportdate', 'reportdate', 'runat', 'generatedat'],
  appointmentId: ['appointmentid', 'apptid', 'appointmentref', 'apptref', 'appointmentguid', 'rowidentifier', 'appointmentnumber', 'bookingid', 'bookingref'],
  status: ['appointmentstatus', 'status', 'apptstatus', 'attendance', 'outcome', 'bookingstatus'],
  date: ['appointmentdate', 'date', 'apptdate', 'sessiondate', 'slotdate', 'day'],
  start: ['appointmentstarttime', 'starttime', 'start', 'time', 'appttime', 'appointmenttime', 'appointmentstart', 'datestart', 'slottime'],
  end: ['appointmentendtime', 'endtime', 'end', 'finishtime', 'finish', 'dateend', 'appointmentend'],
  durationMinutes: ['appointmentduration', 'duration', 'plannneddurationinminutes', 'planneddurationinminutes', 'durationmins', 'length', 'minutes', 'slotlength'],
  type: ['appointmentmode', 'mode', 'appointmenttype', 'type', 'slottype', 'rotaslottype', 'consultationtype', 'deliverychannel', 'consultationmode'],
  reason: ['appointmentreason', 'reason', 'bookingnotes', 'notes', 'comment', 'comments', 'bookingreason', 'description'],
  cancelReason: ['cancellationreason', 'cancelreason', 'reasoncancelled'],
  arrivedAt: ['arrivaltime', 'arrivedat', 'arrived', 'datepatientarrival', 'arrivedtime'],
  sentInAt: ['actualstartdatetime', 'sendintime', 'sentinat', 'sentin', 'datepatientseen', 'calledin'],
  seenAt: ['actualenddatetime', 'lefttime', 'seenat', 'finishedat', 'left'],
  clinicianId: ['appointmentclinician', 'clinicianid', 'clinician', 'idclinician', 'userinroleguid', 'staffid', 'practitionerid', 'hcpid', 'practitioner', 'staff', 'hcp', 'with'],
  clinicianName: ['clinicianname', 'staffname', 'practitionername', 'hcpname', 'doctor', 'clinicianfullname'],
  clinicianRole: ['clinicianrole', 'role', 'staffrole', 'jobrole', 'jobcategory', 'profession', 'stafftype'],
  clinicianRoom: ['clinicianroom', 'usualroom'],
  sessionId: ['sessionid', 'sessionguid', 'appointmentsessionguid', 'session', 'idrota', 'rotaid', 'rota'],
  sessionStart: ['sessionstarttime', 'sessionstart'],
  sessionEnd: ['sessionendtime', 'sessionend'],
  sessionLabel: ['sessionname', 'sessiondescription', 'sessionlabel', 'rotaname', 'sessiontype', 'sessiontypedescription'],
  sessionRoom: ['sessionroom', 'room', 'location', 'rotalocation', 'site', 'branch'],
  slotId: ['slotid', 'slotguid', 'slot', 'slotref', 'idrotaslot'],
  slotStart: ['slotstarttime', 'slotstart'],
  slotEnd: ['slotendtime', 'slotend'],
  slotStatus: ['slotstatus'],
  patientId: ['patientid', 'patientguid', 'idpatient', 'patientnumber', 'patientref', 'emisnumber', 'emisno', 'systmonenumber', 'patient'],
  nhsNumber: ['nhsnumber', 'nhsno', 'nhs'],
  familyName: ['familyname', 'surname', 'lastname', 'patientsurname', 'family'],
  givenName: ['givenname', 'forename', 'forenames', 'firstname', 'givennames', 'patientforename'],
  dateOfBirth: ['dateofbirth', 'dob', 'birthdate', 'datebirth', 'born'],
  sex: ['sex', 'gender'],
  phone: ['phone', 'telephone', 'mobile', 'mobilephone', 'phonenumber', 'homephone', 'contactnumber', 'bookingcontactnumber', 'tel'],
  flags: ['patientflags', 'flags', 'alerts', 'warnings'],
};

/** What (at least four in five of) a column's values are, empty cells aside. */
type ValueKind = 'date' | 'time' | 'datetime' | 'nhs' | 'status' | 'slotStatus' | 'sex' | 'mode' | 'minutes' | 'phone';

const SEX_WORDS = new Set(['f', 'm', 'u', 'female', 'male', 'unknown', 'other', 'indeterminate', 'not known']);
const KIND_TESTS: Record<ValueKind, (v: string) => boolean> = {
  date: (v) => parseDateCell(v) !== null,
  time: (v) => /^\d{1,2}:\d{2}(:\d{2})?$/.test(v),
  datetime: (v) => parseDateTimeCell(v, null) !== null,
  nhs: (v) => /^[\d\s-]+$/.test(v) && isValidNhsNumber(v),
  status: (v) => deskStatusFromWord(v) !== undefined,
  slotStatus: (v) => isSlotStatus(v),
  sex: (v) => SEX_WORDS.has(v.toLowerCase()),
  mode: (v) => appointmentTypeFrom(v) !== null,
  minutes: (v) => /^\d{1,3}$/.test(v),
  phone: (v) => /^(\+44\s?|0)[\d\s]{9,13}$/.test(v),
};
const VALUE_KINDS = Object.keys(KIND_TESTS) as ValueKind[];

/** The kinds of value a field takes; a column whose values are none of them is not that field. Absent: any text. */
const WANTS: Partial<Record<CsvField, readonly ValueKind[]>> = {
  date: ['date'],
  dateOfBirth: ['date'],
  extractedAt: ['datetime'],
  start: ['time', 'datetime'],
  end: ['time', 'datetime'],
  slotStart: ['time', 'datetime'],
  slotEnd: ['time', 'datetime'],
  sessionStart: ['time', 'datetime'],
  sessionEnd: ['time', 'datetime'],
  arrivedAt: ['time', 'datetime'],
  sentInAt: ['time', 'datetime'],
  seenAt: ['time', 'datetime'],
  durationMinutes: ['minutes'],
  nhsNumber: ['nhs'],
  status: ['status'],
  slotStatus: ['slotStatus'],
  sex: ['sex'],
  type: ['mode'],
  phone: ['phone'],
};

/**
 * What a column's values alone say it is, with no help from its name: only values that could hardly be anything
 * else (a Modulus 11 NHS number, a status word) score high; a date or a time only says which kind of field.
 */
function scoreFromValues(field: CsvField, kinds: ReadonlySet<ValueKind>, distinct: number, at: number): number {
  // Earlier columns first among equals: an export's first time is its start, the next its end.
  const order = -at / 1000;
  switch (field) {
    case 'nhsNumber':
      return kinds.has('nhs') ? 70 : 0;
    case 'status':
      return kinds.has('status') ? 60 : 0;
    case 'sex':
      return kinds.has('sex') ? 50 : 0;
    case 'type':
      return kinds.has('mode') ? 40 : 0;
    case 'phone':
      return kinds.has('phone') ? 40 : 0;
    // One or two dates down a day's export: the appointment date; many: dates of birth.
    case 'date':
      return kinds.has('date') && distinct <= 2 ? 40 + order : 0;
    case 'dateOfBirth':
      return kinds.has('date') && distinct > 2 ? 40 + order : 0;
    case 'start':
      return kinds.has('time') || kinds.has('datetime') ? 35 + order : 0;
    case 'end':
      return kinds.has('time') || kinds.has('datetime') ? 32 + order : 0;
    default:
      return 0;
  }
}

function scoreFromName(field: CsvField, name: string): number {
  const squashed = squash(name);
  if (squashed === '') return 0;
  if (squashed === squash(CSV_FIELDS[field].column)) return 100;
  const names = NAMES[field];
  const at = names.indexOf(squashed);
  if (at >= 0) return 90 - at;
  // "Patient Surname", "Usual GP Name": a longer heading that holds one of the field's names.
  const part = names.find((n) => n.length >= 5 && squashed.includes(n));
  return part === undefined ? 0 : 35;
}

/** The delimiter of the header line: the candidate that splits it most. */
export function guessDelimiter(text: string): CsvDelimiter {
  const first = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  const unquoted = first.replace(/"[^"]*"/g, '');
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const d of CSV_DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** The guessed columns for a header and some rows: each column to at most one field, the best-scoring first. */
export function guessColumns(header: readonly string[], rows: readonly (readonly string[])[]): Columns {
  const candidates: Array<{ field: CsvField; at: number; score: number }> = [];
  header.forEach((name, at) => {
    if (name.trim() === '') return;
    const values = rows.map((r) => (r[at] ?? '').trim()).filter((v) => v !== '');
    // Most values, not all: one mistyped status in a sample must not hide what the column is (the preview shows it).
    const kinds = new Set(VALUE_KINDS.filter((k) => values.length > 0 && values.filter(KIND_TESTS[k]).length >= values.length * 0.8));
    for (const field of CSV_FIELD_NAMES) {
      const wants = WANTS[field];
      // A column of values the field cannot take is not that field, whatever its name says.
      if (wants && values.length > 0 && !wants.some((k) => kinds.has(k))) continue;
      const score = Math.max(scoreFromName(field, name), scoreFromValues(field, kinds, new Set(values).size, at));
      if (score >= 30) candidates.push({ field, at, score });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.at - b.at);
  const columns = Object.fromEntries(CSV_FIELD_NAMES.map((f) => [f, null])) as Columns;
  const taken = new Set<number>();
  for (const c of candidates) {
    if (columns[c.field] !== null || taken.has(c.at)) continue;
    columns[c.field] = header[c.at]?.trim() ?? null;
    taken.add(c.at);
  }
  // Ids the desk needs on every row, from the nearest thing the file has: many reports have no patient id but the
  // NHS number, and name the clinician without an id.
  if (columns.patientId === null) columns.patientId = columns.nhsNumber;
  if (columns.clinicianId === null) columns.clinicianId = columns.clinicianName;
  return columns;
}

/** The first `count` records of a sample (the header and its rows), and the text they were read from. */
function topOf(sample: string, delimiter: CsvDelimiter, count: number): { records: CsvRecord[]; text: string } {
  const lines = sample.split(/\r\n|\r|\n/);
  for (let take = count; ; take *= 2) {
    const text = lines.slice(0, take).join('\n');
    const last = take >= lines.length;
    let records: CsvRecord[];
    try {
      records = parseCsv(text, delimiter);
    } catch (error) {
      // A quoted field with a line break inside, cut by the slice: read more lines.
      if (error instanceof CsvSyntaxError && !last) continue;
      throw error;
    }
    const after = records[count];
    if (after !== undefined) return { records: records.slice(0, count), text: lines.slice(0, after.line - 1).join('\n') };
    if (last) return { records, text };
  }
}

const cleanMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * What a sample becomes under a mapping (the guess when none is given): the header, the first rows with what each
 * becomes (or its problem, naming the column), and problems with the mapping itself.
 */
export function previewMapping(sample: string, given?: CsvMappingFile): FeedMappingPreview {
  const delimiter = given?.delimiter ?? guessDelimiter(sample);
  let top: { records: CsvRecord[]; text: string };
  try {
    top = topOf(sample, delimiter, FEED_PREVIEW_ROWS + 1);
  } catch (error) {
    const empty = { columns: completeMapping().columns, delimiter };
    return { header: [], mapping: empty, guessed: empty, rows: [], problems: [`The sample cannot be read as CSV: ${cleanMessage(error)}`] };
  }
  const [head, ...body] = top.records;
  const header = (head?.fields ?? []).map((h) => h.trim());
  const guessed: GuessedMapping = {
    columns: guessColumns(
      header,
      body.map((r) => r.fields),
    ),
    delimiter,
  };
  const mapping: GuessedMapping = given ? { ...completeMapping(given), delimiter } : guessed;
  const problems: string[] = [];
  if (header.length === 0) problems.push('The sample is empty: it needs a header row naming its columns.');

  // Fields whose column is not in the header are read as absent here, and listed: the mapping cannot be saved so.
  const columns = { ...mapping.columns };
  for (const field of CSV_FIELD_NAMES) {
    const column = columns[field];
    const { label, required } = CSV_FIELDS[field];
    if (column === null) {
      if (required && header.length > 0) problems.push(`${label}: choose its column (every row needs one)`);
    } else if (!header.includes(column)) {
      problems.push(`${label}: the column "${column}" is not in the sample's header`);
      columns[field] = null;
    }
  }
  const resolved: ResolvedMapping = {
    columns,
    delimiter,
    explicit: new Set(CSV_FIELD_NAMES.filter((f) => columns[f] !== null)),
  };

  const rowProblems = new Map<string, InvalidRecord>();
  const outcomes = new Map<string, FeedRowOutcome>();
  let unread: string | null = header.length === 0 ? 'the sample has no header row' : null;
  if (header.length > 0) {
    const found = new Problems(true);
    try {
      const batch = readCsv(top.text, { file: 'sample', source: 'sample', mapping: resolved, problems: found });
      for (const slot of batch.slots.values()) outcomes.set(slot.where, { kind: 'free-slot', slot: slot.entity });
      for (const a of batch.appointments.values()) {
        const appointment = a.entity;
        outcomes.set(a.where, {
          kind: 'appointment',
          appointment,
          patient: batch.patients.get(appointment.patientId)?.entity ?? null,
          clinician: batch.clinicians.get(appointment.clinicianId)?.entity ?? null,
        });
      }
      // A row's first problem is the one it stopped at.
      for (const p of found.list) if (!rowProblems.has(p.where)) rowProblems.set(p.where, p);
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      unread = `${error.problem.where}: ${error.problem.field}: ${error.problem.message}`;
      problems.push(unread);
    }
  }

  const rows = body.map((record, i): FeedMappingPreview['rows'][number] => {
    const row = i + 2;
    const where = record.line === row ? `row ${row}` : `row ${row} (line ${record.line})`;
    const problem = rowProblems.get(where);
    const outcome = outcomes.get(where);
    let becomes: FeedRowOutcome;
    if (problem) becomes = { kind: 'problem', column: problem.field, message: problem.message };
    else if (outcome) becomes = outcome;
    else if (unread !== null) becomes = { kind: 'problem', column: '(file)', message: `not read: ${unread}` };
    else becomes = { kind: 'left-out', why: 'not part of the day’s book (entered in error, or a waiting list)' };
    return { row, cells: record.fields, becomes };
  });
  return { header, mapping: { columns: mapping.columns, delimiter }, guessed, rows, problems };
}
