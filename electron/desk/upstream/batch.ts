/**
 * What every upstream adapter (FHIR pull, FHIR Bundle file, CSV file) hands to the refresh: the book as
 * upstream has it, each record with its upstream version, its raw form (kept as merge-back's base) and the
 * entity it was read as. Nothing here touches the database.
 */
import { createHash } from 'node:crypto';
import type { Appointment, Clinician, Patient, Practice, Session, Slot } from '../../../shared/domain';
import { canonicalJson } from '../store/hash-chain';

export type UpstreamFormat = 'fhir' | 'csv';
/** Records are keyed by FHIR resource type whatever format they came in, so merge-back finds them one way. */
export type ResourceType = 'Organization' | 'Practitioner' | 'Schedule' | 'Slot' | 'Patient' | 'Appointment';

/**
 * Bumped when the way upstream records are read into entities changes, so that a refresh after an upgrade
 * re-reads every record instead of skipping it as unchanged.
 */
export const MAPPING_VERSION = 1;

export interface UpstreamItem<T> {
  resourceType: ResourceType;
  id: string;
  /** FHIR meta.versionId, or "sha256:<hex>" of the content when upstream gives no version. */
  version: string;
  /** The version plus those of the records the entity was read with: what "unchanged" compares. */
  fingerprint: string;
  format: UpstreamFormat;
  /** The resource or CSV row as it came; serialised only when it is written. */
  raw: unknown;
  entity: T;
  /** Where it came from, for messages: the file (or server) and the entry or row in it. */
  file: string;
  where: string;
}

/** A record that could not be read. With --skip-invalid (and in scheduled pulls) it is listed and left out. */
export interface InvalidRecord {
  file: string;
  /** The entry or row: "Bundle.entry[3] (Appointment/appt-2)", "row 5". */
  where: string;
  resourceType: ResourceType | null;
  id: string | null;
  field: string;
  message: string;
}

export function describeInvalid(p: InvalidRecord): string {
  return `${p.file}: ${p.where}: ${p.field}: ${p.message}`;
}

/** Bad input: names the file, the entry or row, and the field. Nothing was changed when it is thrown. */
export class ImportError extends Error {
  readonly problem: InvalidRecord;
  constructor(problem: InvalidRecord) {
    super(describeInvalid(problem));
    this.name = 'ImportError';
    this.problem = problem;
  }
}

/** Throws on the first problem, or (skipping invalid records) collects them all. */
export class Problems {
  readonly list: InvalidRecord[] = [];
  constructor(readonly skipInvalid: boolean) {}

  report(problem: InvalidRecord): void {
    if (!this.skipInvalid) throw new ImportError(problem);
    this.list.push(problem);
  }
}

export interface UpstreamBatch {
  /** What it was read from, for the journal and the status line: "file day.json", "FHIR https://...". */
  source: string;
  /**
   * The London dates this batch is the whole book for. A mirrored appointment on one of these dates that the
   * batch lacks was removed upstream; dates outside are left alone (a file for Monday says nothing of Tuesday).
   */
  dates: string[];
  practice: UpstreamItem<Practice> | null;
  clinicians: Map<string, UpstreamItem<Clinician>>;
  sessions: Map<string, UpstreamItem<Session>>;
  slots: Map<string, UpstreamItem<Slot>>;
  patients: Map<string, UpstreamItem<Patient>>;
  appointments: Map<string, UpstreamItem<Appointment>>;
  /**
   * Appointments the batch says upstream removed, whatever their date (a SystmOne delta's rows marked RemovedData):
   * removed from the mirror as those absent from a whole day are, unless the desk has changed them.
   */
  removedAppointments?: Set<string>;
  /** Records left out as invalid; their ids are never taken as "removed upstream". */
  invalid: InvalidRecord[];
  /**
   * When the data was true upstream (hazard H1: the mirror must never look fresher than its data): the earliest
   * of the times known for it (a Bundle's timestamp, a CSV's extracted_at, the file's modification time, a
   * pull's first request). null when none is known: the mirror then shows "age unknown" and counts as stale.
   */
  asOf: string | null;
  /** What the reader noticed that is not a problem, for the person importing: an extract file's layout (version). */
  notes?: string[];
  /** The base fingerprints it was read against, which the refresh may reuse if nothing moved since. */
  known?: KnownFingerprints;
  /**
   * Whether the batch carries the whole practice list ('whole': an extract's patient file, a patient-list CSV, a
   * FHIR pull of the organisation's Patients) or only the patients its appointments refer to ('referenced', the
   * default). A whole list removes the list patients it no longer holds (unless something still refers to them);
   * a referenced batch never removes a patient the last whole list delivered.
   */
  patientList?: PatientListScope;
  /** What the list says of a patient beyond the Patient entity, by patient id (see PatientListing). */
  listings?: Map<string, PatientListing>;
  /** In a whole list: patients the batch carries only because its appointments refer to them (registration ended). */
  notOnList?: Set<string>;
}

export type PatientListScope = 'whole' | 'referenced';

/**
 * What the practice list says of a patient beyond who they are, as a reader found it. The refresh writes it on the
 * patient the desk reads (Patient deceased, temporaryResident, address: migration 0012) and keeps it, with whether
 * they are on the list, on the patient's base record (upstream_record.entity), whence a batch that says nothing of
 * it (a day's book) takes it again (upstream/practice-list.ts).
 */
export interface PatientListing {
  /** Upstream says the patient has died (a date of death, FHIR deceased): kept on the list, flagged, never booked. */
  deceased: boolean;
  /** Registered for a short stay (EMIS PatientTypeDescription "Temporary", SystmOne SRPatientRegistration "Temporary Resident ..."). */
  temporaryResident: boolean;
  /** The address as one line, when the source gives one. */
  address: string | null;
  /** The practice's own number for the patient in EMIS Web (PatientNumber): Accurx's EMIS upload keys on it. */
  emisNumber?: string | null;
  /**
   * Facts the batch does not know for this patient (a SystmOne delta without address or registration rows on them):
   * the refresh keeps the mirror's (practice-list.ts) rather than clear them.
   */
  keep?: ReadonlyArray<'address' | 'temporaryResident'>;
}

/** What a base Patient record's entity column holds: whether the last whole list had them, and their listing. */
export interface ListedPatient extends PatientListing {
  onList: boolean;
}

/** The mirror's base fingerprints by type and id, as of a moment (UpstreamDesk.knownFingerprints): what a
 * read compares against to skip a record it already holds. */
export interface KnownFingerprints {
  /** The base records' write counter when read (migration 0007): if it has not moved, they are as read. */
  readonly generation: number;
  readonly byType: ReadonlyMap<ResourceType, ReadonlyMap<string, string>>;
}

export function emptyBatch(source: string): UpstreamBatch {
  return {
    source,
    dates: [],
    practice: null,
    clinicians: new Map(),
    sessions: new Map(),
    slots: new Map(),
    patients: new Map(),
    appointments: new Map(),
    invalid: [],
    asOf: null,
  };
}

/** The earliest of the instants known (ISO strings); null when none is. */
export function earliestKnown(instants: ReadonlyArray<string | null | undefined>): string | null {
  let earliest: string | null = null;
  for (const t of instants) if (t != null && (earliest === null || Date.parse(t) < Date.parse(earliest))) earliest = t;
  return earliest;
}

export function sha256Version(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function fingerprintOf(version: string, dependencies: readonly string[] = []): string {
  return dependencies.length ? `${FINGERPRINT_PREFIX}${version}+${dependencies.join('+')}` : `${FINGERPRINT_PREFIX}${version}`;
}
const FINGERPRINT_PREFIX = `${MAPPING_VERSION}:`;

/**
 * fingerprint === fingerprintOf(version, dependencies), without building the string for the common case of no
 * dependencies: an unchanged refresh asks this of every one of 70,000 records.
 */
export function isFingerprintOf(fingerprint: string, version: string, dependencies: readonly string[] = []): boolean {
  if (dependencies.length > 0) return fingerprint === fingerprintOf(version, dependencies);
  return fingerprint.length === FINGERPRINT_PREFIX.length + version.length && fingerprint.startsWith(FINGERPRINT_PREFIX) && fingerprint.endsWith(version);
}

type Kind = 'clinicians' | 'sessions' | 'slots' | 'patients' | 'appointments';
const KINDS: readonly Kind[] = ['clinicians', 'sessions', 'slots', 'patients', 'appointments'];

/**
 * Several files imported together become one batch (one refresh, one transaction). The same record in two
 * files must be the same; two different versions of it are bad input, since which one is current cannot be known.
 * The files were read with the same Problems, which holds every invalid record of all of them.
 */
export function mergeBatches(batches: readonly UpstreamBatch[], problems: Problems): UpstreamBatch {
  const [first, ...rest] = batches;
  if (!first) return emptyBatch('nothing');
  if (rest.length === 0) return { ...first, invalid: [...problems.list] };
  const merged = emptyBatch(batches.map((b) => b.source).join(', '));
  merged.dates = [...new Set(batches.flatMap((b) => b.dates))].sort();
  // A file of unknown age may be older than all the others: then so is the book made of them.
  merged.asOf = batches.some((b) => b.asOf === null) ? null : earliestKnown(batches.map((b) => b.asOf));
  const notes = batches.flatMap((b) => b.notes ?? []);
  if (notes.length) merged.notes = notes;
  // One file with the whole list (a patient-list CSV beside a day's book) makes the set carry it.
  if (batches.some((b) => b.patientList === 'whole')) merged.patientList = 'whole';
  for (const b of batches) for (const [id, listing] of b.listings ?? []) (merged.listings ??= new Map()).set(id, listing);
  for (const b of batches) for (const id of b.notOnList ?? []) (merged.notOnList ??= new Set()).add(id);
  for (const b of batches) for (const id of b.removedAppointments ?? []) (merged.removedAppointments ??= new Set()).add(id);
  for (const batch of batches) {
    if (batch.practice) {
      if (merged.practice && !sameRecord(merged.practice, batch.practice)) {
        problems.report(conflict(batch.practice, merged.practice));
      } else merged.practice ??= batch.practice;
    }
    for (const kind of KINDS) {
      const into = merged[kind] as Map<string, UpstreamItem<unknown>>;
      for (const [id, item] of batch[kind] as Map<string, UpstreamItem<unknown>>) {
        const existing = into.get(id);
        if (existing && !sameRecord(existing, item)) {
          problems.report(conflict(item, existing));
          continue;
        }
        if (!existing) into.set(id, item);
      }
    }
  }
  merged.invalid = [...problems.list];
  return merged;
}

/** The same record: the same version, or (from files of different formats) the same content. */
function sameRecord(a: UpstreamItem<unknown>, b: UpstreamItem<unknown>): boolean {
  if (a.fingerprint === b.fingerprint) return true;
  // What each format stamps on its own (a version, a time) is not content.
  const content = (x: UpstreamItem<unknown>) => canonicalJson({ ...(x.entity as object), upstreamVersion: null, updatedAt: null });
  return content(a) === content(b);
}

function conflict(item: UpstreamItem<unknown>, earlier: UpstreamItem<unknown>): InvalidRecord {
  return {
    file: item.file,
    where: item.where,
    resourceType: item.resourceType,
    id: item.id,
    field: 'id',
    message: `${item.resourceType}/${item.id} is also in ${earlier.file} (${earlier.where}) with different content; import one version of it`,
  };
}
