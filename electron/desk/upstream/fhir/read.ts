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
import type { z } from 'zod';
import {
  PATIENT_FLAGS,
  withNhsNumberStatus,
  deskStatusFromFhir,
  FHIR_APPOINTMENT_STATUSES,
  FHIR_STATUS_OF,
  isLocalDate,
  type Appointment,
  type AppointmentType,
  type Clinician,
  type ClinicianRole,
  type Patient,
  type PatientFlag,
  type Practice,
  type Session,
  type Slot,
} from '../../../../shared/domain';
import {
  earliestKnown,
  emptyBatch,
  fingerprintOf,
  ImportError,
  isFingerprintOf,
  sha256Version,
  type Problems,
  type InvalidRecord,
  type ResourceType,
  type UpstreamBatch,
  type UpstreamItem,
} from '../batch';
import { makeLocalDateCache, parseInstant } from '../time';
import { appointmentTypeFrom, isFhirAppointmentStatus, isSlotStatus, patientFlagFrom, roleFrom } from '../vocabulary';
import {
  BUNDLE_TYPES,
  DELIVERY_CHANNEL_SUFFIX,
  EXT_ARRIVED_AT,
  EXT_SEEN_AT,
  EXT_SENT_IN_AT,
  FhirAppointment,
  FhirFlag,
  FhirLocation,
  FhirOrganization,
  FhirPatient,
  FhirPractitioner,
  FhirPractitionerRole,
  FhirSchedule,
  FhirSlot,
  NHS_NUMBER_SYSTEM,
  ODS_CODE_SYSTEM,
  type CodeableConcept,
  type Extension,
  type HumanName,
  type Reference,
} from './resources';

type Json = Record<string, unknown>;

/** One resource as found, before it is read: where it is (a Bundle entry's index, or a description), for messages. */
export interface FoundResource {
  resource: Json;
  fullUrl?: string | undefined;
  /** "Bundle.entry[3]" in a file, the page URL's resource in a pull. */
  where: string | number;
}

export interface ReadOptions {
  /** The file (or server) named in messages. */
  file: string;
  source: string;
  problems: Problems;
  /** The dates the batch is complete for; by default, the dates its appointments fall on. */
  dates?: readonly string[];
  /**
   * Fingerprints of the records the mirror holds (UpstreamDesk.knownFingerprints). A record found at the same
   * fingerprint is not read again, only checked for what the batch needs: an unchanged refresh stays cheap.
   */
  known?: KnownFingerprints | undefined;
  /** A time the data is known to have been true upstream by: the file's modification time, a pull's first request. */
  asOf?: string | null | undefined;
}

/** The mirror's base fingerprints by type and id, as of a moment (UpstreamDesk.knownFingerprints). */
export interface KnownFingerprints {
  /** The base records' write counter when read (migration 0007): if it has not moved, they are as read. */
  readonly generation: number;
  readonly byType: ReadonlyMap<ResourceType, ReadonlyMap<string, string>>;
}

const MAX_TEXT = { name: 200, reason: 500, room: 50, label: 100, phone: 40 } as const;

/** A resource found and indexed; its description for messages is built only when one is needed. */
class Indexed {
  constructor(
    readonly type: string,
    readonly id: string,
    readonly resource: Json,
    private readonly at: string | number,
    /** meta.versionId; '' until a content hash is taken for a resource without one. */
    public version: string,
  ) {}

  get where(): string {
    return `${describeAt(this.at)} (${this.type}/${this.id})`;
  }
}

const describeAt = (at: string | number): string => (typeof at === 'number' ? `Bundle.entry[${at}]` : at);

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
  const index = new ResourceIndex(options);
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

const REF_RE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/**
 * Every resource found, by type and id, and by fullUrl where an entry has one, so references of any form resolve.
 * By type and then id rather than by "Type/id": a record is found by its own id, with no key string to build and
 * hash, which an unchanged refresh of 70,000 records notices.
 */
class ResourceIndex {
  private readonly byType = new Map<string, Map<string, Indexed>>();
  private readonly byFullUrl = new Map<string, Indexed>();
  /** Resources offered, indexed or not: whether there was anything to refer to, for messages. */
  found = 0;

  constructor(private readonly options: ReadOptions) {}

  add(resource: Json, fullUrl: string | undefined, where: string | number): void {
    const { problems, file } = this.options;
    this.found++;
    const type = resource['resourceType'] as string;
    let id = typeof resource['id'] === 'string' ? resource['id'] : undefined;
    if (id === undefined && fullUrl?.startsWith('urn:uuid:')) id = fullUrl.slice('urn:uuid:'.length);
    if (type === 'OperationOutcome' || type === 'Bundle') return;
    if (id === undefined || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
      problems.report({ file, where: `${describeAt(where)} (${type})`, resourceType: asResourceType(type), id: id ?? null, field: `${type}.id`, message: id === undefined ? 'has no id' : `"${id}" is not a FHIR id` });
      return;
    }
    const meta = resource['meta'] as Json | undefined;
    const versionId = meta && typeof meta === 'object' && typeof meta['versionId'] === 'string' ? meta['versionId'] : null;
    const indexed = new Indexed(type, id, resource, where, versionId ?? '');
    let ofType = this.byType.get(type);
    if (ofType === undefined) this.byType.set(type, (ofType = new Map()));
    const prior = ofType.get(id);
    if (prior) {
      // The same resource twice (an include repeated on two pages) is fine; two different versions are not.
      const same = versionId !== null ? prior.version === versionId : JSON.stringify(prior.resource) === JSON.stringify(resource);
      if (!same) {
        problems.report({ file, where: indexed.where, resourceType: asResourceType(type), id, field: `${type}.id`, message: `${type}/${id} is also at ${prior.where}, with different content` });
      }
      return;
    }
    ofType.set(id, indexed);
    if (fullUrl) this.byFullUrl.set(fullUrl, indexed);
  }

  /** The resources of a type, in the order found. */
  ofType(type: string): Iterable<Indexed> {
    return this.byType.get(type)?.values() ?? [];
  }

  /** The resource of this type and id, if it was indexed. */
  find(type: string, id: string): Indexed | undefined {
    return this.byType.get(type)?.get(id);
  }

  /** By an entry's fullUrl, or by "Type/id". */
  get(key: string): Indexed | undefined {
    const byUrl = this.byFullUrl.size > 0 ? this.byFullUrl.get(key) : undefined;
    if (byUrl !== undefined) return byUrl;
    const slash = key.indexOf('/');
    return slash > 0 ? this.find(key.slice(0, slash), key.slice(slash + 1)) : undefined;
  }

  /** By an entry's fullUrl only. */
  byUrl(url: string): Indexed | undefined {
    return this.byFullUrl.size > 0 ? this.byFullUrl.get(url) : undefined;
  }
}

/** Reads resources (any order, any mix of types) into a batch. */
export function readFhirResources(found: readonly FoundResource[], options: ReadOptions): UpstreamBatch {
  const index = new ResourceIndex(options);
  for (const f of found) index.add(f.resource, f.fullUrl, f.where);
  return readIndexed(index, options);
}

function readIndexed(index: ResourceIndex, options: ReadOptions): UpstreamBatch {
  const { problems, file } = options;
  const batch = emptyBatch(options.source);
  const localDate = makeLocalDateCache();

  const versionOf = (x: Indexed): string => {
    // No versionId: the content itself is the version (a file exported without meta).
    if (x.version === '') x.version = sha256Version(JSON.stringify(x.resource));
    return x.version;
  };
  const refKey = (ref: Reference | undefined): string | null => {
    if (!ref?.reference) return null;
    // "Type/id" whichever way it was written: a transaction's entries refer to each other by fullUrl (urn:uuid),
    // and everything below looks records up by type and id.
    const target = index.get(ref.reference);
    if (target !== undefined) return `${target.type}/${target.id}`;
    const m = REF_RE.exec(ref.reference);
    return m ? `${m[1]}/${m[2]}` : ref.reference;
  };
  const refType = (ref: Reference): string | null => {
    if (ref.type) return ref.type;
    const key = refKey(ref);
    if (key === null) return null;
    return index.get(key)?.type ?? REF_RE.exec(key)?.[1] ?? null;
  };
  const problem = (x: Indexed, field: string, message: string): void => {
    problems.report({ file, where: x.where, resourceType: asResourceType(x.type), id: x.id, field: `${x.type}.${field}`, message });
  };
  /** Parses with zod; a shape problem names the element ("Appointment.participant.0.actor"). */
  function parse<T>(schema: z.ZodType<T>, x: Indexed): T | null {
    const result = schema.safeParse(x.resource);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    problem(x, issue ? issue.path.map(String).join('.') || '(resource)' : '(resource)', issue?.message ?? 'is not valid');
    return null;
  }
  const item = <T>(x: Indexed, resourceType: ResourceType, entity: T, dependencies: readonly string[] = []): UpstreamItem<T> => ({
    resourceType,
    id: x.id,
    version: versionOf(x),
    fingerprint: fingerprintOf(versionOf(x), dependencies),
    format: 'fhir',
    raw: x.resource,
    entity,
    file,
    where: x.where,
  });

  /**
   * The mirror's fingerprint of this record when it is the one this record has now (same version, same
   * dependencies): reading it again would change nothing. The stored string is returned so an unchanged item
   * carries it instead of building its own, and the refresh compares it by identity.
   */
  const knownFingerprint = (x: Indexed, type: ResourceType, dependencies: readonly string[]): string | undefined => {
    const known = options.known?.byType.get(type)?.get(x.id);
    return known !== undefined && isFingerprintOf(known, versionOf(x), dependencies) ? known : undefined;
  };

  // ---- the practice --------------------------------------------------------------------------------------
  const orgs = [...index.ofType('Organization')];
  const practiceOrgs = orgs.filter((o) => odsCodeOf(o.resource) !== null);
  const practiceOrg = practiceOrgs[0] ?? orgs[0];
  if (practiceOrg) {
    const org = parse(FhirOrganization, practiceOrg);
    if (org) {
      const ods = org.identifier?.find((i) => i.system === ODS_CODE_SYSTEM)?.value ?? null;
      const practice: Practice = { id: practiceOrg.id, name: clip(org.name?.trim() || 'Practice', MAX_TEXT.name), odsCode: ods ? ods.slice(0, 10) : null };
      batch.practice = item(practiceOrg, 'Organization', practice);
    }
  }

  // ---- locations and practitioner roles: read with the practitioners and sessions -------------------------
  const locationName = (ref: Reference | undefined): string | null => {
    if (!ref) return null;
    const key = refKey(ref);
    const target = key ? index.get(key) : undefined;
    if (target?.type === 'Location') {
      const loc = FhirLocation.safeParse(target.resource);
      if (loc.success && loc.data.name) return clip(loc.data.name, MAX_TEXT.room);
    }
    return ref.display ? clip(ref.display, MAX_TEXT.room) : null;
  };
  const rolesOf = new Map<string, Array<{ role: ClinicianRole | null; room: string | null; version: string }>>();
  const practitionerOfRole = new Map<string, string>();
  for (const x of index.ofType('PractitionerRole')) {
    const pr = FhirPractitionerRole.safeParse(x.resource);
    if (!pr.success || pr.data.active === false) continue;
    const practitionerKey = refKey(pr.data.practitioner);
    if (!practitionerKey?.startsWith('Practitioner/')) continue;
    const practitionerId = practitionerKey.slice('Practitioner/'.length);
    practitionerOfRole.set(x.id, practitionerId);
    const role = firstMatch(pr.data.code ?? [], roleFrom);
    const list = rolesOf.get(practitionerId) ?? [];
    list.push({ role, room: locationName(pr.data.location?.[0]), version: versionOf(x) });
    rolesOf.set(practitionerId, list);
  }
  /** The practitioner an actor reference means: directly, or through a PractitionerRole. */
  const practitionerIdOf = (ref: Reference | undefined): string | null => {
    const key = refKey(ref);
    if (key?.startsWith('Practitioner/')) return key.slice('Practitioner/'.length);
    const target = key ? index.get(key) : undefined;
    if (target?.type === 'PractitionerRole') return practitionerOfRole.get(target.id) ?? null;
    return null;
  };

  // ---- clinicians ------------------------------------------------------------------------------------------
  for (const x of index.ofType('Practitioner')) {
    const p = parse(FhirPractitioner, x);
    if (!p) continue;
    const name = displayName(p.name);
    if (!name) {
      problem(x, 'name', 'a practitioner needs a name');
      continue;
    }
    const roles = rolesOf.get(x.id) ?? [];
    const chosen = roles.find((r) => r.role !== null) ?? roles[0];
    const clinician: Clinician = { id: x.id, name: clip(name, MAX_TEXT.name), role: chosen?.role ?? 'other', room: chosen?.room ?? null };
    batch.clinicians.set(x.id, item(x, 'Practitioner', clinician, roles.map((r) => r.version)));
  }
  /** Message for a reference that does not lead to something we read. */
  const missing = (key: string | null, what: string): string => {
    if (key === null) return `no ${what}`;
    return index.get(key) !== undefined ? `refers to ${key}, which could not be read` : `refers to ${key}, which is not in the ${index.found ? 'bundle' : 'data'}`;
  };

  // ---- schedules: sessions (with a planning horizon) and calendars (clinician only) -------------------------
  const scheduleClinician = new Map<string, string>();
  for (const x of index.ofType('Schedule')) {
    const s = parse(FhirSchedule, x);
    if (!s) continue;
    const practitionerRef = (s.actor ?? []).find((a) => practitionerIdOf(a) !== null);
    const clinicianId = practitionerIdOf(practitionerRef);
    if (clinicianId === null || !batch.clinicians.has(clinicianId)) {
      problem(x, 'actor', clinicianId === null ? 'a schedule needs a practitioner among its actors' : missing(`Practitioner/${clinicianId}`, 'practitioner'));
      continue;
    }
    scheduleClinician.set(x.id, clinicianId);
    const horizon = s.planningHorizon;
    if (!horizon?.start && !horizon?.end) continue;
    const start = horizon.start ? parseInstant(horizon.start) : null;
    const end = horizon.end ? parseInstant(horizon.end) : null;
    if (!start || !end) {
      problem(x, `planningHorizon.${start ? 'end' : 'start'}`, 'a session needs a start and an end time with a time zone');
      continue;
    }
    if (end < start) {
      problem(x, 'planningHorizon.end', 'ends before it starts');
      continue;
    }
    const roomRef = (s.actor ?? []).find((a) => refType(a) === 'Location');
    const label = s.comment ?? s.serviceType?.[0]?.text ?? null;
    const session: Session = { id: x.id, clinicianId, room: locationName(roomRef), date: localDate(start), start, end, label: label === null ? null : clip(label, MAX_TEXT.label) };
    batch.sessions.set(x.id, item(x, 'Schedule', session));
  }

  // ---- slots -----------------------------------------------------------------------------------------------
  for (const x of index.ofType('Slot')) {
    const s = parse(FhirSlot, x);
    if (!s) continue;
    const scheduleKey = refKey(s.schedule);
    const scheduleId = scheduleKey?.startsWith('Schedule/') ? scheduleKey.slice('Schedule/'.length) : null;
    const clinicianId = scheduleId === null ? null : scheduleClinician.get(scheduleId) ?? null;
    if (clinicianId === null) {
      problem(x, 'schedule', missing(scheduleKey, 'schedule'));
      continue;
    }
    const start = s.start ? parseInstant(s.start) : null;
    const end = s.end ? parseInstant(s.end) : null;
    if (!start || !end) {
      problem(x, start ? 'end' : 'start', s[start ? 'end' : 'start'] === undefined ? 'a slot needs a start and an end' : 'is not an instant with a time zone');
      continue;
    }
    const status = s.status ?? 'free';
    if (!isSlotStatus(status)) {
      problem(x, 'status', `unknown slot status "${status}"`);
      continue;
    }
    const slot: Slot = { id: x.id, sessionId: scheduleId !== null && batch.sessions.has(scheduleId) ? scheduleId : null, clinicianId, start, end, status };
    batch.slots.set(x.id, item(x, 'Slot', slot));
  }

  // ---- patients and their flags ----------------------------------------------------------------------------
  const flagsOf = new Map<string, Array<{ flag: PatientFlag; version: string }>>();
  for (const x of index.ofType('Flag')) {
    const f = FhirFlag.safeParse(x.resource);
    if (!f.success || f.data.status === 'inactive' || f.data.status === 'entered-in-error') continue;
    const subject = refKey(f.data.subject);
    if (!subject?.startsWith('Patient/')) continue;
    const flag = f.data.code ? firstMatch([f.data.code], patientFlagFrom) : null;
    // Flags the desk has no use for (there are many upstream) are not the mirror's business.
    if (flag === null) continue;
    const id = subject.slice('Patient/'.length);
    const list = flagsOf.get(id) ?? [];
    list.push({ flag, version: versionOf(x) });
    flagsOf.set(id, list);
  }
  function readPatient(x: Indexed): Patient | null {
    const p = parse(FhirPatient, x);
    if (!p) return null;
    const name = officialName(p.name);
    const family = name?.family?.trim() || (name?.text ? name.text.trim().split(/\s+/).at(-1) : undefined);
    if (!family) {
      problem(x, 'name', 'a patient needs a family name');
      return null;
    }
    const given = name?.given?.length ? name.given.join(' ') : name?.family ? '' : (name?.text?.trim().split(/\s+/).slice(0, -1).join(' ') ?? '');
    const birthDate = p.birthDate && isLocalDate(p.birthDate) ? p.birthDate : null;
    const sex: Patient['sex'] = p.gender === 'female' || p.gender === 'male' || p.gender === 'other' ? p.gender : 'unknown';
    const phone = p.telecom?.find((t) => t.system === 'phone' && t.value)?.value ?? null;
    const flags = flagsOf.get(x.id) ?? [];
    return withNhsNumberStatus({
      id: x.id,
      nhsNumber: p.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value?.slice(0, 20) ?? null,
      familyName: clip(family, 100),
      givenName: clip(given, 100),
      dateOfBirth: birthDate,
      sex,
      phone: phone === null ? null : clip(phone, MAX_TEXT.phone),
      flags: PATIENT_FLAGS.filter((f) => flags.some((held) => held.flag === f)),
    });
  }
  const unchangedPatient: LazyReader<Patient> = { resourceType: 'Patient', file, read: readPatient };
  for (const x of index.ofType('Patient')) {
    const flags = flagsOf.get(x.id);
    const dependencies = flags ? flags.map((f) => f.version) : NO_DEPENDENCIES;
    const known = knownFingerprint(x, 'Patient', dependencies);
    if (known !== undefined) {
      batch.patients.set(x.id, new LazyItem(unchangedPatient, x, known));
      continue;
    }
    const patient = readPatient(x);
    if (patient) batch.patients.set(x.id, item(x, 'Patient', patient, dependencies));
  }

  // ---- appointments ----------------------------------------------------------------------------------------
  const slotOf = (ref: Reference | undefined): string | null => {
    const key = refKey(ref);
    return key?.startsWith('Slot/') && batch.slots.has(key.slice(5)) ? key.slice(5) : null;
  };
  const slotDependencies = (slotId: string | null) => (slotId !== null ? [batch.slots.get(slotId)?.version ?? ''] : NO_DEPENDENCIES);
  function readAppointment(x: Indexed): Appointment | null {
    const a = parse(FhirAppointment, x);
    if (!a) return null;
    if (a.status === undefined) {
      problem(x, 'status', 'an appointment needs a status');
      return null;
    }
    if (!isFhirAppointmentStatus(a.status)) {
      problem(x, 'status', `unknown status "${a.status}" (FHIR R4 has ${FHIR_APPOINTMENT_STATUSES.join(', ')})`);
      return null;
    }
    const status = deskStatusFromFhir(a.status);
    // entered-in-error and waitlist are not in the day's book; a mirrored copy goes as "removed upstream".
    if (status === null) return null;
    if (a.start === undefined) {
      problem(x, 'start', 'an appointment needs a start time');
      return null;
    }
    const start = parseInstant(a.start);
    if (start === null) {
      problem(x, 'start', `"${a.start}" is not a date and time`);
      return null;
    }
    let end: string | null;
    if (a.end !== undefined) {
      end = parseInstant(a.end);
      if (end === null) {
        problem(x, 'end', `"${a.end}" is not a date and time`);
        return null;
      }
    } else if (a.minutesDuration !== undefined && a.minutesDuration > 0) {
      end = new Date(Date.parse(start) + a.minutesDuration * 60000).toISOString();
    } else {
      problem(x, 'end', 'an appointment needs an end time or minutesDuration');
      return null;
    }
    if (end < start) {
      problem(x, 'end', 'ends before it starts');
      return null;
    }
    const actors = (a.participant ?? []).map((p) => p.actor).filter((r): r is Reference => r !== undefined);
    const patientRef = actors.find((r) => refType(r) === 'Patient');
    const patientKey = refKey(patientRef);
    const patientId = patientKey?.startsWith('Patient/') ? patientKey.slice('Patient/'.length) : null;
    if (patientId === null || !batch.patients.has(patientId)) {
      problem(x, 'participant.actor', patientId === null ? 'no patient among the participants' : missing(patientKey, 'patient'));
      return null;
    }
    const clinicianRef = actors.find((r) => practitionerIdOf(r) !== null);
    const clinicianId = practitionerIdOf(clinicianRef);
    if (clinicianId === null || !batch.clinicians.has(clinicianId)) {
      problem(x, 'participant.actor', clinicianId === null ? 'no practitioner among the participants' : missing(`Practitioner/${clinicianId}`, 'practitioner'));
      return null;
    }
    const slotId = slotOf(a.slot?.[0]);
    const sessionKey = (a.supportingInformation ?? []).map(refKey).find((k) => k?.startsWith('Schedule/'));
    const sessionId =
      sessionKey && batch.sessions.has(sessionKey.slice(9)) ? sessionKey.slice(9) : slotId !== null ? batch.slots.get(slotId)?.entity.sessionId ?? null : null;
    const reason = a.description ?? a.reasonCode?.[0]?.text ?? null;
    const cancelReason = a.cancelationReason ? conceptText(a.cancelationReason) : null;
    const version = versionOf(x);
    return {
      id: x.id,
      patientId,
      clinicianId,
      sessionId,
      slotId,
      start,
      end,
      type: appointmentTypeOf(a.appointmentType, a.serviceType, a.extension),
      status,
      fhirStatus: FHIR_STATUS_OF[status],
      reason: reason === null ? null : clip(reason, MAX_TEXT.reason),
      cancelReason: cancelReason === null ? null : clip(cancelReason, MAX_TEXT.reason),
      arrivedAt: extensionInstant(a.extension, EXT_ARRIVED_AT),
      sentInAt: extensionInstant(a.extension, EXT_SENT_IN_AT),
      seenAt: extensionInstant(a.extension, EXT_SEEN_AT),
      version: 0,
      upstreamVersion: version.length <= 200 ? version : version.slice(0, 200),
      // The refresh stamps the time it writes the record.
      updatedAt: start,
    };
  }
  /**
   * For a record the mirror already holds at this version: only what the rest of the batch depends on (it is in
   * the book, its patient and clinician are here, its date). Anything unusual goes the full way, which says what
   * is wrong with it.
   */
  function quickDate(x: Indexed): string | null {
    const r = x.resource as { status?: unknown; start?: unknown; participant?: unknown };
    if (typeof r.status !== 'string' || !isFhirAppointmentStatus(r.status) || deskStatusFromFhir(r.status) === null) return null;
    if (typeof r.start !== 'string' || !Array.isArray(r.participant)) return null;
    let patientId: string | null = null;
    let clinicianId: string | null = null;
    for (const p of r.participant as Array<{ actor?: unknown } | null>) {
      const actor = p?.actor;
      if (actor === undefined) continue;
      const person = personOf(actor);
      if (person === null) return null;
      if (person === OTHER) continue;
      if (person.type === 'Patient') patientId ??= person.id;
      else if (person.type === 'Practitioner') clinicianId ??= person.id;
      else clinicianId ??= practitionerOfRole.get(person.id) ?? null;
    }
    // Only read patients and clinicians are in the batch, so these say the references lead somewhere good.
    if (patientId === null || !batch.patients.has(patientId)) return null;
    if (clinicianId === null || !batch.clinicians.has(clinicianId)) return null;
    return dateOfStart(r.start);
  }
  /**
   * Which patient, practitioner or role an appointment's actor is, as the full read would resolve it; OTHER for
   * anything else (a location, a device), null when only the full read can tell. The usual "Patient/<id>" is
   * taken apart without a regular expression, and its id looked up once, in the batch: 34,000 times over.
   */
  const personOf = (actor: unknown): { type: PersonType; id: string } | typeof OTHER | null => {
    if (actor === null || typeof actor !== 'object') return null;
    const { reference, type } = actor as Reference;
    if (typeof reference !== 'string') return type === undefined || !isPersonType(type) ? OTHER : null;
    // By fullUrl (a transaction's urn:uuid): rare, and the full read has its own rules for it.
    const byUrl = index.byUrl(reference);
    if (byUrl !== undefined) return type === undefined && !isPersonType(byUrl.type) ? OTHER : null;
    for (const prefix of PERSON_PREFIXES) {
      if (!reference.startsWith(prefix.path) || reference.includes('/', prefix.path.length)) continue;
      if (type !== undefined && type !== prefix.type) return null;
      return { type: prefix.type, id: reference.slice(prefix.path.length) };
    }
    // An absolute URL, or a versioned reference: what refKey makes of it.
    const m = REF_RE.exec(reference);
    if (m === null) return type === undefined || !isPersonType(type) ? OTHER : null;
    const [, claimed = '', id = ''] = m;
    if (type !== undefined && type !== claimed) return null;
    return isPersonType(claimed) ? { type: claimed, id } : OTHER;
  };
  /** The London date of an appointment's start as written: a day's 34,000 share a few hundred start times. */
  const startDates = new Map<string, string | null>();
  const dateOfStart = (text: string): string | null => {
    let date = startDates.get(text);
    if (date === undefined) {
      const start = parseInstant(text);
      date = start === null ? null : localDate(start);
      startDates.set(text, date);
    }
    return date;
  };
  const dates = new Set<string>();
  const unchangedAppointment: LazyReader<Appointment> = { resourceType: 'Appointment', file, read: readAppointment };
  for (const x of index.ofType('Appointment')) {
    const slots = (x.resource as { slot?: unknown }).slot;
    const firstSlot = Array.isArray(slots) ? (slots[0] as Reference | undefined) : undefined;
    const dependencies = slotDependencies(slotOf(typeof firstSlot?.reference === 'string' ? firstSlot : undefined));
    const known = knownFingerprint(x, 'Appointment', dependencies);
    if (known !== undefined) {
      const date = quickDate(x);
      if (date !== null) {
        batch.appointments.set(x.id, new LazyItem(unchangedAppointment, x, known));
        dates.add(date);
        continue;
      }
    }
    const appointment = readAppointment(x);
    if (!appointment) continue;
    batch.appointments.set(x.id, item(x, 'Appointment', appointment, slotDependencies(appointment.slotId)));
    dates.add(localDate(appointment.start));
  }

  batch.dates = options.dates ? [...options.dates] : [...dates].sort();
  batch.asOf = options.asOf ?? null;
  if (options.known) batch.known = options.known;
  batch.invalid = problems.list;
  return batch;
}

/** What an appointment's actor must be to be its patient or its clinician. */
type PersonType = 'Patient' | 'Practitioner' | 'PractitionerRole';
const isPersonType = (type: string): type is PersonType => type === 'Patient' || type === 'Practitioner' || type === 'PractitionerRole';
const PERSON_PREFIXES = [
  { path: 'Patient/', type: 'Patient' },
  { path: 'Practitioner/', type: 'Practitioner' },
  { path: 'PractitionerRole/', type: 'PractitionerRole' },
] as const;
/** An appointment's actor that is neither its patient nor its clinician. */
const OTHER = Symbol('other');

/** The dependencies of a record that has none, shared: an unchanged refresh looks at 70,000 records. */
const NO_DEPENDENCIES: readonly string[] = Object.freeze([]);

/** What the unchanged items of one type have in common: held once, not by each of 34,000 items. */
interface LazyReader<T> {
  resourceType: ResourceType;
  file: string;
  read: (x: Indexed) => T | null;
}

/**
 * An item for an unchanged record whose entity is read only if the refresh turns out to need it, which it will
 * not unless the mirror changed between reading and writing. A class with what its type shares held apart, so
 * that 34,000 of them stay small objects: each one lives until the refresh is done.
 */
class LazyItem<T> implements UpstreamItem<T> {
  private cached: T | null = null;
  constructor(
    private readonly reader: LazyReader<T>,
    private readonly x: Indexed,
    readonly fingerprint: string,
  ) {}

  get format(): 'fhir' {
    return 'fhir';
  }
  get resourceType(): ResourceType {
    return this.reader.resourceType;
  }
  get file(): string {
    return this.reader.file;
  }
  get id(): string {
    return this.x.id;
  }
  get version(): string {
    return this.x.version;
  }
  get raw(): unknown {
    return this.x.resource;
  }
  get where(): string {
    return this.x.where;
  }
  get entity(): T {
    this.cached ??= this.reader.read(this.x);
    if (this.cached === null) throw new Error(`${this.file}: ${this.where}: could not be read again; run the refresh again`);
    return this.cached;
  }
}

function asResourceType(type: string): ResourceType | null {
  switch (type) {
    case 'Organization':
    case 'Practitioner':
    case 'Schedule':
    case 'Slot':
    case 'Patient':
    case 'Appointment':
      return type;
    default:
      return null;
  }
}

function odsCodeOf(resource: Json): string | null {
  const ids = resource['identifier'];
  if (!Array.isArray(ids)) return null;
  for (const i of ids as Json[]) if (i && i['system'] === ODS_CODE_SYSTEM && typeof i['value'] === 'string') return i['value'];
  return null;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

function officialName(names: HumanName[] | undefined): HumanName | undefined {
  return names?.find((n) => n.use === 'official') ?? names?.find((n) => n.use !== 'old') ?? names?.[0];
}

/** "Dr Asha Patel": the name as text, or built from its parts. */
function displayName(names: HumanName[] | undefined): string | null {
  const n = officialName(names);
  if (!n) return null;
  if (n.text?.trim()) return n.text.trim();
  const parts = [...(n.prefix ?? []), ...(n.given ?? []), ...(n.family ? [n.family] : [])].map((p) => p.trim()).filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

function conceptText(c: CodeableConcept): string | null {
  return c.text ?? c.coding?.find((x) => x.display)?.display ?? c.coding?.find((x) => x.code)?.code ?? null;
}

function firstMatch<T>(concepts: readonly CodeableConcept[], match: (word: string) => T | null): T | null {
  for (const c of concepts) {
    for (const coding of c.coding ?? []) {
      const hit = (coding.code ? match(coding.code) : null) ?? (coding.display ? match(coding.display) : null);
      if (hit !== null) return hit;
    }
    if (c.text) {
      const hit = match(c.text);
      if (hit !== null) return hit;
    }
  }
  return null;
}

function appointmentTypeOf(type: CodeableConcept | undefined, serviceType: CodeableConcept[] | undefined, extensions: Extension[] | undefined): AppointmentType {
  const fromType = type ? firstMatch([type], appointmentTypeFrom) : null;
  if (fromType) return fromType;
  for (const e of extensions ?? []) {
    if (!e.url.endsWith(DELIVERY_CHANNEL_SUFFIX) && !e.url.includes('DeliveryChannel')) continue;
    const word = e.valueCode ?? e.valueString ?? e.valueCoding?.code ?? e.valueCoding?.display;
    const hit = word ? appointmentTypeFrom(word) : null;
    if (hit) return hit;
  }
  return firstMatch(serviceType ?? [], appointmentTypeFrom) ?? 'face_to_face';
}

function extensionInstant(extensions: Extension[] | undefined, url: string): string | null {
  const e = extensions?.find((x) => x.url === url);
  const value = e?.valueDateTime ?? e?.valueInstant;
  return value ? parseInstant(value) : null;
}

export type { InvalidRecord };
