/**
 * Merge-back that can finish (issue 14 items 2-4), against the FHIR test double: items upstream already has get
 * an outcome and stop holding the mirror back; a write that landed in a stopped apply counts as applied; only
 * worklist items can be ticked; a walk-in keyed by hand upstream meanwhile is never booked twice.
 */
import { describe, expect, it } from 'vitest';
import { localToIso } from '../../../shared/domain';
import type { RequestContext } from '../../../electron/desk/dispatch';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import type { FhirJson } from '../../doubles/fhir-server';
import { DAY, type MergeRig, mergeRigs, pull, stopAfterWriteLands, writesTo } from './support';

const rigs = mergeRigs();

const settingsOf = (rig: MergeRig, timeoutMs = 2_000) => ({ baseUrl: rig.server.baseUrl, timeoutMs });

/** An appointment the practice keyed by hand upstream while the desk had it too. */
function keyedByHand(rig: MergeRig, over: { id: string; patientId: string; clinicianId?: string; time: string; status?: string }): FhirJson {
  const start = localToIso(DAY, over.time);
  const resource: FhirJson = {
    resourceType: 'Appointment',
    id: over.id,
    status: over.status ?? 'arrived',
    start,
    end: new Date(Date.parse(start) + 10 * 60_000).toISOString(),
    participant: [{ actor: { reference: `Patient/${over.patientId}` } }, { actor: { reference: `Practitioner/${over.clinicianId ?? 'clin-1'}` } }],
  };
  rig.server.seed([resource]);
  return resource;
}

describe('items upstream already has (issue 14 item 2)', () => {
  it('are recorded by apply: reconcile completes and the impact report counts them as already there, not pending', async () => {
    const rig = await rigs.outage(({ desk }) => {
      const s = desk.service;
      s.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, desk.context);
      // Checked in by mistake and undone: the desk's changes cancel out.
      s.setAppointmentStatus({ appointmentId: 'appt-2', status: 'arrived' }, desk.context);
      s.reception.undoLastChange({ appointmentId: 'appt-2', expectedVersion: s.mirror.appointment('appt-2')?.version ?? 0 }, desk.context);
    });
    // Upstream was told about appt-1 by other means meanwhile.
    rig.server.update('Appointment', 'appt-1', (r) => ({ ...r, status: 'arrived' }));
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().counts).toMatchObject({ already: 2, clean: 0, conflict: 0, manual: 0 });
    expect(merge.complete()).toBe(false);

    const report = await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context });
    expect(report).toMatchObject({ total: 2, already: 2, applied: 0, failed: 0 });
    expect(writesTo(rig)).toEqual([]);
    expect(merge.plan().items).toEqual([]);
    expect(merge.complete()).toBe(true);
    expect(merge.impact().entries).toMatchObject({ alreadyUpstream: 3, pending: 0, appliedAutomatically: 0 });
    expect(merge.retention(rig.desk.context).completedAt).not.toBeNull();
    // The review screen's plan says complete, so nothing is left behind a disabled Apply.
    expect(merge.planView()).toMatchObject({ complete: true, groups: [] });
  });

  it('stop being local changes: an upstream cancellation after merge-back reaches the mirror on the next pull', async () => {
    const rig = await rigs.outage(({ desk }) => {
      const s = desk.service;
      s.setAppointmentStatus({ appointmentId: 'appt-3', status: 'arrived' }, desk.context);
      s.reception.undoLastChange({ appointmentId: 'appt-3', expectedVersion: s.mirror.appointment('appt-3')?.version ?? 0 }, desk.context);
    });
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context });
    rig.server.update('Appointment', 'appt-3', (r) => ({ ...r, status: 'cancelled', cancelationReason: { text: 'Cancelled in the NHS App' } }));
    await pull(rig.desk, rig.server);
    expect(rig.desk.service.mirror.appointment('appt-3')).toMatchObject({ fhirStatus: 'cancelled', status: 'cancelled' });
    expect(rig.desk.service.upstream.heldChanges()).toEqual([]);
  });

  it('a status write that landed in an apply stopped before its answer counts as applied when run again', async () => {
    const rig = await rigs.outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-4', status: 'dna' }, desk.context));
    const merge = rig.desk.service.merge;
    const settings = settingsOf(rig, 300);
    await readUpstreamForMerge(merge, settings);
    const stop = stopAfterWriteLands(rig, 'PUT');
    const first = await applyMerge(merge, settings, { ctx: rig.desk.context, signal: stop });
    expect(first).toMatchObject({ applied: 0, skipped: 1 });
    expect(rig.server.read('Appointment', 'appt-4')?.['status']).toBe('noshow');

    await readUpstreamForMerge(merge, settings);
    expect(merge.plan().items.map((i) => i.class)).toEqual(['already']);
    const again = await applyMerge(merge, settings, { ctx: rig.desk.context });
    expect(again).toMatchObject({ applied: 1, already: 0 });
    expect(writesTo(rig)).toHaveLength(1);
    expect(merge.itemOutcomes().get('status:appt-4')).toBe('applied');
    expect(merge.impact().entries).toMatchObject({ appliedAutomatically: 1, alreadyUpstream: 0, pending: 0 });
    expect(merge.complete()).toBe(true);
  });

  it('a walk-in created in an apply stopped before its answer is found by its identifier and counted as applied', async () => {
    const rig = await rigs.outage(({ desk }) => {
      desk.service.reception.registerWalkIn(
        { patient: { kind: 'existing', patientId: 'pat-0' }, triage: 'same_day', assignTo: { kind: 'duty' }, despiteAppointmentToday: true },
        desk.context,
      );
    });
    const merge = rig.desk.service.merge;
    const settings = settingsOf(rig, 300);
    await readUpstreamForMerge(merge, settings);
    const stop = stopAfterWriteLands(rig, 'POST');
    await applyMerge(merge, settings, { ctx: rig.desk.context, signal: stop });
    await readUpstreamForMerge(merge, settings);
    const again = await applyMerge(merge, settings, { ctx: rig.desk.context });
    expect(again).toMatchObject({ applied: 1, already: 0 });
    expect(writesTo(rig)).toHaveLength(1);
    expect(merge.impact().entries).toMatchObject({ appliedAutomatically: 1, alreadyUpstream: 0 });
    expect(merge.complete()).toBe(true);
  });
});

describe('ticking the worklist (issue 14 item 3)', () => {
  const ticks = (rig: MergeRig) => ({
    journal: rig.desk.service.journal.lastSeq(),
    outcomes: [...rig.desk.service.merge.itemOutcomes()],
    audit: rig.desk.service.audit.list({}).length,
  });

  it('refuses a conflict, a clean item never written and an item already there, changing nothing', async () => {
    const rig = await rigs.outage(({ desk }) => {
      const s = desk.service;
      s.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, desk.context);
      s.setAppointmentStatus({ appointmentId: 'appt-2', status: 'arrived' }, desk.context);
      s.setAppointmentStatus({ appointmentId: 'appt-3', status: 'arrived' }, desk.context);
    });
    rig.server.update('Appointment', 'appt-2', (r) => ({ ...r, status: 'cancelled' }));
    rig.server.update('Appointment', 'appt-3', (r) => ({ ...r, status: 'arrived' }));
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().items.map((i) => [i.key, i.class])).toEqual([
      ['status:appt-1', 'clean'],
      ['status:appt-2', 'conflict'],
      ['status:appt-3', 'already'],
    ]);
    const before = ticks(rig);
    for (const itemKey of ['status:appt-1', 'status:appt-2', 'status:appt-3']) {
      for (const state of ['keyed', 'dismissed'] as const) {
        const r = rig.desk.dispatch('tickWorklistItem', { itemKey, state, reason: 'no longer needed' }, rig.desk.context);
        expect(r, `${itemKey} ${state}`).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('is not on the worklist') } });
      }
    }
    expect(rig.desk.dispatch('tickWorklistItem', { itemKey: 'status:appt-2', state: 'keyed' }, rig.desk.context)).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('a manager decides it in the merge review') },
    });
    expect(ticks(rig)).toEqual(before);
    // The clean check-in still reaches upstream.
    await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context });
    expect(rig.server.read('Appointment', 'appt-1')?.['status']).toBe('arrived');
    expect(merge.plan().items.map((i) => i.key)).toEqual(['status:appt-2']);
  });

  it('a conflict is decided by a manager only; left for manual entry, it can be ticked off; a dismissal needs a reason, kept in the audit trail', async () => {
    const rig = await rigs.outage(({ desk }) => {
      desk.service.setAppointmentStatus({ appointmentId: 'appt-2', status: 'arrived' }, desk.context);
      desk.service.setAppointmentStatus({ appointmentId: 'appt-5', status: 'seen' }, desk.context);
    });
    rig.server.update('Appointment', 'appt-2', (r) => ({ ...r, status: 'cancelled' }));
    const { service: s, dispatch, context } = rig.desk;
    s.auth.addUser({ username: 'pm.jones', displayName: 'Pat Jones', role: 'manager', secret: { kind: 'password', value: 'correct horse battery' } }, context);
    s.auth.addUser({ username: 'rx.khan', displayName: 'Sam Khan', role: 'receptionist', secret: { kind: 'pin', value: '730519' } }, context);
    const session = (id: string): RequestContext => ({ user: 'anonymous', desk: 'front-1', sessionId: id });
    const rx = session('rx');
    const pm = session('pm');
    expect(dispatch('signIn', { username: 'rx.khan', secret: '730519' }, rx)).toMatchObject({ ok: true });
    expect(dispatch('signIn', { username: 'pm.jones', secret: 'correct horse battery' }, pm)).toMatchObject({ ok: true });
    await readUpstreamForMerge(s.merge, settingsOf(rig));
    expect(s.merge.plan().items.map((i) => [i.key, i.class])).toEqual([
      ['status:appt-2', 'conflict'],
      ['status:appt-5', 'clean'],
    ]);

    expect(dispatch('resolveMergeConflict', { itemKey: 'status:appt-2', choice: 'manual' }, rx)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatch('tickWorklistItem', { itemKey: 'status:appt-2', state: 'dismissed', reason: 'rang the patient' }, rx)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(s.merge.resolutions().size).toBe(0);
    expect(dispatch('resolveMergeConflict', { itemKey: 'status:appt-2', choice: 'manual' }, pm)).toMatchObject({ ok: true, value: { class: 'manual' } });

    // A dismissal without a reason (or only spaces) is refused, through the contract and at the desk itself.
    const before = ticks(rig);
    expect(dispatch('tickWorklistItem', { itemKey: 'status:appt-2', state: 'dismissed' }, rx)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(dispatch('tickWorklistItem', { itemKey: 'status:appt-2', state: 'dismissed', reason: '   ' }, rx)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(() => s.merge.tick({ itemKey: 'status:appt-2', state: 'dismissed', reason: ' \t ' }, context)).toThrow(/needs a reason/);
    expect(ticks(rig)).toEqual(before);

    expect(dispatch('tickWorklistItem', { itemKey: 'status:appt-2', state: 'dismissed', reason: '  patient rebooked by phone  ' }, rx)).toEqual({
      ok: true,
      value: { itemKey: 'status:appt-2', outcome: 'dismissed' },
    });
    const dismissal = s.audit.list({}).find((a) => (a.detail as { op?: string } | null)?.op === 'merge.dismiss');
    expect(dismissal).toMatchObject({ user: 'rx.khan', detail: { entityId: 'status:appt-2', reason: 'patient rebooked by phone' } });
    // The clean item was never on the worklist, for a receptionist or a manager.
    expect(dispatch('tickWorklistItem', { itemKey: 'status:appt-5', state: 'keyed' }, pm)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('an item the clinical system refused (422) is on the worklist and can be keyed', async () => {
    const rig = await rigs.outage(({ desk }) => desk.service.setAppointmentStatus({ appointmentId: 'appt-6', status: 'dna' }, desk.context));
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    rig.server.inject({ match: (r) => r.method === 'PUT', status: 422 });
    await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context });
    expect(rig.desk.dispatch('tickWorklistItem', { itemKey: 'status:appt-6', state: 'keyed' }, rig.desk.context)).toMatchObject({ ok: true, value: { outcome: 'keyed' } });
    expect(merge.complete()).toBe(true);
  });
});

describe('no double booking from merge-back (issue 14 item 4)', () => {
  /** A walk-in for pat-0 (booked at 09:00, two hours before) registered at 11:05 London with the duty GP, clin-1. */
  async function walkIn(): Promise<MergeRig> {
    const rig = await rigs.rig();
    const { service: s, context: ctx } = rig.desk;
    s.upstream.setMode('outage', ctx, 'down');
    rig.desk.clock.now = new Date(localToIso(DAY, '11:05'));
    s.reception.registerWalkIn({ patient: { kind: 'existing', patientId: 'pat-0' }, triage: 'same_day', assignTo: { kind: 'duty' }, despiteAppointmentToday: true }, ctx);
    s.upstream.setMode('online', ctx, 'back');
    return rig;
  }
  const ofPatient = (rig: MergeRig, patientId: string) => rig.server.all('Appointment').filter((a) => JSON.stringify(a['participant'] ?? []).includes(`"Patient/${patientId}"`));

  it('a walk-in the practice keyed by hand (same clinician, 25 minutes later) is already there: recorded, not created again', async () => {
    const rig = await walkIn();
    keyedByHand(rig, { id: 'hand-1', patientId: 'pat-0', time: '11:30' });
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().items).toMatchObject([{ kind: 'create', class: 'already', upstream: { id: 'hand-1' }, reason: expect.stringContaining('keyed upstream by hand') }]);
    expect(await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context })).toMatchObject({ already: 1, applied: 0 });
    expect(writesTo(rig)).toEqual([]);
    expect(ofPatient(rig, 'pat-0').map((a) => a.id)).toEqual(['appt-0', 'hand-1']);
    expect(merge.complete()).toBe(true);
    await pull(rig.desk, rig.server);
    expect(
      rig.desk.service
        .getDay(DAY, null)
        .appointments.filter((a) => a.patientId === 'pat-0')
        .map((a) => a.id),
    ).toEqual(['appt-0', 'hand-1']);
  });

  it('one with another clinician, or another status, near that time is a conflict for a person, never a second appointment', async () => {
    const rig = await walkIn();
    keyedByHand(rig, { id: 'hand-2', patientId: 'pat-0', clinicianId: 'clin-2', time: '10:20' });
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().items).toMatchObject([{ class: 'conflict', conflict: 'booked_upstream', reason: expect.stringContaining('another clinician') }]);
    expect(await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context })).toMatchObject({ total: 0 });
    expect(writesTo(rig)).toEqual([]);
    rig.server.update('Appointment', 'hand-2', (r) => ({
      ...r,
      participant: [{ actor: { reference: 'Patient/pat-0' } }, { actor: { reference: 'Practitioner/clin-1' } }],
      status: 'booked',
    }));
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().items).toMatchObject([{ class: 'conflict', conflict: 'booked_upstream', reason: expect.stringContaining('booked, same clinician') }]);
    // A manager who has looked may still book it.
    merge.resolve({ itemKey: merge.plan().items[0]?.key ?? '', choice: 'keep_desk' }, rig.desk.context);
    expect(await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context })).toMatchObject({ applied: 1 });
    expect(ofPatient(rig, 'pat-0')).toHaveLength(3);
  });

  it('keyed by hand after the plan was read: apply\u2019s re-read finds it and creates nothing', async () => {
    const rig = await walkIn();
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().items.map((i) => i.class)).toEqual(['clean']);
    keyedByHand(rig, { id: 'hand-3', patientId: 'pat-0', time: '10:40' });
    expect(await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context })).toMatchObject({ already: 1, applied: 0 });
    expect(writesTo(rig)).toEqual([]);
    expect(ofPatient(rig, 'pat-0').map((a) => a.id)).toEqual(['appt-0', 'hand-3']);
  });

  it('a walk-in taken back as registered in error is recorded as nothing to create: nothing written, no change left (item 10)', async () => {
    const rig = await rigs.rig();
    const { service: s, context: ctx } = rig.desk;
    s.upstream.setMode('outage', ctx, 'down');
    const made = s.reception.registerWalkIn(
      { patient: { kind: 'existing', patientId: 'pat-0' }, triage: 'same_day', assignTo: { kind: 'duty' }, despiteAppointmentToday: true },
      ctx,
    );
    const id = made.appointment?.id ?? '';
    s.reception.undoLastChange({ appointmentId: id, expectedVersion: 1 }, ctx);
    s.upstream.setMode('online', ctx, 'back');
    const merge = s.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().items).toMatchObject([{ kind: 'create', class: 'already', upstream: null, write: null }]);
    expect(await applyMerge(merge, settingsOf(rig), { ctx })).toMatchObject({ already: 1, applied: 0 });
    expect(writesTo(rig)).toEqual([]);
    expect(merge.complete()).toBe(true);
    expect(s.mirror.appointment(id)).toBeNull();
    expect(s.mirror.locallyChangedCount()).toBe(0);
  });

  it('an appointment more than an hour away, or cancelled, is another visit: the walk-in is created', async () => {
    const rig = await walkIn();
    keyedByHand(rig, { id: 'earlier', patientId: 'pat-0', time: '10:04' });
    keyedByHand(rig, { id: 'cancelled', patientId: 'pat-0', time: '11:10', status: 'cancelled' });
    const merge = rig.desk.service.merge;
    await readUpstreamForMerge(merge, settingsOf(rig));
    expect(merge.plan().items.map((i) => i.class)).toEqual(['clean']);
    expect(await applyMerge(merge, settingsOf(rig), { ctx: rig.desk.context })).toMatchObject({ applied: 1 });
    expect(ofPatient(rig, 'pat-0')).toHaveLength(4);
  });
});
