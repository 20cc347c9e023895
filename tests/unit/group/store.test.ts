import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupStore, tokenHash, type GroupConfig } from '../../../electron/desk/group/store';
import { applyBatch, applySnapshot, batchSince, installCapture, replicatedSeq, takeSnapshot } from '../../../electron/desk/group/replica';
import { closeDatabase, openDatabase } from '../../../electron/desk/store/connection';
import { Db } from '../../../electron/desk/store/sql';
import { tempDir } from '../../support/fixtures';

const opened: BetterSqlite3.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) closeDatabase(db);
});

function open(file = path.join(tempDir(), 'desk.sqlite')): { raw: BetterSqlite3.Database; store: GroupStore; file: string } {
  const raw = openDatabase(file);
  opened.push(raw);
  return { raw, store: new GroupStore(new Db(raw)), file };
}

const config: GroupConfig = {
  groupId: 'grp-1',
  groupName: "St Mary's Surgery",
  role: 'coordinator',
  epoch: 3,
  memberId: 'mem-coord',
  deskName: 'Front desk 1',
  token: 'coordinator-device-credential',
  certPem: '-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n',
  keyPem: '-----BEGIN PRIVATE KEY-----\nTEST\n-----END PRIVATE KEY-----\n',
  fingerprint: 'AB:CD',
  coordinatorAddress: null,
  epochStartSeq: 120,
};

const AT = '2026-07-20T08:00:00.000Z';

describe('GroupStore', () => {
  it("keeps this desk's config and local values through a reopen of the encrypted file, and forgets them on leaving", () => {
    const first = open();
    expect(first.store.config()).toBeNull();
    first.store.setConfig(config);
    first.store.setLocal('pairing', 'hash-of-code');
    closeDatabase(first.raw);

    const again = open(first.file);
    expect(again.store.config()).toEqual(config);
    expect(again.store.local('pairing')).toBe('hash-of-code');
    again.store.setConfig({ ...config, role: 'member', coordinatorAddress: '192.0.2.10:7443' });
    expect(again.store.config()).toMatchObject({ role: 'member', coordinatorAddress: '192.0.2.10:7443' });
    again.store.setLocal('pairing', null);
    expect(again.store.local('pairing')).toBeNull();
    again.store.clearLocal();
    expect(again.store.config()).toBeNull();
  });

  it('lists members oldest first, finds one by name in any case, and keeps removed ones only when asked', () => {
    const { store } = open();
    store.addMember({ id: 'm2', name: 'Room 2', token: 't2', address: null, joinedAt: '2026-07-20T08:05:00.000Z' });
    store.addMember({ id: 'm1', name: 'Front desk 2', token: 't1', address: '192.0.2.11:7443', joinedAt: AT });
    expect(store.members().map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(store.memberByName('FRONT DESK 2')).toEqual({ id: 'm1', name: 'Front desk 2', address: '192.0.2.11:7443', joinedAt: AT, removedAt: null });
    store.setAddress('m2', '192.0.2.12:7443');
    expect(store.members()[1]?.address).toBe('192.0.2.12:7443');
    store.remove('m2', '2026-07-20T09:00:00.000Z');
    store.remove('m2', '2026-07-20T10:00:00.000Z');
    expect(store.members().map((m) => m.id)).toEqual(['m1']);
    expect(store.members({ includeRemoved: true })[1]).toMatchObject({ id: 'm2', removedAt: '2026-07-20T09:00:00.000Z' });
    expect(store.memberByName('room 2')).toBeNull();
  });

  it('authenticates the right credential only, of a current member, and keeps only its hash', () => {
    const { raw, store } = open();
    store.addMember({ id: 'm1', name: 'Front desk 2', token: 'device-credential-1', address: null, joinedAt: AT });
    store.addMember({ id: 'm2', name: 'Room 2', token: 'device-credential-2', address: null, joinedAt: AT });
    expect(store.authenticate('m1', 'device-credential-1')).toMatchObject({ id: 'm1', name: 'Front desk 2' });
    expect(store.authenticate('m1', 'device-credential-2')).toBeNull();
    expect(store.authenticate('m1', '')).toBeNull();
    expect(store.authenticate('nobody', 'device-credential-1')).toBeNull();
    store.remove('m1', AT);
    expect(store.authenticate('m1', 'device-credential-1')).toBeNull();
    expect(store.authenticate('m2', 'device-credential-2')).toMatchObject({ id: 'm2' });
    const kept = raw.prepare('SELECT token_hash FROM group_member ORDER BY id').pluck().all();
    expect(kept).toEqual([tokenHash('device-credential-1'), tokenHash('device-credential-2')]);
    expect(JSON.stringify(kept)).not.toContain('device-credential');
  });

  it("replicates the members to a follower, never this desk's own config", () => {
    const coordinator = open();
    installCapture(coordinator.raw);
    const member = open();
    applySnapshot(member.raw, takeSnapshot(coordinator.raw));
    member.store.setConfig({ ...config, role: 'member', memberId: 'm1', token: 'device-credential-1' });
    coordinator.store.setConfig(config);
    coordinator.store.addMember({ id: 'm1', name: 'Front desk 2', token: 'device-credential-1', address: null, joinedAt: AT });
    const batch = batchSince(coordinator.raw, replicatedSeq(member.raw));
    expect(batch?.changes.map((c) => c.table)).toEqual(['group_member']);
    if (batch) applyBatch(member.raw, batch);
    expect(member.store.authenticate('m1', 'device-credential-1')).toMatchObject({ id: 'm1' });
    expect(member.store.config()).toMatchObject({ role: 'member', memberId: 'm1' });
  });
});
