/**
 * The manager's group screen: what it shows (the group, this desk, the members, the fingerprint to read aloud)
 * and which operation each of its buttons calls. Rendered without a page: GroupScreenBody is plain elements,
 * so its buttons are pressed by calling their handlers, wired to a real group store on the transport double.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { GroupReview, GroupStatus, PairingCode } from '../../shared/api';
import { createDeskClient } from '../../renderer/src/api/client';
import { GroupScreenBody, type GroupScreenProps, type GroupStep } from '../../renderer/src/group/GroupScreen';
import { createGroupStore, type GroupAction } from '../../renderer/src/group/group-store';
import { ManualTimers } from '../support/timers';
import { FakeTransport, settle } from './doubles/transport';
import { STANDALONE, carryingOnStatusOf, findByTestId, groupStatusOf, memberStatusOf, press, reviewItemOf, reviewOf } from './support/group';

const PEM = { fileName: 'standby-desk-group-riverside-surgery.pem', contentType: 'application/x-pem-file', content: '-----BEGIN CERTIFICATE-----\n' };

interface ScreenOptions {
  isManager?: boolean | null;
  step?: GroupStep;
  pairing?: PairingCode | null;
  actionError?: string | null;
  review?: GroupReview | null;
  reviewProblem?: string | null;
  busy?: GroupAction | null;
}

/** The screen over a real group store on the double; `steps` records where a button moved the screen. */
function screen(status: GroupStatus, options: ScreenOptions = {}) {
  const review = options.review ?? null;
  const transport = new FakeTransport()
    .answer('getGroupStatus', status)
    .answer('createPairingCode', { code: 'K7QM-4TXD', expiresAt: '2026-07-20T09:40:00.000Z', address: '192.168.1.10:4781' })
    .answer('removeGroupMember', status)
    .answer('takeOverGroup', status)
    .answer('carryOnAlone', status)
    .answer('rejoinGroup', status)
    .answer('getGroupReview', review ?? reviewOf([], null))
    .answer('resolveGroupReviewItem', review ?? reviewOf([], null))
    .answer('exportGroupCertificate', PEM);
  const store = createGroupStore(() => createDeskClient(transport), new ManualTimers());
  const steps: GroupStep[] = [];
  const saved: unknown[] = [];
  const props: GroupScreenProps = {
    status,
    readProblem: null,
    isManager: options.isManager === undefined ? true : options.isManager,
    pairing: options.pairing ?? null,
    busy: options.busy ?? null,
    actionError: options.actionError ?? null,
    done: null,
    review,
    reviewProblem: options.reviewProblem ?? null,
    step: options.step ?? null,
    onStep: (step) => steps.push(step),
    actions: {
      createPairingCode: () => void store.getState().createPairingCode(),
      removeMember: (name) => void store.getState().removeMember(name),
      takeOver: () => void store.getState().takeOver(),
      carryOnAlone: () => void store.getState().carryOnAlone(),
      rejoinGroup: () => void store.getState().rejoinGroup(),
      resolveReviewItem: (seq, action) => void store.getState().resolveReviewItem(seq, action),
      exportCertificate: () => void store.getState().exportCertificate((file) => saved.push(file)),
    },
  };
  const tree = GroupScreenBody(props);
  return { tree, html: renderToStaticMarkup(tree), transport, steps, saved };
}

const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();

describe('the group screen', () => {
  it('shows the group, this desk, its role, the epoch, the coordinator and the fingerprint in groups of four', () => {
    const { html } = screen(memberStatusOf());
    const text = textOf(html);
    expect(text).toContain('Group Riverside Surgery');
    expect(text).toContain('This desk Reception 2');
    expect(text).toContain('Role Member of Riverside Surgery');
    expect(text).toContain('Epoch 2');
    expect(text).toContain('Coordinator Reception 1 (192.168.1.10:4781), last heard 10:30');
    expect(text).toContain('116 (4 behind the coordinator)');
    expect(text).toContain('3A7F 00C2 19BE 44D0 8E71 5C2A 90EE 136B');
  });

  it('lists the members: name, coordinator, online, last seen, changes held, this desk', () => {
    const { html } = screen(groupStatusOf());
    const rows = [...html.matchAll(/<tr data-testid="group-member"[^>]*>(.*?)<\/tr>/g)].map((m) => textOf(m[1] ?? ''));
    expect(rows).toEqual(['Reception 1 Coordinator Online 10:30 120 This desk', 'Reception 2 Online 10:30 120', 'Room 3 Offline 10:12 97']);
    expect(html).toContain('<th scope="col">Last seen</th>');
  });

  it('Show pairing code calls createPairingCode; the code shows large with its expiry and address', async () => {
    const { tree, transport } = screen(groupStatusOf());
    press(tree, 'group-pairing');
    await settle();
    expect(transport.callsOf('createPairingCode')).toEqual([{}]);
    const shown = screen(groupStatusOf(), { pairing: { code: 'K7QM-4TXD', expiresAt: '2026-07-20T09:40:00.000Z', address: '192.168.1.10:4781' } });
    expect(findByTestId(shown.tree, 'group-pairing-code')).not.toBeNull();
    expect(textOf(shown.html)).toContain('K7QM-4TXD Valid until 10:40');
    expect(textOf(shown.html)).toContain('standby-desk group join 192.168.1.10:4781 --code K7QM-4TXD --name NAME');
  });

  it('Remove member asks which desk first (never this desk), then removeGroupMember with that name', async () => {
    const main = screen(groupStatusOf());
    press(main.tree, 'group-remove');
    expect(main.steps).toEqual([{ kind: 'remove', name: 'Reception 2' }]);
    expect(main.transport.callsOf('removeGroupMember')).toEqual([]);

    const asking = screen(groupStatusOf(), { step: { kind: 'remove', name: 'Room 3' } });
    const choices = [...asking.html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    expect(choices).toEqual(['Reception 2', 'Room 3']);
    expect(textOf(asking.html)).toContain('Remove Room 3');
    press(asking.tree, 'group-remove-confirm');
    await settle();
    expect(asking.transport.callsOf('removeGroupMember')).toEqual([{ name: 'Room 3' }]);
    press(asking.tree, 'group-step-cancel');
    expect(asking.steps).toEqual([null]);
  });

  it('Take over is offered only on a member, explains itself, and calls takeOverGroup with confirm once confirmed', async () => {
    expect(findByTestId(screen(groupStatusOf()).tree, 'group-take-over')).toBeNull();
    const main = screen(memberStatusOf({ state: 'coordinator-lost' }));
    expect(findByTestId(main.tree, 'group-pairing')).toBeNull();
    expect(findByTestId(main.tree, 'group-remove')).toBeNull();
    press(main.tree, 'group-take-over');
    expect(main.steps).toEqual([{ kind: 'take-over' }]);
    expect(main.transport.callsOf('takeOverGroup')).toEqual([]);

    const asking = screen(memberStatusOf({ state: 'coordinator-lost' }), { step: { kind: 'take-over' } });
    expect(textOf(asking.html)).toContain('This desk (Reception 2) becomes the coordinator, from the changes it holds, with a new epoch (3)');
    expect(findByTestId(asking.tree, 'group-take-over-heard')).toBeNull();
    press(asking.tree, 'group-take-over-confirm');
    await settle();
    expect(asking.transport.callsOf('takeOverGroup')).toEqual([{ confirm: true }]);
  });

  it('warns, before take-over, that the desk refuses while the coordinator is still heard', () => {
    const asking = screen(memberStatusOf(), { step: { kind: 'take-over' } });
    expect(textOf(asking.html)).toContain('Reception 1 is still heard: the desk will refuse to take over while it answers.');
  });

  it('Export certificate calls exportGroupCertificate and hands the PEM to the download', async () => {
    const { tree, transport, saved } = screen(memberStatusOf());
    press(tree, 'group-export');
    await settle();
    expect(transport.callsOf('exportGroupCertificate')).toEqual([{}]);
    expect(saved).toEqual([PEM]);
  });

  it('shows the desk’s refusal in its own words', () => {
    const { html } = screen(groupStatusOf(), { actionError: 'No group link runs here: start it with standby-desk serve' });
    expect(html).toContain('role="alert"');
    expect(textOf(html)).toContain('No group link runs here: start it with standby-desk serve');
  });

  it('offers no action to anyone but a practice manager, and none until the session is known', () => {
    const receptionist = screen(groupStatusOf(), { isManager: false });
    for (const id of ['group-pairing', 'group-remove', 'group-take-over', 'group-export']) expect(findByTestId(receptionist.tree, id)).toBeNull();
    expect(findByTestId(receptionist.tree, 'group-manager-only')).not.toBeNull();
    const unknown = screen(groupStatusOf(), { isManager: null });
    expect(findByTestId(unknown.tree, 'group-pairing')).toBeNull();
    expect(findByTestId(unknown.tree, 'group-manager-only')).toBeNull();
    expect(findByTestId(screen(groupStatusOf()).tree, 'group-members')).not.toBeNull();
  });

  it('on a standalone desk, says so and how a group is started', () => {
    const { tree, html } = screen(STANDALONE);
    expect(findByTestId(tree, 'group-standalone')).not.toBeNull();
    expect(textOf(html)).toContain('standby-desk group create --name NAME');
    expect(findByTestId(tree, 'group-pairing')).toBeNull();
  });

  it('shows the red warning on screen too (fenced)', () => {
    const { html } = screen(groupStatusOf({ role: 'fenced', state: 'fenced', heldOnTwoPcs: false }));
    expect(textOf(html)).toContain('Another desk took over: this desk changes nothing');
  });
});

/** The rows of the review table as read: each cell's text, in order. */
function reviewRows(html: string): string[] {
  return [...html.matchAll(/<tr class="group-review__item[^"]*"[^>]*>(.*?)<\/tr>/g)].map((m) => textOf(m[1] ?? ''));
}

/** The accessible name of the button with this data-testid. */
function nameOf(tree: ReturnType<typeof screen>['tree'], testId: string): unknown {
  return findByTestId(tree, testId)?.props['aria-label'];
}

describe('carrying on alone and rejoining', () => {
  it('Carry on alone is offered only on a member that lost its coordinator and is not carrying on already, after Take over', () => {
    const lost = screen(memberStatusOf({ state: 'coordinator-lost' }));
    const labels = [...lost.html.matchAll(/<button[^>]*data-testid="(group-[a-z-]+)"/g)].map((m) => m[1]);
    expect(labels).toEqual(['group-export', 'group-take-over', 'group-carry-on']);
    expect(findByTestId(lost.tree, 'group-carry-on')?.props.children).toBe('Carry on alone…');
    for (const status of [memberStatusOf(), memberStatusOf({ state: 'connecting' }), groupStatusOf(), groupStatusOf({ role: 'fenced', state: 'fenced' }), carryingOnStatusOf()]) {
      expect(findByTestId(screen(status).tree, 'group-carry-on')).toBeNull();
    }
  });

  it('Carry on alone asks first, saying plainly what it means, then calls carryOnAlone with confirm', async () => {
    const main = screen(memberStatusOf({ state: 'coordinator-lost' }));
    press(main.tree, 'group-carry-on');
    expect(main.steps).toEqual([{ kind: 'carry-on' }]);
    expect(main.transport.callsOf('carryOnAlone')).toEqual([]);

    const asking = screen(memberStatusOf({ state: 'coordinator-lost' }), { step: { kind: 'carry-on' } });
    const text = textOf(asking.html);
    expect(text).toContain(
      'The coordinator cannot be reached. This desk will make changes on its own copy; they are kept and shown for review when it rejoins the group. Other desks will not see them until then.',
    );
    expect(text).toContain('Only if the network is down and nobody can take over.');
    expect(findByTestId(asking.tree, 'group-carry-on-heard')).toBeNull();
    expect(findByTestId(asking.tree, 'group-take-over')).toBeNull();
    const confirm = findByTestId(asking.tree, 'group-carry-on-confirm');
    expect(confirm?.props['data-autofocus']).toBe('');
    expect(confirm?.props['aria-describedby']).toBe('group-carry-on-what');
    press(asking.tree, 'group-carry-on-confirm');
    await settle();
    expect(asking.transport.callsOf('carryOnAlone')).toEqual([{ confirm: true }]);
    press(asking.tree, 'group-step-cancel');
    expect(asking.steps).toEqual([null]);
  });

  it('warns in the question when the coordinator is heard again meanwhile', () => {
    const asking = screen(memberStatusOf(), { step: { kind: 'carry-on' } });
    expect(textOf(asking.html)).toContain('Reception 1 is heard again: this desk can follow the group as it is, without carrying on alone.');
  });

  it('while carrying on: says since when (London time), offers Rejoin and neither Take over nor Carry on alone', () => {
    const { tree, html } = screen(carryingOnStatusOf());
    const text = textOf(html);
    expect(text).toContain('Carrying on alone since 10:14 (London time).');
    expect(text).toContain('Working alone since 10:14 — changes here are not on other PCs');
    expect(html).toContain('class="group-screen__error" data-testid="group-screen-warning"');
    expect(findByTestId(tree, 'group-take-over')).toBeNull();
    expect(findByTestId(tree, 'group-carry-on')).toBeNull();
    expect(findByTestId(tree, 'group-rejoin')?.props.children).toBe('Rejoin the group…');
    expect(findByTestId(screen(memberStatusOf({ state: 'coordinator-lost' })).tree, 'group-rejoin')).toBeNull();
  });

  it('Rejoin asks first, then calls rejoinGroup with confirm', async () => {
    const main = screen(carryingOnStatusOf());
    press(main.tree, 'group-rejoin');
    expect(main.steps).toEqual([{ kind: 'rejoin' }]);
    expect(main.transport.callsOf('rejoinGroup')).toEqual([]);

    const asking = screen(carryingOnStatusOf(), { step: { kind: 'rejoin' } });
    expect(textOf(asking.html)).toContain("This desk's copy becomes the group's again; what it did while cut off is listed for review.");
    expect(findByTestId(asking.tree, 'group-rejoin-confirm')?.props['data-autofocus']).toBe('');
    press(asking.tree, 'group-rejoin-confirm');
    await settle();
    expect(asking.transport.callsOf('rejoinGroup')).toEqual([{ confirm: true }]);
  });

  it('a question’s button says it is waiting, and waits, while its action is on the wire', () => {
    const waiting = screen(carryingOnStatusOf(), { step: { kind: 'rejoin' }, busy: 'rejoin' });
    const confirm = findByTestId(waiting.tree, 'group-rejoin-confirm');
    expect(confirm?.props.children).toBe('Rejoining…');
    expect(confirm?.props['disabled']).toBe(true);
  });

  it('offers neither to anyone but a practice manager', () => {
    for (const status of [memberStatusOf({ state: 'coordinator-lost' }), carryingOnStatusOf()]) {
      for (const isManager of [false, null]) {
        const { tree } = screen(status, { isManager });
        expect(findByTestId(tree, 'group-carry-on')).toBeNull();
        expect(findByTestId(tree, 'group-rejoin')).toBeNull();
      }
    }
  });
});

describe('the review of what the desk did while cut off', () => {
  const rejoined = () => memberStatusOf({ reviewOpen: 3 });

  it('lists each change: time, who, patient, what the desk did, the group’s now, and its state; decided ones say who and when', () => {
    const { html } = screen(rejoined(), { review: reviewOf() });
    expect(textOf(html)).toContain('This desk rejoined the group at 10:40 (London time). 3 to decide');
    expect(html).toContain('<th scope="col">What the desk did</th>');
    expect(reviewRows(html)).toEqual([
      "10:20 receptionist.two Amira Okafor Arrived at 10:20 Booked Ready: the group has not changed it Make this change Keep the group's",
      "10:25 receptionist.two Bryn Tallis Did not attend (10:00) Seen Changed on both sides: the group's is Seen Make this change… Keep the group's",
      '10:31 receptionist.two Carys Ambrose Walk-in Carys Ambrose, urgent — Key by hand Keyed',
      '10:33 receptionist.two Dafydd Rhys Seen Seen Made by practice.manager at 10:45',
    ]);
    // A conflict is marked, not only worded: in bold, and its row in red.
    expect(html).toMatch(/<tr class="group-review__item group-review__item--conflict"[^>]*data-seq="5"/);
    expect(html).toContain('<strong>Changed on both sides: the group&#x27;s is Seen</strong>');
  });

  it('says who decided the group’s kept and the keyed ones', () => {
    const decided = reviewOf([
      reviewItemOf(8, { state: 'kept-group', decidedBy: 'practice.manager', decidedAt: '2026-07-20T09:50:00.000Z' }),
      reviewItemOf(9, { state: 'keyed', patientName: null, summary: 'Phone number changed', decidedBy: 'practice.manager', decidedAt: '2026-07-20T09:51:00.000Z' }),
    ]);
    const { html, tree } = screen(memberStatusOf(), { review: decided });
    expect(reviewRows(html)).toEqual([
      "10:20 receptionist.two Amira Okafor Arrived at 10:20 Booked Group's kept by practice.manager at 10:50",
      '10:20 receptionist.two — Phone number changed Booked Keyed by practice.manager at 10:51',
    ]);
    expect(textOf(html)).toContain('All decided.');
    for (const id of ['group-review-apply-8', 'group-review-keep-8', 'group-review-keyed-9']) expect(findByTestId(tree, id)).toBeNull();
  });

  it('names every decision button with its patient (or the change) and time, for a screen reader and a Tab through', () => {
    const { tree, html } = screen(rejoined(), { review: reviewOf() });
    expect(nameOf(tree, 'group-review-apply-4')).toBe('Make this change (Amira Okafor, 10:20)');
    expect(nameOf(tree, 'group-review-keep-4')).toBe("Keep the group's (Amira Okafor, 10:20)");
    expect(nameOf(tree, 'group-review-apply-5')).toBe('Make this change… (Bryn Tallis, 10:25)');
    expect(nameOf(tree, 'group-review-keyed-6')).toBe('Keyed (Carys Ambrose, 10:31)');
    // Plain buttons in the page's order, none taken out of the Tab order.
    expect(html).not.toMatch(/tabindex="-1"[^>]*data-testid="group-review-/);
    const order = [...html.matchAll(/data-testid="(group-review-[a-z]+-\d+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['group-review-apply-4', 'group-review-keep-4', 'group-review-apply-5', 'group-review-keep-5', 'group-review-keyed-6']);
  });

  it('each button calls resolveGroupReviewItem with its seq and action; a clean change is made at once', async () => {
    const { tree, transport, steps } = screen(rejoined(), { review: reviewOf() });
    for (const id of ['group-review-apply-4', 'group-review-keep-5', 'group-review-keyed-6']) {
      press(tree, id);
      await settle();
    }
    press(tree, 'group-review-keep-4');
    await settle();
    expect(transport.callsOf('resolveGroupReviewItem')).toEqual([
      // The group's version the manager saw travels with the decision, once the review has been read into the store.
      { seq: 4, action: 'apply' },
      { seq: 5, action: 'keep-group', groupVersion: 5 },
      { seq: 6, action: 'keyed' },
      { seq: 4, action: 'keep-group', groupVersion: 3 },
    ]);
    expect(steps).toEqual([]);
  });

  it('making the desk’s change over a conflict asks first, showing both sides, then applies it', async () => {
    const main = screen(rejoined(), { review: reviewOf() });
    press(main.tree, 'group-review-apply-5');
    expect(main.steps).toEqual([{ kind: 'apply-conflict', seq: 5 }]);
    expect(main.transport.callsOf('resolveGroupReviewItem')).toEqual([]);

    const asking = screen(rejoined(), { review: reviewOf(), step: { kind: 'apply-conflict', seq: 5 } });
    expect(textOf(asking.html)).toContain(
      "Bryn Tallis: while cut off, receptionist.two at this desk did “Did not attend (10:00)” (10:25). The group changed it too: it is now Seen. Making the desk's change sets DNA on the group's version, for every desk.",
    );
    // The question stands alone: no other decision, nor the group's actions, until it is answered.
    for (const id of ['group-review-apply-4', 'group-review-keep-5', 'group-review-keyed-6', 'group-export']) expect(findByTestId(asking.tree, id)).toBeNull();
    const confirm = findByTestId(asking.tree, 'group-apply-confirm');
    expect(confirm?.props['data-autofocus']).toBe('');
    expect(confirm?.props.children).toBe("Make the desk's change: DNA");
    press(asking.tree, 'group-apply-confirm');
    await settle();
    expect(asking.transport.callsOf('resolveGroupReviewItem')).toEqual([{ seq: 5, action: 'apply' }]);
    press(asking.tree, 'group-step-cancel');
    expect(asking.steps).toEqual([null]);
  });

  it('a conflict decided meanwhile: the question says so and only steps back', () => {
    const decided = reviewOf([reviewItemOf(5, { state: 'kept-group', decidedBy: 'practice.manager', decidedAt: '2026-07-20T09:50:00.000Z' })]);
    const asking = screen(memberStatusOf(), { review: decided, step: { kind: 'apply-conflict', seq: 5 } });
    expect(findByTestId(asking.tree, 'group-apply-confirm')).toBeNull();
    expect(textOf(asking.html)).toContain('That change is no longer waiting for a decision: it was decided meanwhile.');
    expect(findByTestId(asking.tree, 'group-step-cancel')?.props['data-autofocus']).toBe('');
  });

  it('no decision while another question is open, or while an action is on the wire', () => {
    const other = screen(memberStatusOf({ reviewOpen: 3, state: 'coordinator-lost' }), { review: reviewOf(), step: { kind: 'take-over' } });
    expect(findByTestId(other.tree, 'group-review-apply-4')).toBeNull();
    expect(findByTestId(other.tree, 'group-review-table')).not.toBeNull();
    const busy = screen(rejoined(), { review: reviewOf(), busy: 'review' });
    expect(() => press(busy.tree, 'group-review-apply-4')).toThrow('is disabled');
  });

  it('a receptionist sees how many wait, and no review, no buttons', () => {
    for (const isManager of [false, null]) {
      const { tree, html } = screen(rejoined(), { isManager, review: reviewOf() });
      expect(findByTestId(tree, 'group-review-table')).toBeNull();
      expect(html).not.toContain('data-testid="group-review-apply');
      expect(textOf(html)).toContain("3 changes made while this desk was cut off wait for a practice manager's review.");
    }
    expect(findByTestId(screen(groupStatusOf(), { isManager: false }).tree, 'group-review-waiting')).toBeNull();
  });

  it('shows nothing of a review when there is none; says it is reading, or why it could not', () => {
    expect(findByTestId(screen(memberStatusOf(), { review: reviewOf([], null) }).tree, 'group-review')).toBeNull();
    const reading = screen(rejoined());
    expect(textOf(reading.html)).toContain('Reading the review…');
    const failed = screen(rejoined(), { reviewProblem: 'the desk did not answer' });
    expect(textOf(failed.html)).toContain('The review could not be read: the desk did not answer');
  });
});
