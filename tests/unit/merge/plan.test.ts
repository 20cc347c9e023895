import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildWorklist,
  NEAR_MATCH_MINUTES,
  planMerge,
  worklistCsv,
  type PlanEntry,
  type PlanInput,
  type UpstreamAppointment,
  type UpstreamSlot,
  type UpstreamView,
} from '../../../shared/merge';
import { upstreamAppointment } from '../../support/builders';

const T0 = '2026-07-20T08:00:00.000Z';
let seq = 0;
const entry = (op: string, entityId: string | null, after: unknown, id = `e${++seq}`): PlanEntry => ({
  seq,
  id,
  at: T0,
  user: 'u',
  desk: 'd',
  op,
  entityId,
  before: null,
  after,
  baseVersion: '1',
});
const status = (s: string, extra: Record<string, unknown> = {}) => ({ status: s, arrivedAt: null, sentInAt: null, seenAt: null, cancelReason: null, ...extra });
const view = (appointments: UpstreamAppointment[], slots: UpstreamSlot[] = []): UpstreamView => ({
  appointments: new Map(appointments.map((a) => [a.id, a])),
  byDeskIdentifier: new Map(appointments.filter((a) => a.deskIdentifier).map((a) => [a.deskIdentifier ?? '', a])),
  slots: new Map(slots.map((s) => [s.id, s])),
});
const input = (entries: PlanEntry[], base: UpstreamAppointment[], upstream: UpstreamView, over: Partial<PlanInput> = {}): PlanInput => ({
  entries,
  base: new Map(base.map((a) => [a.id, a])),
  upstream,
  capability: 'fhir',
  today: '2026-07-20',
  ...over,
});

describe('planMerge', () => {
  it('collapses an appointment\u2019s changes into one write of its final state, clean when upstream is unchanged', () => {
    const entries = [
      entry('appointment.setStatus', 'a', status('arrived')),
      entry('appointment.setStatus', 'a', status('sent_in')),
      entry('appointment.setStatus', 'a', status('seen')),
    ];
    const plan = planMerge(input(entries, [upstreamAppointment('a')], view([upstreamAppointment('a')])));
    expect(plan.items).toHaveLength(1);
    expect(plan.items[0]).toMatchObject({ key: 'status:a', class: 'clean', attendance: true, write: { kind: 'update', ifMatch: '1', state: { fhirStatus: 'fulfilled' } } });
    expect(plan.items[0]?.entryIds).toEqual(entries.map((e) => e.id));
  });

  it('already applied when upstream says the same; nothing to write when the desk undid its change', () => {
    expect(
      planMerge(input([entry('appointment.setStatus', 'a', status('arrived'))], [upstreamAppointment('a')], view([upstreamAppointment('a', { status: 'arrived', version: '2' })])))
        .items[0]?.class,
    ).toBe('already');
    const undone = [entry('appointment.setStatus', 'a', status('arrived')), entry('appointment.undo', 'a', status('booked'))];
    expect(planMerge(input(undone, [upstreamAppointment('a')], view([upstreamAppointment('a', { version: '3', status: 'cancelled' })]))).items[0]?.class).toBe('already');
  });

  it('compatible when upstream changed something else: writes onto upstream\u2019s version', () => {
    const plan = planMerge(input([entry('appointment.setStatus', 'a', status('arrived'))], [upstreamAppointment('a')], view([upstreamAppointment('a', { version: '2' })])));
    expect(plan.items[0]).toMatchObject({ class: 'compatible', write: { ifMatch: '2' } });
  });

  it('names the conflicts a person must decide', () => {
    const checkedInCancelled = planMerge(
      input([entry('appointment.setStatus', 'a', status('arrived'))], [upstreamAppointment('a')], view([upstreamAppointment('a', { version: '2', status: 'cancelled' })])),
    );
    expect(checkedInCancelled.items[0]).toMatchObject({ class: 'conflict', conflict: 'cancelled_upstream', write: null });
    const dnaArrived = planMerge(
      input([entry('appointment.setStatus', 'a', status('dna'))], [upstreamAppointment('a')], view([upstreamAppointment('a', { version: '2', status: 'arrived' })])),
    );
    expect(dnaArrived.items[0]).toMatchObject({ class: 'conflict', conflict: 'arrived_upstream' });
    const removed = planMerge(input([entry('appointment.setStatus', 'a', status('arrived'))], [upstreamAppointment('a')], view([])));
    expect(removed.items[0]).toMatchObject({ class: 'conflict', conflict: 'removed_upstream' });
  });

  it('a rebooking into a slot now taken is a conflict, and its old appointment waits for it', () => {
    const booked = {
      id: 'desk-appt-1',
      patientId: 'pat-a',
      clinicianId: 'clin-1',
      slotId: 'slot-9',
      start: '2026-07-20T09:00:00.000Z',
      end: '2026-07-20T09:10:00.000Z',
      type: 'face_to_face',
      reason: null,
      ...status('booked'),
    };
    const rebook = entry('appointment.rebook', 'a', { ...status('cancelled'), rebookedTo: booked.id, booked });
    const slot: UpstreamSlot = { id: 'slot-9', status: 'busy', start: booked.start, end: booked.end, clinicianId: 'clin-1' };
    const taken = upstreamAppointment('other', { slotId: 'slot-9', start: booked.start });
    const plan = planMerge(input([rebook], [upstreamAppointment('a')], view([upstreamAppointment('a'), taken], [slot])));
    expect(plan.items.map((i) => [i.key, i.class, i.conflict])).toEqual([
      ['create:desk-appt-1', 'conflict', 'slot_taken'],
      ['status:a', 'conflict', 'slot_taken'],
    ]);
    const free = planMerge(input([rebook], [upstreamAppointment('a')], view([upstreamAppointment('a')], [{ ...slot, status: 'free' }])));
    expect(free.items.map((i) => [i.key, i.class, i.dependsOn])).toEqual([
      ['create:desk-appt-1', 'clean', null],
      ['status:a', 'clean', 'create:desk-appt-1'],
    ]);
    // A person chooses another slot: the rebooking goes there instead.
    const other: UpstreamSlot = { ...slot, id: 'slot-10', status: 'free', start: '2026-07-20T09:10:00.000Z', end: '2026-07-20T09:20:00.000Z' };
    const moved = planMerge(
      input([rebook], [upstreamAppointment('a')], view([upstreamAppointment('a'), taken], [slot, other]), {
        resolutions: new Map([['create:desk-appt-1', { choice: 'rebook', slotId: 'slot-10' }]]),
      }),
    );
    expect(moved.items[0]).toMatchObject({ class: 'clean', write: { kind: 'create', appointment: { slotId: 'slot-10' } } });
  });

  it('a walk-in taken back as registered in error is nothing to create; one created upstream before is for a person', () => {
    const walkIn = entry('appointment.walkIn', 'w', {
      appointment: { id: 'w', patientId: 'pat-x', clinicianId: 'clin-1', slotId: null, start: T0, end: T0, type: 'face_to_face', reason: null, ...status('arrived') },
      newPatient: null,
    });
    const takenBack = entry('appointment.undo', 'w', {
      ...status('cancelled', { cancelReason: 'Registered in error' }),
      fhirStatus: 'entered-in-error',
      undoes: { id: walkIn.id },
    });
    const [item] = planMerge(input([walkIn, takenBack], [], view([]))).items;
    expect(item).toMatchObject({ key: 'create:w', class: 'already', write: null, desk: { fhirStatus: 'entered-in-error' }, entryIds: [walkIn.id, takenBack.id] });
    // A plain cancellation (no entered-in-error) is still a create, of a cancelled appointment.
    const cancelled = entry('appointment.setStatus', 'w', status('cancelled', { cancelReason: 'Patient left' }));
    expect(planMerge(input([walkIn, cancelled], [], view([]))).items[0]).toMatchObject({ class: 'clean', write: { kind: 'create', state: { fhirStatus: 'cancelled' } } });
    const created = upstreamAppointment('up-w', { patientId: 'pat-x', slotId: null, status: 'arrived', deskIdentifier: walkIn.id });
    expect(planMerge(input([walkIn, takenBack], [], view([created]))).items[0]).toMatchObject({
      class: 'manual',
      reason: expect.stringMatching(/mark it entered in error there by hand/),
    });
  });

  it('a walk-in or rebooking keyed by hand upstream meanwhile: already when it matches, a conflict when only near, never a second create', () => {
    const walkIn = (over: Record<string, unknown> = {}) =>
      entry('appointment.walkIn', null, {
        appointment: { id: 'w', patientId: 'pat-x', clinicianId: 'clin-1', slotId: null, start: T0, end: T0, type: 'face_to_face', reason: null, ...status('arrived'), ...over },
        newPatient: null,
      });
    const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
    const hand = (minutes: number, over: Partial<UpstreamAppointment> = {}) =>
      upstreamAppointment('hand', { patientId: 'pat-x', slotId: null, status: 'arrived', start: at(minutes), ...over });
    const planOf = (e: PlanEntry, ...upstream: UpstreamAppointment[]) => planMerge(input([e], [], view(upstream))).items[0];
    const w = walkIn();
    expect(planOf(w, hand(NEAR_MATCH_MINUTES))).toMatchObject({ class: 'already', upstream: { id: 'hand' }, write: null });
    expect(planOf(w, hand(-20, { clinicianId: 'clin-2' }))).toMatchObject({ class: 'conflict', conflict: 'booked_upstream', write: null });
    expect(planOf(w, hand(10, { status: 'booked' }))).toMatchObject({ class: 'conflict', conflict: 'booked_upstream' });
    // Another visit: more than the window away, cancelled, another patient.
    expect(planOf(w, hand(NEAR_MATCH_MINUTES + 1))).toMatchObject({ class: 'clean', write: { kind: 'create' } });
    expect(planOf(w, hand(5, { status: 'cancelled' }))?.class).toBe('clean');
    expect(planOf(w, hand(5, { patientId: 'pat-y' }))?.class).toBe('clean');
    // The exact one wins over a nearer one that is not.
    expect(planOf(w, hand(2, { id: 'near', status: 'booked' }), hand(30))).toMatchObject({ class: 'already', upstream: { id: 'hand' } });
    // A person who has looked may book it anyway.
    const kept = planMerge(input([w], [], view([hand(10, { status: 'booked' })]), { resolutions: new Map([[`create:w`, { choice: 'keep_desk' }]]) }));
    expect(kept.items[0]).toMatchObject({ class: 'clean', write: { kind: 'create' } });
    // A rebooking's own old appointment (still live upstream until the desk cancels it) is not a match.
    const booked = {
      id: 'desk-appt-2',
      patientId: 'pat-a',
      clinicianId: 'clin-1',
      slotId: 'slot-9',
      start: at(30),
      end: at(40),
      type: 'face_to_face',
      reason: null,
      ...status('booked'),
    };
    const rebook = entry('appointment.rebook', 'a', { ...status('cancelled'), rebookedTo: booked.id, booked });
    const slot: UpstreamSlot = { id: 'slot-9', status: 'free', start: booked.start, end: booked.end, clinicianId: 'clin-1' };
    expect(planMerge(input([rebook], [upstreamAppointment('a')], view([upstreamAppointment('a')], [slot]))).items.map((i) => i.class)).toEqual(['clean', 'clean']);
    // Rebooked by hand upstream as well: already there, and the old appointment is still cancelled.
    const byHand = upstreamAppointment('hand-rebook', { patientId: 'pat-a', slotId: 'slot-9', start: at(30) });
    expect(planMerge(input([rebook], [upstreamAppointment('a')], view([upstreamAppointment('a'), byHand], [slot]))).items.map((i) => [i.key, i.class])).toEqual([
      ['create:desk-appt-2', 'already'],
      ['status:a', 'clean'],
    ]);
  });

  it('manual: what the upstream cannot take', () => {
    const walkIn = entry('appointment.walkIn', 'w', {
      appointment: { id: 'w', patientId: 'desk-pat-1', clinicianId: 'clin-1', slotId: null, start: T0, end: T0, type: 'face_to_face', reason: null, ...status('arrived') },
      newPatient: { id: 'desk-pat-1' },
    });
    expect(planMerge(input([walkIn], [], view([]))).items[0]).toMatchObject({ class: 'manual', kind: 'create' });
    const gpConnect = planMerge(
      input([entry('appointment.setStatus', 'a', status('seen'))], [upstreamAppointment('a')], view([upstreamAppointment('a')]), { capability: 'gp-connect' }),
    );
    expect(gpConnect.items[0]?.class).toBe('manual');
    const none = planMerge(input([entry('appointment.setStatus', 'a', status('cancelled'))], [upstreamAppointment('a')], view([upstreamAppointment('a')]), { capability: 'none' }));
    expect(none.items[0]?.class).toBe('manual');
    expect(planMerge(input([entry('appointment.note', 'a', { text: 'BP 120/80' })], [upstreamAppointment('a')], view([upstreamAppointment('a')]))).items[0]?.class).toBe('manual');
  });

  it('finished steps are not planned again', () => {
    const e = entry('appointment.setStatus', 'a', status('arrived'));
    expect(planMerge(input([e], [upstreamAppointment('a')], view([upstreamAppointment('a')]), { done: new Map([[e.id, new Set(['status:a'])]]) })).items).toEqual([]);
  });

  it('the same inputs give the same plan (property)', () => {
    const statuses = ['arrived', 'sent_in', 'seen', 'dna', 'cancelled', 'booked'] as const;
    const fhir = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: fc.integer({ min: 0, max: 5 }), s: fc.constantFrom(...statuses) }), { maxLength: 30 }),
        fc.array(fc.record({ v: fc.integer({ min: 1, max: 3 }), s: fc.constantFrom(...fhir) }), { minLength: 6, maxLength: 6 }),
        (changes, ups) => {
          const entries = changes.map((c, i) => entry('appointment.setStatus', `a${c.a}`, status(c.s), `p${i}`));
          const base = ups.map((_u, i) => upstreamAppointment(`a${i}`));
          const now = ups.map((u, i) => upstreamAppointment(`a${i}`, { version: String(u.v), status: u.s }));
          const one = planMerge(input(entries, base, view(now)));
          const two = planMerge(input([...entries], [...base].reverse(), view([...now].reverse())));
          expect(JSON.stringify(two)).toBe(JSON.stringify(one));
          expect(one.entries).toBe(entries.length);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('worklist', () => {
  it('puts the outage day\u2019s attendance first, then time-sensitive patients, and quotes CSV safely', () => {
    const entries = [
      entry('appointment.setStatus', 'a', status('cancelled', { cancelReason: '=HYPERLINK("x")' })),
      entry('appointment.setStatus', 'b', status('seen', { seenAt: T0 })),
      entry('appointment.setStatus', 'c', status('cancelled', { cancelReason: 'phoned' })),
    ];
    const base = [
      upstreamAppointment('a', { start: '2026-07-20T07:00:00.000Z' }),
      upstreamAppointment('b', { start: '2026-07-20T10:00:00.000Z' }),
      upstreamAppointment('c', { start: '2026-07-20T09:00:00.000Z' }),
    ];
    const plan = planMerge(input(entries, base, view(base), { capability: 'none' }));
    const list = buildWorklist(plan, {
      patient: (id) => ({
        id,
        name: id.toUpperCase(),
        nhsNumber: null,
        dateOfBirth: null,
        phone: null,
        flags: id === 'pat-c' ? ['suspected_cancer'] : [],
        temporaryResident: id === 'pat-a',
      }),
      clinicianName: () => 'Dr Asha Patel',
      appointment: () => null,
      attempt: () => null,
    });
    expect(list.map((p) => [p.patientId, p.rank])).toEqual([
      ['pat-b', 0],
      ['pat-c', 1],
      ['pat-a', 2],
    ]);
    // A temporary resident is marked on the worklist as on every sheet.
    expect(list.filter((p) => p.temporaryResident).map((p) => p.patientId)).toEqual(['pat-a']);
    const csv = worklistCsv(list);
    expect(csv.split('\r\n')[0]).toBe('order,patient,nhs_number,date_of_birth,priority,date,time,clinician,action,why,item');
    expect(csv.split('\r\n')[1]).toMatch(/^1,PAT-B,,,attendance first,[^,]+,11:00,Dr Asha Patel,/);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    expect(csv).toContain('Seen (fulfilled)');
  });
});
