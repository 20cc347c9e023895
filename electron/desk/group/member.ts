/**
 * A member's side of the group (ADR 0011): it follows the coordinator's batches into its own database in seq
 * order, acknowledging each only after its commit, forwards every change asked at this desk to the coordinator,
 * and notices within LOSS_MS when the coordinator has gone quiet.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { DeskError, type DeskEvent, type OperationName, type Result } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { Db } from '../store/sql';
import { applyBatch, applySnapshot, replicatedSeq } from './replica';
import { pinnedWebSocketOptions } from './tls';
import type { GroupConfig, GroupStore } from './store';
import { credentialHeader, DownMessage, LINK_PATH, LOSS_MS, MAX_MESSAGE_BYTES, type MemberSeen, type UpMessage } from './protocol';

/** How long a forwarded operation may take at the coordinator before this desk says it had no answer. */
const CALL_TIMEOUT_MS = 15_000;
/** How long to wait for this desk's own copy to hold a change it was told succeeded (read-your-writes). */
const OWN_COPY_WAIT_MS = 3000;
const RECONNECT_MS = 1000;

export type LinkState = 'connecting' | 'connected' | 'lost' | 'forked';

export interface MemberDeps {
  db: Db;
  store: GroupStore;
  clock: () => Date;
  config: () => GroupConfig;
  log: (line: string) => void;
  /** Where this desk's own group listener is reached, told to the coordinator for take-over. */
  advertise: () => string | null;
  /** Events the coordinator sent with a batch, after this desk committed it: this desk's screens follow. */
  relay: (events: DeskEvent[]) => void;
  /** Events for what this desk did itself (a snapshot replaced its copy). */
  replaced: () => void;
}

export class MemberRole {
  state: LinkState = 'connecting';
  coordinatorName: string | null = null;
  coordinatorSeq = 0;
  lastHeardAt: string | null = null;
  members: MemberSeen[] = [];
  private lastHeard = performance.now();
  private ws: WebSocket | null = null;
  private nextCallId = 1;
  private readonly calls = new Map<number, { resolve: (r: { result: Result<unknown>; seq: number }) => void; timer: NodeJS.Timeout }>();
  private readonly applied = new Set<{ seq: number; resolve: () => void; timer: NodeJS.Timeout }>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Set when a batch could not be applied: the next link asks from seq 0, which the coordinator answers with a snapshot. */
  private needsSnapshot = false;

  constructor(private readonly deps: MemberDeps) {}

  start(): void {
    this.connect();
  }

  /** Called every heartbeat by the node: declares the coordinator lost after LOSS_MS of silence. */
  tick(): void {
    if (this.state === 'forked') return;
    if (performance.now() - this.lastHeard > LOSS_MS && this.state !== 'lost') {
      this.state = 'lost';
      this.deps.log(`group: the coordinator ${this.coordinatorName ?? ''} has not been heard for ${LOSS_MS / 1000} s`);
      this.ws?.terminate();
    }
  }

  seq(): number {
    return replicatedSeq(this.deps.db.raw);
  }

  /** Carries an operation to the coordinator; answers once this desk's own copy holds the change too. */
  async forward(name: OperationName, input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    const ws = this.ws;
    if (this.state !== 'connected' || ws === null || ws.readyState !== WebSocket.OPEN) {
      return { ok: false, error: this.unavailable().toShape() };
    }
    const id = this.nextCallId++;
    const message: UpMessage = {
      t: 'call',
      id,
      name,
      input,
      ctx: {
        user: ctx.user,
        desk: ctx.desk,
        ...(ctx.sessionId === undefined ? {} : { sessionId: ctx.sessionId }),
        ...(ctx.replacesSession === undefined ? {} : { replacesSession: ctx.replacesSession }),
      },
    };
    const answer = await new Promise<{ result: Result<unknown>; seq: number } | null>((resolve) => {
      const timer = setTimeout(() => {
        this.calls.delete(id);
        resolve(null);
      }, CALL_TIMEOUT_MS);
      this.calls.set(id, { resolve, timer });
      ws.send(JSON.stringify(message));
    });
    if (answer === null) {
      return {
        ok: false,
        error: new DeskError(
          'unavailable',
          `The coordinator did not answer within ${CALL_TIMEOUT_MS / 1000} s. It may or may not have made the change: look at the day before trying again.`,
        ).toShape(),
      };
    }
    await this.ownCopyHolds(answer.seq);
    return answer.result;
  }

  unavailable(): DeskError {
    const since = this.lastHeardAt === null ? '' : ` since ${this.lastHeardAt.slice(11, 16)} UTC`;
    if (this.state === 'forked') {
      return new DeskError(
        'unavailable',
        'This desk holds changes the group does not have (it followed a coordinator that was taken over). Nothing was changed; a manager must review it.',
      );
    }
    return new DeskError(
      'unavailable',
      `The coordinator ${this.coordinatorName ?? ''} cannot be reached${since}. Nothing was changed. Once a manager is sure it is down, they can take over at one desk (Group screen).`,
    );
  }

  /** Points the link at another coordinator (one that took over), or again at the same one. */
  reconnect(): void {
    this.ws?.terminate();
    this.ws = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.ws?.terminate();
    for (const call of this.calls.values()) clearTimeout(call.timer);
    for (const waiter of this.applied) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const config = this.deps.config();
    if (config.coordinatorAddress === null) return;
    const from = this.needsSnapshot || config.resync === true ? 0 : this.seq();
    const advertised = this.deps.advertise();
    const rejoin = config.resync === true && config.rejoin ? `&rejoin=${config.rejoin}` : '';
    const url = `wss://${config.coordinatorAddress}${LINK_PATH}?from=${from}&epoch=${config.epoch}${advertised === null ? '' : `&address=${encodeURIComponent(advertised)}`}${rejoin}`;
    const ws = new WebSocket(url, {
      ...pinnedWebSocketOptions(config.certPem),
      headers: { authorization: credentialHeader(config.memberId, config.token) },
      maxPayload: MAX_MESSAGE_BYTES,
      handshakeTimeout: 3000,
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('message', (data: Buffer) => this.onMessage(ws, data));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.state === 'connected') this.state = 'connecting';
      for (const [id, call] of this.calls) {
        clearTimeout(call.timer);
        call.resolve({ result: { ok: false, error: this.unavailable().toShape() }, seq: 0 });
        this.calls.delete(id);
      }
      if (!this.stopped && this.state !== 'forked') this.reconnectTimer = setTimeout(() => this.connect(), RECONNECT_MS);
    });
  }

  private onMessage(ws: WebSocket, data: Buffer): void {
    let message: DownMessage;
    try {
      message = DownMessage.parse(JSON.parse(data.toString('utf8')));
    } catch {
      this.deps.log('group: the coordinator sent a message this desk does not understand; reconnecting');
      ws.terminate();
      return;
    }
    this.heard();
    switch (message.t) {
      case 'welcome': {
        this.coordinatorName = message.coordinatorName;
        this.coordinatorSeq = message.seq;
        const config = this.deps.config();
        if (message.epoch !== config.epoch) this.deps.store.setConfig({ ...config, epoch: message.epoch });
        this.state = 'connected';
        return;
      }
      case 'snapshot':
        if (!this.apply(ws, () => applySnapshot(this.deps.db.raw, message.snapshot))) return;
        this.needsSnapshot = false;
        {
          const config = this.deps.config();
          if (config.resync === true) this.deps.store.setConfig({ ...config, resync: false, rejoin: null });
        }
        this.ack(ws);
        this.deps.replaced();
        return;
      case 'batch': {
        if (message.batch.changes.length > 0) {
          if (message.batch.afterSeq !== this.seq()) {
            // Out of step (a batch lost in a reconnect): start again from what this desk holds.
            ws.terminate();
            return;
          }
          if (!this.apply(ws, () => applyBatch(this.deps.db.raw, message.batch))) return;
          this.ack(ws);
        }
        if (message.events.length > 0) this.deps.relay(message.events);
        return;
      }
      case 'status':
        this.coordinatorSeq = message.seq;
        this.members = message.members;
        return;
      case 'result': {
        const call = this.calls.get(message.id);
        if (!call) return;
        clearTimeout(call.timer);
        this.calls.delete(message.id);
        call.resolve({ result: message.result, seq: message.seq });
        return;
      }
      case 'fork':
        this.state = 'forked';
        this.deps.log(`group: this desk holds changes past seq ${message.epochStartSeq}, where the coordinator's epoch ${message.epoch} began; it stopped following`);
        return;
      default:
        return;
    }
  }

  /**
   * Applies what the coordinator sent, in its own transaction (nothing of it is kept on failure). A batch this
   * desk cannot apply means its copy and the coordinator's differ: it asks for the whole state again.
   */
  private apply(ws: WebSocket, fn: () => unknown): boolean {
    try {
      fn();
      return true;
    } catch (error) {
      this.needsSnapshot = true;
      this.deps.log(`group: this desk could not apply the coordinator's changes (${error instanceof Error ? error.message : String(error)}); it asks for the whole day again`);
      ws.terminate();
      return false;
    }
  }

  private heard(): void {
    this.lastHeard = performance.now();
    this.lastHeardAt = this.deps.clock().toISOString();
    if (this.state === 'lost') this.state = 'connected';
  }

  private ack(ws: WebSocket): void {
    const seq = this.seq();
    ws.send(JSON.stringify({ t: 'ack', seq } satisfies UpMessage));
    for (const waiter of [...this.applied]) {
      if (seq >= waiter.seq) {
        clearTimeout(waiter.timer);
        this.applied.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private ownCopyHolds(seq: number): Promise<void> {
    if (this.seq() >= seq) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        seq,
        resolve,
        timer: setTimeout(() => {
          this.applied.delete(waiter);
          resolve();
        }, OWN_COPY_WAIT_MS),
      };
      this.applied.add(waiter);
    });
  }
}
