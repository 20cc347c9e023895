import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildQueues,
  compareQueue,
  DUTY_QUEUE,
  LONG_WAIT_MINUTES,
  NO_DESK_INFO,
  orderQueue,
  queuePriority,
  runningLateMinutes,
  TRIAGE_CATEGORIES,
  typicalConsultMinutes,
  type QueueAppointment,
  type TriageCategory,
} from '../../../shared/domain';

const T0 = Date.parse('2026-07-20T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function booked(id: string, startMin: number, extra: Partial<QueueAppointment> = {}): QueueAppointment {
  return { id, clinicianId: 'c1', start: at(startMin), end: at(startMin + 10), status: 'booked', arrivedAt: null, sentInAt: null, seenAt: null, ...extra };
}
function walkIn(id: string, registeredMin: number, triage: TriageCategory, extra: Partial<QueueAppointment> = {}): QueueAppointment {
  return booked(id, registeredMin, {
    status: 'arrived',
    arrivedAt: at(registeredMin),
    desk: { ...NO_DESK_INFO, origin: 'walk_in', triage, dutyList: true, ticket: 1 },
    ...extra,
  });
}

const arbAppointment: fc.Arbitrary<QueueAppointment> = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 6 }),
    startMin: fc.integer({ min: 0, max: 600 }),
    arrivedMin: fc.integer({ min: -30, max: 600 }),
    walk: fc.boolean(),
    triage: fc.constantFrom<TriageCategory | null>(null, ...TRIAGE_CATEGORIES),
    status: fc.constantFrom<'arrived' | 'late'>('arrived', 'late'),
    clinician: fc.constantFrom('c1', 'c2'),
    duty: fc.boolean(),
  })
  .map((r) => ({
    id: r.id,
    clinicianId: r.clinician,
    start: at(r.startMin),
    end: at(r.startMin + 10),
    status: r.status,
    arrivedAt: at(r.arrivedMin),
    sentInAt: null,
    seenAt: null,
    ...(r.walk || r.triage !== null ? { desk: { ...NO_DESK_INFO, origin: r.walk ? ('walk_in' as const) : ('upstream' as const), triage: r.triage, dutyList: r.duty } } : {}),
  }));

const uniqueById = (xs: QueueAppointment[]) => [...new Map(xs.map((x) => [x.id, x])).values()];

describe('queue order', () => {
  it('puts an urgent walk-in first, then booked and same-day patients by time, then routine walk-ins', () => {
    const queue = orderQueue(
      [
        booked('b-0900', 60, { status: 'arrived', arrivedAt: at(50) }),
        walkIn('w-routine', 10, 'routine'),
        walkIn('w-same', 70, 'same_day'),
        walkIn('w-urgent', 80, 'urgent_today'),
      ],
      { now: new Date(T0 + 90 * 60_000), typicalMinutes: 10, lateMinutes: 0, currentSince: null },
    );
    expect(queue.map((e) => e.appointment.id)).toEqual(['w-urgent', 'b-0900', 'w-same', 'w-routine']);
  });

  it('is a total order: any permutation of the same patients gives the same queue', () => {
    fc.assert(
      fc.property(fc.array(arbAppointment, { maxLength: 25 }).map(uniqueById), fc.integer(), (list, seed) => {
        const shuffled = fc.sample(fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }), { numRuns: 1, seed })[0] ?? list;
        expect(shuffled.toSorted(compareQueue).map((a) => a.id)).toEqual(list.toSorted(compareQueue).map((a) => a.id));
      }),
      { seed: 20260720, numRuns: 200 },
    );
  });

  it('never lets a lower priority go before a higher one; within a priority, never a later time before an earlier', () => {
    fc.assert(
      fc.property(fc.array(arbAppointment, { maxLength: 25 }).map(uniqueById), fc.integer({ min: 0, max: 700 }), (list, nowMin) => {
        const q = orderQueue(list, { now: new Date(T0 + nowMin * 60_000), typicalMinutes: 10, lateMinutes: 0, currentSince: null });
        for (let i = 1; i < q.length; i++) {
          const [x, y] = [q[i - 1], q[i]];
          if (!x || !y) continue;
          expect(x.priority).toBeLessThanOrEqual(y.priority);
          if (x.priority === y.priority) expect(x.appointment.start <= y.appointment.start).toBe(true);
        }
      }),
      { seed: 20260721, numRuns: 200 },
    );
  });

  it('estimates never go down along the queue, are never negative, and a patient joining at the back changes nobody ahead', () => {
    fc.assert(
      fc.property(
        fc.array(arbAppointment, { maxLength: 20 }).map(uniqueById),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.option(fc.integer({ min: -30, max: 0 }), { nil: null }),
        (list, nowMin, typical, late, currentOffset) => {
          const ctx = { now: new Date(T0 + nowMin * 60_000), typicalMinutes: typical, lateMinutes: late, currentSince: currentOffset === null ? null : at(nowMin + currentOffset) };
          const q = orderQueue(list, ctx);
          for (let i = 0; i < q.length; i++) {
            const e = q[i];
            if (!e) continue;
            expect(e.estimatedWaitMinutes).toBeGreaterThanOrEqual(0);
            expect(e.waitedMinutes).toBeGreaterThanOrEqual(0);
            const prev = q[i - 1];
            if (prev) expect(e.estimatedWaitMinutes).toBeGreaterThanOrEqual(prev.estimatedWaitMinutes);
          }
          // A routine walk-in registered after everyone sorts last whatever the others are.
          const joiner = walkIn('zz-joiner', 800, 'routine');
          const withJoiner = orderQueue([...list, joiner], ctx);
          expect(withJoiner.at(-1)?.appointment.id).toBe('zz-joiner');
          expect(withJoiner.slice(0, -1).map((e) => [e.appointment.id, e.estimatedWaitMinutes])).toEqual(q.map((e) => [e.appointment.id, e.estimatedWaitMinutes]));
        },
      ),
      { seed: 20260722, numRuns: 200 },
    );
  });

  it('counts time waited from check-in and marks long waits, urgent ones sooner', () => {
    const now = new Date(T0 + 100 * 60_000);
    const q = orderQueue(
      [
        booked('long', 60, { status: 'arrived', arrivedAt: at(100 - LONG_WAIT_MINUTES) }),
        booked('short', 70, { status: 'arrived', arrivedAt: at(95) }),
        walkIn('urgent', 80, 'urgent_today'),
      ],
      { now, typicalMinutes: 10, lateMinutes: 0, currentSince: null },
    );
    expect(q.map((e) => [e.appointment.id, e.waitedMinutes, e.longWait])).toEqual([
      ['urgent', 20, true],
      ['long', 30, true],
      ['short', 5, false],
    ]);
  });

  it('does not expect a booked patient to be called before their time plus how late the clinician runs', () => {
    const now = new Date(T0);
    const [early] = orderQueue([booked('early', 30, { status: 'arrived', arrivedAt: at(0) })], { now, typicalMinutes: 10, lateMinutes: 15, currentSince: null });
    expect(early?.estimatedWaitMinutes).toBe(45);
    const [w] = orderQueue([walkIn('w', 0, 'same_day')], { now, typicalMinutes: 10, lateMinutes: 15, currentSince: at(-4) });
    expect(w?.estimatedWaitMinutes).toBe(6); // the current consultation's typical 10 minutes, 4 gone
  });
});

describe('running late and consultation length', () => {
  it('is judged from actual send-in times against booked times, and the consultation in progress', () => {
    const now = new Date(T0 + 60 * 60_000);
    expect(runningLateMinutes([booked('a', 0)], now)).toBeNull();
    const day = [
      booked('a', 0, { status: 'seen', arrivedAt: at(-5), sentInAt: at(5), seenAt: at(18) }),
      booked('b', 10, { status: 'seen', arrivedAt: at(5), sentInAt: at(20), seenAt: at(33) }),
      booked('c', 20, { status: 'sent_in', arrivedAt: at(15), sentInAt: at(34) }),
      walkIn('w', 0, 'urgent_today', { status: 'seen', sentInAt: at(1), seenAt: at(4) }),
    ];
    // delays 5, 10, 14: median 10 (the walk-in has no booked time); 'c', booked to end at 30, is still in at 60.
    expect(runningLateMinutes(day, now)).toBe(30);
    const finished = day.map((a) => (a.id === 'c' ? { ...a, status: 'seen' as const, seenAt: at(44) } : a));
    expect(runningLateMinutes(finished, now)).toBe(10);
    // A patient waiting since 30 does not make the clinician 30 late: their calls say 10.
    expect(runningLateMinutes([...finished, booked('d', 30, { status: 'arrived', arrivedAt: at(28) })], now)).toBe(10);
    expect(typicalConsultMinutes(day)).toBe(13); // 13, 13, 3: median 13
    expect(typicalConsultMinutes([booked('x', 0), booked('y', 10, { end: at(25) })])).toBe(12.5);
  });

  it('builds the duty list first, then each clinician, each with who is with them now', () => {
    const now = new Date(T0 + 40 * 60_000);
    const queues = buildQueues(
      [
        walkIn('w', 30, 'urgent_today'),
        booked('a', 20, { status: 'sent_in', arrivedAt: at(15), sentInAt: at(35) }),
        booked('b', 30, { status: 'arrived', arrivedAt: at(25) }),
        booked('z', 30, { clinicianId: 'c2', status: 'late', arrivedAt: at(38) }),
      ],
      { now, clinicianOrder: ['c1', 'c2', 'c3'], dutyClinicianId: 'c1' },
    );
    expect(queues.map((q) => [q.key, q.clinicianId, q.waiting.map((e) => e.appointment.id), q.withClinician.map((a) => a.id)])).toEqual([
      [DUTY_QUEUE, 'c1', ['w'], []],
      ['c1', 'c1', ['b'], ['a']],
      ['c2', 'c2', ['z'], []],
      ['c3', 'c3', [], []],
    ]);
    expect(queues[1]?.runningLateMinutes).toBe(15);
    expect(queuePriority({ desk: undefined })).toBe(1);
  });
});
