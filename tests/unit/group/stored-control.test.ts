/**
 * The group as the data folder last wrote it (no group link running): what it reports, what it refuses and how
 * the desk service hands the group's operations to it until a running link replaces it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupStatus, contract, type GroupStatus as GroupStatusValue } from '../../../shared/api';
import { AuditTrail } from '../../../electron/desk/audit/audit';
import type { GroupControl } from '../../../electron/desk/group/control';
import { StoredGroupControl } from '../../../electron/desk/group/stored-control';
import { replicatedSeq } from '../../../electron/desk/group/replica';
import { GroupStore, type GroupConfig } from '../../../electron/desk/group/store';
import { closeDatabase, databasePath, openDatabase } from '../../../electron/desk/store/connection';
import { Db } from '../../../electron/desk/store/sql';
import { MirrorStore } from '../../../electron/desk/store/mirror';
import { TEST_NOW } from '../../support/clock';
import { openTestDesk, tempDir } from '../../support/fixtures';

const ctx = { user: 'pm.jones', desk: 'reception-1' };
const clock = () => new Date(TEST_NOW);

const CERT = '-----BEGIN CERTIFICATE-----\nTUlJQ2Zha2UtdGVzdC1jZXJ0\n-----END CERTIFICATE-----\n';

function config(overrides: Partial<GroupConfig> = {}): GroupConfig {
  return {
    groupId: 'group-1',
    groupName: 'Riverside Surgery',
    role: 'coordinator',
    epoch: 3,
    memberId: 'm-rec1',
    deskName: 'Reception 1',
    token: 'test-token-not-a-secret',
    certPem: CERT,
    keyPem: '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n',
    fingerprint: 'AB:CD:EF:01',
    coordinatorAddress: null,
    epochStartSeq: 0,
    ...overrides,
  };
}

const opened: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const raw of opened.splice(0)) closeDatabase(raw);
});

/** A fresh, migrated data folder's database, with the control over it and the store to arrange it. */
function folder(seqOf?: () => number) {
  const raw = openDatabase(databasePath(tempDir()));
  opened.push(raw);
  const db = new Db(raw);
  const audit = new AuditTrail(db);
  const control = new StoredGroupControl({ db, audit, clock, seqOf: seqOf ?? (() => replicatedSeq(db.raw)), mirror: new MirrorStore(db) });
  return { db, audit, control, store: new GroupStore(db) };
}

function addDesks(store: GroupStore): void {
  store.addMember({ id: 'm-rec1', name: 'Reception 1', token: 't1', address: '192.168.1.10:4781', joinedAt: '2026-07-20T07:00:00.000Z' });
  store.addMember({ id: 'm-rec2', name: 'Reception 2', token: 't2', address: '192.168.1.11:4781', joinedAt: '2026-07-20T07:05:00.000Z' });
}

describe('StoredGroupControl: status from the folder', () => {
  it('a standalone folder is standalone and alone, with no members and its own seq', () => {
    const { control } = folder(() => 7);
    const status = GroupStatus.parse(control.status());
    expect(status).toMatchObject({ role: 'standalone', state: 'alone', groupName: null, thisDesk: null, members: [], coordinator: null, seq: 7, lag: 0 });
    expect(status.heldOnTwoPcs).toBe(false);
  });

  it("a coordinator's folder: its stored role, epoch, name and members, not running and nobody online", () => {
    const { control, store } = folder(() => 42);
    addDesks(store);
    store.setConfig(config());
    const status = GroupStatus.parse(control.status());
    expect(status).toMatchObject({
      role: 'coordinator',
      state: 'not-running',
      groupName: 'Riverside Surgery',
      thisDesk: 'Reception 1',
      epoch: 3,
      coordinator: { name: 'Reception 1', address: '192.168.1.10:4781' },
      seq: 42,
      lag: 0,
      heldOnTwoPcs: false,
      lastHeardAt: null,
      fingerprint: 'AB:CD:EF:01',
    });
    expect(status.members.map((m) => [m.name, m.coordinator, m.thisDesk, m.online, m.replicatedSeq])).toEqual([
      ['Reception 1', true, true, false, 42],
      ['Reception 2', false, false, false, 0],
    ]);
  });

  it("a member's folder names the coordinator by its last address; a removed member is not listed", () => {
    const { control, store } = folder();
    addDesks(store);
    store.addMember({ id: 'm-old', name: 'Old PC', token: 't3', address: null, joinedAt: '2026-07-20T07:10:00.000Z' });
    store.remove('m-old', '2026-07-20T08:00:00.000Z');
    store.setConfig(config({ role: 'member', memberId: 'm-rec2', deskName: 'Reception 2', coordinatorAddress: '192.168.1.10:4781' }));
    const status = control.status();
    expect(status).toMatchObject({ role: 'member', state: 'not-running', thisDesk: 'Reception 2', coordinator: { name: 'Reception 1' } });
    expect(status.members.map((m) => m.name)).toEqual(['Reception 1', 'Reception 2']);
    expect(status.members.find((m) => m.thisDesk)?.name).toBe('Reception 2');
  });

  it('a fenced folder keeps its role (another desk took over); no link runs, so not-running', () => {
    const { control, store } = folder();
    store.setConfig(config({ role: 'fenced' }));
    expect(control.status()).toMatchObject({ role: 'fenced', state: 'not-running', coordinator: null });
  });
});

describe('StoredGroupControl: what needs a running link', () => {
  it.each([
    ['createPairingCode', (c: GroupControl) => c.createPairingCode(ctx)],
    ['removeMember', (c: GroupControl) => c.removeMember('Reception 2', ctx)],
    ['takeOver', (c: GroupControl) => c.takeOver(ctx)],
  ] as const)('%s is refused as a conflict that says how to start the link', (_name, call) => {
    const { control, store } = folder();
    addDesks(store);
    store.setConfig(config());
    expect(() => call(control)).toThrow(expect.objectContaining({ code: 'conflict', message: expect.stringContaining('standby-desk serve') }) as Error);
    expect(store.members().map((m) => m.name)).toEqual(['Reception 1', 'Reception 2']);
  });

  it('exports the stored certificate and audits the export', () => {
    const { control, store, audit } = folder();
    store.setConfig(config());
    const file = control.exportCertificate(ctx);
    expect(file).toEqual({ fileName: 'standby-desk-group-riverside-surgery.pem', contentType: 'application/x-pem-file', content: CERT });
    const entries = audit.list({ kind: 'export' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ at: TEST_NOW, user: 'pm.jones', desk: 'reception-1', kind: 'export', detail: { what: 'group-certificate', fingerprint: 'AB:CD:EF:01' } });
  });

  it('a standalone folder has no certificate to export, and nothing is audited', () => {
    const { control, audit } = folder();
    expect(() => control.exportCertificate(ctx)).toThrow(expect.objectContaining({ code: 'not_found' }) as Error);
    expect(audit.list({ kind: 'export' })).toEqual([]);
  });
});

describe('the desk service and the group control', () => {
  it('answers the group operations from the stored control, then from the one set by the running link', () => {
    const desk = openTestDesk({ now: clock });
    const status = desk.dispatch('getGroupStatus', {}, ctx);
    expect(status.ok && (status.value as GroupStatusValue).role).toBe('standalone');
    expect(() => desk.service.handlers().exportGroupCertificate({}, ctx)).toThrow(expect.objectContaining({ code: 'not_found' }) as Error);

    const calls: string[] = [];
    const running: GroupStatusValue = { ...contract.getGroupStatus.output.parse(desk.service.group.status()), role: 'coordinator', state: 'connected', heldOnTwoPcs: true };
    desk.service.setGroupControl({
      status: () => running,
      createPairingCode: () => (calls.push('pair'), { code: 'K7QM-4TXD', expiresAt: TEST_NOW, address: null }),
      removeMember: (name) => (calls.push(`remove ${name}`), running),
      takeOver: () => (calls.push('take over'), running),
      exportCertificate: () => (calls.push('export'), { fileName: 'g.pem', contentType: 'application/x-pem-file', content: CERT }),
      carryOnAlone: () => (calls.push('carry on'), running),
      rejoin: () => (calls.push('rejoin'), running),
      review: () => (calls.push('review'), { rejoinedAt: null, items: [] }),
      resolveReviewItem: (seq, action) => (calls.push(`${action} ${seq}`), { rejoinedAt: null, items: [] }),
    });
    const handlers = desk.service.handlers();
    expect(handlers.getGroupStatus({}, ctx)).toMatchObject({ role: 'coordinator', state: 'connected' });
    handlers.createPairingCode({}, ctx);
    handlers.removeGroupMember({ name: 'Reception 2' }, ctx);
    handlers.takeOverGroup({ confirm: true }, ctx);
    handlers.exportGroupCertificate({}, ctx);
    handlers.carryOnAlone({ confirm: true }, ctx);
    handlers.rejoinGroup({ confirm: true }, ctx);
    handlers.getGroupReview({}, ctx);
    handlers.resolveGroupReviewItem({ seq: 4, action: 'keep-group' }, ctx);
    expect(calls).toEqual(['pair', 'remove Reception 2', 'take over', 'export', 'carry on', 'rejoin', 'review', 'keep-group 4']);
    desk.close();
  });
});
