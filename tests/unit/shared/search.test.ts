import { describe, expect, it } from 'vitest';
import { foldName, nameReadings, parsePatientQuery } from '../../../shared/domain';
import { TEST_DAY } from '../../support/clock';

describe('parsePatientQuery: dates of birth in the forms staff type', () => {
  it.each([
    ['02/03/1984', '1984-03-02'],
    ['2/3/1984', '1984-03-02'],
    ['02-03-1984', '1984-03-02'],
    ['02.03.1984', '1984-03-02'],
    ['02031984', '1984-03-02'],
    ['02/03/84', '1984-03-02'],
    ['02-03-84', '1984-03-02'],
    ['02.03.84', '1984-03-02'],
    ['1984-03-02', '1984-03-02'],
    ['15/06/19', '2019-06-15'],
    [' 30.11.1950 ', '1950-11-30'],
  ])('%s is a date of birth', (typed, dateOfBirth) => {
    expect(parsePatientQuery(typed, TEST_DAY)).toEqual({ kind: 'dob', dateOfBirth });
  });

  it('reads a two-digit year against the today it is given, not the clock', () => {
    expect(parsePatientQuery('01/01/27', '2026-07-20')).toEqual({ kind: 'dob', dateOfBirth: '1927-01-01' });
    expect(parsePatientQuery('01/01/27', '2027-07-20')).toEqual({ kind: 'dob', dateOfBirth: '2027-01-01' });
    // The clocks-change days: the date given is the London date, whichever offset the desk's instant had.
    expect(parsePatientQuery('29.03.26', '2026-03-29')).toEqual({ kind: 'dob', dateOfBirth: '2026-03-29' });
    expect(parsePatientQuery('29.03.26', '2026-03-28')).toEqual({ kind: 'dob', dateOfBirth: '1926-03-29' });
    expect(parsePatientQuery('25-10-26', '2026-10-25')).toEqual({ kind: 'dob', dateOfBirth: '2026-10-25' });
    expect(parsePatientQuery('25-10-26', '2026-10-24')).toEqual({ kind: 'dob', dateOfBirth: '1926-10-25' });
  });

  it('leaves NHS numbers and phone numbers as they were, even where they look like dates', () => {
    expect(parsePatientQuery('999 000 0018', TEST_DAY)).toEqual({ kind: 'nhs', nhsNumber: '9990000018' });
    // Eight digits that are no date (month 70) are part of a phone number.
    expect(parsePatientQuery('07700900', TEST_DAY)).toEqual({ kind: 'phone', digits: '07700900' });
    expect(parsePatientQuery('07700 900101', TEST_DAY)).toEqual({ kind: 'phone', digits: '07700900101' });
    expect(parsePatientQuery('+44 7700 900101', TEST_DAY)).toEqual({ kind: 'phone', digits: '07700900101' });
    // A date that does not exist is no query at all, rather than a guess at a nearby one.
    expect(parsePatientQuery('31/04/1984', TEST_DAY)).toBeNull();
  });
});

describe('parsePatientQuery: names as they are heard', () => {
  const obrien = { family: 'obrien', given: null };

  it.each(['obrien', "o'brien", "O'Brien", 'OBRIEN', 'o’brien'])('%s is O’Brien', (typed) => {
    expect(parsePatientQuery(typed, TEST_DAY)).toEqual({ kind: 'name', readings: [obrien] });
  });

  it('"o brien", with a space, is read as O’Brien as well as O... Brien...', () => {
    expect(parsePatientQuery('o brien', TEST_DAY)).toEqual({
      kind: 'name',
      readings: [{ family: 'o', given: 'brien' }, obrien],
    });
    expect(parsePatientQuery('  O   Brien  ', TEST_DAY)).toEqual(parsePatientQuery('o brien', TEST_DAY));
  });

  it('a given name may follow a family name of several words', () => {
    expect(nameReadings('o brien s')).toEqual([
      { family: 'o', given: 'briens' },
      { family: 'obrien', given: 's' },
      { family: 'obriens', given: null },
    ]);
    expect(nameReadings('smith jones')).toEqual([
      { family: 'smith', given: 'jones' },
      { family: 'smithjones', given: null },
    ]);
  });

  it('a comma says where the family name ends', () => {
    expect(nameReadings('smith, j')).toEqual([{ family: 'smith', given: 'j' }]);
    expect(nameReadings('o brien, siobhan')).toEqual([{ family: 'obrien', given: 'siobhan' }]);
    expect(nameReadings('smith,')).toEqual([{ family: 'smith', given: null }]);
    expect(nameReadings(', j')).toEqual([]);
  });

  it('folds accents and punctuation away, and stops at four words', () => {
    expect(foldName('Müller')).toBe('muller');
    expect(foldName('Zoë')).toBe('zoe');
    expect(nameReadings('a b c d e')).toHaveLength(4);
    expect(parsePatientQuery("'", TEST_DAY)).toBeNull();
    expect(parsePatientQuery('   ', TEST_DAY)).toBeNull();
  });
});
