/**
 * A PracticeBook as a FHIR R4 Bundle: the inverse of fhir/read.ts. Used to seed the FHIR test double, to make
 * sample files and benchmark input, and by anyone who needs the mirror's book in FHIR form. Reading the result
 * back gives the same book, except that statuses pass through FHIR (Sent in is "arrived" upstream, see
 * shared/domain/status.ts).
 */
import {
  APPOINTMENT_TYPE_LABEL,
  CLINICIAN_ROLE_LABEL,
  FHIR_STATUS_OF,
  PATIENT_FLAG_LABEL,
  type Appointment,
  type PracticeBook,
} from '../../../../shared/domain';
import {
  APPOINTMENT_TYPE_SYSTEM,
  EXT_ARRIVED_AT,
  EXT_SEEN_AT,
  EXT_SENT_IN_AT,
  NHS_NUMBER_SYSTEM,
  ODS_CODE_SYSTEM,
  PATIENT_FLAG_SYSTEM,
  ROLE_SYSTEM,
} from './resources';

export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

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

const FHIR_ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

function fhirId(id: string): string {
  if (!FHIR_ID_RE.test(id)) throw new Error(`"${id}" cannot be a FHIR id (letters, digits, "-" and "." only, at most 64)`);
  return id;
}

/** The book's resources, in an order that reads naturally (practice, staff, sessions, patients, appointments). */
export function bookToFhirResources(book: PracticeBook, options: { versions?: boolean } = {}): FhirResource[] {
  const versions = options.versions ?? true;
  const meta = (versionId: string | null) => (versions ? { meta: { versionId: versionId ?? '1' } } : {});
  const out: FhirResource[] = [];
  const p = book.practice;
  out.push({
    resourceType: 'Organization',
    id: fhirId(p.id),
    ...meta(null),
    ...(p.odsCode ? { identifier: [{ system: ODS_CODE_SYSTEM, value: p.odsCode }] } : {}),
    name: p.name,
  });
  for (const c of book.clinicians) {
    const words = c.name.trim().split(/\s+/);
    out.push({ resourceType: 'Practitioner', id: fhirId(c.id), ...meta(null), name: [{ text: c.name, family: words.at(-1) ?? c.name }] });
    out.push({
      resourceType: 'PractitionerRole',
      id: fhirId(`${c.id}-role`),
      ...meta(null),
      active: true,
      practitioner: { reference: `Practitioner/${c.id}` },
      code: [{ coding: [{ system: ROLE_SYSTEM, code: c.role, display: CLINICIAN_ROLE_LABEL[c.role] }], text: CLINICIAN_ROLE_LABEL[c.role] }],
      ...(c.room ? { location: [{ type: 'Location', display: c.room }] } : {}),
    });
  }
  for (const s of book.sessions) {
    out.push({
      resourceType: 'Schedule',
      id: fhirId(s.id),
      ...meta(null),
      active: true,
      actor: [{ reference: `Practitioner/${s.clinicianId}` }, ...(s.room ? [{ type: 'Location', display: s.room }] : [])],
      planningHorizon: { start: s.start, end: s.end },
      ...(s.label !== null ? { comment: s.label } : {}),
    });
  }
  // A slot outside any session still needs a Schedule in FHIR: a calendar for its clinician, with no horizon.
  const calendars = new Set(book.slots.filter((s) => s.sessionId === null).map((s) => s.clinicianId));
  for (const clinicianId of calendars) {
    out.push({ resourceType: 'Schedule', id: fhirId(`${clinicianId}-calendar`), ...meta(null), active: true, actor: [{ reference: `Practitioner/${clinicianId}` }] });
  }
  for (const s of book.slots) {
    out.push({
      resourceType: 'Slot',
      id: fhirId(s.id),
      ...meta(null),
      schedule: { reference: `Schedule/${s.sessionId ?? `${s.clinicianId}-calendar`}` },
      status: s.status,
      start: s.start,
      end: s.end,
    });
  }
  for (const x of book.patients) {
    out.push({
      resourceType: 'Patient',
      id: fhirId(x.id),
      ...meta(null),
      ...(x.nhsNumber ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: x.nhsNumber }] } : {}),
      name: [{ use: 'official', family: x.familyName, ...(x.givenName ? { given: [x.givenName] } : {}) }],
      gender: x.sex,
      ...(x.dateOfBirth ? { birthDate: x.dateOfBirth } : {}),
      ...(x.phone ? { telecom: [{ system: 'phone', value: x.phone }] } : {}),
    });
    x.flags.forEach((flag, i) => {
      out.push({
        resourceType: 'Flag',
        id: fhirId(`${x.id}-flag-${i + 1}`),
        ...meta(null),
        status: 'active',
        subject: { reference: `Patient/${x.id}` },
        code: { coding: [{ system: PATIENT_FLAG_SYSTEM, code: flag, display: PATIENT_FLAG_LABEL[flag] }], text: PATIENT_FLAG_LABEL[flag] },
      });
    });
  }
  const slotSession = new Map(book.slots.map((s) => [s.id, s.sessionId]));
  for (const a of book.appointments) out.push(appointmentResource(a, slotSession, versions));
  return out;
}

function appointmentResource(a: Appointment, slotSession: Map<string, string | null>, versions: boolean): FhirResource {
  const extension = [
    ...(a.arrivedAt ? [{ url: EXT_ARRIVED_AT, valueDateTime: a.arrivedAt }] : []),
    ...(a.sentInAt ? [{ url: EXT_SENT_IN_AT, valueDateTime: a.sentInAt }] : []),
    ...(a.seenAt ? [{ url: EXT_SEEN_AT, valueDateTime: a.seenAt }] : []),
  ];
  // The session travels with the slot when there is one; otherwise (or if they differ) it is named outright.
  const sessionViaSlot = a.slotId !== null ? slotSession.get(a.slotId) ?? null : null;
  const upstream = a.upstreamVersion && !a.upstreamVersion.startsWith('sha256:') ? a.upstreamVersion : '1';
  return {
    resourceType: 'Appointment',
    id: fhirId(a.id),
    ...(versions ? { meta: { versionId: upstream } } : {}),
    ...(extension.length ? { extension } : {}),
    status: FHIR_STATUS_OF[a.status],
    ...(a.cancelReason !== null ? { cancelationReason: { text: a.cancelReason } } : {}),
    appointmentType: { coding: [{ system: APPOINTMENT_TYPE_SYSTEM, code: a.type, display: APPOINTMENT_TYPE_LABEL[a.type] }], text: APPOINTMENT_TYPE_LABEL[a.type] },
    ...(a.reason !== null ? { description: a.reason } : {}),
    ...(a.sessionId !== null && a.sessionId !== sessionViaSlot ? { supportingInformation: [{ reference: `Schedule/${a.sessionId}` }] } : {}),
    start: a.start,
    end: a.end,
    ...(a.slotId !== null ? { slot: [{ reference: `Slot/${a.slotId}` }] } : {}),
    participant: [
      { actor: { reference: `Patient/${a.patientId}` }, status: 'accepted' },
      { actor: { reference: `Practitioner/${a.clinicianId}` }, status: 'accepted' },
    ],
  };
}

/** The book as one Bundle (a collection by default; a transaction of PUTs for loading a server). */
export function bookToFhirBundle(book: PracticeBook, options: ToFhirOptions = {}): FhirBundleOut {
  const type = options.type ?? 'collection';
  const resources = bookToFhirResources(book, options.versions === undefined ? {} : { versions: options.versions });
  return {
    resourceType: 'Bundle',
    type,
    entry: resources.map((resource) =>
      type === 'transaction' || type === 'batch'
        ? { resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } }
        : { resource },
    ),
  };
}
