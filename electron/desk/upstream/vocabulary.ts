/**
 * Reading upstream words into the desk's vocabularies. Upstream systems say the same thing many ways
 * ("GP", "General practitioner", "gp"; "Face-to-Face", "face_to_face"); these accept our own ids, our labels
 * and the common spellings, and say "not known" rather than guess.
 */
import {
  APPOINTMENT_TYPE_LABEL,
  APPOINTMENT_TYPES,
  CLINICIAN_ROLE_LABEL,
  CLINICIAN_ROLES,
  DESK_STATUS_LABEL,
  DESK_STATUSES,
  deskStatusFromFhir,
  FHIR_APPOINTMENT_STATUSES,
  PATIENT_FLAG_LABEL,
  PATIENT_FLAGS,
  SLOT_STATUSES,
  type AppointmentType,
  type ClinicianRole,
  type DeskStatus,
  type FhirAppointmentStatus,
  type PatientFlag,
} from '../../../shared/domain';

/** Lower case, letters and digits only: "Face-to-Face" and "face_to_face" read alike. */
export const squash = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

function table<T extends string>(ids: readonly T[], labels: Record<T, string>, synonyms: Record<string, T>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [word, id] of Object.entries(synonyms)) map.set(squash(word), id);
  for (const id of ids) {
    map.set(squash(labels[id]), id);
    map.set(squash(id), id);
  }
  return map;
}

const ROLES = table(CLINICIAN_ROLES, CLINICIAN_ROLE_LABEL, {
  'General practitioner': 'gp',
  'General medical practitioner': 'gp',
  Doctor: 'gp',
  'Salaried GP': 'gp',
  'GP partner': 'gp',
  Nurse: 'nurse',
  'Nurse practitioner': 'nurse',
  'Advanced nurse practitioner': 'nurse',
  'Health care assistant': 'hca',
  Pharmacist: 'pharmacist',
  Physiotherapist: 'physio',
  Physio: 'physio',
});
const TYPES = table(APPOINTMENT_TYPES, APPOINTMENT_TYPE_LABEL, {
  // GP Appointments Data's "appointment mode" and GP Connect's delivery channel.
  'Face-to-Face': 'face_to_face',
  'In-person': 'face_to_face',
  'Home Visit': 'home_visit',
  'Video Conference/Online': 'video',
  'Video/Online': 'video',
  Online: 'video',
  Phone: 'telephone',
});
const FLAGS = table(PATIENT_FLAGS, PATIENT_FLAG_LABEL, {
  '2WW': 'suspected_cancer',
  'Two week wait': 'suspected_cancer',
  'Suspected cancer': 'suspected_cancer',
  Anticoagulant: 'anticoagulation',
  Interpreter: 'interpreter',
  Wheelchair: 'wheelchair',
  'Hearing loss': 'hearing',
});
const DESK_STATUS_WORDS = table(DESK_STATUSES, DESK_STATUS_LABEL, {
  'Did not attend': 'dna',
  'Did not arrive': 'dna',
  'Send in': 'sent_in',
  'Quiet send in': 'quiet_sent_in',
  Canceled: 'cancelled',
  Finished: 'seen',
  Completed: 'seen',
  Late: 'late',
});

export function roleFrom(text: string): ClinicianRole | null {
  return ROLES.get(squash(text)) ?? null;
}
export function appointmentTypeFrom(text: string): AppointmentType | null {
  return TYPES.get(squash(text)) ?? null;
}
export function patientFlagFrom(text: string): PatientFlag | null {
  return FLAGS.get(squash(text)) ?? null;
}

export function isFhirAppointmentStatus(value: string): value is FhirAppointmentStatus {
  return (FHIR_APPOINTMENT_STATUSES as readonly string[]).includes(value);
}
export function isSlotStatus(value: string): value is (typeof SLOT_STATUSES)[number] {
  return (SLOT_STATUSES as readonly string[]).includes(value);
}

/**
 * A CSV status cell: a FHIR code ("noshow"), a desk status id or label ("DNA", "Sent in"), or a common word for
 * one. `null` for a status that is not part of the day's book (entered-in-error, waitlist); undefined when the
 * word is not known at all.
 */
export function deskStatusFromWord(word: string): DeskStatus | null | undefined {
  const text = word.trim();
  if (isFhirAppointmentStatus(text)) return deskStatusFromFhir(text);
  return DESK_STATUS_WORDS.get(squash(text));
}
