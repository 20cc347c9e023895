/**
 * The group store: reads the group's status at once and every 5 s (on hand-fired timers: no real clock), and
 * each manager action calls its operation, shows the desk's refusal in its own words and reads the status again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskClient } from '../../renderer/src/api/client';
import { GROUP_POLL_MS, createGroupStore, decidedMessage, openReviewCount, reviewReadWanted } from '../../renderer/src/group/group-store';
import { ManualTimers } from '../support/timers';
import { TEST_NOW } from '../support/clock';
import { FakeTransport, settle } from './doubles/transport';
import { CARRYING_ON_SINCE, REVIEW_ITEMS, STANDALONE, carryingOnStatusOf, groupStatusOf, memberStatusOf, reviewOf } from './support/group';

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

describe('the group store: carrying on alone, rejoining and the review', () => {
  it('carrying on alone: carryOnAlone with confirm, the status it answers, then the status read again', async () => {
    const alone = carryingOnStatusOf();
    const transport = new FakeTransport().answer('carryOnAlone', alone).answer('getGroupStatus', alone);
    const { store } = storeOn(transport);
    await store.getState().carryOnAlone();
    expect(transport.calls.map((c) => c.name)).toEqual(['carryOnAlone', 'getGroupStatus']);
    expect(transport.callsOf('carryOnAlone')).toEqual([{ confirm: true }]);
    expect(store.getState()).toMatchObject({ status: { carryingOnSince: CARRYING_ON_SINCE }, busy: null, actionError: null });
    expect(store.getState().done).toBe('This desk is carrying on alone: its changes are kept for review when it rejoins');
  });

  it('rejoining: rejoinGroup with confirm, the status, then the review it made', async () => {
    const back = memberStatusOf({ reviewOpen: 3 });
    const transport = new FakeTransport().answer('rejoinGroup', back).answer('getGroupStatus', back).answer('getGroupReview', reviewOf());
    const { store } = storeOn(transport);
    await store.getState().rejoinGroup();
    expect(transport.calls.map((c) => c.name)).toEqual(['rejoinGroup', 'getGroupStatus', 'getGroupReview']);
    expect(transport.callsOf('rejoinGroup')).toEqual([{ confirm: true }]);
    expect(store.getState().review?.items.map((i) => i.seq)).toEqual([4, 5, 6, 7]);
  });

  it('a refused rejoin: the desk’s words, the status read again, no review asked for', async () => {
    const transport = new FakeTransport()
      .fail('rejoinGroup', { code: 'conflict', message: 'Reception 1 cannot be reached: rejoin once the network is back' })
      .answer('getGroupStatus', carryingOnStatusOf());
    const { store } = storeOn(transport);
    await store.getState().rejoinGroup();
    expect(store.getState().actionError).toBe('Reception 1 cannot be reached: rejoin once the network is back');
    expect(transport.callsOf('getGroupReview')).toEqual([]);
  });

  it('reads the review; a failed read says why and keeps what was on screen', async () => {
    const transport = new FakeTransport().answer('getGroupReview', reviewOf());
    const { store } = storeOn(transport);
    await store.getState().refreshReview();
    expect(transport.callsOf('getGroupReview')).toEqual([{}]);
    expect(store.getState().review).toEqual(reviewOf());
    transport.fail('getGroupReview', { code: 'internal', message: 'the desk did not answer' });
    await store.getState().refreshReview();
    expect(store.getState()).toMatchObject({ review: reviewOf(), reviewProblem: 'the desk did not answer' });
  });

  it('a decision: resolveGroupReviewItem with its seq and action, the review it answers, the status read again', async () => {
    const after = reviewOf(REVIEW_ITEMS.map((i) => (i.seq === 4 ? { ...i, state: 'applied' as const, decidedBy: 'practice.manager', decidedAt: TEST_NOW } : i)));
    const transport = new FakeTransport()
      .answer('getGroupReview', reviewOf())
      .answer('resolveGroupReviewItem', after)
      .answer('getGroupStatus', memberStatusOf({ reviewOpen: 2 }));
    const { store } = storeOn(transport);
    await store.getState().refreshReview();
    await store.getState().resolveReviewItem(4, 'apply');
    expect(transport.calls.map((c) => c.name)).toEqual(['getGroupReview', 'resolveGroupReviewItem', 'getGroupStatus']);
    expect(transport.callsOf('resolveGroupReviewItem')).toEqual([{ seq: 4, action: 'apply', groupVersion: 3 }]);
    expect(store.getState()).toMatchObject({ review: after, status: { reviewOpen: 2 }, busy: null, done: "Amira Okafor: the desk's change was made in the group" });
    expect(openReviewCount(after)).toBe(2);
  });

  it('a refused decision: the desk’s words, and the review read again (what was on screen is stale)', async () => {
    const fresh = reviewOf(REVIEW_ITEMS.map((i) => (i.seq === 5 ? { ...i, groupStatus: 'left' } : i)));
    const transport = new FakeTransport()
      .answer('getGroupReview', reviewOf())
      .fail('resolveGroupReviewItem', { code: 'conflict', message: 'The group changed Bryn Tallis again: look at it once more' })
      .answer('getGroupStatus', memberStatusOf({ reviewOpen: 3 }));
    const { store } = storeOn(transport);
    await store.getState().refreshReview();
    transport.answer('getGroupReview', fresh);
    await store.getState().resolveReviewItem(5, 'apply');
    expect(transport.calls.map((c) => c.name)).toEqual(['getGroupReview', 'resolveGroupReviewItem', 'getGroupStatus', 'getGroupReview']);
    expect(store.getState()).toMatchObject({ review: fresh, actionError: 'The group changed Bryn Tallis again: look at it once more' });
  });

  it('a review read still on the wire when a decision answers does not overwrite it', async () => {
    const after = reviewOf(REVIEW_ITEMS.map((i) => (i.seq === 6 ? { ...i, state: 'keyed' as const, decidedBy: 'practice.manager', decidedAt: TEST_NOW } : i)));
    const transport = new FakeTransport().answer('resolveGroupReviewItem', after).answer('getGroupStatus', memberStatusOf({ reviewOpen: 2 }));
    const slow = transport.hold('getGroupReview');
    const { store } = storeOn(transport);
    const reading = store.getState().refreshReview();
    await store.getState().resolveReviewItem(6, 'keyed');
    slow.release(reviewOf());
    await reading;
    expect(store.getState().review).toEqual(after);
    // Named from the desk's answer: the review was not on screen yet when the decision was made.
    expect(store.getState().done).toBe('Carys Ambrose: marked as keyed');
  });

  it('names the patient, or the change, in what a decision did', () => {
    const [clean, conflict, byHand] = REVIEW_ITEMS;
    expect(decidedMessage(clean, 'apply')).toBe("Amira Okafor: the desk's change was made in the group");
    expect(decidedMessage(conflict, 'keep-group')).toBe("Bryn Tallis: the group's was kept");
    expect(decidedMessage(byHand && { ...byHand, patientName: null }, 'keyed')).toBe('Walk-in Carys Ambrose, urgent: marked as keyed');
  });

  it('the group screen reads the review for a manager when it opens, and again only when the count still open moves', () => {
    expect(reviewReadWanted(true, null, 0)).toBe(true);
    expect(reviewReadWanted(true, reviewOf(), 3)).toBe(false);
    expect(reviewReadWanted(true, reviewOf(), 2)).toBe(true);
    expect(reviewReadWanted(false, null, 3)).toBe(false);
    expect(reviewReadWanted(null, null, 3)).toBe(false);
  });

  it('forgets the review when the screen closes, and when stopped', async () => {
    const transport = new FakeTransport().answer('getGroupReview', reviewOf()).answer('getGroupStatus', memberStatusOf());
    const { store, timers } = storeOn(transport);
    await store.getState().refreshReview();
    store.getState().clearScreen();
    expect(store.getState().review).toBeNull();
    await store.getState().refreshReview();
    expect(store.getState().review).not.toBeNull();
    const stop = store.getState().start();
    await timers.armed();
    stop();
    expect(store.getState().review).toBeNull();
  });
});
