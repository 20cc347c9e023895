/**
 * What the EMIS and SystmOne extract readers share beyond the files: the options, how a record becomes an
 * UpstreamItem, how a row is refused, and the wrong-practice check.
 */
import type { Patient } from '../../../../shared/domain';
import { canonicalJson } from '../../store/hash-chain';
import { fingerprintOf, ImportError, sha256Version, type PatientListing, type Problems, type ResourceType, type UpstreamItem } from '../batch';
import type { TableRow } from './table';

export interface ExtractReadOptions {
  /** What the batch is read from, for the journal and the status line. */
  source: string;
  problems: Problems;
  /**
   * The practice's ODS code as the desk knows it (upkeep-settings.json's fhir.ods, else the mirror's practice):
   * an extract for another organisation is refused before anything is written.
   */
  practiceOds?: string | null | undefined;
  /** Whether the mirror holds a record from upstream: what a delta's rows may refer to without repeating it. */
  mirrored?: ((resourceType: ResourceType, id: string) => boolean) | undefined;
}

/** Skips the rest of a row: its problem has been reported (or thrown). */
export class RowRejected extends Error {}

/** Reports a row's problem (thrown, or listed with --skip-invalid) and abandons the row. */
export function rejectRow(problems: Problems, file: string, row: TableRow, resourceType: ResourceType | null, id: string | null, column: string, message: string): never {
  problems.report({ file, where: row.where, resourceType, id, field: column, message });
  throw new RowRejected();
}

/** A file-level fault: fatal whatever --skip-invalid says, since no row of the set can be trusted without it. */
export function extractError(file: string, where: string, field: string, message: string): ImportError {
  return new ImportError({ file, where, resourceType: null, id: null, field, message });
}

/**
 * An extract record: its version is the hash of the entity it was read as, since an entity is assembled from
 * several files (a slot's clinician from the session user file): a change in any of them is a new version.
 */
export function extractItem<T extends object>(
  resourceType: ResourceType,
  id: string,
  raw: unknown,
  entity: T,
  file: string,
  where: string,
  listing?: PatientListing,
): UpstreamItem<T> {
  // A patient's listing (deceased, temporary resident, address) is part of what changed or did not.
  const version = sha256Version(canonicalJson({ ...entity, upstreamVersion: null, updatedAt: null, ...(listing ? { listing } : {}) }));
  // The CHECK of upstream_record.format allows fhir and csv; an extract's rows are CSV rows.
  return { resourceType, id, version, fingerprint: fingerprintOf(version), format: 'csv', raw, entity, file, where };
}

export function sexOf(text: string): Patient['sex'] | null {
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
    case 'i':
    case 'o':
    case 'other':
    case 'indeterminate':
      return 'other';
    default:
      return null;
  }
}

/** "Dr", "Anne", "", "Smith" -> "Dr Anne Smith". */
export const joinName = (...parts: string[]): string =>
  parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join(' ');

/** The ODS code the desk expects, upper-cased; null when none is known. */
export const expectedOds = (options: ExtractReadOptions): string | null => (options.practiceOds ? options.practiceOds.trim().toUpperCase() : null);

/** Address parts, blanks left out, as one line: "Flat 2, 14 Mill Lane, Leeds, LS1 4AB". */
export const joinAddress = (...parts: string[]): string | null => {
  const line = parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join(', ');
  return line === '' ? null : line;
};
