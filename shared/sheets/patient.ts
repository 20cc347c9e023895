/** A patient as every sheet prints them: the identity a receptionist checks before acting (DCB0129: wrong patient). */
import type { Patient } from '../domain';
import { ageText, dobText, flagTexts, nhsNumberText, patientName, type FlagText, type NhsNumberText } from './format';

export interface PatientText {
  id: string;
  name: string;
  familyName: string;
  dob: string;
  age: string | null;
  nhs: NhsNumberText;
  phone: string | null;
  sex: Patient['sex'];
  flags: FlagText[];
  /**
   * Registered for a short stay (the practice list says so, or the desk registered them so): every sheet marks them
   * (TR), as keying them back in differs.
   */
  temporaryResident: boolean;
  /** The practice list records a death: marked wherever the name is printed. */
  deceased: boolean;
  /** As the practice list gives it, one line; null when it gives none. */
  address: string | null;
}

export function patientText(p: Patient, on: string): PatientText {
  return {
    id: p.id,
    name: patientName(p),
    familyName: p.familyName,
    dob: dobText(p.dateOfBirth),
    age: ageText(p.dateOfBirth, on),
    nhs: nhsNumberText(p),
    phone: p.phone,
    sex: p.sex,
    flags: flagTexts(p.flags),
    temporaryResident: p.temporaryResident === true,
    deceased: p.deceased === true,
    address: p.address ?? null,
  };
}
