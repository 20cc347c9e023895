/**
 * The Print dialog's first offer (issue 18, item 6): the rest of the day from now once today's appointments have
 * begun, the whole day before then and for any other day. The instants are fixed here; nothing reads the clock.
 */
import { describe, expect, it } from 'vitest';
import { localToIso } from '../../shared/domain';
import { defaultDayPart } from '../../renderer/src/dialogs/PrintDialog';

const day = (date: string) => ({
  sessions: [],
  appointments: [{ start: localToIso(date, '08:30') }, { start: localToIso(date, '16:00') }],
});

describe('the Print dialog offers the rest of the day first only while the day is under way', () => {
  it.each([
    ['2026-07-20', '15:39', 'rest'],
    ['2026-07-20', '08:31', 'rest'],
    ['2026-07-20', '08:30', 'whole'],
    ['2026-07-20', '07:55', 'whole'],
    // The clocks-change days: the day and the time are London's, whichever offset applies.
    ['2026-03-29', '08:45', 'rest'],
    ['2026-03-29', '08:15', 'whole'],
    ['2026-10-25', '08:45', 'rest'],
    ['2026-10-25', '08:15', 'whole'],
  ] as const)('on %s at %s: %s', (date, time, part) => {
    expect(defaultDayPart(date, new Date(localToIso(date, time)), day(date))).toBe(part);
  });

  it('offers the whole day for another day, and when the day is not loaded', () => {
    const now = new Date(localToIso('2026-07-20', '15:39'));
    expect(defaultDayPart('2026-07-21', now, day('2026-07-21'))).toBe('whole');
    expect(defaultDayPart('2026-07-19', now, day('2026-07-19'))).toBe('whole');
    expect(defaultDayPart('2026-07-20', now, null)).toBe('whole');
    expect(defaultDayPart('2026-07-20', now, { sessions: [], appointments: [] })).toBe('whole');
  });
});
