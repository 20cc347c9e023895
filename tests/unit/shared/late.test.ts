import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LATE_AFTER_MINUTES,
  dueState,
  isLateArrival,
  localToIso,
  minutesAfterTime,
  NO_DESK_INFO,
  orderQueue,
  runningLateMinutes,
  waitedMinutes,
  type QueueAppointment,
} from '../../../shared/domain';
import { TEST_DAY } from '../../support/clock';

/** Instants by London wall-clock time: these rules work on instants, so the day and time of the suite never matter. */
const at = (date: string, time: string) => new Date(localToIso(date, time));

function booked(id: string, date: string, time: string, extra: Partial<QueueAppointment> = {}): QueueAppointment {
  const start = localToIso(date, time);
  return { id, clinicianId: 'c1', start, end: new Date(Date.parse(start) + 10 * 60_000).toISOString(), status: 'booked', arrivedAt: null, sentInAt: null, seenAt: null, ...extra };
}
const walkIn = (a: QueueAppointment): QueueAppointment => ({ ...a, desk: { ...NO_DESK_INFO, origin: 'walk_in', triage: 'same_day', dutyList: true } });

// An ordinary day, the days London's clocks go forward (29 March 2026) and back (25 October 2026), and times late
// in the day: the rule is the minutes that really passed, never a difference of wall-clock readings.
const DAYS = [TEST_DAY, '2026-03-29', '2026-10-25'];

describe('the Late rule at check-in', () => {
  it('is late only more than the practice minutes after the time, 10 unless set', () => {
    expect(DEFAULT_LATE_AFTER_MINUTES).toBe(10);
    for (const day of DAYS) {
      for (const time of ['08:30', '15:30', '23:40']) {
        const a = booked('a', day, time);
        const plus = (m: number) => new Date(Date.parse(a.start) + m * 60_000);
        expect(isLateArrival(a, plus(10), 10)).toBe(false);
        expect(isLateArrival(a, plus(11), 10)).toBe(true);
        expect(isLateArrival(a, plus(-30), 10)).toBe(false);
        expect(isLateArrival(a, plus(1), 0)).toBe(true);
        expect(isLateArrival(a, plus(25), 30)).toBe(false);
        expect(isLateArrival(walkIn(a), plus(60), 10)).toBe(false);
      }
    }
  });

  it('counts real minutes across a clock change', () => {
    // 00:50 GMT, then clocks go forward at 01:00: 02:05 BST is 15 minutes later, not 75.
    const a = booked('a', '2026-03-29', '00:50');
    expect(minutesAfterTime(a, at('2026-03-29', '02:05'))).toBe(15);
    expect(isLateArrival(a, at('2026-03-29', '02:05'), 10)).toBe(true);
    expect(isLateArrival(a, at('2026-03-29', '02:05'), 15)).toBe(false);
  });

  it('says due while arriving would not be Late, then overdue with the minutes, and nothing once here', () => {
    for (const day of DAYS) {
      const a = booked('a', day, '15:30');
      expect(dueState(a, at(day, '15:29'), 10)).toEqual({ kind: 'future' });
      expect(dueState(a, at(day, '15:30'), 10)).toEqual({ kind: 'due', minutes: 0 });
      expect(dueState(a, at(day, '15:40'), 10)).toEqual({ kind: 'due', minutes: 10 });
      expect(dueState(a, at(day, '15:44'), 10)).toEqual({ kind: 'overdue', minutes: 14 });
      expect(dueState({ ...a, status: 'arrived' }, at(day, '15:44'), 10)).toBeNull();
      expect(dueState(walkIn(a), at(day, '15:44'), 10)).toBeNull();
    }
  });
});

describe('waits', () => {
  it('count from the appointment time for an early arrival, from check-in otherwise, from registration for a walk-in', () => {
    for (const day of DAYS) {
      const now = at(day, '08:50');
      expect(waitedMinutes(booked('early', day, '08:40', { status: 'arrived', arrivedAt: localToIso(day, '08:20') }), now)).toBe(10);
      expect(waitedMinutes(booked('late', day, '08:30', { status: 'late', arrivedAt: localToIso(day, '08:45') }), now)).toBe(5);
      expect(waitedMinutes(booked('not-yet', day, '09:00', { status: 'arrived', arrivedAt: localToIso(day, '08:30') }), now)).toBe(0);
      expect(waitedMinutes(walkIn(booked('w', day, '08:20', { status: 'arrived', arrivedAt: localToIso(day, '08:20') })), now)).toBe(30);
      expect(waitedMinutes(booked('unknown', day, '08:00', { status: 'arrived' }), now)).toBe(0);
    }
  });

  it('mark a long wait by the same count in the queue', () => {
    const now = at(TEST_DAY, '10:30');
    const [entry] = orderQueue([booked('early', TEST_DAY, '10:10', { status: 'arrived', arrivedAt: localToIso(TEST_DAY, '09:30') })], {
      now,
      typicalMinutes: 10,
      lateMinutes: 0,
      currentSince: null,
    });
    // Here an hour, but due for only 20 minutes: not a long wait for the clinician's queue.
    expect(entry).toMatchObject({ waitedMinutes: 20, longWait: false });
  });
});

describe('running late', () => {
  const day = TEST_DAY;
  const calls = [
    booked('a', day, '09:00', { status: 'seen', arrivedAt: localToIso(day, '08:55'), sentInAt: localToIso(day, '09:05'), seenAt: localToIso(day, '09:14') }),
    booked('b', day, '09:10', { status: 'seen', arrivedAt: localToIso(day, '09:00'), sentInAt: localToIso(day, '09:15'), seenAt: localToIso(day, '09:24') }),
    booked('c', day, '09:20', { status: 'seen', arrivedAt: localToIso(day, '09:15'), sentInAt: localToIso(day, '09:25'), seenAt: localToIso(day, '09:29') }),
  ];

  it('follows the clinician calls, not one patient who has waited long', () => {
    const now = at(day, '10:00');
    // A patient booked for 09:00 who arrived at 09:02 and is still waiting (waiting on a test): an hour "overdue".
    const stuck = booked('stuck', day, '09:00', { status: 'arrived', arrivedAt: localToIso(day, '09:02') });
    expect(runningLateMinutes(calls, now)).toBe(5);
    expect(runningLateMinutes([...calls, stuck], now)).toBe(5);
  });

  it('grows while the consultation in progress runs past its booked end', () => {
    const inRoom = booked('d', day, '09:30', { status: 'sent_in', arrivedAt: localToIso(day, '09:25'), sentInAt: localToIso(day, '09:35') });
    expect(runningLateMinutes([...calls, inRoom], at(day, '09:38'))).toBe(5); // 10 minute slot ends 09:40: not over yet
    expect(runningLateMinutes([...calls, inRoom], at(day, '10:02'))).toBe(22); // ended 09:40 by the book
  });

  it('before the first call, is how long the first ready patient has been ready; null with nothing to go on', () => {
    expect(runningLateMinutes([booked('a', day, '08:30')], at(day, '08:50'))).toBeNull();
    const waiting = [
      booked('a', day, '08:30', { status: 'arrived', arrivedAt: localToIso(day, '08:25') }),
      booked('b', day, '08:40', { status: 'arrived', arrivedAt: localToIso(day, '08:45') }),
    ];
    expect(runningLateMinutes(waiting, at(day, '08:50'))).toBe(20);
    expect(runningLateMinutes(waiting, at(day, '08:20'))).toBeNull();
  });
});
