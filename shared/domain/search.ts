import { isLocalDate, parseUkDate, type LocalDate } from './time';

/**
 * Folding for patient search: receptionists type what they hear, so "obrien", "O'Brien" and "o brien" must
 * find O'Brien, and "zoe" must find Zoë. Letters only, lower case, diacritics removed.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/gi, 'l')
    .replace(/ø/gi, 'o')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export function phoneDigits(phone: string | null): string | null {
  if (phone === null) return null;
  let digits = phone.replace(/\D/g, '');
  // +44 7700 900123 and 07700 900123 are the same number.
  if (digits.startsWith('44')) digits = '0' + digits.slice(2);
  return digits || null;
}

/** One way of reading typed words as a name: the family name (a prefix) and, if any, the given name (a prefix). */
export interface NameReading {
  family: string;
  given: string | null;
}

export type PatientQuery =
  | { kind: 'nhs'; nhsNumber: string }
  | { kind: 'dob'; dateOfBirth: string }
  | { kind: 'phone'; digits: string }
  /** Any reading may match: "o brien" is O'Brien as well as a family name O... with a given name Brien... */
  | { kind: 'name'; readings: NameReading[] };

/** More words than this are not a name anyone types at a desk; the readings grow with each. */
const MAX_NAME_WORDS = 4;

/**
 * Reads what was typed in the search box as one kind of query. `today` (London) is the desk's, passed in:
 * a two-digit year is read as a date of birth, which cannot be after it.
 */
export function parsePatientQuery(raw: string, today: LocalDate): PatientQuery | null {
  const text = raw.trim();
  if (text === '') return null;
  const compact = text.replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(compact) && !compact.startsWith('0')) return { kind: 'nhs', nhsNumber: compact };
  const dob = parseUkDate(text, today) ?? (isLocalDate(text) ? text : null);
  if (dob) return { kind: 'dob', dateOfBirth: dob };
  if (/^[+\d][\d\s()-]{5,}$/.test(text)) {
    const digits = phoneDigits(text);
    if (digits && digits.length >= 6) return { kind: 'phone', digits };
  }
  const readings = nameReadings(text);
  return readings.length === 0 ? null : { kind: 'name', readings };
}

/**
 * "smith j", "smith, j" or "Smith John": family name first, as staff write it. Without a comma the family name
 * may itself be several words ("o brien", "van der berg", "smith jones" for Smith-Jones), so every split of the
 * words into family then given is a reading, the first word alone first. A comma says where the family name ends.
 */
export function nameReadings(text: string): NameReading[] {
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const family = foldName(text.slice(0, comma));
    const given = foldName(text.slice(comma + 1));
    return family === '' ? [] : [{ family, given: given === '' ? null : given }];
  }
  const words = text
    .split(/\s+/)
    .map(foldName)
    .filter((w) => w !== '')
    .slice(0, MAX_NAME_WORDS);
  const readings: NameReading[] = [];
  for (let split = 1; split <= words.length; split++) {
    const given = words.slice(split).join('');
    readings.push({ family: words.slice(0, split).join(''), given: given === '' ? null : given });
  }
  return readings;
}
