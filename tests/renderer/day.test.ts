import { describe, expect, it } from 'vitest';
import { groupByClinician } from '../../renderer/src/day/grouping';
import { mergeNewer, withAppointment, withEvent, withNewAppointment } from '../../renderer/src/day/reducers';
import { localToIso } from '../../shared/domain';
import { smallBook } from '../support/fixtures';
import { TEST_DAY } from '../support/clock';
import { changed, dayViewOf, rowOf } from './support/day';

const event = (appointment: ReturnType<typeof changed>, patient?: ReturnType<typeof rowOf>['patient']) => ({
  kind: 'appointment.changed' as const,
  seq: 1,
  appointment,
  ...(patient ? { patient } : {}),
  user: 'test.reception',
  desk: 'other-desk',
});

describe("the day's reducers", () => {
  const day = dayViewOf();
  const row = rowOf(day, 'appt-2');

  it('put a newer version in place, keeping the patient, and change nothing for an older or equal one', () => {
    const next = withAppointment(day, changed(row, { status: 'arrived' }));
    expect(next && rowOf(next, 'appt-2')).toMatchObject({ status: 'arrived', version: row.version + 1, patient: row.patient });
    expect(next?.appointments.map((a) => a.id)).toEqual(day.appointments.map((a) => a.id));
    expect(withAppointment(day, { ...changed(row, { status: 'dna' }), version: row.version })).toBeNull();
  });

  it('take a walk-in registered in error off the day', () => {
    const next = withAppointment(day, changed(row, { status: 'cancelled', fhirStatus: 'entered-in-error' }));
    expect(next?.appointments.some((a) => a.id === 'appt-2')).toBe(false);
  });

  it("add an appointment this view has not seen, on its day and for a clinician on it; 'unknown' for another clinician", () => {
    const { patient, ...base } = row;
    const walkIn = { ...base, id: 'walk-1', version: 0, start: localToIso(TEST_DAY, '11:00'), end: localToIso(TEST_DAY, '11:10') };
    expect(withNewAppointment(day, walkIn, patient)).toMatchObject({ appointments: expect.arrayContaining([expect.objectContaining({ id: 'walk-1' })]) });
    expect(withNewAppointment(day, { ...walkIn, clinicianId: 'clin-elsewhere' }, patient)).toBe('unknown');
    expect(withNewAppointment(day, { ...walkIn, start: localToIso('2026-07-21', '11:00') }, patient)).toBeNull();
  });

  it("read an event: a change to a row on screen applies; a new appointment without its patient is 'unknown'", () => {
    const applied = withEvent(day, event(changed(row, { status: 'arrived' })));
    expect(applied !== null && applied !== 'unknown' && rowOf(applied, 'appt-2').status).toBe('arrived');
    expect(withEvent(day, event({ ...changed(row, {}), id: 'appt-new', version: 0 }))).toBe('unknown');
    expect(withEvent(day, event({ ...changed(row, {}), id: 'appt-new', version: 0 }, row.patient))).not.toBe('unknown');
  });

  it('keep a row held in a newer version than a fresh read brings, and take everything else from the read', () => {
    const held = withAppointment(day, changed(row, { status: 'arrived' }));
    if (held === null) throw new Error('fixture: the change should apply');
    const fresh = { ...day, journalSeq: 9, appointments: day.appointments.map((a) => (a.id === 'appt-1' ? { ...a, version: a.version + 3, status: 'dna' as const } : a)) };
    const merged = mergeNewer(held, fresh);
    expect(merged.journalSeq).toBe(9);
    expect(rowOf(merged, 'appt-2').status).toBe('arrived');
    expect(rowOf(merged, 'appt-1').status).toBe('dna');
  });

  it("take a fresh read whole when it crosses the start or end of an outage drill: the drill's rows are another copy", () => {
    const inDrill = withAppointment({ ...day, mirror: { ...day.mirror, drill: true } }, changed(row, { status: 'arrived' }));
    if (inDrill === null) throw new Error('fixture: the change should apply');
    expect(rowOf(mergeNewer(inDrill, { ...day, mirror: { ...day.mirror, drill: true } }), 'appt-2').status).toBe('arrived');
    expect(rowOf(mergeNewer(inDrill, day), 'appt-2').status).toBe(row.status);
  });
});

describe("the day's grouping by clinician", () => {
  it('lists GPs first, each with their appointments in time order, session blocks, room and counts by status', () => {
    const book = smallBook();
    // The nurse first in the book, and the GP's appointments out of order: the grouping must sort both.
    const day = dayViewOf({ ...book, clinicians: book.clinicians.toReversed(), appointments: book.appointments.toReversed() });
    const groups = groupByClinician(day);
    expect(groups.map((g) => g.clinician.id)).toEqual(['clin-a', 'clin-b']);
    const [gp, nurse] = groups;
    expect(gp?.appointments.map((a) => a.id)).toEqual(['appt-1', 'appt-2', 'appt-5']);
    expect(gp?.blocks).toHaveLength(1);
    expect(gp?.blocks[0]?.session?.id).toBe('sess-clin-a');
    expect(gp?.room).toBe('Room 1');
    expect(nurse?.counts).toMatchObject({ booked: 1, cancelled: 1, arrived: 0 });
  });

  it('puts appointments outside any session in a block of their own, between the sessions they fall between', () => {
    const book = smallBook();
    const day = dayViewOf({ ...book, appointments: book.appointments.map((a) => (a.id === 'appt-2' ? { ...a, sessionId: null } : a)) });
    const [gp] = groupByClinician(day);
    expect(gp?.blocks.map((b) => [b.session?.id ?? null, b.appointments.map((a) => a.id)])).toEqual([
      ['sess-clin-a', ['appt-1']],
      [null, ['appt-2']],
      ['sess-clin-a', ['appt-5']],
    ]);
  });
});
