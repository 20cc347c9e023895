/**
 * The parts of FHIR R4 resources (UK Core profiles) the mirror reads, as zod schemas. Objects are not strict:
 * elements and extensions we do not know are dropped, as FHIR's rules for consumers ask; the resource as it
 * came is kept whole beside the entity (upstream_record.raw), so nothing is lost for merge-back.
 */
import { z } from 'zod';

/** UK Core identifier systems. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const SDS_USER_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';

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
