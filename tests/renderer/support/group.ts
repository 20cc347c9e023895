/**
 * Desk-group statuses for the renderer tests, as the desk would answer getGroupStatus (parsed with the contract's
 * schema, so a change to the contract shows here), and a walk over a rendered element tree for screens tested
 * without a page (no DOM in the renderer project).
 */
import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { GroupReview, GroupStatus, type GroupMemberView, type GroupReviewItem } from '../../../shared/api';
import { TEST_NOW } from '../../support/clock';

const JOINED = '2026-07-20T07:00:00.000Z';

export function memberOf(name: string, overrides: Partial<GroupMemberView> = {}): GroupMemberView {
  return {
    id: `m-${name.toLowerCase().replace(/\W+/g, '-')}`,
    name,
    address: null,
    coordinator: false,
    thisDesk: false,
    online: true,
    lastSeen: TEST_NOW,
    replicatedSeq: 120,
    joinedAt: JOINED,
    ...overrides,
  };
}

/** A coordinator (Reception 1, this desk) with Reception 2 and Room 3 connected and keeping up. */
export function groupStatusOf(overrides: Partial<GroupStatus> = {}): GroupStatus {
  return GroupStatus.parse({
    role: 'coordinator',
    state: 'connected',
    groupName: 'Riverside Surgery',
    thisDesk: 'Reception 1',
    epoch: 2,
    coordinator: { name: 'Reception 1', address: '192.168.1.10:4781' },
    members: [
      memberOf('Reception 1', { coordinator: true, thisDesk: true, address: '192.168.1.10:4781' }),
      memberOf('Reception 2', { address: '192.168.1.11:4781' }),
      memberOf('Room 3', { online: false, lastSeen: '2026-07-20T09:12:00.000Z', replicatedSeq: 97 }),
    ],
    seq: 120,
    coordinatorSeq: 120,
    lag: 0,
    heldOnTwoPcs: true,
    lastHeardAt: null,
    fingerprint: '3a:7f:00:c2:19:be:44:d0:8e:71:5c:2a:90:ee:13:6b',
    carryingOnSince: null,
    reviewOpen: 0,
    ...overrides,
  });
}

/** Reception 2 following Reception 1, 4 changes behind. */
export function memberStatusOf(overrides: Partial<GroupStatus> = {}): GroupStatus {
  const base = groupStatusOf();
  return groupStatusOf({
    role: 'member',
    thisDesk: 'Reception 2',
    members: base.members.map((m) => ({ ...m, thisDesk: m.name === 'Reception 2' })),
    seq: 116,
    coordinatorSeq: 120,
    lag: 4,
    lastHeardAt: TEST_NOW,
    ...overrides,
  });
}

export const STANDALONE = GroupStatus.parse({
  role: 'standalone',
  state: 'alone',
  groupName: null,
  thisDesk: null,
  epoch: 0,
  coordinator: null,
  members: [],
  seq: 0,
  coordinatorSeq: 0,
  lag: 0,
  heldOnTwoPcs: false,
  lastHeardAt: null,
  fingerprint: null,
  carryingOnSince: null,
  reviewOpen: 0,
});

/** When Reception 2, cut off from Reception 1, was told to carry on alone (10:14 London time). */
export const CARRYING_ON_SINCE = '2026-07-20T09:14:00.000Z';

/** Reception 2 carrying on alone since 10:14: it lost Reception 1 at 10:08 and a manager confirmed. */
export function carryingOnStatusOf(overrides: Partial<GroupStatus> = {}): GroupStatus {
  return memberStatusOf({ state: 'coordinator-lost', heldOnTwoPcs: false, lastHeardAt: '2026-07-20T09:08:00.000Z', carryingOnSince: CARRYING_ON_SINCE, ...overrides });
}

/** One change Reception 2 made while cut off, as getGroupReview answers it; by default a clean arrival. */
export function reviewItemOf(seq: number, overrides: Partial<GroupReviewItem> = {}): GroupReviewItem {
  return {
    seq,
    at: '2026-07-20T09:20:00.000Z',
    user: 'receptionist.two',
    op: 'setStatus',
    appointmentId: `appt-${seq}`,
    patientName: 'Amira Okafor',
    summary: 'Arrived at 10:20',
    deskStatus: 'arrived',
    groupStatus: 'booked',
    groupVersion: 3,
    state: 'clean',
    decidedBy: null,
    decidedAt: null,
    ...overrides,
  };
}

/**
 * The review after Reception 2 rejoined at 10:40: a clean arrival (seq 4), a conflict (seq 5: the desk said DNA,
 * the group has the patient seen), a walk-in to key by hand (seq 6) and one already decided (seq 7).
 */
export const REVIEW_ITEMS: GroupReviewItem[] = [
  reviewItemOf(4),
  reviewItemOf(5, {
    at: '2026-07-20T09:25:00.000Z',
    patientName: 'Bryn Tallis',
    summary: 'Did not attend (10:00)',
    deskStatus: 'dna',
    groupStatus: 'seen',
    groupVersion: 5,
    state: 'conflict',
  }),
  reviewItemOf(6, {
    at: '2026-07-20T09:31:00.000Z',
    op: 'walkIn',
    appointmentId: null,
    patientName: 'Carys Ambrose',
    summary: 'Walk-in Carys Ambrose, urgent',
    deskStatus: null,
    groupStatus: null,
    groupVersion: null,
    state: 'by-hand',
  }),
  reviewItemOf(7, {
    at: '2026-07-20T09:33:00.000Z',
    patientName: 'Dafydd Rhys',
    summary: 'Seen',
    deskStatus: 'seen',
    groupStatus: 'seen',
    state: 'applied',
    decidedBy: 'practice.manager',
    decidedAt: '2026-07-20T09:45:00.000Z',
  }),
];

/** The review as getGroupReview answers it (parsed with the contract's schema). */
export function reviewOf(items: GroupReviewItem[] = REVIEW_ITEMS, rejoinedAt: string | null = '2026-07-20T09:40:00.000Z'): GroupReview {
  return GroupReview.parse({ rejoinedAt, items });
}

type Props = Record<string, unknown> & { children?: ReactNode };

/** The element with this data-testid in a tree of plain elements (what a hook-free screen function returns). */
export function findByTestId(node: ReactNode, testId: string): ReactElement<Props> | null {
  if (Array.isArray(node)) {
    for (const child of node as ReactNode[]) {
      const found = findByTestId(child, testId);
      if (found) return found;
    }
    return null;
  }
  if (!isValidElement<Props>(node)) return null;
  if (node.props['data-testid'] === testId) return node;
  return findByTestId(node.props.children, testId);
}

/** Presses a button found by its data-testid, as a click would; fails the test when it is absent or disabled. */
export function press(tree: ReactNode, testId: string): void {
  const button = findByTestId(tree, testId);
  if (!button) throw new Error(`no element with data-testid="${testId}"`);
  if (button.props['disabled'] === true) throw new Error(`${testId} is disabled`);
  const onClick = button.props['onClick'];
  if (typeof onClick !== 'function') throw new Error(`${testId} has no onClick`);
  (onClick as () => void)();
}
