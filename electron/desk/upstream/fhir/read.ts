/**
 * FHIR R4 resources (from a Bundle file or a pull) into an UpstreamBatch. UK Core identifiers are understood
 * (NHS number, ODS code); elements and extensions we do not know are ignored. A record that cannot be read is
 * a problem naming the entry and the field: fatal for a file import, listed and left out with --skip-invalid.
 *
 * How FHIR maps to the desk's entities (see also docs/csv-import.md for the CSV side):
 *   Organization (ODS code identifier)          -> the practice
 *   Practitioner (+ PractitionerRole)           -> clinician; role from PractitionerRole.code, room from its location
 *   Schedule with a planningHorizon             -> session (actor: Practitioner and a Location for the room)
 *   Slot                                        -> slot (clinician from its Schedule)
 *   Patient (+ Flag)                            -> patient; flags from active Flag resources about them
 *   Appointment                                 -> appointment; desk status from FHIR status (deskStatusFromFhir)
 */
import { earliestKnown, ImportError, type UpstreamBatch } from '../batch';
import { parseInstant } from '../time';
import { readAppointments } from './read-appointments';
import { ReadContext, type ReadOptions } from './read-context';
import { describeAt, ResourceIndex, type FoundResource, type Json } from './read-index';
import { readPatients } from './read-patients';
import { readStaff } from './read-staff';
import { BUNDLE_TYPES } from './resources';

export type { FoundResource, ReadOptions };

/** Reads a parsed JSON document claimed to be a FHIR Bundle. Throws ImportError for a document that is not one. */
export function readFhirBundleDocument(doc: unknown, options: ReadOptions): UpstreamBatch {
  const fail = (field: string, message: string): never => {
    throw importError(options.file, 'the file', field, message);
  };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail('resourceType', 'is not a FHIR resource (expected a JSON object with resourceType "Bundle")');
  const bundle = doc as Json;
  if (bundle['resourceType'] !== 'Bundle') {
    fail('resourceType', `is ${JSON.stringify(bundle['resourceType'] ?? null)}, expected "Bundle"`);
  }
  const type = bundle['type'];
  if (typeof type !== 'string' || !(BUNDLE_TYPES as readonly string[]).includes(type)) {
    fail('Bundle.type', `is ${JSON.stringify(type ?? null)}; expected one of ${BUNDLE_TYPES.join(', ')}`);
  }
  const entries = bundle['entry'] ?? [];
  if (!Array.isArray(entries)) fail('Bundle.entry', 'is not a list');
  const asOf = earliestKnown([
    options.asOf,
    bundleInstant(bundle['timestamp'], 'Bundle.timestamp', fail),
    bundleInstant(metaOf(bundle)?.['lastUpdated'], 'Bundle.meta.lastUpdated', fail),
  ]);
  const index = new ResourceIndex(options.problems, options.file);
  (entries as unknown[]).forEach((entry, i) => {
    if (entry === null || typeof entry !== 'object') throw importError(options.file, describeAt(i), 'entry', 'is not an object');
    const e = entry as Json;
    const request = e['request'] as Json | undefined;
    // A transaction's DELETE carries no resource to mirror; the record simply stops being in the book.
    if (request && typeof request === 'object' && request['method'] === 'DELETE') return;
    const resource = e['resource'];
    if (resource === undefined) return;
    if (resource === null || typeof resource !== 'object' || Array.isArray(resource) || typeof (resource as Json)['resourceType'] !== 'string') {
      throw importError(options.file, describeAt(i), 'resource', 'is not a FHIR resource (no resourceType)');
    }
    index.add(resource as Json, typeof e['fullUrl'] === 'string' ? e['fullUrl'] : undefined, i);
  });
  return readIndexed(index, { ...options, asOf });
}

/**
 * A Bundle's own time. Its resources' meta.lastUpdated are not used: they say when each record last changed
 * (a patient's may be years old), not when the book was read, so the earliest would make every book stale and
 * the latest would not bound the export time either.
 */
function bundleInstant(value: unknown, field: string, fail: (field: string, message: string) => never): string | null {
  if (value === undefined || value === null) return null;
  const instant = typeof value === 'string' ? parseInstant(value) : null;
  return instant ?? fail(field, `is ${JSON.stringify(value)}, not an instant such as 2026-07-20T07:30:00Z`);
}

function metaOf(resource: Json): Json | undefined {
  const meta = resource['meta'];
  return meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Json) : undefined;
}

function importError(file: string, where: string, field: string, message: string): ImportError {
  return new ImportError({ file, where, resourceType: null, id: null, field, message });
}

/** Reads resources (any order, any mix of types) into a batch. */
export function readFhirResources(found: readonly FoundResource[], options: ReadOptions): UpstreamBatch {
  const index = new ResourceIndex(options.problems, options.file);
  for (const f of found) index.add(f.resource, f.fullUrl, f.where);
  return readIndexed(index, options);
}

function readIndexed(index: ResourceIndex, options: ReadOptions): UpstreamBatch {
  const ctx = new ReadContext(index, options);
  const staff = readStaff(ctx);
  readPatients(ctx);
  const dates = readAppointments(ctx, staff);
  const { batch } = ctx;
  batch.dates = options.dates ? [...options.dates] : [...dates].sort();
  batch.asOf = options.asOf ?? null;
  if (options.known) batch.known = options.known;
  batch.invalid = options.problems.list;
  return batch;
}
