/**
 * What desks of a group say to each other over TLS (ADR 0011), each message checked with zod on arrival: a
 * desk's peer is trusted only as far as its credential, never its bytes.
 *   POST /group/pair    a joining desk's proof of the pairing code -> its credential and the group's certificate
 *   GET  /group/hello   a paired desk asks who this desk is now (role, epoch, seq): take-over and fencing
 *   WS   /group/link    a member follows the coordinator: snapshot, batches, acks, forwarded operations
 */
import { z } from 'zod';
import { DeskErrorShape, DeskEvent, DeskName, GROUP_ROLES } from '../../../shared/api';

export const DEFAULT_GROUP_PORT = 4781;
export const PAIR_PATH = '/group/pair';
export const HELLO_PATH = '/group/hello';
export const LINK_PATH = '/group/link';

/** How often the coordinator says it is alive, and how long a member waits before saying it is lost (< 10 s). */
export const HEARTBEAT_MS = 1000;
export const LOSS_MS = 6000;
/** How long a change waits for a member's commit before it is answered as held on this PC only. */
export const ACK_TIMEOUT_MS = 2000;
/** How often a coordinator asks the other desks whether one has taken over (fencing), and a lost member asks who leads. */
export const PROBE_MS = 2000;
/** A snapshot of a 34,000-appointment book is one message of tens of megabytes. */
export const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

const Hex = z.string().regex(/^[0-9a-f]+$/);
/** host:port, as a desk advertises where its group link listens. */
export const Address = z
  .string()
  .max(300)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port');

export const PairRequest = z.strictObject({
  deskName: DeskName,
  address: Address.nullable(),
  nonce: Hex.min(32).max(128),
  proof: Hex.length(64),
});
export type PairRequest = z.infer<typeof PairRequest>;

export const PairResponse = z.object({
  groupId: z.string(),
  groupName: z.string(),
  epoch: z.number().int().positive(),
  epochStartSeq: z.number().int().nonnegative(),
  memberId: z.string(),
  token: z.string(),
  certPem: z.string(),
  keyPem: z.string(),
  coordinatorName: z.string(),
  /** The coordinator's proof that it knows the code too (pairing.ts): checked before anything is pinned. */
  confirmation: Hex.length(64),
});
export type PairResponse = z.infer<typeof PairResponse>;

export const Hello = z.object({
  groupId: z.string(),
  deskName: z.string(),
  role: z.enum(GROUP_ROLES),
  epoch: z.number().int().nonnegative(),
  seq: z.number().int().nonnegative(),
  /** The replicated seq this desk's epoch began from (take-over): where a fenced former coordinator's day left the group's. Optional: an older desk does not say. */
  epochStartSeq: z.number().int().nonnegative().optional(),
});
export type Hello = z.infer<typeof Hello>;

const SqlCell = z.union([z.string(), z.number(), z.null()]);
const Change = z.object({
  seq: z.number().int().positive(),
  table: z.string(),
  op: z.enum(['put', 'delete']),
  rowId: z.number().int(),
  image: z.record(z.string(), SqlCell).nullable(),
});
const Batch = z.object({ afterSeq: z.number().int().nonnegative(), toSeq: z.number().int().nonnegative(), changes: z.array(Change) });
const Snapshot = z.object({
  seq: z.number().int().nonnegative(),
  tables: z.array(z.object({ name: z.string(), columns: z.array(z.string()), rows: z.array(z.array(SqlCell)) })),
});

export const MemberSeen = z.object({ id: z.string(), online: z.boolean(), lastSeen: z.string().nullable(), seq: z.number().int().nonnegative() });
export type MemberSeen = z.infer<typeof MemberSeen>;

/** Coordinator to member. */
export const DownMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('welcome'), epoch: z.number().int().positive(), coordinatorName: z.string(), seq: z.number().int().nonnegative() }),
  z.object({ t: z.literal('snapshot'), epoch: z.number().int().positive(), snapshot: Snapshot }),
  z.object({ t: z.literal('batch'), epoch: z.number().int().positive(), batch: Batch, events: z.array(DeskEvent) }),
  z.object({ t: z.literal('status'), epoch: z.number().int().positive(), seq: z.number().int().nonnegative(), members: z.array(MemberSeen) }),
  z.object({
    t: z.literal('result'),
    id: z.number().int(),
    seq: z.number().int().nonnegative(),
    result: z.union([z.object({ ok: z.literal(true), value: z.unknown() }), z.object({ ok: z.literal(false), error: DeskErrorShape })]),
  }),
  /** The member holds changes past where this epoch began: it must not follow silently (ADR 0011, review). */
  z.object({ t: z.literal('fork'), epoch: z.number().int().positive(), epochStartSeq: z.number().int().nonnegative() }),
]);
export type DownMessage = z.infer<typeof DownMessage>;

/** Member to coordinator. */
export const UpMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ack'), seq: z.number().int().nonnegative() }),
  z.object({
    t: z.literal('call'),
    id: z.number().int(),
    name: z.string().max(64),
    input: z.unknown(),
    ctx: z.object({ user: z.string().max(200), desk: z.string().max(200), sessionId: z.string().max(200).optional(), replacesSession: z.string().max(200).optional() }),
  }),
]);
export type UpMessage = z.infer<typeof UpMessage>;

/** `Authorization: Bearer <memberId>.<token>` — the device credential, never a person's secret. */
export function credentialHeader(memberId: string, token: string): string {
  return `Bearer ${memberId}.${token}`;
}

export function credentialOf(header: string | undefined): { memberId: string; token: string } | null {
  const match = /^Bearer ([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{20,200})$/.exec(header ?? '');
  return match?.[1] !== undefined && match[2] !== undefined ? { memberId: match[1], token: match[2] } : null;
}
