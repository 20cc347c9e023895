/**
 * A clinician signed in at a member of a desk group (issue 16's practice network, issue 17's rooms): the
 * coordinator carries out the member's calls through its own dispatcher, so the clinician's own-list check runs
 * there; and while the coordinator is lost, the member's own answers (reads) apply the same check to the clinician
 * it remembers. Real desks, real TLS on loopback (tests/support/group.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DayView, Result } from '../../../shared/api';
import { TEST_NOW } from '../../support/clock';
import { signInAt, startGroup, until, type TestGroup } from '../../support/group';
import { CLINICIAN } from './support';

const now = () => new Date(TEST_NOW);
const DATE = '2026-07-20';
let group: TestGroup | null = null;

afterEach(async () => {
  await group?.close();
  group = null;
});

const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const idsOf = (r: Result<unknown>) => (r.ok ? (r.value as DayView).appointments.map((a) => a.id).sort() : r.error.code);

async function groupWithClinician() {
  group = await startGroup(1, now);
  const [member] = group.members;
  if (!member) throw new Error('no member');
  const { coordinator } = group;
  coordinator.desk.service.auth.addUser(
    { username: CLINICIAN.username, displayName: CLINICIAN.displayName, role: 'clinician', clinicianId: CLINICIAN.clinicianId, secret: { kind: 'pin', value: CLINICIAN.pin } },
    coordinator.desk.context,
  );
  const room = await signInAt(member.node, { username: CLINICIAN.username, secret: CLINICIAN.pin });
  return { group, member, coordinator, room };
}

describe('a clinician at a desk group member', () => {
  it("is narrowed to their own list and refused another clinician's patient by the coordinator", async () => {
    const { member, coordinator, room } = await groupWithClinician();
    expect(await member.node.dispatch('getSession', {}, room)).toMatchObject({ ok: true, value: { role: 'clinician', clinicianId: CLINICIAN.clinicianId } });
    expect(idsOf(await member.node.dispatch('getDay', { date: DATE }, room))).toEqual(['appt-1', 'appt-2', 'appt-5']);
    expect(code(await member.node.dispatch('getDay', { date: DATE, clinicianId: 'clin-b' }, room))).toBe('forbidden');
    const theirs = await member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-3', status: 'sent_in' }, room);
    expect(theirs).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('not on your list') } });
    expect(code(await member.node.dispatch('setMode', { mode: 'outage', reason: 'clinical system down' }, room))).toBe('forbidden');
    expect(coordinator.desk.service.mirror.appointment('appt-3')?.status).toBe('booked');
    expect(code(await member.node.dispatch('addAppointmentNote', { appointmentId: 'appt-1', text: 'Seen in room 1' }, room))).toBe('ok');
  }, 20_000);

  it("while the coordinator is lost, reads from the member's own copy are still only their own list", async () => {
    const { member, coordinator, room } = await groupWithClinician();
    await coordinator.node.close();
    await until(() => member.node.status().state === 'coordinator-lost', 'the member to notice', 10_000);
    expect(await member.node.dispatch('getSession', {}, room)).toMatchObject({ ok: true, value: { role: 'clinician', clinicianId: CLINICIAN.clinicianId } });
    expect(idsOf(await member.node.dispatch('getDay', { date: DATE }, room))).toEqual(['appt-1', 'appt-2', 'appt-5']);
    expect(code(await member.node.dispatch('getDay', { date: DATE, clinicianId: 'clin-b' }, room))).toBe('forbidden');
    expect(code(await member.node.dispatch('getJournal', { limit: 10 }, room))).toBe('forbidden');
  }, 20_000);
});
