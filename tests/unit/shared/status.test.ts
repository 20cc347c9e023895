import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canTransition,
  checkTransition,
  DESK_STATUSES,
  deskStatusFromFhir,
  FHIR_APPOINTMENT_STATUSES,
  fhirStatusOf,
  FHIR_STATUS_OF,
  FINAL_STATUSES,
  isEnteredInError,
  TRANSITIONS,
  WAITING_STATUSES,
  type DeskStatus,
} from '../../../shared/domain';

/** Every status reachable from `from` by zero or more permitted changes. */
function reachableFrom(from: DeskStatus): Set<DeskStatus> {
  const seen = new Set<DeskStatus>([from]);
  const queue: DeskStatus[] = [from];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const next of TRANSITIONS[s]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

describe('FHIR mapping', () => {
  // The types already make every status have a mapping and a label; what they cannot say is that the desk
  // can tell the statuses apart in what it shows, and that only a walk-in registered in error is written as
  // entered-in-error.
  it('names every status differently in what the desk says', () => {
    const said = DESK_STATUSES.map((s) => {
      const check = checkTransition(s, s);
      return check.ok ? '' : check.reason;
    });
    expect(new Set(said).size).toBe(DESK_STATUSES.length);
  });

  it('writes entered-in-error only for a cancellation registered in error', () => {
    for (const status of DESK_STATUSES) {
      const inError = fhirStatusOf({ status, fhirStatus: 'entered-in-error' });
      expect(inError, status).toBe(status === 'cancelled' ? 'entered-in-error' : fhirStatusOf({ status }));
      expect(fhirStatusOf({ status }), status).not.toBe('entered-in-error');
    }
    expect(isEnteredInError({ fhirStatus: 'cancelled' })).toBe(false);
    expect(isEnteredInError({ fhirStatus: 'entered-in-error' })).toBe(true);
  });

  it('writes back as documented (DOMAIN.md; walked out is a no-show: the patient was not seen)', () => {
    expect(FHIR_STATUS_OF).toEqual({
      booked: 'booked',
      arrived: 'arrived',
      late: 'arrived',
      sent_in: 'arrived',
      quiet_sent_in: 'arrived',
      seen: 'fulfilled',
      left: 'fulfilled',
      walked_out: 'noshow',
      dna: 'noshow',
      cancelled: 'cancelled',
    });
  });

  it('reads every FHIR status, skipping the two that are not part of a day book', () => {
    expect(Object.fromEntries(FHIR_APPOINTMENT_STATUSES.map((f) => [f, deskStatusFromFhir(f)]))).toEqual({
      proposed: 'booked',
      pending: 'booked',
      booked: 'booked',
      arrived: 'arrived',
      'checked-in': 'arrived',
      fulfilled: 'seen',
      cancelled: 'cancelled',
      noshow: 'dna',
      'entered-in-error': null,
      waitlist: null,
    });
  });

  // What "consistent" means here, for every desk status s, with s' = deskStatusFromFhir(FHIR_STATUS_OF[s]):
  //  1. s' exists: nothing the desk writes is skipped when it is read back;
  //  2. FHIR_STATUS_OF[s'] === FHIR_STATUS_OF[s]: a write, re-read and write again changes nothing upstream, so a
  //     replayed merge-back is harmless;
  //  3. s' is s itself or the plainest status of its FHIR group (booked, arrived, seen, dna, cancelled): the finer
  //     desk states (late, sent in, left, walked out) are local detail that upstream does not hold;
  //  4. s' is final only if s is: reading back never closes an appointment the desk had left open.
  it('round-trips through FHIR to a status with the same upstream meaning', () => {
    const plainest = new Set<DeskStatus>(['booked', 'arrived', 'seen', 'dna', 'cancelled']);
    for (const s of DESK_STATUSES) {
      const back = deskStatusFromFhir(FHIR_STATUS_OF[s]);
      expect(back, s).not.toBeNull();
      if (back === null) continue;
      expect(FHIR_STATUS_OF[back], s).toBe(FHIR_STATUS_OF[s]);
      expect(back === s || plainest.has(back), s).toBe(true);
      if (FINAL_STATUSES.includes(back)) expect(FINAL_STATUSES, s).toContain(s);
    }
  });

  it('reads back what it writes for the plainest statuses exactly', () => {
    for (const s of ['booked', 'arrived', 'seen', 'dna', 'cancelled'] as const) expect(deskStatusFromFhir(FHIR_STATUS_OF[s])).toBe(s);
  });

  it('property: for any readable FHIR status f, writing the read status gives f or its plain equivalent', () => {
    const plainEquivalent: Partial<Record<string, string>> = { proposed: 'booked', pending: 'booked', 'checked-in': 'arrived' };
    fc.assert(
      fc.property(fc.constantFrom(...FHIR_APPOINTMENT_STATUSES), (f) => {
        const desk = deskStatusFromFhir(f);
        if (desk === null) return;
        expect(FHIR_STATUS_OF[desk]).toBe(plainEquivalent[f] ?? f);
      }),
    );
  });
});

describe('transitions', () => {
  it('final statuses are exactly those with no way out', () => {
    const noExit = DESK_STATUSES.filter((s) => TRANSITIONS[s].length === 0);
    expect([...noExit].sort()).toEqual([...FINAL_STATUSES].sort());
  });

  it('never lists a status as a transition to itself, or a status that does not exist', () => {
    for (const s of DESK_STATUSES) {
      expect(TRANSITIONS[s], s).not.toContain(s);
      for (const t of TRANSITIONS[s]) expect(DESK_STATUSES).toContain(t);
    }
  });

  it('allows what real desks need and refuses what would erase what happened', () => {
    expect(canTransition('booked', 'arrived')).toBe(true);
    expect(canTransition('dna', 'late')).toBe(true); // a DNA'd patient who turns up after all
    expect(canTransition('booked', 'seen')).toBe(true); // a telephone appointment, done
    expect(canTransition('arrived', 'walked_out')).toBe(true);
    expect(canTransition('cancelled', 'booked')).toBe(false); // rebooked, never un-cancelled
    expect(canTransition('left', 'seen')).toBe(false);
    expect(canTransition('seen', 'dna')).toBe(false);
    expect(canTransition('walked_out', 'arrived')).toBe(false);
  });

  it('every status is reachable from booked, and waiting statuses lead to being seen', () => {
    expect([...reachableFrom('booked')].sort()).toEqual([...DESK_STATUSES].sort());
    for (const s of WAITING_STATUSES) expect(reachableFrom(s).has('seen'), s).toBe(true);
  });

  it('follows a visit through the day and, once the patient has left, takes no more changes', () => {
    /** A desk pressing buttons in order: each change applied only when the machine allows it. */
    const press = (start: DeskStatus, steps: DeskStatus[]) =>
      steps.reduce<{ status: DeskStatus; refused: DeskStatus[] }>(
        (at, to) => (checkTransition(at.status, to).ok ? { ...at, status: to } : { ...at, refused: [...at.refused, to] }),
        { status: start, refused: [] },
      );
    expect(press('booked', ['arrived', 'sent_in', 'seen', 'left'])).toEqual({ status: 'left', refused: [] });
    expect(press('booked', ['dna', 'late', 'quiet_sent_in', 'seen'])).toEqual({ status: 'seen', refused: [] });
    expect(press('booked', ['arrived', 'dna', 'walked_out', 'arrived', 'sent_in'])).toEqual({ status: 'walked_out', refused: ['dna', 'arrived', 'sent_in'] });
    for (const final of FINAL_STATUSES) expect(press(final, [...DESK_STATUSES])).toEqual({ status: final, refused: [...DESK_STATUSES] });
  });

  it('explains a refusal in the desk vocabulary', () => {
    expect(checkTransition('booked', 'arrived')).toEqual({ ok: true });
    expect(checkTransition('booked', 'booked')).toEqual({ ok: false, reason: 'already Booked' });
    expect(checkTransition('quiet_sent_in', 'quiet_sent_in')).toEqual({ ok: false, reason: 'already Quiet send in' });
    expect(checkTransition('seen', 'arrived')).toEqual({ ok: false, reason: 'cannot change Seen to Arrived (allowed: Left)' });
    expect(checkTransition('arrived', 'dna')).toEqual({
      ok: false,
      reason: 'cannot change Arrived to DNA (allowed: Sent in, Quiet send in, Walked out, Seen)',
    });
    expect(checkTransition('cancelled', 'booked')).toEqual({ ok: false, reason: 'cannot change Cancelled to Booked (Cancelled is final)' });
    expect(checkTransition('left', 'seen')).toEqual({ ok: false, reason: 'cannot change Left to Seen (Left is final)' });
  });

  it('checkTransition agrees with canTransition everywhere', () => {
    for (const from of DESK_STATUSES) {
      for (const to of DESK_STATUSES) expect(checkTransition(from, to).ok, `${from} -> ${to}`).toBe(canTransition(from, to));
    }
  });

  // Simulates a desk pressing buttons at random: each attempt goes through checkTransition and is applied only
  // when allowed. Checks: every applied step is an edge of TRANSITIONS; the status only ever lands in what
  // TRANSITIONS reaches from the start; refusals change nothing and always give a reason; once final, nothing
  // more is accepted.
  it('property: random attempted changes only ever follow TRANSITIONS', () => {
    const status = fc.constantFrom(...DESK_STATUSES);
    fc.assert(
      fc.property(status, fc.array(status, { maxLength: 40 }), (start, attempts) => {
        const reachable = reachableFrom(start);
        let current: DeskStatus = start;
        for (const to of attempts) {
          const check = checkTransition(current, to);
          const wasFinal = FINAL_STATUSES.includes(current);
          if (check.ok) {
            expect(wasFinal).toBe(false);
            expect(TRANSITIONS[current]).toContain(to);
            current = to;
          } else {
            expect(check.reason.length).toBeGreaterThan(0);
          }
          expect(reachable.has(current)).toBe(true);
          if (wasFinal) expect(FINAL_STATUSES).toContain(current);
        }
      }),
      { numRuns: 500 },
    );
  });
});
