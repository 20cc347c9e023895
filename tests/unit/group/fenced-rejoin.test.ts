/**
 * Issue 16, item 6: a coordinator cut off by the network (not dead) while a member takes over. Each desk reaches the
 * other only through a relay that can be blocked (tests/doubles/tcp-proxy.ts), so neither hears the other. The old
 * coordinator, not knowing, carries on; when the network heals it hears the higher epoch, is fenced, rejoins the
 * group as a member from the same data folder, and what it did after the take-over comes back through the same
 * review as a desk that carried on alone: the change the group did not touch is offered clean (and made at the new
 * coordinator when a person says so), the one the group changed too is a conflict. Nothing is overwritten silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, GroupReview, GroupStatus } from '../../../shared/api';
import { GroupNode } from '../../../electron/desk/group/node';
import { GroupStore } from '../../../electron/desk/group/store';
import { removeCapture, replicatedSeq, stateDigest } from '../../../electron/desk/group/replica';
import { createGroup, joinGroup } from '../../../electron/desk/group/admin';
import { cutAtTakeOver, keepCutOffWork, reviewOf } from '../../../electron/desk/group/review';
import { splitAddress } from '../../../electron/desk/group/requests';
import { openDesk } from '../../../electron/desk/open';
import { TcpProxy } from '../../doubles/tcp-proxy';
import { TEST_NOW } from '../../support/clock';
import { openTestDesk, TEST_SCRYPT_COST, tempDir } from '../../support/fixtures';
import { freeLoopbackPort, signInAt, startCoordinator, until, type GroupDesk } from '../../support/group';

const now = () => new Date(TEST_NOW);
const LOOPBACK = '127.0.0.1';
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function value<T>(promise: Promise<{ ok: boolean }>): Promise<T> {
  const result = (await promise) as { ok: true; value: T } | { ok: false; error: { message: string } };
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function groupAudit(desk: GroupDesk): Array<Record<string, unknown>> {
  return desk.desk.service.audit.list({ kind: 'group', limit: 200 }).map((e: AuditEntry) => e.detail as Record<string, unknown>);
}

/** A coordinator and one member, each reached by the other only through its own relay. */
async function cutOffPair(): Promise<{
  old: GroupDesk;
  member: GroupDesk;
  toOld: TcpProxy;
  toMember: TcpProxy;
  accounts: Awaited<ReturnType<typeof startCoordinator>>['accounts'];
}> {
  const { coordinator: old, accounts } = await startCoordinator(now);
  cleanups.push(
    () => old.desk.close(),
    () => old.node.close(),
  );
  const toOld = await new TcpProxy(splitAddress(old.node.address() ?? '')).start();
  cleanups.push(() => toOld.close());
  const oldStore = new GroupStore(old.desk.db);
  oldStore.setAddress(oldStore.config()?.memberId ?? '', toOld.address);

  const memberPort = await freeLoopbackPort();
  const toMember = await new TcpProxy({ host: LOOPBACK, port: memberPort }).start();
  cleanups.push(() => toMember.close());
  const memberDesk = Object.assign(openDesk({ dataDir: tempDir(), clock: now, scryptCost: { ...TEST_SCRYPT_COST }, user: 'test', desk: 'test' }), { dataDir: '' });
  const { code } = old.node.createPairingCode(old.desk.context);
  await joinGroup(memberDesk, { address: toOld.address, code, deskName: 'Reception 2', advertise: toMember.address });
  const member: GroupDesk = { desk: memberDesk, node: await GroupNode.start({ desk: memberDesk, host: LOOPBACK, port: memberPort, advertise: toMember.address }) };
  cleanups.push(
    () => member.desk.close(),
    () => member.node.close(),
  );
  await until(() => member.node.status().state === 'connected' && member.node.status().lag === 0, 'the member to follow');
  // The old coordinator probes the member where it said it listens: through its relay.
  await until(() => oldStore.members().find((m) => m.name === 'Reception 2')?.address === toMember.address, 'the member to be reached through its relay');
  return { old, member, toOld, toMember, accounts };
}

describe('a coordinator cut off while a member took over', () => {
  it('is fenced on healing, rejoins as a member from the same folder, and its own changes come back through the review', async () => {
    const { old, member, toOld, toMember, accounts } = await cutOffPair();
    const atOld = await signInAt(old.node, accounts.receptionist);
    const managerAtMember = await signInAt(member.node, accounts.manager);
    const version = (id: string) => old.desk.service.mirror.appointment(id)?.version ?? -1;
    const before = { appt1: version('appt-1'), appt2: version('appt-2') };

    // Before the cut: held on both PCs, so never for review.
    await value(old.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived' }, atOld));
    expect(member.desk.service.mirror.appointment('appt-3')?.status).toBe('arrived');

    toOld.block();
    toMember.block();
    await until(() => member.node.status().state === 'coordinator-lost', 'the member to miss its coordinator', 15_000);
    await until(() => old.node.status().state === 'alone', 'the old coordinator to lose its member', 15_000);
    await value<GroupStatus>(member.node.dispatch('takeOverGroup', { confirm: true }, managerAtMember));
    await until(() => member.node.status().role === 'coordinator', 'the member to coordinate');
    expect(member.node.status().epoch).toBe(2);

    // The new coordinator cancels appt-2; the old one, not knowing, checks appt-1 in and marks appt-2 DNA.
    const atNew = await signInAt(member.node, accounts.manager);
    await value(member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'cancelled', reason: 'Patient phoned' }, atNew));
    expect(old.node.status().role).toBe('coordinator');
    await value(old.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, atOld));
    await value(old.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'dna' }, atOld));
    expect(old.desk.service.mirror.appointment('appt-1')?.status).toBe('arrived');

    toOld.unblock();
    toMember.unblock();
    await until(
      () => old.node.status().role === 'member' && old.node.status().state === 'connected' && old.node.status().lag === 0,
      'the old coordinator to rejoin as a member',
      20_000,
    );
    expect(old.node.status()).toMatchObject({ epoch: 2, coordinator: { name: 'Reception 2' } });
    expect(member.node.status().role).toBe('coordinator');
    await until(() => stateDigest(old.desk.db.raw).seq === stateDigest(member.desk.db.raw).seq, 'the same seq');
    expect(stateDigest(old.desk.db.raw)).toEqual(stateDigest(member.desk.db.raw));
    expect(old.desk.service.journal.verify().ok).toBe(true);
    expect(old.desk.service.audit.verify().ok).toBe(true);
    // Nothing silently overwritten either way: both hold the group's day (appt-1 as it was, appt-2 cancelled).
    for (const desk of [old, member]) {
      expect(desk.desk.service.mirror.appointment('appt-1')).toMatchObject({ status: 'booked', version: before.appt1 });
      expect(desk.desk.service.mirror.appointment('appt-2')?.status).toBe('cancelled');
    }
    // The group's trail says who took over and that the fenced desk came back.
    expect(groupAudit(member).map((d) => d.what)).toEqual(expect.arrayContaining(['take-over', 'member-rejoined']));
    expect(groupAudit(member).find((d) => d.what === 'member-rejoined')).toMatchObject({ name: 'Reception 1', after: 'fenced', epoch: 2 });

    const manager = await signInAt(old.node, accounts.manager);
    const review = await value<GroupReview>(old.node.dispatch('getGroupReview', {}, manager));
    expect(review.rejoinedAt).not.toBeNull();
    // Only what the old coordinator did after the take-over: the group held everything before it.
    expect(review.items.map((i) => i.appointmentId)).toEqual(['appt-1', 'appt-2']);
    const [appt1, appt2] = review.items;
    if (!appt1 || !appt2) throw new Error('items missing');
    expect(appt1).toMatchObject({ state: 'clean', deskStatus: 'arrived', groupStatus: 'booked', groupVersion: before.appt1 });
    expect(appt2).toMatchObject({ state: 'conflict', deskStatus: 'dna', groupStatus: 'cancelled' });
    expect(appt2.groupVersion).toBeGreaterThan(before.appt2);
    expect(old.node.status().reviewOpen).toBe(2);

    const applied = await value<GroupReview>(old.node.dispatch('resolveGroupReviewItem', { seq: appt1.seq, action: 'apply', groupVersion: before.appt1 }, manager));
    expect(applied.items.find((i) => i.seq === appt1.seq)).toMatchObject({ state: 'applied', decidedBy: accounts.manager.username });
    // Made by the new coordinator, on the group's journal, as the person who decided.
    expect(member.desk.service.mirror.appointment('appt-1')?.status).toBe('arrived');
    expect(member.desk.service.journal.list(0, 1000).at(-1)).toMatchObject({
      op: 'appointment.setStatus',
      entityId: 'appt-1',
      user: accounts.manager.username,
      desk: 'Reception 1',
    });
    await value(old.node.dispatch('resolveGroupReviewItem', { seq: appt2.seq, action: 'keep-group' }, manager));
    expect(member.desk.service.mirror.appointment('appt-2')?.status).toBe('cancelled');
    expect(old.node.status().reviewOpen).toBe(0);
    await until(() => stateDigest(old.desk.db.raw).seq === stateDigest(member.desk.db.raw).seq, 'the same seq after the review');
    expect(stateDigest(old.desk.db.raw)).toEqual(stateDigest(member.desk.db.raw));
  }, 90_000);
});

describe("where a fenced coordinator's day left the group's", () => {
  it('is the first journal and audit row its log captured after the seq the take-over began from', async () => {
    const desk = openTestDesk({ now });
    cleanups.push(() => desk.close());
    await createGroup(desk, { deskName: 'Reception 1' }, desk.context);
    const store = new GroupStore(desk.db);
    const auditNow = () => desk.service.audit.list({ limit: 100_000 }).at(-1)?.seq ?? 0;
    desk.service.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, desk.context);
    // The member that takes over holds this much.
    const takeOverSeq = replicatedSeq(desk.db.raw);
    const held = { journalSeq: desk.service.journal.lastSeq(), auditSeq: auditNow() };
    desk.service.setAppointmentStatus({ appointmentId: 'appt-2', status: 'arrived' }, desk.context);
    desk.service.setAppointmentStatus({ appointmentId: 'appt-3', status: 'dna' }, desk.context);
    expect(desk.service.journal.lastSeq()).toBeGreaterThan(held.journalSeq);
    expect(cutAtTakeOver(desk, takeOverSeq)).toEqual(held);

    // Fenced: capture stops, and what it still records (a sign-in's audit) is after every captured row.
    removeCapture(desk.db.raw);
    desk.service.recordAudit('group', { what: 'fenced' }, desk.context);
    const afterAll = cutAtTakeOver(desk, replicatedSeq(desk.db.raw));
    expect(afterAll.journalSeq).toBe(desk.service.journal.lastSeq());
    expect(afterAll.auditSeq).toBe(auditNow() - 1);

    keepCutOffWork(desk, store, cutAtTakeOver(desk, takeOverSeq), TEST_NOW);
    expect(reviewOf(desk.service, store).items.map((i) => [i.appointmentId, i.deskStatus])).toEqual([
      ['appt-2', 'arrived'],
      ['appt-3', 'dna'],
    ]);
  });
});
