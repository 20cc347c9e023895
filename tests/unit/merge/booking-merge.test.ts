/**
 * A new appointment booked at the desk during an outage (issue 18 item 2) is merged back as a create carrying its
 * journal entry's identifier, against the FHIR test double: planned, written once, found again by that identifier.
 */
import { describe, expect, it } from 'vitest';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { DESK_ENTRY_SYSTEM } from '../../../electron/desk/upstream/fhir/write';
import type { AppointmentRow } from '../../../shared/api';
import { mergeRigs, writesTo } from './support';

const rigs = mergeRigs();

describe('a booking made at the desk, merged back', () => {
  it('is created upstream once, in its slot, with the journal entry as its identifier', async () => {
    const booking: { row: AppointmentRow | null } = { row: null };
    const rig = await rigs.outage(({ desk }) => {
      booking.row = desk.service.handlers().bookAppointment({ patientId: 'pat-0', slotId: 'slot-11', type: 'telephone', reason: 'Phoned about results' }, desk.context);
    });
    const made = booking.row;
    if (made === null) throw new Error('nothing was booked');
    const entry = rig.desk.service.journal.list(0, 1000).find((e) => e.op === 'appointment.book');
    expect(entry?.entityId).toBe(made.id);

    const merge = rig.desk.service.merge;
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(merge, settings);
    const item = merge
      .planView()
      .groups.flatMap((g) => g.items)
      .find((i) => i.key === `create:${made.id}`);
    expect(item).toMatchObject({ kind: 'create', op: 'appointment.book', class: 'clean' });
    expect(JSON.stringify(item)).toContain(entry?.id ?? 'no entry');

    expect(await applyMerge(merge, settings, { ctx: rig.desk.context })).toMatchObject({ applied: 1, failed: 0 });
    const created = rig.server.all('Appointment').filter((a) => JSON.stringify(a['identifier'] ?? []).includes(DESK_ENTRY_SYSTEM));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ status: 'booked', start: made.start, slot: [{ reference: 'Slot/slot-11' }], identifier: [{ system: DESK_ENTRY_SYSTEM, value: entry?.id }] });
    expect(writesTo(rig).filter((w) => w.method === 'POST')).toHaveLength(1);

    // Again: found by its identifier, not created twice.
    await readUpstreamForMerge(merge, settings);
    expect(await applyMerge(merge, settings, { ctx: rig.desk.context })).toMatchObject({ total: 0 });
    expect(writesTo(rig).filter((w) => w.method === 'POST')).toHaveLength(1);
  });
});
