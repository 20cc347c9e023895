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
});
export type GroupStatus = z.infer<typeof GroupStatus>;

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
  /** The group certificate (PEM) for the practice's IT to trust in browsers on other PCs. Audited. */
  exportGroupCertificate: {
    input: z.strictObject({}),
    output: z.object({ fileName: z.string(), contentType: z.string(), content: z.string() }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
} as const satisfies Record<string, OperationEntry>;
