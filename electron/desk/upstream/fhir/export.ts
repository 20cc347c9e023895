/**
 * A PracticeBook as a FHIR R4 Bundle: the inverse of fhir/read.ts. Used to seed the FHIR test double, to make
 * sample files and benchmark input, and by anyone who needs the mirror's book in FHIR form. Reading the result
 * back gives the same book, except that statuses pass through FHIR (Sent in is "arrived" upstream, see
 * shared/domain/status.ts).
 */
import { FHIR_STATUS_OF, type Appointment, type PracticeBook } from '../../../../shared/domain';
import {
  appointmentResource,
  asJson,
  calendarResource,
  organizationResource,
  patientResources,
  practitionerResources,
  scheduleResource,
  slotResource,
  type FhirResource,
  type MetaOf,
} from './resources';

export type { FhirResource };

export interface FhirBundleOut {
  resourceType: 'Bundle';
  type: 'collection' | 'searchset' | 'transaction' | 'batch';
  entry: Array<{ fullUrl?: string; resource: FhirResource; request?: { method: string; url: string } }>;
}

export interface ToFhirOptions {
  type?: FhirBundleOut['type'];
  /** Write meta.versionId (appointments: their upstreamVersion, else "1"). Off: importers hash the content. */
  versions?: boolean;
}

/** The book's resources, in an order that reads naturally (practice, staff, sessions, patients, appointments). */
export function bookToFhirResources(book: PracticeBook, options: { versions?: boolean } = {}): FhirResource[] {
  const versions = options.versions ?? true;
  const meta: MetaOf = (versionId) => (versions ? { meta: { versionId: versionId ?? '1' } } : {});
  // A slot outside any session still needs a Schedule in FHIR: a calendar for its clinician, with no horizon.
  const calendars = new Set(book.slots.filter((s) => s.sessionId === null).map((s) => s.clinicianId));
  const slotSession = new Map(book.slots.map((s) => [s.id, s.sessionId]));
  return [
    organizationResource(book.practice, meta),
    ...book.clinicians.flatMap((c) => practitionerResources(c, meta)),
    ...book.sessions.map((s) => scheduleResource(s, meta)),
    ...[...calendars].map((clinicianId) => calendarResource(clinicianId, meta)),
    ...book.slots.map((s) => slotResource(s, meta)),
    ...book.patients.flatMap((x) => patientResources(x, meta)),
    ...book.appointments.map((a) => exportedAppointment(a, slotSession, meta)),
  ];
}

function exportedAppointment(a: Appointment, slotSession: Map<string, string | null>, meta: MetaOf): FhirResource {
  // The session travels with the slot when there is one; otherwise (or if they differ) it is named outright.
  const sessionViaSlot = a.slotId !== null ? (slotSession.get(a.slotId) ?? null) : null;
  const upstream = a.upstreamVersion && !a.upstreamVersion.startsWith('sha256:') ? a.upstreamVersion : '1';
  const resource = appointmentResource({
    ...a,
    ...meta(upstream),
    status: FHIR_STATUS_OF[a.status],
    sessionId: a.sessionId !== sessionViaSlot ? a.sessionId : null,
  });
  return asJson(resource);
}

/** The book as one Bundle (a collection by default; a transaction of PUTs for loading a server). */
export function bookToFhirBundle(book: PracticeBook, options: ToFhirOptions = {}): FhirBundleOut {
  const type = options.type ?? 'collection';
  const resources = bookToFhirResources(book, options.versions === undefined ? {} : { versions: options.versions });
  return {
    resourceType: 'Bundle',
    type,
    entry: resources.map((resource) =>
      type === 'transaction' || type === 'batch' ? { resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } } : { resource },
    ),
  };
}
