/**
 * NHS number: 10 digits, Modulus 11 check digit (NHS Data Dictionary).
 * An invalid or missing number is flagged on the patient, never fatal: a walk-in may not know theirs.
 */
export type NhsNumberCheck = { status: 'valid'; value: string } | { status: 'invalid'; value: string; reason: string } | { status: 'missing' };

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** Strips the spaces and hyphens people type ("943 476 5919", "943-476-5919"). */
export function normaliseNhsNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

/** The check digit for nine digits, or null when the remainder makes the number impossible (10). */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new Error(`nhsCheckDigit needs 9 digits, got "${firstNine}"`);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (WEIGHTS[i] ?? 0);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function checkNhsNumber(raw: string | null | undefined): NhsNumberCheck {
  if (raw === null || raw === undefined || raw.trim() === '') return { status: 'missing' };
  const value = normaliseNhsNumber(raw);
  if (!/^\d{10}$/.test(value)) return { status: 'invalid', value, reason: 'must be 10 digits' };
  const expected = nhsCheckDigit(value.slice(0, 9));
  if (expected === null) return { status: 'invalid', value, reason: 'no valid check digit exists for these digits' };
  if (expected !== Number(value[9])) return { status: 'invalid', value, reason: 'check digit does not match' };
  return { status: 'valid', value };
}

export function isValidNhsNumber(raw: string): boolean {
  return checkNhsNumber(raw).status === 'valid';
}

/** 3-3-4 grouping, as printed on NHS letters and cards. Leaves anything that is not 10 digits as typed. */
export function formatNhsNumber(raw: string): string {
  const value = normaliseNhsNumber(raw);
  if (!/^\d{10}$/.test(value)) return raw;
  return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6)}`;
}
