/**
 * The group store: reads the group's status at once and every 5 s (on hand-fired timers: no real clock), and
 * each manager action calls its operation, shows the desk's refusal in its own words and reads the status again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskClient } from '../../renderer/src/api/client';
import { GROUP_POLL_MS, createGroupStore } from '../../renderer/src/group/group-store';
import { ManualTimers } from '../support/timers';
import { TEST_NOW } from '../support/clock';
import { FakeTransport, settle } from './doubles/transport';
import { STANDALONE, groupStatusOf, memberStatusOf } from './support/group';

const stops: Array<() => void> = [];
afterEach(() => {
  while (stops.length > 0) stops.pop()?.();
});

function storeOn(transport: FakeTransport, timers = new ManualTimers()) {
  return { store: createGroupStore(() => createDeskClient(transport), timers), timers };
}

describe('the group store', () => {
  it('reads the status at start and again 5 s after each answer, until stopped', async () => {
    const transport = new FakeTransport().answer('getGroupStatus', STANDALONE);
    const { store, timers } = storeOn(transport);
    const stop = store.getState().start();
    await timers.armed();
    expect(store.getState().status).toEqual(STANDALONE);
    expect(transport.callsOf('getGroupStatus')).toHaveLength(1);
    expect(timers.pending.map((t) => t.ms)).toEqual([GROUP_POLL_MS]);
    expect(GROUP_POLL_MS).toBe(5_000);

    transport.answer('getGroupStatus', groupStatusOf());
    timers.fire();
    await timers.armed();
    expect(transport.callsOf('getGroupStatus')).toHaveLength(2);
    expect(store.getState().status?.role).toBe('coordinator');

    stop();
    expect(timers.pending).toEqual([]);
    expect(store.getState().status).toBeNull();
  });

  it('keeps the last status when a read fails, and says why', async () => {
    const transport = new FakeTransport().answer('getGroupStatus', groupStatusOf());
    const { store } = storeOn(transport);
    await store.getState().refresh();
    transport.fail('getGroupStatus', { code: 'internal', message: 'the desk did not answer' });
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ status: { role: 'coordinator' }, readProblem: 'the desk did not answer' });
  });

  it('a pairing code: createPairingCode, the code kept for the screen, the status read again', async () => {
    const code = { code: 'K7QM-4TXD', expiresAt: TEST_NOW, address: '192.168.1.10:4781' };
    const transport = new FakeTransport().answer('createPairingCode', code).answer('getGroupStatus', groupStatusOf());
    const { store } = storeOn(transport);
    await store.getState().createPairingCode();
    expect(transport.calls.map((c) => c.name)).toEqual(['createPairingCode', 'getGroupStatus']);
    expect(store.getState()).toMatchObject({ pairing: code, busy: null, actionError: null });
  });

  it('removing a member: removeGroupMember by name, then the status', async () => {
    const after = groupStatusOf({ members: groupStatusOf().members.slice(0, 2) });
    const transport = new FakeTransport().answer('removeGroupMember', after).answer('getGroupStatus', after);
    const { store } = storeOn(transport);
    await store.getState().removeMember('Room 3');
    expect(transport.callsOf('removeGroupMember')).toEqual([{ name: 'Room 3' }]);
    expect(store.getState().status?.members.map((m) => m.name)).toEqual(['Reception 1', 'Reception 2']);
    expect(store.getState().done).toBe('Room 3 was removed from the group');
  });

  it('taking over: takeOverGroup with confirm, and its refusal shown in the desk’s words', async () => {
    const transport = new FakeTransport()
      .fail('takeOverGroup', { code: 'conflict', message: 'Reception 1 is still heard: take over only when the coordinator has gone quiet' })
      .answer('getGroupStatus', memberStatusOf());
    const { store } = storeOn(transport);
    await store.getState().takeOver();
    expect(transport.callsOf('takeOverGroup')).toEqual([{ confirm: true }]);
    expect(store.getState()).toMatchObject({ busy: null, actionError: 'Reception 1 is still heard: take over only when the coordinator has gone quiet', done: null });
    expect(transport.callsOf('getGroupStatus')).toHaveLength(1);
  });

  it('exporting the certificate: exportGroupCertificate, the file handed to the download', async () => {
    const file = { fileName: 'standby-desk-group-riverside-surgery.pem', contentType: 'application/x-pem-file', content: '-----BEGIN CERTIFICATE-----\n' };
    const transport = new FakeTransport().answer('exportGroupCertificate', file).answer('getGroupStatus', groupStatusOf());
    const { store } = storeOn(transport);
    const saved: unknown[] = [];
    await store.getState().exportCertificate((f) => saved.push(f));
    expect(transport.callsOf('exportGroupCertificate')).toEqual([{}]);
    expect(saved).toEqual([file]);
  });

  it('runs one action at a time', async () => {
    const transport = new FakeTransport().answer('getGroupStatus', groupStatusOf());
    const held = transport.hold('createPairingCode');
    const { store } = storeOn(transport);
    const first = store.getState().createPairingCode();
    await store.getState().createPairingCode();
    expect(store.getState().busy).toBe('pairing');
    held.release({ code: 'K7QM-4TXD', expiresAt: TEST_NOW, address: null });
    await first;
    await settle();
    expect(transport.callsOf('createPairingCode')).toHaveLength(1);
    expect(store.getState().busy).toBeNull();
  });
});
