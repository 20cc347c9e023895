/**
 * The practice list as a CSV: one row per registered patient, no appointments. A layout of our own in the style of
 * the default appointment mapping (docs/csv-import.md), since no practice-list export has published columns; the
 * same column names mean the same things in both. The file is the whole list: a patient it no longer holds has
 * left the practice (docs/feeds.md, "The practice list").
 */
import { PATIENT_FLAGS, withNhsNumberStatus, type Patient, type PatientFlag } from '../../../../shared/domain';
import { earliestKnown, emptyBatch, fingerprintOf, ImportError, sha256Version, type PatientListing, type Problems, type UpstreamBatch } from '../batch';
import { sexOf } from '../extract/common';
import { parseDateCell, parseDateTimeCell } from '../time';
import { patientFlagFrom, squash } from '../vocabulary';
import { CsvSyntaxError, parseCsv } from './parse';

/** The default patient-list layout: field -> column, and whether the header must have it. */
export const PATIENT_LIST_COLUMNS = {
  patientId: { column: 'patient_id', required: true },
  nhsNumber: { column: 'nhs_number', required: false },
  familyName: { column: 'family_name', required: true },
  givenName: { column: 'given_name', required: false },
  dateOfBirth: { column: 'date_of_birth', required: false },
  sex: { column: 'sex', required: false },
  phone: { column: 'phone', required: false },
  flags: { column: 'patient_flags', required: false },
  address: { column: 'address', required: false },
  postcode: { column: 'postcode', required: false },
  dateOfDeath: { column: 'date_of_death', required: false },
  registrationType: { column: 'registration_type', required: false },
  extractedAt: { column: 'extracted_at', required: false },
} as const;
type ListField = keyof typeof PATIENT_LIST_COLUMNS;
const LIST_FIELDS = Object.keys(PATIENT_LIST_COLUMNS) as ListField[];

/** A header with the list's patient columns and no appointment: read as the practice list, not as a day's book. */
export function isPatientListHeader(names: readonly string[]): boolean {
  const has = (c: string) => names.includes(c);
  return has(PATIENT_LIST_COLUMNS.patientId.column) && has(PATIENT_LIST_COLUMNS.familyName.column) && !has('appointment_id') && !has('appointment_status');
}

/** The first row's column names, or null when the text does not start like CSV. */
export function csvHeaderOf(text: string): string[] | null {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  try {
    return parseCsv(firstLine)[0]?.fields.map((f) => f.trim()) ?? null;
  } catch {
    return null;
  }
}

export interface PatientListReadOptions {
  file: string;
  source: string;
  problems: Problems;
  /** The file's modification time: the list cannot be newer than that. */
  asOf: string | null;
}

export function readPatientListCsv(text: string, options: PatientListReadOptions): UpstreamBatch {
  const { file, problems } = options;
  const fileError = (where: string, field: string, message: string) => new ImportError({ file, where, resourceType: null, id: null, field, message });
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw fileError(`line ${error.line}`, 'CSV', error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw fileError('the file', 'header', 'the file is empty: a patient list needs a header row naming its columns');
  const names = header.fields.map((h) => h.trim());
  const index = new Map<ListField, number>();
  for (const field of LIST_FIELDS) {
    const { column, required } = PATIENT_LIST_COLUMNS[field];
    const at = names.indexOf(column);
    if (at >= 0) index.set(field, at);
    else if (required) throw fileError('row 1 (the header)', column, `the column is missing; the header has: ${names.join(', ')}`);
  }
  const batch = emptyBatch(options.source);
  batch.patientList = 'whole';
  batch.listings = new Map();
  const extractedAt: string[] = [];
  rows.forEach((record, i) => {
    if (record.fields.every((f) => f.trim() === '')) return;
    // Rows numbered as a spreadsheet shows them: the header is row 1.
    const where = `row ${i + 2}`;
    const cell = (field: ListField): string => {
      const at = index.get(field);
      return at === undefined ? '' : (record.fields[at] ?? '').trim();
    };
    const id = cell('patientId');
    const reject = (field: ListField, message: string): void =>
      problems.report({ file, where, resourceType: 'Patient', id: id || null, field: PATIENT_LIST_COLUMNS[field].column, message });
    if (!id) return reject('patientId', 'is empty');
    const family = cell('familyName');
    if (!family) return reject('familyName', 'is empty: a patient needs a family name');
    const dobText = cell('dateOfBirth');
    const dob = dobText === '' ? null : parseDateCell(dobText);
    if (dobText !== '' && dob === null) return reject('dateOfBirth', `"${dobText}" is not a date (dd/mm/yyyy or yyyy-mm-dd)`);
    const deathText = cell('dateOfDeath');
    if (deathText !== '' && parseDateCell(deathText) === null) return reject('dateOfDeath', `"${deathText}" is not a date (dd/mm/yyyy or yyyy-mm-dd)`);
    const sex = sexOf(cell('sex'));
    if (sex === null) return reject('sex', `"${cell('sex')}" is not female, male, other or unknown`);
    const extracted = cell('extractedAt');
    if (extracted !== '') {
      const at = parseDateTimeCell(extracted, null);
      if (at === null) return reject('extractedAt', `"${extracted}" is not a date and time`);
      extractedAt.push(at);
    }
    const flags = new Set<PatientFlag>();
    for (const word of cell('flags').split(/[;|]/)) {
      const flag = word.trim() ? patientFlagFrom(word) : null;
      if (flag) flags.add(flag);
    }
    const patient: Patient = withNhsNumberStatus({
      id,
      nhsNumber: cell('nhsNumber') ? cell('nhsNumber').slice(0, 20) : null,
      familyName: family.slice(0, 100),
      givenName: cell('givenName').slice(0, 100),
      dateOfBirth: dob,
      sex,
      phone: cell('phone') ? cell('phone').slice(0, 40) : null,
      flags: PATIENT_FLAGS.filter((f) => flags.has(f)),
    });
    const address = [cell('address'), cell('postcode')].filter((p) => p !== '').join(', ');
    const listing: PatientListing = {
      deceased: deathText !== '',
      temporaryResident: squash(cell('registrationType')).startsWith('temporary'),
      address: address === '' ? null : address,
    };
    const earlier = batch.patients.get(id);
    if (earlier) return reject('patientId', `patient ${id} is also on ${earlier.where}`);
    const raw = Object.fromEntries(LIST_FIELDS.filter((f) => index.has(f)).map((f) => [PATIENT_LIST_COLUMNS[f].column, cell(f)]));
    const version = sha256Version(JSON.stringify(raw));
    batch.listings?.set(id, listing);
    batch.patients.set(id, { resourceType: 'Patient', id, version, fingerprint: fingerprintOf(version), format: 'csv', raw, entity: patient, file, where });
  });
  batch.asOf = earliestKnown([options.asOf, ...extractedAt]);
  batch.invalid = problems.list;
  return batch;
}
