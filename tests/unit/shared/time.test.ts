import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  dayBoundsUtc,
  formatUkDate,
  isLocalDate,
  isLocalTime,
  localDateOf,
  localTimeOf,
  localToInstant,
  localToIso,
  londonOffsetMinutes,
  parseUkDate,
  toInstant,
  weekdayOf,
} from '../../../shared/domain';

const HOUR = 3_600_000;

describe('London time of an instant', () => {
  it('shows BST in summer: 07:00Z on 20 July 2026 is 08:00 at the desk', () => {
    expect(localTimeOf('2026-07-20T07:00:00.000Z')).toBe('08:00');
    expect(localDateOf('2026-07-20T07:00:00.000Z')).toBe('2026-07-20');
    expect(londonOffsetMinutes(new Date('2026-07-20T07:00:00.000Z'))).toBe(60);
  });

  it('shows GMT in winter: 07:00Z in January is 07:00', () => {
    expect(localTimeOf('2026-01-15T07:00:00.000Z')).toBe('07:00');
    expect(londonOffsetMinutes(new Date('2026-01-15T07:00:00.000Z'))).toBe(0);
  });

  it('moves the date at London midnight, not UTC midnight', () => {
    // 23:30Z on 19 July is 00:30 on 20 July in London.
    expect(localDateOf('2026-07-19T23:30:00Z')).toBe('2026-07-20');
    expect(localTimeOf('2026-07-19T23:30:00Z')).toBe('00:30');
    expect(localDateOf('2026-01-19T23:30:00Z')).toBe('2026-01-19');
  });

  it('reads upstream times given with offsets, not only Z', () => {
    expect(localTimeOf('2026-07-20T08:00:00+01:00')).toBe('08:00');
    expect(localTimeOf('2026-01-15T08:00:00+01:00')).toBe('07:00');
    expect(localTimeOf('2026-07-20T03:00:00-04:00')).toBe('08:00');
    expect(localDateOf('2026-01-01T00:30:00+01:00')).toBe('2025-12-31');
    expect(localTimeOf('2026-07-20T08:00:00.123+01:00')).toBe('08:00');
  });

  it('accepts Date objects and refuses what is not an instant', () => {
    expect(localTimeOf(new Date(Date.UTC(2026, 6, 20, 7, 0)))).toBe('08:00');
    expect(() => localTimeOf('not a time')).toThrow(RangeError);
    expect(() => toInstant('2026-13-45T00:00:00Z')).toThrow(RangeError);
  });
});

describe('London time, worked out once per hour', () => {
  // localDateOf and localTimeOf take London's offset from a cache by UTC hour; Intl, asked afresh, is the truth.
  const intl = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const truth = (d: Date) => {
    const p = Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]));
    return { date: `${p['year']}-${p['month']}-${p['day']}`, time: `${p['hour']}:${p['minute']}` };
  };

  it('agrees with Intl for any instant from 1900 to 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const d = new Date(ms);
        expect({ date: localDateOf(d), time: localTimeOf(d) }).toEqual(truth(d));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with Intl minute by minute across the clock changes of 2026 (29 March, 25 October)', () => {
    for (const change of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) {
      for (let ms = change - 2 * HOUR; ms <= change + 2 * HOUR; ms += 60_000) {
        const d = new Date(ms);
        expect({ date: localDateOf(d), time: localTimeOf(d) }).toEqual(truth(d));
      }
    }
    expect(localTimeOf('2026-03-29T00:59:00Z')).toBe('00:59');
    expect(localTimeOf('2026-03-29T01:00:00Z')).toBe('02:00');
    expect(localTimeOf('2026-10-25T00:59:00Z')).toBe('01:59');
    expect(localTimeOf('2026-10-25T01:00:00Z')).toBe('01:00');
  });
});

describe('localToInstant / localToIso', () => {
  it('turns London wall-clock time into UTC, BST in July and GMT in January', () => {
    expect(localToIso('2026-07-20', '08:30')).toBe('2026-07-20T07:30:00.000Z');
    expect(localToIso('2026-01-15', '08:30')).toBe('2026-01-15T08:30:00.000Z');
    expect(localToIso('2026-07-20', '00:30')).toBe('2026-07-19T23:30:00.000Z');
  });

  it('gets the days either side of the clock changes right', () => {
    expect(localToIso('2026-03-28', '09:00')).toBe('2026-03-28T09:00:00.000Z');
    expect(localToIso('2026-03-29', '09:00')).toBe('2026-03-29T08:00:00.000Z');
    expect(localToIso('2026-10-24', '09:00')).toBe('2026-10-24T08:00:00.000Z');
    expect(localToIso('2026-10-25', '09:00')).toBe('2026-10-25T09:00:00.000Z');
  });

  it('resolves the hours the clock change makes odd as documented', () => {
    // Spring gap (01:00-02:00 does not exist on 29 March): read as GMT.
    expect(localToIso('2026-03-29', '01:30')).toBe('2026-03-29T01:30:00.000Z');
    // Autumn overlap (01:00-02:00 happens twice on 25 October): the first, BST, reading.
    expect(localToIso('2026-10-25', '01:30')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('refuses dates and times that do not exist', () => {
    expect(() => localToInstant('2026-02-29', '09:00')).toThrow(RangeError);
    expect(() => localToInstant('2026-07-20', '24:00')).toThrow(RangeError);
    expect(() => localToInstant('20/07/2026', '09:00')).toThrow(RangeError);
    expect(() => localToInstant('2026-07-20', '9:00')).toThrow(RangeError);
  });

  it('round-trips through localDateOf and localTimeOf', () => {
    for (const [date, time] of [
      ['2026-07-20', '08:30'],
      ['2026-01-15', '17:50'],
      ['2026-03-29', '03:00'],
      ['2026-10-25', '02:00'],
      ['2024-02-29', '12:00'],
    ] as const) {
      const iso = localToIso(date, time);
      expect([localDateOf(iso), localTimeOf(iso)], `${date} ${time}`).toEqual([date, time]);
    }
  });

  it('property: any surgery-hours time on any date in 2020-2035 round-trips', () => {
    const dates = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    const times = fc
      .record({ hour: fc.integer({ min: 6, max: 22 }), minute: fc.integer({ min: 0, max: 59 }) })
      .map(({ hour, minute }) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
    fc.assert(
      fc.property(dates, times, (date, time) => {
        const instant = localToInstant(date, time);
        expect(localDateOf(instant)).toBe(date);
        expect(localTimeOf(instant)).toBe(time);
        // London is GMT or BST, never anything else.
        expect([0, 60]).toContain(londonOffsetMinutes(instant));
      }),
      { numRuns: 300 },
    );
  });
});

describe('dayBoundsUtc', () => {
  const hours = (date: string): number => {
    const { start, end } = dayBoundsUtc(date);
    return (Date.parse(end) - Date.parse(start)) / HOUR;
  };

  it('is London midnight to midnight in UTC', () => {
    expect(dayBoundsUtc('2026-07-20')).toEqual({ start: '2026-07-19T23:00:00.000Z', end: '2026-07-20T23:00:00.000Z' });
    expect(dayBoundsUtc('2026-01-15')).toEqual({ start: '2026-01-15T00:00:00.000Z', end: '2026-01-16T00:00:00.000Z' });
  });

  it('is 23 hours long on the spring change and 25 on the autumn one', () => {
    expect(dayBoundsUtc('2026-03-29')).toEqual({ start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T23:00:00.000Z' });
    expect(hours('2026-03-29')).toBe(23);
    expect(dayBoundsUtc('2026-10-25')).toEqual({ start: '2026-10-24T23:00:00.000Z', end: '2026-10-26T00:00:00.000Z' });
    expect(hours('2026-10-25')).toBe(25);
    expect(hours('2026-03-28')).toBe(24);
    expect(hours('2026-10-26')).toBe(24);
  });

  it('property: consecutive days tile time with no gap or overlap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 * 366 }), (n) => {
        const date = addDays('2020-01-01', n);
        expect(dayBoundsUtc(date).end).toBe(dayBoundsUtc(addDays(date, 1)).start);
        expect([23, 24, 25]).toContain(hours(date));
      }),
      { numRuns: 200 },
    );
  });
});

describe('calendar dates', () => {
  it('addDays crosses month, year and leap-day boundaries, both ways', () => {
    expect(addDays('2026-07-31', 1)).toBe('2026-08-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-07-20', 0)).toBe('2026-07-20');
    expect(addDays('2026-07-20', 365)).toBe('2027-07-20');
    // Calendar days, not 24-hour steps: the clock change does not shift the date.
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(() => addDays('2026/07/20', 1)).toThrow(RangeError);
  });

  it('weekdayOf counts from Sunday', () => {
    expect(weekdayOf('2026-07-20')).toBe(1); // Monday
    expect(weekdayOf('2026-07-19')).toBe(0);
    expect(weekdayOf('2026-07-25')).toBe(6);
    expect(weekdayOf('2024-07-19')).toBe(5); // the CrowdStrike Friday
  });

  it('isLocalDate and isLocalTime accept only real dates and times', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-04-31')).toBe(false);
    expect(isLocalDate('2026-7-20')).toBe(false);
    expect(isLocalTime('00:00')).toBe(true);
    expect(isLocalTime('23:59')).toBe(true);
    expect(isLocalTime('24:00')).toBe(false);
    expect(isLocalTime('12:60')).toBe(false);
    expect(isLocalTime('8:30')).toBe(false);
  });

  it('ageOn counts whole years, the day of the birthday included', () => {
    expect(ageOn('1990-07-20', '2026-07-20')).toBe(36);
    expect(ageOn('1990-07-21', '2026-07-20')).toBe(35);
    expect(ageOn('1990-08-01', '2026-07-20')).toBe(35);
    expect(ageOn('2026-07-01', '2026-07-20')).toBe(0);
    expect(ageOn('1930-01-01', '2026-07-20')).toBe(96);
    // A leap-day birthday comes round on 1 March in other years.
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageOn('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-29')).toBe(4);
  });

  it('formats and parses UK dates (dd/mm/yyyy)', () => {
    expect(formatUkDate('2026-07-20')).toBe('20/07/2026');
    expect(formatUkDate('2026-01-05')).toBe('05/01/2026');
    expect(parseUkDate('20/07/2026')).toBe('2026-07-20');
    expect(parseUkDate('5/1/2026')).toBe('2026-01-05');
    expect(parseUkDate(' 05/01/2026 ')).toBe('2026-01-05');
    expect(parseUkDate('29/02/2024')).toBe('2024-02-29');
  });

  it('parseUkDate refuses what is not a real UK date rather than guessing', () => {
    expect(parseUkDate('29/02/2026')).toBeNull();
    expect(parseUkDate('31/04/2026')).toBeNull();
    // Month first would be 20 July read the American way round: not a month.
    expect(parseUkDate('07/20/2026')).toBeNull();
    expect(parseUkDate('2026-07-20')).toBeNull();
    expect(parseUkDate('20/07/26')).toBeNull();
    expect(parseUkDate('')).toBeNull();
  });

  it('parseUkDate reads dd-mm-yyyy, dd.mm.yyyy and ddmmyyyy as it reads dd/mm/yyyy', () => {
    for (const text of ['02/03/1984', '02-03-1984', '02.03.1984', '02031984', '2/3/1984', '2-3-1984', '2.3.1984', ' 02.03.1984 ']) {
      expect(parseUkDate(text), text).toBe('1984-03-02');
    }
    expect(parseUkDate('29022024')).toBe('2024-02-29');
    expect(parseUkDate('29022026')).toBeNull();
    // One separator throughout: a date typed two ways at once is a typing slip, not a date to guess at.
    expect(parseUkDate('02/03-1984')).toBeNull();
    expect(parseUkDate('02.03/1984')).toBeNull();
    // ddmmyyyy is exactly eight digits; seven or six could be read more than one way.
    expect(parseUkDate('2031984')).toBeNull();
    expect(parseUkDate('020384')).toBeNull();
    expect(parseUkDate('02 03 1984')).toBeNull();
    // A phone number fragment of eight digits is not a date: month 70 does not exist.
    expect(parseUkDate('07700900')).toBeNull();
  });

  it('parseUkDate reads a two-digit year only when told today, as a date of birth: never in the future', () => {
    const today = '2026-07-20';
    expect(parseUkDate('20/07/26')).toBeNull();
    expect(parseUkDate('02/03/84', today)).toBe('1984-03-02');
    expect(parseUkDate('02-03-84', today)).toBe('1984-03-02');
    expect(parseUkDate('02.03.84', today)).toBe('1984-03-02');
    expect(parseUkDate('15/06/19', today)).toBe('2019-06-15');
    expect(parseUkDate('01/01/00', today)).toBe('2000-01-01');
    // A year after this one's two digits is last century.
    expect(parseUkDate('01/01/27', today)).toBe('1927-01-01');
    expect(parseUkDate('30/11/50', today)).toBe('1950-11-30');
    // This year's two digits: today and earlier are this year; a later day this year has not happened yet.
    expect(parseUkDate('20/07/26', today)).toBe('2026-07-20');
    expect(parseUkDate('19/07/26', today)).toBe('2026-07-19');
    expect(parseUkDate('21/07/26', today)).toBe('1926-07-21');
    // The century decides leap years: 29/02/28 is 1928 (a leap year), 29/02/27 no year at all.
    expect(parseUkDate('29/02/28', today)).toBe('1928-02-29');
    expect(parseUkDate('29/02/27', today)).toBeNull();
    expect(parseUkDate('31/04/84', today)).toBeNull();
    // A four-digit year is taken as written, today or not: a DOB in the future simply finds nobody.
    expect(parseUkDate('01/01/2027', today)).toBe('2027-01-01');
    expect(parseUkDate('02/03/84', 'not a date')).toBeNull();
  });

  it('parseUkDate reads two-digit years by the London date on the days the clocks change', () => {
    // 29 March 2026 (clocks forward) and 25 October 2026 (clocks back): "today" is the London date of the
    // desk's instant, so a baby born that day is this year whether the desk's clock reads 00:30 BST or 23:30 GMT.
    for (const [instant, today] of [
      ['2026-03-28T23:30:00Z', '2026-03-28'],
      ['2026-03-29T00:30:00Z', '2026-03-29'],
      ['2026-03-29T23:30:00Z', '2026-03-30'],
      ['2026-10-24T23:30:00Z', '2026-10-25'],
      ['2026-10-25T00:30:00Z', '2026-10-25'],
      ['2026-10-25T01:30:00Z', '2026-10-25'],
      ['2026-10-25T23:30:00Z', '2026-10-25'],
    ] as const) {
      expect(localDateOf(instant), instant).toBe(today);
    }
    expect(parseUkDate('29/03/26', localDateOf('2026-03-29T00:30:00Z'))).toBe('2026-03-29');
    expect(parseUkDate('30/03/26', localDateOf('2026-03-29T22:59:00Z'))).toBe('1926-03-30');
    expect(parseUkDate('30/03/26', localDateOf('2026-03-29T23:00:00Z'))).toBe('2026-03-30');
    expect(parseUkDate('25.10.26', localDateOf('2026-10-24T23:00:00Z'))).toBe('2026-10-25');
    expect(parseUkDate('25.10.26', localDateOf('2026-10-24T22:59:00Z'))).toBe('1926-10-25');
    expect(parseUkDate('26-10-26', localDateOf('2026-10-25T23:59:00Z'))).toBe('1926-10-26');
    expect(parseUkDate('26-10-26', localDateOf('2026-10-26T00:00:00Z'))).toBe('2026-10-26');
  });

  it('property: formatUkDate and parseUkDate are inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * 366 }), (n) => {
        const date = addDays('1900-01-01', n);
        expect(parseUkDate(formatUkDate(date))).toBe(date);
      }),
    );
  });

  it('property: every separated and compact form of a date reads the same, and a two-digit year never lands after today', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 130 * 366 }), fc.integer({ min: 0, max: 20 * 366 }), (n, m) => {
        const date = addDays('1900-01-01', n);
        const today = addDays('2010-01-01', m);
        const [y, mo, d] = date.split('-') as [string, string, string];
        for (const text of [`${d}-${mo}-${y}`, `${d}.${mo}.${y}`, `${d}${mo}${y}`]) expect(parseUkDate(text)).toBe(date);
        const short = parseUkDate(`${d}/${mo}/${y.slice(2)}`, today);
        if (short !== null) {
          expect(short <= today).toBe(true);
          expect(short.slice(2)).toBe(date.slice(2));
        }
      }),
    );
  });
});
