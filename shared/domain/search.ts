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

export type PatientQuery =
  { kind: 'nhs'; nhsNumber: string } | { kind: 'dob'; dateOfBirth: string } | { kind: 'phone'; digits: string } | { kind: 'name'; family: string; given: string | null };

/** Reads what was typed in the search box as one kind of query. */
export function parsePatientQuery(raw: string, parseUkDate: (t: string) => string | null): PatientQuery | null {
  const text = raw.trim();
  if (text === '') return null;
  const compact = text.replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(compact) && !compact.startsWith('0')) return { kind: 'nhs', nhsNumber: compact };
  const dob = parseUkDate(text) ?? (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null);
  if (dob) return { kind: 'dob', dateOfBirth: dob };
  if (/^[+\d][\d\s()-]{5,}$/.test(text)) {
    const digits = phoneDigits(text);
    if (digits && digits.length >= 6) return { kind: 'phone', digits };
  }
  // "smith j", "smith, j" or "Smith John": family name first, as staff write it.
  const [familyPart, ...rest] = text.split(/[,\s]+/).filter(Boolean);
  const family = foldName(familyPart ?? '');
  if (family === '') return null;
  const given = rest.length ? foldName(rest.join('')) : '';
  return { kind: 'name', family, given: given === '' ? null : given };
}
