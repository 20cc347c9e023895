import { describe, expect, it } from 'vitest';
import { openDesk } from '../../../electron/desk/open';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { mergeRigs, type MergeRig } from './support';

const rigs = mergeRigs();

/** Merge-back read and applied once, as a manager's first pass does. */
async function readAndApply({ desk, server }: MergeRig): Promise<void> {
  const settings = { baseUrl: server.baseUrl };
  await readUpstreamForMerge(desk.service.merge, settings);
  await applyMerge(desk.service.merge, settings, { ctx: desk.context });
}

describe('retention', () => {
  it('keeps everything until reconciliation is complete and the period has passed; then purges patient data, keeps the counts, and the journal still verifies', async () => {
    const rig = await rigs.outage(({ desk: { service: s, context: ctx } }) => {
      s.setAppointmentStatus({ appointmentId: 'appt-0', status: 'arrived' }, ctx);
      s.reception.registerWalkIn(
        {
          patient: { kind: 'new', details: { familyName: 'Visitor', givenName: 'Vic', dateOfBirth: '1990-05-05', temporaryResident: true } },
          triage: 'same_day',
          assignTo: { kind: 'duty' },
        },
        ctx,
      );
    });
    const { desk } = rig;
    const s = desk.service;
    const ctx = desk.context;
    await readAndApply(rig);
    // Not complete: the new patient's walk-in is still to be keyed by hand.
    expect(s.merge.retention(ctx)).toEqual({ completedAt: null, purgeAfter: null, purged: false });
    const manual = s.merge.plan().items;
    expect(manual.map((i) => i.class)).toEqual(['manual']);
    s.merge.tick({ itemKey: manual[0]?.key ?? '', state: 'keyed' }, ctx);

    s.merge.setRetentionDays(30);
    const marked = s.merge.retention(ctx);
    expect(marked).toMatchObject({ purged: false, purgeAfter: '2026-08-19T00:00:00.000Z' });
    const counts = s.merge.summaries()[0]?.counts;
    expect(counts).toMatchObject({ walkIns: 1, entries: { appliedAutomatically: 1, keyedByHand: 1 } });

    // 31 days on: the outage's journal entries, outcomes and the desk-registered patient go; the counts stay.
    desk.clock.now = new Date('2026-08-20T09:00:00Z');
    expect(s.merge.retention(ctx)).toMatchObject({ purged: true });
    expect(s.journal.list().map((e) => e.op)).toEqual(['merge.purge']);
    expect(s.mirror.localPatientCount()).toBe(0);
    expect(s.merge.summaries()[0]).toMatchObject({ purgedAt: '2026-08-20T09:00:00.000Z', counts });
    expect(s.journal.verify()).toMatchObject({ ok: true, entries: 1 });
    // The chain goes on from where it was cut, and the app still opens (it verifies the journal first).
    s.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, ctx);
    desk.close();
    const again = openDesk({ dataDir: desk.dataDir });
    expect(again.service.journal.verify()).toMatchObject({ ok: true, entries: 2 });
    again.close();
    // So that rig.close() does not close twice.
    Object.assign(desk, { close: () => undefined });
  });

  it('purges when the desk is next opened after the period, with nobody opening merge-back again', async () => {
    const rig = await rigs.outage(({ desk: { service: s, context: ctx } }) => s.setAppointmentStatus({ appointmentId: 'appt-0', status: 'arrived' }, ctx));
    const { desk } = rig;
    await readAndApply(rig);
    // applyMerge does not mark completion itself (startMergeApply does, through retention): the next open will.
    desk.close();
    Object.assign(desk, { close: () => undefined });

    const opened = openDesk({ dataDir: desk.dataDir, clock: () => new Date('2026-07-21T09:00:00Z') });
    expect(opened.service.merge.summaries()).toHaveLength(1);
    expect(opened.service.merge.summaries()[0]?.purgedAt).toBeNull();
    expect(opened.service.journal.list().map((e) => e.op)).toContain('appointment.setStatus');
    opened.close();

    const later = openDesk({ dataDir: desk.dataDir, clock: () => new Date('2026-08-25T09:00:00Z') });
    expect(later.service.merge.summaries()[0]?.purgedAt).toBe('2026-08-25T09:00:00.000Z');
    expect(later.service.journal.list().map((e) => e.op)).toEqual(['merge.purge']);
    expect(later.service.journal.verify()).toMatchObject({ ok: true });
    later.close();
  });
});
