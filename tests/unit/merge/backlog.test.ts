/**
 * The rebooking assistant (issue 21), against the FHIR test double: an outage day with 30 cancelled or missed
 * appointments, 5 of them in time-sensitive care, and the next days' free slots. The time-sensitive patients are
 * placed first; no proposal takes a slot that is not free or was taken meanwhile; accepting them all books each
 * slot once, and merge-back creates each booking once. Also the CLI's `backlog` on the same kind of desk.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { addDays, localTimeOf, localToIso } from '../../../shared/domain';
import { BACKLOG_CONTRACT, type BacklogView } from '../../../shared/api';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { DESK_ENTRY_SYSTEM } from '../../../electron/desk/upstream/fhir/write';
import { main } from '../../../electron/cli/main';
import { CLINICIANS, DAY, MORNING_AFTER, NEXT, outageDesk } from './outage-day-support';

describe('the rebooking assistant', () => {
  it('places the time-sensitive first, offers only free slots, and books each once, merged back once', async () => {
    const rig = await outageDesk();
    const h = rig.desk.service.handlers();
    const view = h.getBacklog({ windowDays: 14 }, rig.desk.context);
    expect(view).toMatchObject({ from: NEXT, windowDays: 14 });
    expect(view.items).toHaveLength(30);

    // Time-sensitive care first, most urgent flag first, then the original order.
    const order = view.items.map((i) => i.appointment.id);
    expect(order.slice(0, 5)).toEqual(['appt-23', 'appt-12', 'appt-29', 'appt-13', 'appt-22']);
    expect(view.items.slice(0, 5).every((i) => i.timeSensitive)).toBe(true);
    const rest = view.items.slice(5).map((i) => i.appointment.start);
    expect(rest).toEqual(rest.toSorted());

    // Each proposal: a free slot, once, the same clinician or the same role, never the slot busy upstream.
    const proposed = view.items.flatMap((i) => (i.proposal ? [i] : []));
    const slotIds = proposed.map((i) => i.proposal?.slot.id);
    expect(new Set(slotIds).size).toBe(slotIds.length);
    expect(slotIds).not.toContain(`slot-clin-2-${NEXT}-11`);
    const roleOf = (id: string) => CLINICIANS.find((c) => c.id === id)?.role;
    for (const i of proposed) {
      expect(i.proposal?.slot.status).toBe('free');
      expect(roleOf(i.proposal?.clinician.id ?? '')).toBe(roleOf(i.appointment.clinicianId));
      expect(i.sameClinician).toBe(i.proposal?.clinician.id === i.appointment.clinicianId);
    }
    // The time-sensitive patients get the earliest slots of their role.
    const first = view.items[0];
    expect(first?.proposal?.slot.start).toBe(localToIso(NEXT, '09:00'));
    // The nurse's six cannot all fit in her five free slots: the last one stays, with the reason.
    const unplaced = view.items.filter((i) => i.proposal === null);
    expect(unplaced.map((i) => i.appointment.clinicianId)).toEqual(['clin-3']);
    expect(unplaced[0]?.reason).toBe('no free slot with their clinician or another Practice nurse within 14 days');
    // GP patients: 24 of them, and 9 + 2 slots with Dr Patel and 11 + 2 with Dr Okafor are free: all placed.
    expect(proposed.filter((i) => roleOf(i.appointment.clinicianId) === 'gp')).toHaveLength(24);

    // Meanwhile Sam Backlogperson0 phones and is booked into one of the proposed slots: that slot's acceptance is
    // refused, and so is Sam's own proposal (booked twice otherwise); the others go through.
    const stolen = proposed[6];
    if (!stolen?.proposal) throw new Error('no seventh proposal');
    h.bookAppointment({ patientId: 'pat-0', slotId: stolen.proposal.slot.id }, rig.desk.context);
    const items = proposed.map((i) => ({ appointmentId: i.appointment.id, expectedVersion: i.appointment.version, slotId: i.proposal?.slot.id ?? '' }));
    const outcome = h.acceptBacklog({ items }, rig.desk.context);
    const phoned = h.getDay({ date: NEXT }, rig.desk.context).appointments.find((a) => a.slotId === stolen.proposal?.slot.id);
    expect(outcome.refused).toEqual([
      {
        appointmentId: 'appt-0',
        slotId: proposed.find((i) => i.appointment.id === 'appt-0')?.proposal?.slot.id,
        message: `already booked 21/07/2026 ${phoned?.start ? localTimeOf(phoned.start) : ''} with Dr Tom Okafor meanwhile: not booked twice`,
      },
      { appointmentId: stolen.appointment.id, slotId: stolen.proposal.slot.id, message: expect.stringContaining('has just been taken') as string },
    ]);
    expect(outcome.booked).toHaveLength(27);
    const bookedSlots = outcome.booked.map((b) => b.booked.slotId);
    expect(new Set(bookedSlots).size).toBe(27);
    // Accepting the same again books nothing twice: each is no longer on the callback list.
    const again = h.acceptBacklog({ items: items.slice(0, 3) }, rig.desk.context);
    expect(again.booked).toEqual([]);
    expect(again.refused.map((r) => r.message)).toEqual(Array(3).fill('no longer on the callback list (rebooked or dealt with meanwhile)'));
    // What is left: Sam (booked by phone, so not placed again), the one whose slot was taken (placed elsewhere
    // now) and the nurse's patient.
    const left = h.getBacklog({}, rig.desk.context).items;
    expect(left.map((i) => i.appointment.id).sort()).toEqual(['appt-0', stolen.appointment.id, unplaced[0]?.appointment.id].sort());
    expect(left.find((i) => i.appointment.id === 'appt-0')).toMatchObject({ proposal: null, reason: expect.stringContaining('already booked 21/07/2026') as string });
    expect(left.find((i) => i.appointment.id === stolen.appointment.id)?.proposal).not.toBeNull();

    // Merge-back: one create per booking (and the phone booking), each once.
    const merge = rig.desk.service.merge;
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(merge, settings);
    const applied = await applyMerge(merge, settings, { ctx: rig.desk.context });
    expect(applied.failed).toBe(0);
    const created = rig.server.all('Appointment').filter((a) => JSON.stringify(a['identifier'] ?? []).includes(DESK_ENTRY_SYSTEM));
    expect(created).toHaveLength(28);
    const createdSlots = created.map((a) => JSON.stringify(a['slot']));
    expect(new Set(createdSlots).size).toBe(28);
    await readUpstreamForMerge(merge, settings);
    await applyMerge(merge, settings, { ctx: rig.desk.context });
    expect(rig.server.all('Appointment').filter((a) => JSON.stringify(a['identifier'] ?? []).includes(DESK_ENTRY_SYSTEM))).toHaveLength(28);
    await rig.close();
  });

  it('leaves a patient already booked again, naming when, and refuses what is not on the callback list', async () => {
    const rig = await outageDesk();
    const h = rig.desk.service.handlers();
    const slot = `slot-clin-1-${addDays(DAY, 2)}-0`;
    h.bookAppointment({ patientId: 'pat-3', slotId: slot }, rig.desk.context);
    const item = h.getBacklog({ windowDays: 14 }, rig.desk.context).items.find((i) => i.appointment.id === 'appt-3');
    expect(item).toMatchObject({ proposal: null, reason: 'already booked 22/07/2026 09:00 with Dr Asha Patel' });
    const booked = h.getDay({ date: addDays(DAY, 2) }, rig.desk.context).appointments.find((a) => a.slotId === slot);
    const refused = h.acceptBacklog({ items: [{ appointmentId: booked?.id ?? 'none', expectedVersion: 1, slotId: `slot-clin-1-${NEXT}-0` }] }, rig.desk.context);
    expect(refused.refused[0]?.message).toBe('no longer on the callback list (rebooked or dealt with meanwhile)');
    await rig.close();
  });

  it('lists and books the proposals from the command line', async () => {
    const rig = await outageDesk();
    const { dataDir } = rig;
    rig.desk.close();
    // The command's desk reads the process's clock: pinned to the morning after, as the test's desk was.
    const pinned = process.env['STANDBY_DESK_CLOCK'];
    process.env['STANDBY_DESK_CLOCK'] = MORNING_AFTER.toISOString();
    onTestFinished(() => {
      process.env['STANDBY_DESK_CLOCK'] = pinned;
    });
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    expect(await main(['backlog', '--data', dataDir, '--json'], out)).toBe(0);
    const view = JSON.parse(lines.pop() ?? '{}') as BacklogView;
    expect(view.items).toHaveLength(30);
    expect(await main(['backlog', '--data', dataDir], out)).toBe(0);
    expect(lines.join('\n')).toContain('BACKLOGPERSON12, Sam [time-sensitive]: was 20/07/2026 11:00 Dr Asha Patel -> 21/07/2026 09:00 Dr Asha Patel');
    lines.length = 0;
    expect(await main(['backlog', '--data', dataDir, '--accept-all', '--json'], out)).toBe(0);
    const accepted = JSON.parse(lines.pop() ?? '{}') as { booked: unknown[]; refused: unknown[]; unplaced: number };
    expect(accepted).toMatchObject({ refused: [], unplaced: 1 });
    expect(accepted.booked).toHaveLength(29);
    lines.length = 0;
    expect(await main(['backlog', '--data', dataDir], out)).toBe(0);
    expect(lines[0]).toBe('1 to rebook; free slots searched 21/07/2026 to 03/08/2026.');
    await rig.server.close();
  });

  it('accepts an appointment never changed at the desk (version 0, cancelled in the clinical system), like every expectedVersion', () => {
    const input = (expectedVersion: number) => ({ items: [{ appointmentId: 'appt-1', expectedVersion, slotId: 'slot-1' }] });
    expect(BACKLOG_CONTRACT.acceptBacklog.input.safeParse(input(0)).success).toBe(true);
    expect(BACKLOG_CONTRACT.acceptBacklog.input.safeParse(input(-1)).success).toBe(false);
  });
});
