/**
 * What the header says about the desk group, worded once: the short line, the warning that must not be missed
 * and the details for the tooltip. Plain logic, so the wording of every state is tested without a screen.
 */
import type { GroupStatus } from '../../../shared/api';
import { localTimeOf } from '../../../shared/domain';
import { plural } from '../day/format';

/** ok: nothing to act on. warn: only this PC holds the changes. alert: this desk cannot change anything now. */
export type GroupTone = 'ok' | 'warn' | 'alert';

export interface GroupSummary {
  tone: GroupTone;
  /** The short line: role, coordinator, members online, lag. Kept short: the header must not wrap at 1366 wide. */
  text: string;
  /** Said in amber or red beside it; null when all is well. */
  warning: string | null;
  /**
   * "3 changes to review": what this desk did while cut off, still to be decided by a manager; null when none.
   * Short and never cut: it sits beside the short line, which gives way to it.
   */
  review: string | null;
  /** Everything else, for the tooltip (the group screen has the rest). */
  details: string;
}

export const ONLY_THIS_PC = "Only this PC holds today's changes";
export const FENCED = 'Another desk took over: this desk changes nothing';

/** Red, like a lost coordinator: the day has split, and what is done here is missing on every other PC. */
export function workingAlone(since: string): string {
  return `Working alone since ${localTimeOf(since)} — changes here are not on other PCs`;
}

export function reviewCount(open: number): string {
  return `${plural(open, 'change', 'changes')} to review`;
}

export function roleLabel(status: Pick<GroupStatus, 'role' | 'groupName'>): string {
  switch (status.role) {
    case 'coordinator':
      return 'Coordinator';
    case 'member':
      return `Member of ${status.groupName ?? 'the group'}`;
    case 'fenced':
      return `Former coordinator of ${status.groupName ?? 'the group'}`;
    case 'standalone':
      return 'Not in a group';
  }
}

export function onlineCount(status: Pick<GroupStatus, 'members'>): { online: number; of: number } {
  return { online: status.members.filter((m) => m.online).length, of: status.members.length };
}

/** Null when the desk is standalone: the header says nothing about a group it is not in. */
export function groupSummary(status: GroupStatus | null): GroupSummary | null {
  if (status === null || status.role === 'standalone') return null;
  const coordinatorName = status.coordinator?.name ?? null;
  const { online, of } = onlineCount(status);
  const parts = [status.role === 'coordinator' && coordinatorName !== null ? `Coordinator (${coordinatorName})` : roleLabel(status)];
  if (status.role === 'member' && coordinatorName !== null) parts.push(`coordinator ${coordinatorName}`);
  parts.push(`${online} of ${of} online`);
  if (status.lag > 0) parts.push(`${status.lag} behind`);
  const text = parts.join(' · ');

  const fenced = status.role === 'fenced' || status.state === 'fenced';
  // Carrying on alone outranks a lost coordinator: changes no longer wait, they are made here only.
  const alone = !fenced && status.carryingOnSince !== null;
  const lost = status.state === 'coordinator-lost';
  const warning = fenced
    ? FENCED
    : status.carryingOnSince !== null
      ? workingAlone(status.carryingOnSince)
      : lost
        ? `Coordinator ${coordinatorName ?? '(unknown)'} not heard ${status.lastHeardAt === null ? 'from' : `since ${localTimeOf(status.lastHeardAt)}`} — changes wait; a manager can take over`
        : status.heldOnTwoPcs
          ? null
          : ONLY_THIS_PC;
  const review = status.reviewOpen > 0 ? reviewCount(status.reviewOpen) : null;
  const tone: GroupTone = fenced || alone || lost ? 'alert' : warning === null && review === null ? 'ok' : 'warn';
  return { tone, text, warning, review, details: detailsOf(status) };
}

function detailsOf(status: GroupStatus): string {
  const lines = [`Group: ${status.groupName ?? '(unnamed)'}, epoch ${status.epoch}`, `This desk: ${status.thisDesk ?? '(unnamed)'} (${roleLabel(status)})`];
  if (status.coordinator) lines.push(`Coordinator: ${status.coordinator.name}${status.coordinator.address ? ` at ${status.coordinator.address}` : ''}`);
  const onlineNames = status.members.filter((m) => m.online).map((m) => m.name);
  lines.push(`Online: ${onlineNames.length > 0 ? onlineNames.join(', ') : 'none'}`);
  lines.push(`This desk holds change ${status.seq}; ${status.lag > 0 ? `${plural(status.lag, 'change', 'changes')} still to come` : 'up to date'}`);
  if (status.lastHeardAt !== null) lines.push(`Coordinator last heard ${localTimeOf(status.lastHeardAt)}`);
  if (status.state === 'not-running') lines.push('The group link is not running on this desk');
  if (status.state === 'connecting') lines.push('Reaching the coordinator…');
  if (status.carryingOnSince !== null) lines.push(`Carrying on alone since ${localTimeOf(status.carryingOnSince)}: its changes come back for review when it rejoins`);
  if (status.reviewOpen > 0) lines.push(`${plural(status.reviewOpen, 'change', 'changes')} made while cut off still to be decided (a manager, on the group screen)`);
  lines.push(status.heldOnTwoPcs ? 'Changes are held on two PCs' : ONLY_THIS_PC);
  return lines.join('\n');
}

/** A fingerprint in groups of four, to read aloud over the phone ("AB12 CD34 …"). */
export function groupedFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}
