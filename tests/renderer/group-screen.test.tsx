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
import { STANDALONE, carryingOnStatusOf, findByTestId, groupStatusOf, memberStatusOf, press, reviewOf } from './support/group';

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
