/**
 * How people, dates and numbers are written on paper: the forms UK practice staff read without thinking
 * (SURNAME, Forename; dd/mm/yyyy; NHS number 3-3-4), always in London time.
 */
import { ageOn, formatNhsNumber, formatUkDate, localDateOf, localTimeOf, PATIENT_FLAG_LABEL, PATIENT_FLAGS, TIME_SENSITIVE_FLAGS, type Patient, type PatientFlag } from '../domain';

/** "O'BRIEN, Siobhán": the family name in capitals so it stands out when a list is scanned at arm's length. */
export function patientName(p: Pick<Patient, 'familyName' | 'givenName'>): string {
  const family = p.familyName.toLocaleUpperCase('en-GB');
  return p.givenName.trim() === '' ? family : `${family}, ${p.givenName}`;
}

export interface NhsNumberText {
  text: string;
  /** False when the number is missing or fails its check digit: the paper says so, so nobody copies it on. */
  trusted: boolean;
}

export function nhsNumberText(p: Pick<Patient, 'nhsNumber' | 'nhsNumberStatus'>): NhsNumberText {
  if (p.nhsNumber === null || p.nhsNumberStatus === 'missing') return { text: 'not recorded', trusted: false };
  if (p.nhsNumberStatus === 'invalid') return { text: `${p.nhsNumber} (invalid)`, trusted: false };
  return { text: formatNhsNumber(p.nhsNumber), trusted: true };
}

export function dobText(dateOfBirth: string | null): string {
  return dateOfBirth === null ? 'DOB not recorded' : formatUkDate(dateOfBirth);
}

/** "42y", or months under two: a clinician reads "8m" differently from "0y". */
export function ageText(dateOfBirth: string | null, on: string): string | null {
  if (dateOfBirth === null || dateOfBirth > on) return null;
  const years = ageOn(dateOfBirth, on);
  if (years >= 2) return `${years}y`;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  const months = (oy - by) * 12 + (om - bm) - (od < bd ? 1 : 0);
  return `${months}m`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** "Monday 20 July 2026": the weekday guards against printing the wrong day's list. */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[weekday] ?? ''} ${d} ${MONTHS[m - 1] ?? ''} ${y}`;
}

/** "20/07/2026 08:14" in London time. */
export function londonDateTime(instant: string | Date): string {
  return `${formatUkDate(localDateOf(instant))} ${localTimeOf(instant)}`;
}

export const time = (instant: string): string => localTimeOf(instant);

/** Shorter flag names for the list columns; the consultation record prints the full labels. */
export const FLAG_SHORT_LABEL: Record<PatientFlag, string> = {
  suspected_cancer: '2WW cancer',
  anticoagulation: 'Anticoagulant',
  palliative: 'Palliative',
  safeguarding: 'Safeguarding',
  interpreter: 'Interpreter',
  wheelchair: 'Wheelchair',
  hearing: 'Hearing loss',
};

export interface FlagText {
  flag: PatientFlag;
  label: string;
  short: string;
  /** The flags GP leaders asked to be identified and prioritised after July 2024. */
  timeSensitive: boolean;
}

/** Time-sensitive flags first, then the others in their declared order, so the eye meets the urgent ones first. */
export function flagTexts(flags: readonly PatientFlag[]): FlagText[] {
  const rank = (f: PatientFlag) => {
    const urgent = TIME_SENSITIVE_FLAGS.indexOf(f);
    return urgent >= 0 ? urgent : TIME_SENSITIVE_FLAGS.length + PATIENT_FLAGS.indexOf(f);
  };
  return [...new Set(flags)]
    .sort((a, b) => rank(a) - rank(b))
    .map((flag) => ({ flag, label: PATIENT_FLAG_LABEL[flag], short: FLAG_SHORT_LABEL[flag], timeSensitive: TIME_SENSITIVE_FLAGS.includes(flag) }));
}

/** Free text cut to fit a list cell, at a word where possible; the consultation record prints it whole. */
export function shorten(text: string | null, max: number): string | null {
  if (text === null) return null;
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:-]+$/, '')}\u2026`;
}
