/** What the appointments are for, by the clinician's role; and why some were cancelled. */
import type { AppointmentType, ClinicianRole } from '../../../shared/domain';
import type { Sex } from './people';

export interface ReasonOption {
  text: string;
  minAge?: number;
  maxAge?: number;
  sex?: Sex;
  /** Needs the patient in the room; not offered for telephone or video appointments. */
  inPerson?: boolean;
}

const r = (text: string, extra: Omit<ReasonOption, 'text'> = {}): ReasonOption => ({ text, ...extra });

export const REASONS: Record<ClinicianRole, readonly ReasonOption[]> = {
  gp: [
    r('6-8 week baby check', { maxAge: 0, inPerson: true }),
    r('Feeding concerns', { maxAge: 0 }),
    r('Fever', { maxAge: 15 }),
    r('Rash', { maxAge: 15 }),
    r('Ear pain', { maxAge: 15 }),
    r('Cough', { maxAge: 15 }),
    r('Tummy ache', { minAge: 2, maxAge: 12 }),
    r('Medication review', { minAge: 18 }),
    r('Back pain', { minAge: 16 }),
    r('Results discussion', { minAge: 16 }),
    r('Follow-up'),
    r('Fit note', { minAge: 18, maxAge: 67 }),
    r('Mental health review', { minAge: 14 }),
    r('Headaches', { minAge: 8 }),
    r('Knee pain', { minAge: 16 }),
    r('Contraception', { minAge: 16, maxAge: 50, sex: 'female' }),
    r('Blood pressure review', { minAge: 30 }),
    r('Dizziness', { minAge: 30 }),
    r('Sore throat', { minAge: 5 }),
    r('Abdominal pain', { minAge: 13 }),
    r('Tiredness', { minAge: 16 }),
    r('Mole check', { minAge: 16, inPerson: true }),
    r('Chest infection', { minAge: 16 }),
  ],
  nurse: [
    r('Childhood immunisations', { maxAge: 5, inPerson: true }),
    r('Asthma review', { minAge: 5 }),
    r('Diabetes review', { minAge: 25 }),
    r('COPD review', { minAge: 45 }),
    r('Cervical screening', { minAge: 25, maxAge: 64, sex: 'female', inPerson: true }),
    r('Dressing change', { inPerson: true }),
    r('Wound check', { inPerson: true }),
    r('Travel vaccinations', { minAge: 1, maxAge: 75, inPerson: true }),
    r('B12 injection', { minAge: 30, inPerson: true }),
    r('Contraceptive injection', { minAge: 16, maxAge: 45, sex: 'female', inPerson: true }),
    r('Blood pressure review', { minAge: 30 }),
  ],
  hca: [
    r('Blood test', { inPerson: true }),
    r('Blood test', { inPerson: true }),
    r('Blood pressure check', { minAge: 18, inPerson: true }),
    r('ECG', { minAge: 30, inPerson: true }),
    r('NHS Health Check', { minAge: 40, maxAge: 74, inPerson: true }),
    r('Weight and BMI check', { inPerson: true }),
  ],
  pharmacist: [
    r('Medication review'),
    r('Structured medication review', { minAge: 60 }),
    r('Inhaler review'),
    r('Repeat prescription query'),
    r('Statin review', { minAge: 40 }),
    r('Blood pressure review', { minAge: 30 }),
    r('HRT review', { minAge: 45, maxAge: 65, sex: 'female' }),
  ],
  physio: [r('Back pain'), r('Knee pain'), r('Shoulder pain'), r('Neck pain'), r('Ankle sprain'), r('Hip pain'), r('Tennis elbow')],
  paramedic: [r('Chest infection'), r('Urinary symptoms', { minAge: 16 }), r('Minor injury', { inPerson: true }), r('Sore throat'), r('Earache'), r('Rash')],
  physician_associate: [r('Follow-up'), r('Cough'), r('Back pain')],
  other: [r('Follow-up')],
};

export const HOME_VISIT_REASONS: readonly ReasonOption[] = [r('Housebound review'), r('Chest infection'), r('Fall at home'), r('Confusion'), r('Medication review')];

export const TYPE_WEIGHTS: Record<ClinicianRole, readonly (readonly [AppointmentType, number])[]> = {
  gp: [
    ['face_to_face', 62],
    ['telephone', 33],
    ['video', 5],
  ],
  nurse: [
    ['face_to_face', 92],
    ['telephone', 8],
  ],
  hca: [['face_to_face', 1]],
  pharmacist: [
    ['telephone', 55],
    ['face_to_face', 40],
    ['video', 5],
  ],
  physio: [
    ['face_to_face', 75],
    ['telephone', 20],
    ['video', 5],
  ],
  paramedic: [
    ['face_to_face', 70],
    ['telephone', 30],
  ],
  physician_associate: [
    ['face_to_face', 70],
    ['telephone', 30],
  ],
  other: [['face_to_face', 1]],
};

/** Roles that do not see young children in this practice (bloods, medicines, MSK). */
export const MIN_AGE: Record<ClinicianRole, number> = {
  gp: 0,
  nurse: 0,
  hca: 16,
  pharmacist: 16,
  physio: 16,
  paramedic: 1,
  physician_associate: 16,
  other: 0,
};

export const CANCEL_REASONS = [
  'Patient cancelled: feeling better',
  'Patient cancelled: work commitments',
  'Patient cancelled by text reply',
  'Patient cancelled: childcare',
  'Patient in hospital',
  'Booked in error',
  'Duplicate booking',
  'Clinician unavailable',
] as const;
