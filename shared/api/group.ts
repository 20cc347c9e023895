/**
 * The desk group (issue 16, ADR 0011): several desks of one practice sharing one day. One desk is the
 * coordinator and carries out every change; members follow its journal and mirror into their own database.
 * These are the group's own operations; the group layer (electron/desk/group) answers them at the desk that was
 * asked, never forwarding them to the coordinator (policy.thisDesk).
 */
import { z } from 'zod';
import { Instant } from '../domain/entities';
import type { OperationEntry } from './policy';

/** standalone: not in a group. fenced: a former coordinator that another desk took over from (epoch). */
export const GROUP_ROLES = ['standalone', 'coordinator', 'member', 'fenced'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

/**
 * How this desk stands with the group right now:
 *   alone            - standalone, or a coordinator with no member connected (only this PC holds changes)
 *   connected        - a member following the coordinator, or a coordinator with at least one member connected
 *   connecting       - a member reaching its coordinator (started, or the link dropped) for less than the loss limit
 *   coordinator-lost - a member that has not heard from the coordinator for the loss limit: changes wait for a
 *                      person to take over
 *   fenced           - another desk took over with a higher epoch; this desk changes nothing
 *   not-running      - the folder is in a group but no group link is running (the CLI reading it)
 */
export const GROUP_STATES = ['alone', 'connected', 'connecting', 'coordinator-lost', 'fenced', 'not-running'] as const;

/** A desk's name in the group: what people call the PC ("Reception 2"). */
export const DeskName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} ._'-]+$/u, "letters, digits, spaces and . _ ' - only");

export const GroupMemberView = z.object({
  id: z.string(),
  name: z.string(),
  /** host:port of its group link, for take-over; null when it has not said. */
  address: z.string().nullable(),
  coordinator: z.boolean(),
  thisDesk: z.boolean(),
  online: z.boolean(),
  lastSeen: Instant.nullable(),
  /** The last replicated seq it holds durably, as far as this desk knows. */
  replicatedSeq: z.number().int().nonnegative(),
  joinedAt: Instant,
});
export type GroupMemberView = z.infer<typeof GroupMemberView>;

export const GroupStatus = z.object({
  role: z.enum(GROUP_ROLES),
  state: z.enum(GROUP_STATES),
  groupName: z.string().nullable(),
  thisDesk: z.string().nullable(),
  epoch: z.number().int().nonnegative(),
  coordinator: z.object({ name: z.string(), address: z.string().nullable() }).nullable(),
  members: z.array(GroupMemberView),
  /** The replicated seq this desk holds. */
  seq: z.number().int().nonnegative(),
  /** The coordinator's seq as last heard (a member), or this desk's own (the coordinator). */
  coordinatorSeq: z.number().int().nonnegative(),
  /** Changes this desk does not hold yet (coordinatorSeq - seq). */
  lag: z.number().int().nonnegative(),
  /** Changes are acknowledged only once a second PC holds them (a member is connected and keeping up). */
  heldOnTwoPcs: z.boolean(),
  /** When this desk last heard from the coordinator (a member); null for the coordinator itself. */
  lastHeardAt: Instant.nullable(),
  /** The group certificate's SHA-256 fingerprint, pinned by every member at pairing. */
  fingerprint: z.string().nullable(),
  /**
   * A member cut off from its coordinator that a manager told to carry on alone: since when. Its changes are
   * journalled here only, and come back through the review when it rejoins. Absent before this was known.
   */
  carryingOnSince: Instant.nullable().default(null),
  /** Changes made while cut off that a person has still to decide on (the review after rejoining). */
  reviewOpen: z.number().int().nonnegative().default(0),
});
export type GroupStatus = z.infer<typeof GroupStatus>;

/**
 * One change a desk made while cut off, held against the group's day after it rejoined:
 *   clean    - the group has not touched that appointment since the cut: the change can be made as it was
 *   conflict - the group changed it too: a person chooses (the desk's change, made on the group's version, or the
 *              group's as it is)
 *   by-hand  - not a status change (a walk-in, a note, a phone number): keyed again by a person from `summary`
 *   applied / kept-group / keyed - decided, with who and when
 */
export const GROUP_REVIEW_STATES = ['clean', 'conflict', 'by-hand', 'applied', 'kept-group', 'keyed'] as const;

export const GroupReviewItem = z.object({
  /** The entry's seq in the desk's own journal while it was cut off: the item's name in the review. */
  seq: z.number().int().positive(),
  at: Instant,
  user: z.string(),
  op: z.string(),
  appointmentId: z.string().nullable(),
  patientName: z.string().nullable(),
  /** What the desk did, in words ("Arrived at 10:41", "Walk-in Jan Kowalski, urgent"). */
  summary: z.string(),
  /** The status the desk set, and the group's status and version now (status changes only). */
  deskStatus: z.string().nullable(),
  groupStatus: z.string().nullable(),
  groupVersion: z.number().int().nonnegative().nullable(),
  state: z.enum(GROUP_REVIEW_STATES),
  decidedBy: z.string().nullable(),
  decidedAt: Instant.nullable(),
});
export type GroupReviewItem = z.infer<typeof GroupReviewItem>;

export const GroupReview = z.object({
  /** When the desk rejoined; null when it has nothing to review. */
  rejoinedAt: Instant.nullable(),
  items: z.array(GroupReviewItem),
});
export type GroupReview = z.infer<typeof GroupReview>;

export const PairingCode = z.object({
  /** Eight letters and digits in two groups of four ("K7QM-4TXD"); single use. */
  code: z.string(),
  expiresAt: Instant,
  /** Where a joining desk reaches this coordinator (host:port), as far as it knows its own address. */
  address: z.string().nullable(),
});
export type PairingCode = z.infer<typeof PairingCode>;

export const GROUP_CONTRACT = {
  /** This desk's place in the group, for the header and the group screen. */
  getGroupStatus: {
    input: z.strictObject({}),
    output: GroupStatus,
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /** A fresh pairing code (the coordinator only); the previous one stops working. Audited. */
  createPairingCode: {
    input: z.strictObject({}),
    output: PairingCode,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: false, thisDesk: true },
  },
  /** Removes a member (the coordinator only): its credential is refused from then on. Audited. */
  removeGroupMember: {
    input: z.strictObject({ name: DeskName }),
    output: GroupStatus,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: false, thisDesk: true },
  },
  /**
   * This member becomes the coordinator with the next epoch, from the changes it holds (a person decides: the
   * coordinator has gone quiet). Refused while the coordinator is still heard, or while another member holds
   * changes this desk lacks. Audited.
   */
  takeOverGroup: {
    input: z.strictObject({ confirm: z.literal(true) }),
    output: GroupStatus,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /**
   * A member that has lost its coordinator carries on alone (a person decides: the network is down, not the
   * coordinator, or nobody can take over). Its changes are its own until it rejoins. Audited.
   */
  carryOnAlone: {
    input: z.strictObject({ confirm: z.literal(true) }),
    output: GroupStatus,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /**
   * A desk that carried on alone follows the group again: its copy becomes the group's, and what it did while cut off
   * becomes the review (getGroupReview). Refused while the coordinator cannot be reached. Audited.
   */
  rejoinGroup: {
    input: z.strictObject({ confirm: z.literal(true) }),
    output: GroupStatus,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /** The changes made while cut off, each held against the group's day. */
  getGroupReview: {
    input: z.strictObject({}),
    output: GroupReview,
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /**
   * A person's decision on one item: `apply` makes the desk's status change at the coordinator on the group's
   * current version (a conflict included, once seen); `keep-group` leaves the group's; `keyed` says a by-hand item
   * was entered. Audited.
   */
  resolveGroupReviewItem: {
    input: z.strictObject({
      seq: z.number().int().positive(),
      action: z.enum(['apply', 'keep-group', 'keyed']),
      /** The group's version the person saw: a change made on it is refused if the group has moved on since. */
      groupVersion: z.number().int().nonnegative().optional(),
    }),
    output: GroupReview,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: false, thisDesk: true },
  },
  /** The group certificate (PEM) for the practice's IT to trust in browsers on other PCs. Audited. */
  exportGroupCertificate: {
    input: z.strictObject({}),
    output: z.object({ fileName: z.string(), contentType: z.string(), content: z.string() }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
} as const satisfies Record<string, OperationEntry>;
