/**
 * The FHIR R4 resources the desk reads and writes, in one place: the identifier systems and extensions, zod
 * schemas for what is read, and builders, typed by @medplum/fhirtypes, for what is written (export.ts, write.ts
 * and the FHIR test double all build through them).
 *
 * The schemas are not strict: elements and extensions we do not know are dropped, as FHIR's rules for consumers
 * ask; the resource as it came is kept whole beside the entity (upstream_record.raw), so nothing is lost for
 * merge-back.
 */
import type * as R4 from '@medplum/fhirtypes';
import { z } from 'zod';
import { APPOINTMENT_TYPE_LABEL, AppointmentType, CLINICIAN_ROLE_LABEL, PATIENT_FLAG_LABEL } from '../../../../shared/domain';
import type { Clinician, FhirAppointmentStatus, Patient, PatientFlag, Practice, Session, Slot } from '../../../../shared/domain';

/** UK Core identifier systems. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
/**
 * How GP systems say a patient is registered for a short stay: GP Connect's registration details extension, whose
 * `registrationType` is coded from Care Connect's RegistrationType (R regular, T temporary, IN immediately
 * necessary, ...). FHIR R4's Patient has no element for it; UK servers that say it at all say it this way.
 */
export const REGISTRATION_DETAILS_EXTENSION = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1';
export const REGISTRATION_TYPE_SYSTEM = 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-RegistrationType-1';
const TEMPORARY_REGISTRATION = 'T';
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

/**
 * Our own code systems and extensions, for what the desk keeps that FHIR R4 has no element for. An upstream
 * that does not send them loses nothing: the desk falls back to its defaults. The .invalid domain is reserved,
 * so these can never collide with a real system.
 */
export const STANDBY_SYSTEM = 'https://standby-desk.invalid/fhir';
export const ROLE_SYSTEM = `${STANDBY_SYSTEM}/CodeSystem/clinician-role`;
export const APPOINTMENT_TYPE_SYSTEM = `${STANDBY_SYSTEM}/CodeSystem/appointment-type`;
export const PATIENT_FLAG_SYSTEM = `${STANDBY_SYSTEM}/CodeSystem/patient-flag`;
export const EXT_ARRIVED_AT = `${STANDBY_SYSTEM}/StructureDefinition/arrived-at`;
export const EXT_SENT_IN_AT = `${STANDBY_SYSTEM}/StructureDefinition/sent-in-at`;
export const EXT_SEEN_AT = `${STANDBY_SYSTEM}/StructureDefinition/seen-at`;
/** The identifier a desk-made appointment carries upstream: its journal entry's id, so a retry finds it. */
export const DESK_ENTRY_SYSTEM = `${STANDBY_SYSTEM}/Id/journal-entry`;
/** GP Connect's delivery channel extension ends with this; its values are In-person, Telephone, Video. */
export const DELIVERY_CHANNEL_SUFFIX = 'DeliveryChannel';

export const Reference = z.object({
  reference: z.string().optional(),
  type: z.string().optional(),
  display: z.string().optional(),
});
export type Reference = z.infer<typeof Reference>;

export const Coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
export const CodeableConcept = z.object({ coding: z.array(Coding).optional(), text: z.string().optional() });
export type CodeableConcept = z.infer<typeof CodeableConcept>;
export const Identifier = z.object({ system: z.string().optional(), value: z.string().optional() });
export const Meta = z.object({ versionId: z.string().optional(), lastUpdated: z.string().optional() });
export const Period = z.object({ start: z.string().optional(), end: z.string().optional() });
export const HumanName = z.object({
  use: z.string().optional(),
  text: z.string().optional(),
  family: z.string().optional(),
  given: z.array(z.string()).optional(),
  prefix: z.array(z.string()).optional(),
});
export type HumanName = z.infer<typeof HumanName>;
export const Extension = z.object({
  url: z.string(),
  valueDateTime: z.string().optional(),
  valueInstant: z.string().optional(),
  valueCode: z.string().optional(),
  valueString: z.string().optional(),
  valueCoding: Coding.optional(),
});
export type Extension = z.infer<typeof Extension>;

const base = {
  id: z.string().optional(),
  meta: Meta.optional(),
};

export const FhirOrganization = z.object({
  ...base,
  resourceType: z.literal('Organization'),
  name: z.string().optional(),
  identifier: z.array(Identifier).optional(),
});

export const FhirPractitioner = z.object({
  ...base,
  resourceType: z.literal('Practitioner'),
  name: z.array(HumanName).optional(),
  identifier: z.array(Identifier).optional(),
});

export const FhirPractitionerRole = z.object({
  ...base,
  resourceType: z.literal('PractitionerRole'),
  active: z.boolean().optional(),
  practitioner: Reference.optional(),
  code: z.array(CodeableConcept).optional(),
  location: z.array(Reference).optional(),
});

export const FhirLocation = z.object({ ...base, resourceType: z.literal('Location'), name: z.string().optional() });

export const FhirSchedule = z.object({
  ...base,
  resourceType: z.literal('Schedule'),
  actor: z.array(Reference).optional(),
  planningHorizon: Period.optional(),
  comment: z.string().optional(),
  serviceType: z.array(CodeableConcept).optional(),
});

export const FhirSlot = z.object({
  ...base,
  resourceType: z.literal('Slot'),
  schedule: Reference.optional(),
  status: z.string().optional(),
  start: z.string().optional(),
  end: z.string().optional(),
});

export const FhirPatient = z.object({
  ...base,
  resourceType: z.literal('Patient'),
  identifier: z.array(Identifier).optional(),
  name: z.array(HumanName).optional(),
  gender: z.string().optional(),
  birthDate: z.string().optional(),
  telecom: z.array(z.object({ system: z.string().optional(), value: z.string().optional(), use: z.string().optional() })).optional(),
  deceasedBoolean: z.boolean().optional(),
  deceasedDateTime: z.string().optional(),
  extension: z.array(z.object({ url: z.string(), extension: z.array(z.object({ url: z.string(), valueCodeableConcept: CodeableConcept.optional() })).optional() })).optional(),
  address: z
    .array(
      z.object({
        use: z.string().optional(),
        text: z.string().optional(),
        line: z.array(z.string()).optional(),
        city: z.string().optional(),
        district: z.string().optional(),
        postalCode: z.string().optional(),
        period: z.object({ end: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

export const FhirFlag = z.object({
  ...base,
  resourceType: z.literal('Flag'),
  status: z.string().optional(),
  subject: Reference.optional(),
  code: CodeableConcept.optional(),
});

export const FhirAppointment = z.object({
  ...base,
  resourceType: z.literal('Appointment'),
  status: z.string().optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  minutesDuration: z.number().optional(),
  description: z.string().optional(),
  comment: z.string().optional(),
  reasonCode: z.array(CodeableConcept).optional(),
  cancelationReason: CodeableConcept.optional(),
  appointmentType: CodeableConcept.optional(),
  serviceType: z.array(CodeableConcept).optional(),
  participant: z.array(z.object({ actor: Reference.optional() })).optional(),
  slot: z.array(Reference).optional(),
  supportingInformation: z.array(Reference).optional(),
  extension: z.array(Extension).optional(),
});

export const BUNDLE_TYPES = ['searchset', 'collection', 'batch', 'transaction'] as const;

export const FhirBundle = z.object({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
  entry: z
    .array(
      z.object({
        fullUrl: z.string().optional(),
        resource: z.record(z.string(), z.unknown()).optional(),
        request: z.object({ method: z.string().optional(), url: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
export type FhirBundle = z.infer<typeof FhirBundle>;

// ---- builders: what the desk writes ---------------------------------------------------------------------------

/** A resource as JSON, as a Bundle carries it and a server stores it: any resource, with its id. */
export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

/** Typed by the R4 definitions while it is built, plain JSON once it is (what a Bundle entry holds). */
export const asJson = (resource: R4.Resource): FhirResource => resource as unknown as FhirResource;

/** meta.versionId when versions are written; nothing when they are not (importers hash the content). */
export type MetaOf = (versionId: string | null) => { meta?: R4.Meta };

const FHIR_ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

/** The id as a FHIR id, or an error saying why it cannot be one. */
export function fhirId(id: string): string {
  if (!FHIR_ID_RE.test(id)) throw new Error(`"${id}" cannot be a FHIR id (letters, digits, "-" and "." only, at most 64)`);
  return id;
}

const coded = (system: string, code: string, label: string): R4.CodeableConcept => ({ coding: [{ system, code, display: label }], text: label });

export function organizationResource(p: Practice, meta: MetaOf): FhirResource {
  const org: R4.Organization & { id: string } = {
    resourceType: 'Organization',
    id: fhirId(p.id),
    ...meta(null),
    ...(p.odsCode ? { identifier: [{ system: ODS_CODE_SYSTEM, value: p.odsCode }] } : {}),
    name: p.name,
  };
  return asJson(org);
}

/** A clinician is a Practitioner and, for the role and room, a PractitionerRole ("<id>-role"). */
export function practitionerResources(c: Clinician, meta: MetaOf): FhirResource[] {
  const words = c.name.trim().split(/\s+/);
  const practitioner: R4.Practitioner & { id: string } = {
    resourceType: 'Practitioner',
    id: fhirId(c.id),
    ...meta(null),
    name: [{ text: c.name, family: words.at(-1) ?? c.name }],
  };
  const role: R4.PractitionerRole & { id: string } = {
    resourceType: 'PractitionerRole',
    id: fhirId(`${c.id}-role`),
    ...meta(null),
    active: true,
    practitioner: { reference: `Practitioner/${c.id}` },
    code: [coded(ROLE_SYSTEM, c.role, CLINICIAN_ROLE_LABEL[c.role])],
    ...(c.room ? { location: [{ type: 'Location', display: c.room }] } : {}),
  };
  return [asJson(practitioner), asJson(role)];
}

export function scheduleResource(s: Session, meta: MetaOf): FhirResource {
  const schedule: R4.Schedule & { id: string } = {
    resourceType: 'Schedule',
    id: fhirId(s.id),
    ...meta(null),
    active: true,
    actor: [{ reference: `Practitioner/${s.clinicianId}` }, ...(s.room ? [{ type: 'Location' as const, display: s.room }] : [])],
    planningHorizon: { start: s.start, end: s.end },
    ...(s.label !== null ? { comment: s.label } : {}),
  };
  return asJson(schedule);
}

/** The Schedule a slot outside any session belongs to: its clinician's calendar, with no planning horizon. */
export const calendarId = (clinicianId: string): string => `${clinicianId}-calendar`;

export function calendarResource(clinicianId: string, meta: MetaOf): FhirResource {
  const calendar: R4.Schedule & { id: string } = {
    resourceType: 'Schedule',
    id: fhirId(calendarId(clinicianId)),
    ...meta(null),
    active: true,
    actor: [{ reference: `Practitioner/${clinicianId}` }],
  };
  return asJson(calendar);
}

export function slotResource(s: Slot, meta: MetaOf): FhirResource {
  const slot: R4.Slot & { id: string } = {
    resourceType: 'Slot',
    id: fhirId(s.id),
    ...meta(null),
    schedule: { reference: `Schedule/${s.sessionId ?? calendarId(s.clinicianId)}` },
    status: s.status,
    start: s.start,
    end: s.end,
  };
  return asJson(slot);
}

/** A patient, and a Flag ("<id>-flag-<n>") for each of their flags. */
/** Whether a Patient's registration details say a temporary registration (by code, or by words where uncoded). */
export function registeredTemporarily(extensions: z.infer<typeof FhirPatient>['extension']): boolean {
  const details = (extensions ?? []).filter((e) => e.url.endsWith('RegistrationDetails-1'));
  const types = details.flatMap((d) => (d.extension ?? []).filter((e) => e.url === 'registrationType').map((e) => e.valueCodeableConcept));
  return types.some(
    (t) => t?.coding?.some((c) => c.code === TEMPORARY_REGISTRATION || /^temporary$/i.test(c.display ?? '')) === true || /^temporary$/i.test(t?.text?.trim() ?? ''),
  );
}

export function patientResources(x: Patient, meta: MetaOf): FhirResource[] {
  const patient: R4.Patient & { id: string } = {
    resourceType: 'Patient',
    id: fhirId(x.id),
    ...meta(null),
    ...(x.nhsNumber ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: x.nhsNumber }] } : {}),
    name: [{ use: 'official', family: x.familyName, ...(x.givenName ? { given: [x.givenName] } : {}) }],
    gender: x.sex,
    ...(x.dateOfBirth ? { birthDate: x.dateOfBirth } : {}),
    ...(x.phone ? { telecom: [{ system: 'phone', value: x.phone }] } : {}),
    ...(x.deceased ? { deceasedBoolean: true } : {}),
    ...(x.address ? { address: [{ use: 'home', text: x.address }] } : {}),
    ...(x.temporaryResident
      ? {
          extension: [
            {
              url: REGISTRATION_DETAILS_EXTENSION,
              extension: [{ url: 'registrationType', valueCodeableConcept: coded(REGISTRATION_TYPE_SYSTEM, TEMPORARY_REGISTRATION, 'Temporary') }],
            },
          ],
        }
      : {}),
  };
  return [asJson(patient), ...x.flags.map((flag: PatientFlag, i) => flagResource(x.id, flag, i + 1, meta))];
}

function flagResource(patientId: string, flag: PatientFlag, n: number, meta: MetaOf): FhirResource {
  const resource: R4.Flag & { id: string } = {
    resourceType: 'Flag',
    id: fhirId(`${patientId}-flag-${n}`),
    ...meta(null),
    status: 'active',
    subject: { reference: `Patient/${patientId}` },
    code: coded(PATIENT_FLAG_SYSTEM, flag, PATIENT_FLAG_LABEL[flag]),
  };
  return asJson(resource);
}

/** The desk's times that FHIR R4 has no element for. */
export interface DeskTimes {
  arrivedAt: string | null;
  sentInAt: string | null;
  seenAt: string | null;
}

/** The extensions that carry the desk's times; upstream's other extensions are not ours to touch. */
export const DESK_TIME_EXTENSIONS: ReadonlySet<string> = new Set([EXT_ARRIVED_AT, EXT_SENT_IN_AT, EXT_SEEN_AT]);

export function timeExtensions(t: DeskTimes): R4.Extension[] {
  return [
    ...(t.arrivedAt ? [{ url: EXT_ARRIVED_AT, valueDateTime: t.arrivedAt }] : []),
    ...(t.sentInAt ? [{ url: EXT_SENT_IN_AT, valueDateTime: t.sentInAt }] : []),
    ...(t.seenAt ? [{ url: EXT_SEEN_AT, valueDateTime: t.seenAt }] : []),
  ];
}

/** What an Appointment the desk writes is made of: an exported one, or one merge-back creates. */
export interface AppointmentParts extends DeskTimes {
  id?: string;
  meta?: R4.Meta;
  /** Our journal entry's id, for a desk-made appointment (DESK_ENTRY_SYSTEM). */
  deskEntry?: string;
  status: FhirAppointmentStatus;
  cancelReason: string | null;
  /** The desk's appointment type; a code the desk does not know goes as it is, without a label. */
  type: AppointmentType | string;
  reason: string | null;
  /** A session named outright: when the slot does not carry it. */
  sessionId: string | null;
  start: string;
  end: string;
  slotId: string | null;
  patientId: string;
  clinicianId: string;
}

export function appointmentResource(a: AppointmentParts): R4.Appointment {
  const extension = timeExtensions(a);
  return {
    resourceType: 'Appointment',
    ...(a.id !== undefined ? { id: fhirId(a.id) } : {}),
    ...(a.meta ? { meta: a.meta } : {}),
    ...(a.deskEntry !== undefined ? { identifier: [{ system: DESK_ENTRY_SYSTEM, value: a.deskEntry }] } : {}),
    ...(extension.length ? { extension } : {}),
    status: a.status,
    ...(a.cancelReason !== null ? { cancelationReason: { text: a.cancelReason } } : {}),
    appointmentType: typeConcept(a.type),
    ...(a.reason !== null ? { description: a.reason } : {}),
    ...(a.sessionId !== null ? { supportingInformation: [{ reference: `Schedule/${a.sessionId}` }] } : {}),
    start: a.start,
    end: a.end,
    ...(a.slotId !== null ? { slot: [{ reference: `Slot/${a.slotId}` }] } : {}),
    participant: [
      { actor: { reference: `Patient/${a.patientId}` }, status: 'accepted' },
      { actor: { reference: `Practitioner/${a.clinicianId}` }, status: 'accepted' },
    ],
  };
}

function typeConcept(type: string): R4.CodeableConcept {
  const known = AppointmentType.safeParse(type);
  return known.success ? coded(APPOINTMENT_TYPE_SYSTEM, known.data, APPOINTMENT_TYPE_LABEL[known.data]) : { coding: [{ system: APPOINTMENT_TYPE_SYSTEM, code: type }] };
}

/** A refusal as a FHIR server words it. */
export function operationOutcome(code: R4.OperationOutcomeIssue['code'], diagnostics: string): R4.OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}
