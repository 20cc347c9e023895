/**
 * The desk group in one process: a coordinator and members, each a real desk on its own encrypted data folder,
 * linked over real TLS 1.3 on loopback. What a person is told at any desk must hold at every desk.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DeskEvent } from '../../../shared/api';
import { GroupNode } from '../../../electron/desk/group/node';
import { GroupStore } from '../../../electron/desk/group/store';
import { stateDigest } from '../../../electron/desk/group/replica';
import { hello, GroupRequestError } from '../../../electron/desk/group/requests';
import { credentialHeader, LINK_PATH } from '../../../electron/desk/group/protocol';
import { makeGroupCertificate, pinnedWebSocketOptions } from '../../../electron/desk/group/tls';
import { joinGroup } from '../../../electron/desk/group/admin';
import { openDesk } from '../../../electron/desk/open';
import { TEST_NOW } from '../../support/clock';
import { smallBook, TEST_SCRYPT_COST, tempDir } from '../../support/fixtures';
import { addMember, signInAt, startGroup, until, type TestGroup } from '../../support/group';

const now = () => new Date(TEST_NOW);
let group: TestGroup | null = null;

afterEach(async () => {
  await group?.close();
  group = null;
});

function digestsOf(g: TestGroup): string[] {
  return [g.coordinator, ...g.members].map((d) => stateDigest(d.desk.db.raw).digest);
}

describe('a desk group on one PC', () => {
  it('a member that joins holds the whole day, and its chains verify', async () => {
    group = await startGroup(1, now);
    const [member] = group.members;
    if (!member) throw new Error('no member');
    expect(stateDigest(member.desk.db.raw)).toEqual(stateDigest(group.coordinator.desk.db.raw));
    expect(member.desk.service.journal.verify().ok).toBe(true);
    expect(member.desk.service.audit.verify().ok).toBe(true);
    expect(member.desk.service.getDay('2026-07-20', null).appointments.length).toBe(group.coordinator.desk.service.getDay('2026-07-20', null).appointments.length);
    // The join is in the audit trail, at the coordinator and (replicated) at the member.
    const joins = member.desk.service.audit.list({ kind: 'group', limit: 50 }).filter((e) => (e.detail as { what?: string }).what === 'member-joined');
    expect(joins.map((e) => (e.detail as { name: string }).name)).toEqual(['Reception 2']);
  });

  it('a change made at a member is carried out by the coordinator and is on both PCs when answered', async () => {
    group = await startGroup(2, now);
    const [m1, m2] = group.members;
    if (!m1 || !m2) throw new Error('no members');
    const seen: DeskEvent[] = [];
    m2.desk.onEvent((e) => seen.push(e));
    const ctx = await signInAt(m1.node, group.accounts.receptionist);
    const result = await m1.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, ctx);
    expect(result.ok).toBe(true);
    // Answered only once this desk's copy holds it (read-your-writes) and a member holds it (two PCs).
    expect(m1.desk.service.mirror.appointment('appt-1')?.status).toBe('arrived');
    expect(group.coordinator.desk.service.mirror.appointment('appt-1')?.status).toBe('arrived');
    const entry = group.coordinator.desk.service.journal.list(0, 1000).at(-1);
    expect(entry).toMatchObject({ op: 'appointment.setStatus', desk: 'Reception 2', user: group.accounts.receptionist.username });
    await until(() => m2.desk.service.mirror.appointment('appt-1')?.status === 'arrived', 'the other member to follow');
    await until(() => seen.some((e) => e.kind === 'appointment.changed'), 'the event to reach the other member');
    await until(() => new Set(digestsOf(group as TestGroup)).size === 1, 'every desk to hold the same state');
    expect(group.coordinator.node.status()).toMatchObject({ role: 'coordinator', state: 'connected', heldOnTwoPcs: true });
  });

  it('one writer: two members booking the last change to one appointment cannot both win', async () => {
    group = await startGroup(2, now);
    const [m1, m2] = group.members;
    if (!m1 || !m2) throw new Error('no members');
    const a = await signInAt(m1.node, group.accounts.receptionist);
    const b = await signInAt(m2.node, group.accounts.manager);
    const version = group.coordinator.desk.service.mirror.appointment('appt-2')?.version ?? -1;
    const [r1, r2] = await Promise.all([
      m1.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: version }, a),
      m2.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'cancelled', expectedVersion: version, reason: 'Patient phoned' }, b),
    ]);
    expect([r1.ok, r2.ok].filter(Boolean)).toHaveLength(1);
    const loser = r1.ok ? r2 : r1;
    expect(loser.ok ? null : loser.error.code).toBe('conflict');
  });

  it('with no member connected a change still succeeds, and the status says only this PC holds it', async () => {
    group = await startGroup(1, now);
    const [member] = group.members;
    if (!member) throw new Error('no member');
    await member.node.close();
    await until(() => group?.coordinator.node.status().state === 'alone', 'the coordinator to notice');
    const ctx = await signInAt(group.coordinator.node, group.accounts.receptionist);
    const result = await group.coordinator.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, ctx);
    expect(result.ok).toBe(true);
    expect(group.coordinator.node.status().heldOnTwoPcs).toBe(false);
    // It restarts and catches up from the seq it holds.
    member.node = await GroupNode.start({ desk: member.desk, host: '127.0.0.1', port: 0 });
    await until(() => member.desk.service.mirror.appointment('appt-1')?.status === 'arrived', 'the member to catch up');
    expect(stateDigest(member.desk.db.raw)).toEqual(stateDigest(group.coordinator.desk.db.raw));
  });

  it('a member whose copy cannot take a batch asks for the whole day again, and ends equal', async () => {
    group = await startGroup(1, now);
    const [member] = group.members;
    if (!member) throw new Error('no member');
    // A copy that differs from the coordinator's (by hand, as damage would): the next book's new clinician clashes.
    member.desk.db.raw.prepare("INSERT INTO clinician (rowid, id, name, role, room) VALUES (1000, 'clin-new', 'Dr Clash', 'gp', NULL)").run();
    const book = smallBook();
    group.coordinator.desk.service.loadBook(
      { ...book, clinicians: [...book.clinicians, { id: 'clin-new', name: 'Dr Nadia New', role: 'gp', room: 'Room 9' }] },
      'refresh',
      group.coordinator.desk.context,
    );
    await until(() => stateDigest(member.desk.db.raw).seq === stateDigest(group?.coordinator.desk.db.raw ?? member.desk.db.raw).seq, 'the member to catch up', 15_000);
    expect(stateDigest(member.desk.db.raw)).toEqual(stateDigest(group.coordinator.desk.db.raw));
    expect(member.desk.db.raw.prepare("SELECT name FROM clinician WHERE id = 'clin-new'").get()).toEqual({ name: 'Dr Nadia New' });
  });

  it('a member refuses changes while its coordinator is lost, and reads from its own copy', async () => {
    group = await startGroup(1, now);
    const [member] = group.members;
    if (!member) throw new Error('no member');
    const ctx = await signInAt(member.node, group.accounts.receptionist);
    await group.coordinator.node.close();
    await until(() => member.node.status().state === 'coordinator-lost', 'the member to notice', 10_000);
    const change = await member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, ctx);
    expect(change.ok ? null : change.error.code).toBe('unavailable');
    const day = await member.node.dispatch('getDay', { date: '2026-07-20' }, ctx);
    expect(day.ok).toBe(true);
    const session = await member.node.dispatch('getSession', {}, ctx);
    expect(session.ok && (session.value as { signedIn: boolean }).signedIn).toBe(true);
  }, 20_000);

  it("a public operation this desk answers runs with nobody's rights when nobody is signed in here, and a manager's once one is", async () => {
    group = await startGroup(1, now);
    const [member] = group.members;
    if (!member) throw new Error('no member');
    const folder = { dir: tempDir('member-check-'), purpose: 'pack' } as const;
    // A browser at the member with no session: the set-up's folder check is a manager's once accounts exist.
    const nobody = { user: 'browser', desk: 'browser', sessionId: randomBytes(32).toString('base64url') };
    const refused = await member.node.dispatch('checkFolder', folder, nobody);
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');
    // Nor may it send the practice's kept FHIR token to an address of its choosing.
    const test = await member.node.dispatch('testFhirConnection', { url: 'http://127.0.0.1:9/fhir' }, nobody);
    expect(test.ok ? null : test.error.code).toBe('forbidden');
    const receptionist = await signInAt(member.node, group.accounts.receptionist);
    const notTheirs = await member.node.dispatch('checkFolder', folder, receptionist);
    expect(notTheirs.ok ? null : notTheirs.error.code).toBe('forbidden');
    const manager = await signInAt(member.node, group.accounts.manager);
    const checked = await member.node.dispatch('checkFolder', folder, manager);
    expect(checked.ok && (checked.value as { writable: boolean }).writable).toBe(true);
  });

  it('take-over: a member becomes coordinator with the next epoch, the other follows it, the old one is fenced and rejoins as a member', async () => {
    group = await startGroup(2, now);
    const [m1, m2] = group.members;
    if (!m1 || !m2) throw new Error('no members');
    const manager = await signInAt(m1.node, group.accounts.manager);
    const refused = await m1.node.dispatch('takeOverGroup', { confirm: true }, manager);
    expect(refused.ok ? null : refused.error.code).toBe('conflict');
    const old = group.coordinator;
    await old.node.close();
    await until(() => m1.node.status().state === 'coordinator-lost', 'the coordinator to be missed', 10_000);
    const taken = await m1.node.dispatch('takeOverGroup', { confirm: true }, manager);
    expect(taken.ok).toBe(true);
    await until(() => m1.node.status().role === 'coordinator', 'm1 to coordinate');
    expect(m1.node.status().epoch).toBe(2);
    await until(() => m2.node.status().state === 'connected' && m2.node.status().coordinator?.name === 'Reception 2', 'm2 to follow the new coordinator', 15_000);
    const ctx = await signInAt(m2.node, group.accounts.receptionist);
    const change = await m2.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, ctx);
    expect(change.ok).toBe(true);
    expect(m1.desk.service.mirror.appointment('appt-1')?.status).toBe('arrived');
    // The old coordinator comes back from the same folder: it finds the higher epoch, is fenced, and follows the
    // desk that took over. It made nothing after the take-over, so nothing is for review.
    old.node = await GroupNode.start({ desk: old.desk, host: '127.0.0.1', port: 0 });
    await until(
      () => old.node.status().role === 'member' && old.node.status().state === 'connected' && old.node.status().lag === 0,
      'the old coordinator to rejoin as a member',
      15_000,
    );
    expect(old.node.status()).toMatchObject({ epoch: 2, coordinator: { name: 'Reception 2' }, reviewOpen: 0 });
    expect(old.desk.service.mirror.appointment('appt-1')?.status).toBe('arrived');
    // A change asked there is carried out by the new coordinator, never written on its own copy alone.
    const oldCtx = await signInAt(old.node, group.accounts.receptionist);
    await expect(old.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived' }, oldCtx)).resolves.toMatchObject({ ok: true });
    expect(m1.desk.service.mirror.appointment('appt-2')?.status).toBe('arrived');
    const trail = m1.desk.service.audit.list({ kind: 'group', limit: 50 }).map((e) => e.detail as { what?: string; after?: string; name?: string });
    expect(trail.some((d) => d.what === 'take-over')).toBe(true);
    expect(trail.find((d) => d.what === 'member-rejoined')).toMatchObject({ name: 'Reception 1', after: 'fenced' });
    await until(() => new Set(digestsOf(group as TestGroup)).size === 1, 'every desk to hold the same state');
  }, 40_000);
});

describe('only the group gets in', () => {
  it('an unpaired desk, a wrong certificate and a removed member are refused', async () => {
    group = await startGroup(1, now);
    const address = group.coordinator.node.address() ?? '';
    const config = new GroupStore(group.coordinator.desk.db).config();
    if (!config) throw new Error('no config');
    const stranger = { memberId: 'not-a-member', token: randomBytes(32).toString('base64url') };
    await expect(hello(address, config.certPem, stranger)).rejects.toMatchObject({ status: 401 });
    const other = await makeGroupCertificate('Another practice', now());
    await expect(hello(address, other.certPem, { memberId: config.memberId, token: config.token })).rejects.toBeInstanceOf(GroupRequestError);
    const link = new WebSocket(`wss://${address}${LINK_PATH}?from=0&epoch=1`, {
      ...pinnedWebSocketOptions(config.certPem),
      headers: { authorization: credentialHeader(stranger.memberId, stranger.token) },
    });
    const refusedWith = await new Promise<number | string>((resolve) => {
      link.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      link.on('open', () => resolve('open'));
      link.on('error', (e) => resolve(e.message));
    });
    expect(refusedWith).toBe(401);

    const [member] = group.members;
    if (!member) throw new Error('no member');
    const memberConfig = new GroupStore(member.desk.db).config();
    if (!memberConfig) throw new Error('no member config');
    group.coordinator.node.removeMember('Reception 2', group.coordinator.desk.context);
    await expect(hello(address, config.certPem, { memberId: memberConfig.memberId, token: memberConfig.token })).rejects.toMatchObject({ status: 401 });
    await until(() => member.node.status().state !== 'connected', 'the removed member to be cut off', 10_000);
  }, 20_000);

  it('five wrong pairing codes void the code; the right one then fails too', async () => {
    group = await startGroup(0, now);
    const address = group.coordinator.node.address() ?? '';
    const { code } = group.coordinator.node.createPairingCode(group.coordinator.desk.context);
    const wrong = code.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    for (let i = 0; i < 5; i++) {
      const dir = tempDir();
      const desk = openDesk({ dataDir: dir, clock: now, scryptCost: { ...TEST_SCRYPT_COST } });
      await expect(joinGroup(desk, { address, code: wrong, deskName: `Guess ${i}` })).rejects.toMatchObject({ status: i < 4 ? 403 : 429 });
      desk.close();
    }
    const desk = openDesk({ dataDir: tempDir(), clock: now, scryptCost: { ...TEST_SCRYPT_COST } });
    await expect(joinGroup(desk, { address, code, deskName: 'Reception 9' })).rejects.toThrow(/no longer works/);
    desk.close();
    expect(new GroupStore(group.coordinator.desk.db).members().map((m) => m.name)).toEqual(['Reception 1']);
  });

  it('a desk that already holds a day of its own is not joined over', async () => {
    group = await startGroup(0, now);
    const address = group.coordinator.node.address() ?? '';
    const { code } = group.coordinator.node.createPairingCode(group.coordinator.desk.context);
    const busy = (await import('../../support/fixtures')).openTestDesk({ now });
    await expect(joinGroup(busy, { address, code, deskName: 'Reception 5' })).rejects.toThrow(/already holds a day/);
    // Refused before anything was stored: it is still a desk on its own.
    expect(new GroupStore(busy.db).config()).toBeNull();
    busy.close();
    const fresh = await addMember(group.coordinator, 'Reception 6', now);
    group.members.push(fresh);
    expect(fresh.node.status().state).toBe('connected');
  });
});
