/**
 * The partition test of issue 16: a member cut off from its coordinator by a blocked port (a relay that drops every
 * connection: tests/doubles/tcp-proxy.ts) carries on alone once a manager says so, then rejoins, and what it did is
 * held against the group's day: the appointment the group changed too is a conflict in front of a person, the one
 * it did not is a clean change made at the coordinator when the person says so. Nothing is merged silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupReview, GroupStatus } from '../../../shared/api';
import { GroupNode } from '../../../electron/desk/group/node';
import { GroupStore } from '../../../electron/desk/group/store';
import { stateDigest } from '../../../electron/desk/group/replica';
import { joinGroup } from '../../../electron/desk/group/admin';
import { openDesk } from '../../../electron/desk/open';
import { TcpProxy } from '../../doubles/tcp-proxy';
import { TEST_NOW } from '../../support/clock';
import { TEST_SCRYPT_COST, tempDir } from '../../support/fixtures';
import { signInAt, startCoordinator, until, type GroupDesk } from '../../support/group';
import { splitAddress } from '../../../electron/desk/group/requests';

const now = () => new Date(TEST_NOW);
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function value<T>(promise: Promise<{ ok: boolean }>): Promise<T> {
  const result = (await promise) as { ok: true; value: T } | { ok: false; error: { message: string } };
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('a member cut off by the network', () => {
  it('carries on alone when a manager says so, and on rejoining puts a conflicting change in front of a person', async () => {
    const { coordinator, accounts } = await startCoordinator(now);
    cleanups.push(
      () => coordinator.desk.close(),
      () => coordinator.node.close(),
    );
    const proxy = await new TcpProxy(splitAddress(coordinator.node.address() ?? '')).start();
    cleanups.push(() => proxy.close());
    // Every desk reaches the coordinator through the relay, the take-over probes included.
    const coordinatorStore = new GroupStore(coordinator.desk.db);
    const coordinatorId = coordinatorStore.config()?.memberId ?? '';
    coordinatorStore.setAddress(coordinatorId, proxy.address);

    const memberDesk = Object.assign(openDesk({ dataDir: tempDir(), clock: now, scryptCost: { ...TEST_SCRYPT_COST }, user: 'test', desk: 'test' }), { dataDir: '' });
    const { code } = coordinator.node.createPairingCode(coordinator.desk.context);
    await joinGroup(memberDesk, { address: proxy.address, code, deskName: 'Reception 2' });
    const member: GroupDesk = { desk: memberDesk, node: await GroupNode.start({ desk: memberDesk, host: '127.0.0.1', port: 0 }) };
    cleanups.push(
      () => member.desk.close(),
      () => member.node.close(),
    );
    await until(() => member.node.status().state === 'connected', 'the member to follow');

    const manager = await signInAt(member.node, accounts.manager);
    const atCoordinator = await signInAt(coordinator.node, accounts.receptionist);

    proxy.block();
    await until(() => member.node.status().state === 'coordinator-lost', 'the member to miss its coordinator', 15_000);
    const refused = await member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, manager);
    expect(refused.ok ? null : refused.error.code).toBe('unavailable');

    const alone = await value<GroupStatus>(member.node.dispatch('carryOnAlone', { confirm: true }, manager));
    expect(alone).toMatchObject({ state: 'alone', heldOnTwoPcs: false });
    expect(alone.carryingOnSince).not.toBeNull();
    // The manager who decided is still signed in, on this desk's own sessions now.
    await value(member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, manager));
    await value(member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived' }, manager));
    // Meanwhile the group cancels appt-1: the same appointment changed on both sides.
    await value(coordinator.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'cancelled', reason: 'Patient phoned' }, atCoordinator));
    // Refused while the coordinator cannot be reached.
    const early = await member.node.dispatch('rejoinGroup', { confirm: true }, manager);
    expect(early.ok ? null : early.error.code).toBe('unavailable');

    proxy.unblock();
    // The manager tries again until the link's probe has heard the coordinator (every PROBE_MS).
    const rejoinedAt = performance.now();
    for (;;) {
      const rejoined = await member.node.dispatch('rejoinGroup', { confirm: true }, manager);
      if (rejoined.ok) break;
      expect(rejoined.error.code).toBe('unavailable');
      if (performance.now() - rejoinedAt > 15_000) throw new Error('the coordinator was not heard again');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await until(() => member.node.status().state === 'connected' && member.node.status().lag === 0, 'the member to follow again', 15_000);
    await until(() => stateDigest(member.desk.db.raw).seq === stateDigest(coordinator.desk.db.raw).seq, 'the same seq');
    expect(stateDigest(member.desk.db.raw)).toEqual(stateDigest(coordinator.desk.db.raw));
    const trail = coordinator.desk.service.audit.list({ kind: 'group', limit: 50 }).map((e) => e.detail as Record<string, unknown>);
    expect(trail.find((d) => d.what === 'member-rejoined')).toMatchObject({ name: 'Reception 2', after: 'carry-on' });
    // Its copy is the group's: appt-1 cancelled, appt-2 untouched, until a person decides.
    expect(member.desk.service.mirror.appointment('appt-1')?.status).toBe('cancelled');
    expect(member.desk.service.mirror.appointment('appt-2')?.status).toBe('booked');

    const review = await value<GroupReview>(member.node.dispatch('getGroupReview', {}, manager));
    const byAppointment = new Map(review.items.map((i) => [i.appointmentId, i]));
    expect(byAppointment.get('appt-1')).toMatchObject({ state: 'conflict', deskStatus: 'arrived', groupStatus: 'cancelled' });
    expect(byAppointment.get('appt-2')).toMatchObject({ state: 'clean', deskStatus: 'arrived', groupStatus: 'booked' });
    expect(member.node.status().reviewOpen).toBe(2);

    const appt2 = byAppointment.get('appt-2');
    const appt1 = byAppointment.get('appt-1');
    if (!appt1 || !appt2) throw new Error('items missing');
    // On a version the group has moved on from, the coordinator refuses and the item stays open.
    const stale = await member.node.dispatch('resolveGroupReviewItem', { seq: appt2.seq, action: 'apply', groupVersion: (appt2.groupVersion ?? 0) + 7 }, manager);
    expect(stale.ok ? null : stale.error.code).toBe('conflict');
    const afterApply = await value<GroupReview>(
      member.node.dispatch('resolveGroupReviewItem', { seq: appt2.seq, action: 'apply', groupVersion: appt2.groupVersion ?? 0 }, manager),
    );
    expect(afterApply.items.find((i) => i.seq === appt2.seq)).toMatchObject({ state: 'applied', decidedBy: accounts.manager.username });
    expect(coordinator.desk.service.mirror.appointment('appt-2')?.status).toBe('arrived');
    await value(member.node.dispatch('resolveGroupReviewItem', { seq: appt1.seq, action: 'keep-group' }, manager));
    expect(coordinator.desk.service.mirror.appointment('appt-1')?.status).toBe('cancelled');
    expect(member.node.status().reviewOpen).toBe(0);
    // A receptionist may not decide.
    const receptionist = await signInAt(member.node, accounts.receptionist);
    const notYours = await member.node.dispatch('getGroupReview', {}, receptionist);
    expect(notYours.ok ? null : notYours.error.code).toBe('forbidden');
  }, 90_000);
});
