import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNhsNumber, formatNhsNumber, isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from '../../../shared/domain';

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2];

/** The Data Dictionary's algorithm written out independently, to check the implementation against. */
function referenceCheckDigit(nine: string): number | null {
  const sum = [...nine].reduce((acc, d, i) => acc + Number(d) * (WEIGHTS[i] ?? 0), 0);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check === 10 ? null : check;
}

describe('nhsCheckDigit', () => {
  it('computes the published example and hand-worked 999-range numbers', () => {
    expect(nhsCheckDigit('943476591')).toBe(9);
    // 9*10 + 9*9 + 9*8 + 1*2 = 245; 245 mod 11 = 3; 11 - 3 = 8.
    expect(nhsCheckDigit('999000001')).toBe(8);
    expect(nhsCheckDigit('999000002')).toBe(6);
    expect(nhsCheckDigit('999999999')).toBe(9);
  });

  it('gives 0 when the remainder is 0 (11 - 0 = 11 means 0)', () => {
    expect(nhsCheckDigit('000000000')).toBe(0);
    // 243 + 5*2 = 253 = 23 * 11.
    expect(nhsCheckDigit('999000005')).toBe(0);
    expect(checkNhsNumber('9990000050').status).toBe('valid');
  });

  it('returns null when the remainder is 1 (check would be 10: no such number exists)', () => {
    // 9*10 + 9*9 + 9*8 = 243 = 22 * 11 + 1.
    expect(nhsCheckDigit('999000000')).toBeNull();
    expect(nhsCheckDigit('999123456')).toBeNull();
  });

  it('refuses anything that is not exactly nine digits', () => {
    expect(() => nhsCheckDigit('12345678')).toThrow(/9 digits/);
    expect(() => nhsCheckDigit('1234567890')).toThrow(/9 digits/);
    expect(() => nhsCheckDigit('99900000a')).toThrow(/9 digits/);
  });

  it('agrees with the reference algorithm for any nine digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        expect(nhsCheckDigit(nine)).toBe(referenceCheckDigit(nine));
      }),
    );
  });
});

describe('checkNhsNumber', () => {
  it('accepts valid numbers, however they were typed', () => {
    for (const typed of ['9434765919', '943 476 5919', '943-476-5919', ' 943 476 5919 ', '9990000018', '999\t000\t0018']) {
      expect(checkNhsNumber(typed), typed).toEqual({ status: 'valid', value: normaliseNhsNumber(typed) });
    }
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
  });

  it('rejects a wrong check digit, saying so', () => {
    expect(checkNhsNumber('9434765918')).toEqual({ status: 'invalid', value: '9434765918', reason: 'check digit does not match' });
    expect(isValidNhsNumber('9990000017')).toBe(false);
  });

  it('rejects digits for which no check digit exists (remainder 10), whatever the tenth digit', () => {
    for (let d = 0; d <= 9; d++) {
      const result = checkNhsNumber(`999000000${d}`);
      expect(result).toEqual({ status: 'invalid', value: `999000000${d}`, reason: 'no valid check digit exists for these digits' });
    }
  });

  it('rejects the wrong length or non-digits', () => {
    expect(checkNhsNumber('943476591')).toMatchObject({ status: 'invalid', reason: 'must be 10 digits' });
    expect(checkNhsNumber('94347659190')).toMatchObject({ status: 'invalid', reason: 'must be 10 digits' });
    expect(checkNhsNumber('943 476 591X')).toMatchObject({ status: 'invalid', value: '943476591X' });
    expect(checkNhsNumber('943.476.5919')).toMatchObject({ status: 'invalid' });
  });

  it('treats nothing as missing, not invalid: a walk-in may not know their number', () => {
    expect(checkNhsNumber(null)).toEqual({ status: 'missing' });
    expect(checkNhsNumber(undefined)).toEqual({ status: 'missing' });
    expect(checkNhsNumber('')).toEqual({ status: 'missing' });
    expect(checkNhsNumber('   ')).toEqual({ status: 'missing' });
  });

  // Why this holds, checked before asserting it: changing digit i (weight w in 2..10) by a non-zero d
  // (|d| <= 9) moves the sum by w*d, and 11 is prime and larger than both |w| and |d|, so the sum mod 11 always
  // changes; the map from remainder to check digit is one-to-one (remainder 1 has none at all), so the expected
  // check digit changes or disappears. Changing the tenth digit leaves the expected one as it was. Either way the
  // number no longer validates.
  it('property: appending the check digit validates, and any single-digit change invalidates', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{9}$/).filter((nine) => nhsCheckDigit(nine) !== null),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (nine, position, delta) => {
          const number = `${nine}${nhsCheckDigit(nine)}`;
          expect(checkNhsNumber(number).status).toBe('valid');
          const changed = [...number];
          changed[position] = String((Number(changed[position]) + delta) % 10);
          expect(checkNhsNumber(changed.join('')).status).toBe('invalid');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('normaliseNhsNumber and formatNhsNumber', () => {
  it('strips spaces and hyphens only', () => {
    expect(normaliseNhsNumber('943 476-5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943/476/5919')).toBe('943/476/5919');
  });

  it('groups ten digits 3-3-4, from any typed form', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(formatNhsNumber('943-476-5919')).toBe('943 476 5919');
    expect(formatNhsNumber(' 943 4765919')).toBe('943 476 5919');
  });

  it('leaves anything that is not ten digits as typed, so nothing is silently invented', () => {
    expect(formatNhsNumber('94347659')).toBe('94347659');
    expect(formatNhsNumber('unknown')).toBe('unknown');
    expect(formatNhsNumber('')).toBe('');
  });

  it('property: formatting keeps the digits and round-trips through normalising', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), (digits) => {
        const formatted = formatNhsNumber(digits);
        expect(formatted).toMatch(/^\d{3} \d{3} \d{4}$/);
        expect(normaliseNhsNumber(formatted)).toBe(digits);
      }),
    );
  });
});
