/**
 * Desk-group statuses for the renderer tests, as the desk would answer getGroupStatus (parsed with the contract's
 * schema, so a change to the contract shows here), and a walk over a rendered element tree for screens tested
 * without a page (no DOM in the renderer project).
 */
import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { GroupStatus, type GroupMemberView } from '../../../shared/api';
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
});

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
