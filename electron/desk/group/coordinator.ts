/**
 * The coordinator's side of the group (ADR 0011): it carries out every change, ships each batch of committed
 * rows to every connected member in seq order, and answers a change only once a member has committed it (or
 * says, through the status, that only this PC holds it).
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { isOperationName, policyOf, type DeskErrorShape, type DeskEvent, type Result } from '../../../shared/api';
import type { OpenDesk } from '../open';
import type { RequestContext } from '../dispatch';
import type { Db } from '../store/sql';
import { batchSince, canServeFrom, replicatedSeq, takeSnapshot, type Batch } from './replica';
import type { GroupConfig, GroupStore, MemberRow } from './store';
import { ACK_TIMEOUT_MS, UpMessage, type DownMessage } from './protocol';

interface Link {
  member: MemberRow;
  ws: WebSocket;
  /** The last seq sent down this link, and the last the member said it holds durably. */
  sentSeq: number;
  ackedSeq: number;
  lastSeen: string;
  /** performance.now() when it first fell behind the coordinator, null while it keeps up. */
  behindSince: number | null;
}

export interface MemberProgress {
  online: boolean;
  lastSeen: string | null;
  seq: number;
}

export interface CoordinatorDeps {
  desk: OpenDesk;
  db: Db;
  store: GroupStore;
  clock: () => Date;
  config: () => GroupConfig;
  log: (line: string) => void;
  /** A member came in with a higher epoch: another desk has taken over, and this one must stop. */
  onHigherEpoch: (epoch: number) => void;
}

export class CoordinatorRole {
  private readonly links = new Map<string, Link>();
  private readonly progress = new Map<string, { lastSeen: string | null; seq: number }>();
  private pendingEvents: DeskEvent[] = [];
  private readonly waiters = new Set<{ seq: number; resolve: (held: boolean) => void; timer: NodeJS.Timeout }>();
  private shipScheduled = false;
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly deps: CoordinatorDeps) {
    this.unsubscribe = deps.desk.onEvent((event) => {
      this.pendingEvents.push(event);
      this.scheduleShip();
    });
  }

  /** A member's link, authenticated by its credential (node.ts). */
  accept(ws: WebSocket, member: MemberRow, fromSeq: number, memberEpoch: number): void {
    const config = this.deps.config();
    if (memberEpoch > config.epoch) {
      ws.close(4009, 'this desk was taken over');
      this.deps.onHigherEpoch(memberEpoch);
      return;
    }
    if (memberEpoch < config.epoch && fromSeq > config.epochStartSeq) {
      // It holds changes the desk that took over never had: following on would drop them silently.
      this.send(ws, { t: 'fork', epoch: config.epoch, epochStartSeq: config.epochStartSeq });
      ws.close(4010, 'changes past the take-over');
      this.deps.log(`group: ${member.name} holds changes past seq ${config.epochStartSeq}, where epoch ${config.epoch} began; it was not let follow`);
      return;
    }
    this.links.get(member.id)?.ws.terminate();
    const raw = this.deps.db.raw;
    const seq = replicatedSeq(raw);
    const link: Link = { member, ws, sentSeq: fromSeq, ackedSeq: fromSeq, lastSeen: this.now(), behindSince: null };
    this.links.set(member.id, link);
    this.send(ws, { t: 'welcome', epoch: config.epoch, coordinatorName: config.deskName, seq });
    // A desk at seq 0 has never held the day: what the coordinator held before its capture began is in no batch.
    if (fromSeq === 0 || fromSeq > seq || !canServeFrom(raw, fromSeq)) {
      const snapshot = takeSnapshot(raw);
      this.send(ws, { t: 'snapshot', epoch: config.epoch, snapshot });
      link.sentSeq = snapshot.seq;
    }
    this.shipTo(link, []);
    ws.on('message', (data: Buffer) => this.onMessage(link, data));
    ws.on('close', () => {
      if (this.links.get(member.id) === link) this.links.delete(member.id);
      this.remember(link);
    });
    ws.on('error', () => ws.terminate());
    this.deps.log(`group: ${member.name} connected from seq ${fromSeq}`);
  }

  /** Carries out an operation asked at this desk or forwarded by a member, answering once it is held on two PCs. */
  async dispatch(name: string, input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    const result = this.deps.desk.dispatch(name, input, ctx);
    if (result.ok && isOperationName(name) && !policyOf(name).reads) await this.durable(this.ship());
    return result;
  }

  /** Sends what members lack now; returns the seq this desk holds. */
  ship(): number {
    this.shipScheduled = false;
    const seq = replicatedSeq(this.deps.db.raw);
    const events = this.pendingEvents;
    this.pendingEvents = [];
    const cache = new Map<number, Batch | null>();
    for (const link of this.links.values()) this.shipTo(link, events, cache, seq);
    return seq;
  }

  private shipTo(link: Link, events: DeskEvent[], cache = new Map<number, Batch | null>(), seq = replicatedSeq(this.deps.db.raw)): void {
    const upToDate = link.sentSeq >= seq;
    if (!upToDate) {
      let batch = cache.get(link.sentSeq);
      if (batch === undefined) {
        batch = batchSince(this.deps.db.raw, link.sentSeq);
        cache.set(link.sentSeq, batch);
      }
      if (batch) {
        this.send(link.ws, { t: 'batch', epoch: this.deps.config().epoch, batch, events });
        link.sentSeq = batch.toSeq;
        link.behindSince ??= performance.now();
        return;
      }
    }
    // Events with no rows (merge-back's progress) still reach the members' screens.
    if (events.length > 0) this.send(link.ws, { t: 'batch', epoch: this.deps.config().epoch, batch: { afterSeq: link.sentSeq, toSeq: link.sentSeq, changes: [] }, events });
  }

  /** True once a member holds `seq`; false at once with no member connected, or after the ack timeout. */
  durable(seq: number): Promise<boolean> {
    if (this.links.size === 0) return Promise.resolve(false);
    if (this.heldBySomeMember(seq)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        seq,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, ACK_TIMEOUT_MS),
      };
      this.waiters.add(waiter);
    });
  }

  /** Changes are held on two PCs: a member is connected and has kept up within the ack timeout. */
  heldOnTwoPcs(): boolean {
    const now = performance.now();
    for (const link of this.links.values()) {
      if (link.behindSince === null || now - link.behindSince < ACK_TIMEOUT_MS) return true;
    }
    return false;
  }

  connectedCount(): number {
    return this.links.size;
  }

  progressOf(memberId: string): MemberProgress {
    const link = this.links.get(memberId);
    if (link) return { online: true, lastSeen: link.lastSeen, seq: link.ackedSeq };
    const known = this.progress.get(memberId);
    return { online: false, lastSeen: known?.lastSeen ?? null, seq: known?.seq ?? 0 };
  }

  /** The heartbeat: anything not yet shipped (a CLI in another process may have written), and who is where. */
  heartbeat(): void {
    const seq = this.ship();
    const config = this.deps.config();
    const members = this.deps.store.members().map((m) => ({ id: m.id, ...(m.id === config.memberId ? { online: true, lastSeen: this.now(), seq } : this.progressOf(m.id)) }));
    for (const link of this.links.values()) {
      if (!this.deps.store.authenticateId(link.member.id)) {
        // Removed while connected: its credential is refused from now on, and so is this link.
        link.ws.close(4003, 'removed from the group');
        continue;
      }
      this.send(link.ws, { t: 'status', epoch: config.epoch, seq, members });
    }
  }

  disconnect(memberId: string): void {
    this.links.get(memberId)?.ws.close(4003, 'removed from the group');
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
    }
    this.waiters.clear();
    for (const link of this.links.values()) link.ws.terminate();
    this.links.clear();
  }

  private onMessage(link: Link, data: Buffer): void {
    let message: UpMessage;
    try {
      message = UpMessage.parse(JSON.parse(data.toString('utf8')));
    } catch {
      this.deps.log(`group: ${link.member.name} sent a message this desk does not understand; the link was closed`);
      link.ws.close(4000, 'bad message');
      return;
    }
    link.lastSeen = this.now();
    switch (message.t) {
      case 'ack':
        if (message.seq > link.ackedSeq) link.ackedSeq = message.seq;
        if (link.ackedSeq >= replicatedSeq(this.deps.db.raw)) link.behindSince = null;
        for (const waiter of [...this.waiters]) {
          if (link.ackedSeq >= waiter.seq) {
            clearTimeout(waiter.timer);
            this.waiters.delete(waiter);
            waiter.resolve(true);
          }
        }
        return;
      case 'call':
        void this.call(link, message);
        return;
      default:
        return;
    }
  }

  private async call(link: Link, message: Extract<UpMessage, { t: 'call' }>): Promise<void> {
    // The group's own operations are answered at the desk asked (policy.thisDesk); a member never forwards them.
    const refusal = forwardRefusal(message);
    const result: Result<unknown> = refusal
      ? { ok: false, error: refusal }
      : await this.dispatch(message.name, message.input, {
          user: message.ctx.user,
          // The journal's "where": the member PC by its group name.
          desk: link.member.name,
          ...(message.ctx.sessionId === undefined ? {} : { sessionId: message.ctx.sessionId }),
          ...(message.ctx.replacesSession === undefined ? {} : { replacesSession: message.ctx.replacesSession }),
        });
    if (this.stopped) return;
    this.send(link.ws, { t: 'result', id: message.id, seq: replicatedSeq(this.deps.db.raw), result });
  }

  private heldBySomeMember(seq: number): boolean {
    for (const link of this.links.values()) if (link.ackedSeq >= seq) return true;
    return false;
  }

  private remember(link: Link): void {
    this.progress.set(link.member.id, { lastSeen: link.lastSeen, seq: link.ackedSeq });
  }

  private scheduleShip(): void {
    if (this.shipScheduled) return;
    this.shipScheduled = true;
    setImmediate(() => {
      if (!this.stopped) this.ship();
    });
  }

  private send(ws: WebSocket, message: DownMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

/**
 * What a member may not forward. The group's own operations are answered at the desk asked (policy.thisDesk).
 * Every other call carries the session of the person signed in at the member: a device credential alone acts for
 * nobody, except to record the pack the member printed by itself.
 */
function forwardRefusal(message: Extract<UpMessage, { t: 'call' }>): DeskErrorShape | null {
  if (isOperationName(message.name) && policyOf(message.name).thisDesk === true) {
    return { code: 'forbidden', message: `${message.name} is answered by the desk it was asked at, not forwarded` };
  }
  if (message.ctx.sessionId === undefined && message.name !== 'recordPrint') return { code: 'unauthenticated', message: 'sign in at the desk first' };
  return null;
}
