/**
 * The write path's rules one at a time, against the FHIR test double (the model test mixes them at random).
 */
import { describe, expect, it } from 'vitest';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { DESK_ENTRY_SYSTEM } from '../../../electron/desk/upstream/fhir/write';
import { DEFAULT_CLAIM_SETTINGS } from '../../../shared/merge';
import { cli } from '../upstream/support';
import { bookUpstream, mergeRigs, writesTo } from './support';

const rigs = mergeRigs();

describe('applying through FHIR', () => {
  it('a walk-in whose create timed out after it landed is found by its identifier, not created twice', async () => {
    const rig = await rigs.outage(({ desk }) => {
      desk.service.reception.registerWalkIn(
        { patient: { kind: 'existing', patientId: 'pat-5' }, triage: 'same_day', assignTo: { kind: 'duty' }, despiteAppointmentToday: true },
        desk.context,
      );
    });
    const settings = { baseUrl: rig.server.baseUrl, timeoutMs: 300 };
    await readUpstreamForMerge(rig.desk.service.merge, settings);
    rig.server.inject({ match: (r) => r.method === 'POST', afterCommit: true, hang: true, times: 1 });
    const report = await applyMerge(rig.desk.service.merge, settings, { ctx: rig.desk.context });
    expect(report).toMatchObject({ applied: 1, failed: 0 });
    const created = rig.server.all('Appointment').filter((a) => JSON.stringify(a['identifier'] ?? []).includes(DESK_ENTRY_SYSTEM));
    expect(created).toHaveLength(1);
    expect(writesTo(rig)).toHaveLength(1);
    // The desk's row took upstream's id, so the next pull does not show the walk-in twice.
    expect(rig.desk.service.mirror.appointment(String(created[0]?.id))?.desk?.origin).toBe('walk_in');
  });

  it('a 412 (someone changed it between our read and our write) is re-read and written onto the new version', async () => {
    const rig = await rigs.outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, desk.context));
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(rig.desk.service.merge, settings);
    let raced = false;
    rig.server.inject({
      match: (r) => {
        if (r.method !== 'PUT' || raced) return false;
        raced = true;
        rig.server.update('Appointment', 'appt-1', (x) => ({ ...x, comment: 'wheelchair access please' }));
        return false;
      },
    });
    const report = await applyMerge(rig.desk.service.merge, settings, { ctx: rig.desk.context });
    expect(report.applied).toBe(1);
    const now = rig.server.read('Appointment', 'appt-1');
    expect(now).toMatchObject({ status: 'arrived', comment: 'wheelchair access please' });
    expect(writesTo(rig).map((w) => w.headers.ifMatch)).toEqual(['W/"1"', 'W/"2"']);
  });

  it('a 422 is shown as refused and put on the worklist, not retried', async () => {
    const rig = await rigs.outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-2', status: 'dna' }, desk.context));
    const settings = { baseUrl: rig.server.baseUrl };
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settings);
    rig.server.inject({ match: (r) => r.method === 'PUT', status: 422 });
    expect(await applyMerge(merge, settings, { ctx: rig.desk.context })).toMatchObject({ rejected: 1 });
    expect(merge.attempts().get('status:appt-2')).toMatchObject({ result: 'rejected' });
    expect(merge.worklist().flatMap((p) => p.items.map((i) => i.why))).toEqual([expect.stringMatching(/refused it: 422/)]);
    expect(await applyMerge(merge, settings, { ctx: rig.desk.context })).toMatchObject({ total: 0 });
  });

  it('reconcile --dry-run plans and writes nothing; without it, applies', async () => {
    const rig = await rigs.outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-3', status: 'cancelled', reason: 'phoned' }, desk.context));
    rig.desk.close();
    Object.assign(rig.desk, { close: () => undefined });
    const dry = await cli('reconcile', '--fhir', rig.server.baseUrl, '--dry-run', '--data', rig.desk.dataDir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Plan: 1 clean/);
    expect(writesTo(rig)).toEqual([]);
    const run = await cli('reconcile', '--fhir', rig.server.baseUrl, '--data', rig.desk.dataDir);
    expect(run.stdout).toMatch(/Applied: 1 written/);
    expect(rig.server.read('Appointment', 'appt-3')).toMatchObject({ status: 'cancelled', cancelationReason: { text: 'phoned' } });
    expect((await cli('reconcile', '--data', rig.desk.dataDir)).code).toBe(2);
  });
});

describe('merge settings', () => {
  it('with no write API everything goes to the worklist, nothing is written', async () => {
    const rig = await rigs.outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-1', status: 'seen' }, desk.context));
    const set = rig.desk.dispatch('setMergeSettings', { capability: 'none', retentionDays: 60 }, rig.desk.context);
    expect(set).toEqual({ ok: true, value: { capability: 'none', retentionDays: 60, claim: DEFAULT_CLAIM_SETTINGS } });
    await readUpstreamForMerge(rig.desk.service.merge, { baseUrl: rig.server.baseUrl });
    expect(await applyMerge(rig.desk.service.merge, { baseUrl: rig.server.baseUrl }, { ctx: rig.desk.context })).toMatchObject({ total: 0 });
    expect(writesTo(rig)).toEqual([]);
    expect(rig.desk.service.merge.worklist().map((p) => p.rank)).toEqual([0]);
  });
});

describe('a rebooking into a slot taken meanwhile', () => {
  it('is a conflict; rebooked into another slot by a person, it is made there and only then is the old one cancelled', async () => {
    const rig = await rigs.outage(({ desk }) => {
      desk.service.reception.rebook({ appointmentId: 'appt-3', expectedVersion: 0, slotId: 'slot-9' }, desk.context);
    });
    bookUpstream(rig.server, 'slot-9', 'pat-7', 'online-booking-1');
    const merge = rig.desk.service.merge;
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(merge, settings);
    const plan = merge.plan();
    expect(plan.items.map((i) => [i.kind, i.class, i.conflict])).toEqual([
      ['create', 'conflict', 'slot_taken'],
      ['status', 'conflict', 'slot_taken'],
    ]);
    const create = plan.items[0];
    merge.resolve({ itemKey: create?.key ?? '', choice: 'rebook', slotId: 'slot-10' }, rig.desk.context);
    expect(merge.plan().items.map((i) => i.class)).toEqual(['clean', 'clean']);
    expect(await applyMerge(merge, settings, { ctx: rig.desk.context })).toMatchObject({ applied: 2 });
    const inSlot = (slot: string) =>
      rig.server
        .all('Appointment')
        .filter((a) => JSON.stringify(a['slot'] ?? []).includes(`Slot/${slot}"`) && a['status'] !== 'cancelled')
        .map((a) => a.id);
    expect(inSlot('slot-9')).toEqual(['online-booking-1']);
    expect(inSlot('slot-10')).toHaveLength(1);
    expect(rig.server.read('Appointment', 'appt-3')?.['status']).toBe('cancelled');
    // The new appointment was created before the old one was cancelled.
    const order = writesTo(rig).map((w) => `${w.method} ${w.type ?? ''}`);
    expect(order).toEqual(['POST Appointment', 'PUT Appointment']);
    expect(merge.complete()).toBe(true);
  });
});
