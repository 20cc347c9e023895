import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  callbackUrgency,
  compareCallbacks,
  initialsOf,
  needsCallback,
  NO_DESK_INFO,
  PATIENT_FLAGS,
  sessionNoShows,
  TIME_SENSITIVE_FLAGS,
  type PatientFlag,
} from '../../../shared/domain';

describe('callback list order', () => {
  const arbEntry = fc.record({
    id: fc.string({ minLength: 1, maxLength: 5 }),
    start: fc.integer({ min: 0, max: 1000 }).map((m) => new Date(Date.UTC(2026, 6, 20, 7) + m * 60_000).toISOString()),
    patient: fc.record({ flags: fc.subarray<PatientFlag>([...PATIENT_FLAGS]) }),
  });

  it('puts every time-sensitive patient before anyone else, most urgent flag first, then by time', () => {
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 30 }), (list) => {
        const sorted = list.toSorted(compareCallbacks);
        for (let i = 1; i < sorted.length; i++) {
          const [x, y] = [sorted[i - 1], sorted[i]];
          if (!x || !y) continue;
          expect(callbackUrgency(x.patient.flags)).toBeLessThanOrEqual(callbackUrgency(y.patient.flags));
          if (callbackUrgency(x.patient.flags) === callbackUrgency(y.patient.flags)) expect(x.start <= y.start).toBe(true);
        }
      }),
      { seed: 20260723, numRuns: 200 },
    );
  });

  it('ranks suspected cancer, then anticoagulation, then palliative care, then the rest', () => {
    expect(TIME_SENSITIVE_FLAGS.map((f) => callbackUrgency([f, 'interpreter']))).toEqual([0, 1, 2]);
    expect(callbackUrgency(['palliative', 'suspected_cancer'])).toBe(0);
    expect(callbackUrgency(['wheelchair'])).toBe(3);
  });

  it('lists cancelled and missed appointments not already rebooked at the desk', () => {
    expect(needsCallback({ status: 'cancelled' })).toBe(true);
    expect(needsCallback({ status: 'dna' })).toBe(true);
    expect(needsCallback({ status: 'walked_out' })).toBe(true);
    expect(needsCallback({ status: 'booked' })).toBe(false);
    expect(needsCallback({ status: 'cancelled', desk: { ...NO_DESK_INFO, rebookedTo: 'x' } })).toBe(false);
  });
});

describe("a session's remaining no-shows", () => {
  it('are its face-to-face appointments still only booked, in time order', () => {
    const a = (id: string, start: string, extra: object = {}) => ({ id, sessionId: 's1', status: 'booked' as const, type: 'face_to_face' as const, start, ...extra });
    const list = [
      a('c', '2026-07-20T09:20:00Z'),
      a('a', '2026-07-20T09:00:00Z'),
      a('arrived', '2026-07-20T09:10:00Z', { status: 'arrived' }),
      a('phone', '2026-07-20T09:30:00Z', { type: 'telephone' }),
      a('other', '2026-07-20T09:40:00Z', { sessionId: 's2' }),
    ];
    expect(sessionNoShows(list, 's1').map((x) => x.id)).toEqual(['a', 'c']);
  });
});

describe('initials for the waiting-room display', () => {
  it.each([
    [{ givenName: 'Siobhán', familyName: "O'Brien" }, 'S O'],
    [{ givenName: 'łukasz', familyName: 'nowak' }, 'Ł N'],
    [{ givenName: '', familyName: 'Smith-Jones' }, 'S'],
    [{ givenName: ' zoë', familyName: "'t Hooft" }, 'Z T'],
  ])('%o -> %s', (p, expected) => {
    expect(initialsOf(p)).toBe(expected);
  });
});
