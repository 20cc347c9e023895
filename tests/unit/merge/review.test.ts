/**
 * The review and the worklist as a person works from them (issue 14, item 5): every item names its patient,
 * time and clinician; undone changes are not work; a conflict left for manual entry keeps its reason; a refused
 * item is not "ready"; the header counts changes without an outcome; the desk's version over an upstream
 * cancellation leaves no cancellation reason behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localToIso } from '../../../shared/domain';
import { openDesk } from '../../../electron/desk/open';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { worklistCsv } from '../../../shared/merge';
import { withDeskState } from '../../../electron/desk/upstream/fhir/write';
import { tempDir } from '../../support/fixtures';
import { DAY, DESK_NOW, mergeBook, mergeRigs } from './support';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const rigs = mergeRigs();
const outage = rigs.outage;

describe('every item names its patient, time and clinician', () => {
  it('from the mirror when the book was loaded without base versions (a file, the demo)', () => {
    const desk = openDesk({ dataDir: tempDir('standby-review-'), user: 'reception-1', desk: 'front-desk', clock: () => DESK_NOW });
    cleanups.push(() => desk.close());
    const s = desk.service;
    s.loadBook(mergeBook(), 'a file', desk.context);
    s.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, desk.context);
    const patient = s.mirror.patient('pat-1');

    const view = s.merge.planView();
    expect(view.groups).toHaveLength(1);
    expect(view.groups[0]).toMatchObject({ patientId: 'pat-1', name: 'TESTPERSON1, Alex', nhsNumber: patient?.nhsNumber });
    expect(view.groups[0]?.items[0]).toMatchObject({ start: localToIso(DAY, '09:10'), clinician: 'Dr Asha Patel' });

    const list = s.merge.worklist();
    expect(list.map((p) => [p.patientId, p.name, p.nhsNumber])).toEqual([['pat-1', 'TESTPERSON1, Alex', patient?.nhsNumber]]);
    expect(list[0]?.items[0]?.action).toMatch(/09:10 appointment with Dr Asha Patel to Arrived/);
    const [header, line] = worklistCsv(list).split('\r\n');
    expect(header).toBe('order,patient,nhs_number,date_of_birth,priority,date,time,clinician,action,why,item');
    expect(line).toContain(`TESTPERSON1, Alex",${patient?.nhsNumber ?? ''},1961-02-11,attendance first,`);
    expect(line).toMatch(/,09:10,Dr Asha Patel,/);
  });

  it('a signposted walk-in new to the practice is named from the journal', async () => {
    const rig = await outage(({ desk }) => {
      desk.service.reception.registerWalkIn(
        {
          patient: { kind: 'new', details: { familyName: 'Passer', givenName: 'Pat', dateOfBirth: '1985-03-03', temporaryResident: true } },
          triage: 'signposted',
          signpostedTo: 'pharmacy',
          assignTo: { kind: 'duty' },
        },
        desk.context,
      );
    });
    const merge = rig.desk.service.merge;
    expect(merge.planView().groups.map((g) => g.name)).toEqual(['PASSER, Pat']);
    expect(merge.worklist().map((p) => p.name)).toEqual(['PASSER, Pat']);
  });
});

describe('undone changes are not work', () => {
  it('a check-in undone is not on the worklist, even with no write API, and is not counted as not yet merged', async () => {
    const rig = await outage(({ desk }) => {
      const s = desk.service;
      s.setAppointmentStatus({ appointmentId: 'appt-2', status: 'arrived' }, desk.context);
      s.reception.undoLastChange({ appointmentId: 'appt-2', expectedVersion: 1 }, desk.context);
      for (const st of ['arrived', 'sent_in', 'seen'] as const) s.setAppointmentStatus({ appointmentId: 'appt-3', status: st }, desk.context);
    });
    const s = rig.desk.service;
    s.merge.setCapability('none');
    expect(s.merge.worklist().map((p) => p.patientId)).toEqual(['pat-3']);
    // Four journal entries for two appointments, one of them undone: one change not yet merged.
    expect(s.getMirrorStatus().journal.deskChanges).toBe(1);
    const item = s.merge.worklist()[0]?.items[0];
    s.merge.tick({ itemKey: item?.key ?? '', state: 'keyed' }, rig.desk.context);
    expect(s.getMirrorStatus().journal.deskChanges).toBe(0);
  });
});

describe('a conflict left for manual entry', () => {
  it('keeps why it was a conflict: moved upstream to 14:30', async () => {
    const rig = await outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-5', status: 'arrived' }, desk.context));
    rig.server.update('Appointment', 'appt-5', (r) => ({ ...r, start: localToIso(DAY, '14:30'), end: localToIso(DAY, '14:40') }));
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, { baseUrl: rig.server.baseUrl });
    expect(merge.plan().items[0]).toMatchObject({ class: 'conflict', reason: expect.stringMatching(/moved upstream to 14:30/) });
    merge.resolve({ itemKey: 'status:appt-5', choice: 'manual' }, rig.desk.context);
    const why = merge.worklist().flatMap((p) => p.items.map((i) => i.why));
    expect(why).toEqual([expect.stringMatching(/moved upstream to 14:30.*left for manual entry by a person/)]);
  });
});

describe('an item the clinical system refused', () => {
  it('is shown as one to key by hand, not as ready to apply', async () => {
    const rig = await outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-2', status: 'dna' }, desk.context));
    const merge = rig.desk.service.merge;
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(merge, settings);
    rig.server.inject({ match: (r) => r.method === 'PUT', status: 422 });
    expect(await applyMerge(merge, settings, { ctx: rig.desk.context })).toMatchObject({ rejected: 1 });
    const view = merge.planView();
    expect(view.counts).toMatchObject({ clean: 0, compatible: 0, manual: 1 });
    expect(view.groups[0]?.items[0]).toMatchObject({ class: 'manual', writes: false, reason: expect.stringMatching(/refused it: 422/), attempt: { result: 'rejected' } });
  });
});

describe('the desk\u2019s version over an upstream cancellation', () => {
  it('drops upstream\u2019s cancellation reason from the appointment that arrived', async () => {
    const rig = await outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-4', status: 'arrived' }, desk.context));
    rig.server.update('Appointment', 'appt-4', (r) => ({ ...r, status: 'cancelled', cancelationReason: { text: 'Cancelled in the NHS App' } }));
    const merge = rig.desk.service.merge;
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(merge, settings);
    merge.resolve({ itemKey: 'status:appt-4', choice: 'keep_desk' }, rig.desk.context);
    expect(await applyMerge(merge, settings, { ctx: rig.desk.context })).toMatchObject({ applied: 1 });
    const now = rig.server.read('Appointment', 'appt-4');
    expect(now?.['status']).toBe('arrived');
    expect(now).not.toHaveProperty('cancelationReason');
  });

  it('a cancellation keeps its reason', () => {
    const state = { status: 'cancelled', fhirStatus: 'cancelled', arrivedAt: null, sentInAt: null, seenAt: null, cancelReason: 'phoned' } as const;
    expect(withDeskState({ resourceType: 'Appointment', id: 'a', status: 'booked' }, state)).toMatchObject({ cancelationReason: { text: 'phoned' } });
  });
});
