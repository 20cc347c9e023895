/**
 * The group link a desk runs beside its server (`serve`, the app's desk process): the TLS 1.3 listener other
 * desks reach, the coordinator's or the member's side of replication, and the group's own operations
 * (GroupControl). Every operation from this desk's screens goes through dispatch(): at the coordinator it runs
 * here and is answered once a member holds it; at a member it is carried out by the coordinator (ADR 0011).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { DeskError, HTTP_STATUS_OF, isOperationName, policyOf, roleMayCall, type DeskEvent, type GroupStatus, type OperationName, type PairingCode, type Result, type Role, type SessionInfo } from '../../../shared/api';
import type { OpenDesk } from '../open';
import type { RequestContext } from '../dispatch';
import { CoordinatorRole } from './coordinator';
import type { GroupControl } from './control';
import { MemberRole } from './member';
import { checkPairingProof, issuePairingCode, pairingRefusalError } from './pairing';
import { Address, HEARTBEAT_MS, HELLO_PATH, LINK_PATH, MAX_MESSAGE_BYTES, PAIR_PATH, PairRequest, PROBE_MS, credentialOf, type Hello, type PairResponse } from './protocol';
import { installCapture, removeCapture, replicatedSeq } from './replica';
import { hello } from './requests';
import { serverTlsOptions } from './tls';
import { GroupStore, LIVE_STATUS_KEY, type GroupConfig } from './store';

export interface GroupNodeOptions {
  desk: OpenDesk;
  /** Where the group listener binds (`--group-host`, `--group-port`); port 0 picks a free one (tests). */
  host: string;
  port: number;
  /** host:port other desks reach this one at; by default host:port as bound. */
  advertise?: string;
  log?: (line: string) => void;
}

const MAX_PAIR_BODY = 8 * 1024;
/** The CLI's `group status` reads what the running link last wrote (admin.ts liveStatus): rewritten at least this often. */
const LIVE_STATUS_REWRITE_MS = 5000;

export class GroupNode implements GroupControl {
  private readonly desk: OpenDesk;
  private readonly store: GroupStore;
  private server: https.Server | null = null;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  private coordinator: CoordinatorRole | null = null;
  private member: MemberRole | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastProbe = 0;
  private probing = false;
  /** What the other desks said when last asked (take-over checks that none holds more than this one). */
  private readonly peers = new Map<string, Hello & { at: string }>();
  /** Sessions signed in at this desk, as the coordinator answered them: for this desk's own operations. */
  private readonly sessions = new Map<string, SessionInfo>();
  private boundAddress: string | null = null;
  private lastLiveStatus = '';
  private lastLiveWrite = 0;

  private constructor(
    private readonly options: GroupNodeOptions,
    private readonly log: (line: string) => void,
    /** The folder's stored answer (stored-control.ts): standalone status and the certificate are the same with or without a link. */
    private readonly stored: GroupControl,
  ) {
    this.desk = options.desk;
    this.store = new GroupStore(options.desk.db);
  }

  static async start(options: GroupNodeOptions): Promise<GroupNode> {
    const node = new GroupNode(options, options.log ?? (() => undefined), options.desk.service.group);
    options.desk.service.setGroupControl(node);
    await node.settle();
    node.heartbeatTimer = setInterval(() => void node.heartbeat(), HEARTBEAT_MS);
    node.heartbeatTimer.unref();
    return node;
  }

  /** host:port this desk's group listener is bound to (null while standalone). */
  address(): string | null {
    return this.boundAddress;
  }

  config(): GroupConfig | null {
    return this.store.config();
  }

  async close(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.coordinator?.stop();
    this.member?.stop();
    this.coordinator = null;
    this.member = null;
    for (const client of this.wss.clients) client.terminate();
    const server = this.server;
    this.server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /** Every operation from this desk's screens and transports. */
  async dispatch(name: string, input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    const config = this.store.config();
    if (config === null || !isOperationName(name)) return this.desk.dispatch(name, input, ctx);
    const policy = policyOf(name);
    switch (config.role) {
      case 'coordinator':
        return this.coordinator ? this.coordinator.dispatch(name, input, ctx) : this.desk.dispatch(name, input, ctx);
      case 'fenced':
        // Reading, and signing in to read: what it wrote after the take-over is kept for review, never followed.
        if (policy.reads || policy.thisDesk === true || policy.role === 'public') return this.desk.dispatch(name, input, ctx);
        return { ok: false, error: new DeskError('unavailable', 'Another desk has taken over as the group coordinator: this desk changes nothing. Its own changes after the take-over are kept for review.').toShape() };
      case 'member':
        return this.memberDispatch(name, input, ctx);
      default:
        return this.desk.dispatch(name, input, ctx);
    }
  }

  // ---- GroupControl --------------------------------------------------------------------------------------------

  status(): GroupStatus {
    const config = this.store.config();
    if (config === null) return this.stored.status();
    const seq = replicatedSeq(this.desk.db.raw);
    const base = {
      role: config.role,
      groupName: config.groupName,
      thisDesk: config.deskName,
      epoch: config.epoch,
      seq,
      fingerprint: config.fingerprint,
    };
    if (config.role === 'coordinator') {
      const coordinator = this.coordinator;
      const members = this.store.members().map((m) => {
        const mine = m.id === config.memberId;
        const progress = mine || !coordinator ? { online: mine, lastSeen: mine ? this.now() : null, seq: mine ? seq : 0 } : coordinator.progressOf(m.id);
        return { id: m.id, name: m.name, address: m.address, coordinator: mine, thisDesk: mine, joinedAt: m.joinedAt, ...progress, replicatedSeq: progress.seq };
      });
      const connected = (coordinator?.connectedCount() ?? 0) > 0;
      return {
        ...base,
        state: connected ? 'connected' : 'alone',
        coordinator: { name: config.deskName, address: this.boundAddress },
        members: members.map(({ seq: _seq, ...m }) => m),
        coordinatorSeq: seq,
        lag: 0,
        heldOnTwoPcs: coordinator?.heldOnTwoPcs() ?? false,
        lastHeardAt: null,
      };
    }
    const member = this.member;
    const seen = new Map((member?.members ?? []).map((m) => [m.id, m]));
    const coordinatorName = member?.coordinatorName ?? null;
    const members = this.store.members().map((m) => {
      const mine = m.id === config.memberId;
      const heard = seen.get(m.id);
      return {
        id: m.id,
        name: m.name,
        address: m.address,
        coordinator: coordinatorName !== null && m.name === coordinatorName,
        thisDesk: mine,
        online: mine || (member?.state === 'connected' && heard?.online === true),
        lastSeen: mine ? this.now() : (heard?.lastSeen ?? null),
        replicatedSeq: mine ? seq : (heard?.seq ?? 0),
        joinedAt: m.joinedAt,
      };
    });
    const coordinatorSeq = Math.max(member?.coordinatorSeq ?? seq, seq);
    const state = config.role === 'fenced' ? 'fenced' : member?.state === 'connected' ? 'connected' : member?.state === 'connecting' ? 'connecting' : 'coordinator-lost';
    return {
      ...base,
      state: member === null && config.role === 'member' ? 'not-running' : state,
      coordinator: coordinatorName === null ? null : { name: coordinatorName, address: config.coordinatorAddress },
      members,
      coordinatorSeq,
      lag: coordinatorSeq - seq,
      // A member's change is held by the coordinator and by this desk once answered.
      heldOnTwoPcs: member?.state === 'connected',
      lastHeardAt: member?.lastHeardAt ?? null,
    };
  }

  createPairingCode(ctx: RequestContext): PairingCode {
    const config = this.requireRole('coordinator', 'Pairing codes are shown at the coordinator.');
    return this.desk.db.transaction(() => {
      const issued = issuePairingCode(this.store, this.desk.service.clock());
      this.audit(ctx, { what: 'pairing-code', expiresAt: issued.expiresAt, group: config.groupName });
      return { ...issued, address: this.boundAddress };
    });
  }

  removeMember(name: string, ctx: RequestContext): GroupStatus {
    const config = this.requireRole('coordinator', 'Members are removed at the coordinator.');
    const member = this.store.memberByName(name);
    if (!member) throw new DeskError('not_found', `No current member of ${config.groupName} is named "${name}".`);
    if (member.id === config.memberId) throw new DeskError('conflict', 'The coordinator cannot remove itself: another desk takes over first.');
    this.desk.db.transaction(() => {
      this.store.remove(member.id, this.now());
      this.audit(ctx, { what: 'member-removed', name: member.name, id: member.id });
    });
    this.coordinator?.disconnect(member.id);
    this.coordinator?.ship();
    return this.status();
  }

  takeOver(ctx: RequestContext): GroupStatus {
    const config = this.requireRole('member', 'Only a member can take over; this desk is not one.');
    const member = this.member;
    if (member && member.state !== 'lost') {
      // Only once the loss limit has passed in silence: a link still being made may yet reach the coordinator.
      throw new DeskError('conflict', `The coordinator ${member.coordinatorName ?? ''} is still heard (or this desk is still reaching it): nothing was changed. Take over only when it is down.`);
    }
    const seq = replicatedSeq(this.desk.db.raw);
    for (const [id, peer] of this.peers) {
      if (id !== config.memberId && peer.seq > seq) {
        throw new DeskError('conflict', `${peer.deskName} holds changes this desk lacks (seq ${peer.seq}; this desk ${seq}): take over there instead. Nothing was changed.`);
      }
    }
    takeOverStored(this.desk, this.store, config, ctx);
    this.log(`group: this desk took over as coordinator of ${config.groupName} (epoch ${config.epoch + 1}, from seq ${seq})`);
    void this.settle();
    return this.status();
  }

  exportCertificate(ctx: RequestContext): { fileName: string; contentType: string; content: string } {
    return this.stored.exportCertificate(ctx);
  }

  // ---- roles -------------------------------------------------------------------------------------------------

  /** Makes the running parts match the stored role (a CLI in another process may have changed it). */
  private async settle(): Promise<void> {
    const config = this.store.config();
    if (config === null) {
      this.coordinator?.stop();
      this.member?.stop();
      this.coordinator = null;
      this.member = null;
      return;
    }
    await this.listen(config);
    if (config.role === 'coordinator' && !this.coordinator) {
      this.member?.stop();
      this.member = null;
      installCapture(this.desk.db.raw);
      await this.probe(true);
      if (this.store.config()?.role !== 'coordinator') return;
      this.coordinator = new CoordinatorRole({
        desk: this.desk,
        db: this.desk.db,
        store: this.store,
        clock: this.desk.service.clock,
        config: () => this.requireConfig(),
        log: this.log,
        onHigherEpoch: (epoch) => this.fence(epoch),
      });
    } else if (config.role === 'member' && !this.member) {
      this.coordinator?.stop();
      this.coordinator = null;
      removeCapture(this.desk.db.raw);
      this.member = new MemberRole({
        db: this.desk.db,
        store: this.store,
        clock: this.desk.service.clock,
        config: () => this.requireConfig(),
        log: this.log,
        advertise: () => this.options.advertise ?? this.boundAddress,
        relay: (events) => this.relay(events),
        replaced: () => this.relay([{ kind: 'mirror.replaced', seq: this.desk.service.journal.lastSeq(), asOf: this.desk.service.mirrorInfo().asOf }]),
      });
      this.member.start();
    } else if (config.role === 'fenced') {
      this.coordinator?.stop();
      this.coordinator = null;
      removeCapture(this.desk.db.raw);
    }
    const advertised = this.options.advertise ?? this.boundAddress;
    const me = this.store.members().find((m) => m.id === config.memberId);
    if (config.role === 'coordinator' && advertised !== null && me && me.address !== advertised) this.store.setAddress(me.id, advertised);
  }

  private async heartbeat(): Promise<void> {
    try {
      const config = this.store.config();
      if ((config?.role ?? null) !== this.runningRole()) await this.settle();
      this.coordinator?.heartbeat();
      this.member?.tick();
      const now = performance.now();
      const wantProbe = this.coordinator !== null || (this.member !== null && this.member.state !== 'connected');
      if (wantProbe && now - this.lastProbe >= PROBE_MS) {
        this.lastProbe = now;
        void this.probe(false);
      }
      this.saveLiveStatus();
    } catch (error) {
      this.log(`group: heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private runningRole(): GroupConfig['role'] | null {
    if (this.coordinator) return 'coordinator';
    if (this.member) return 'member';
    const config = this.store.config();
    return config?.role === 'fenced' ? 'fenced' : null;
  }

  /**
   * Asks the other desks who they are now. A coordinator that finds a higher epoch stops (fencing); a member that
   * has lost its coordinator follows one that took over; both remember each desk's seq for take-over.
   */
  private async probe(wait: boolean): Promise<void> {
    if (this.probing) return;
    const config = this.store.config();
    if (config === null) return;
    this.probing = true;
    try {
      const others = this.store.members().filter((m) => m.id !== config.memberId && m.address !== null);
      const answers = await Promise.all(
        others.map(async (m) => {
          try {
            return await hello(m.address ?? '', config.certPem, { memberId: config.memberId, token: config.token }, wait ? 1500 : 2500);
          } catch {
            return null;
          }
        }),
      );
      for (const [i, answer] of answers.entries()) {
        const m = others[i];
        if (!answer || !m || answer.groupId !== config.groupId) continue;
        this.peers.set(m.id, { ...answer, at: this.now() });
        const current = this.store.config();
        if (!current) return;
        if (answer.role === 'coordinator' && answer.epoch > current.epoch) {
          if (current.role === 'coordinator') this.fence(answer.epoch);
          else if (current.role === 'member' && this.member?.state !== 'connected' && m.address !== null) {
            this.store.setConfig({ ...current, epoch: answer.epoch, coordinatorAddress: m.address });
            this.log(`group: following ${answer.deskName}, which took over (epoch ${answer.epoch})`);
            this.member?.reconnect();
          }
        }
      }
    } finally {
      this.probing = false;
    }
  }

  private fence(epoch: number): void {
    const config = this.store.config();
    if (!config || config.role !== 'coordinator') return;
    this.store.setConfig({ ...config, role: 'fenced' });
    this.coordinator?.stop();
    this.coordinator = null;
    removeCapture(this.desk.db.raw);
    this.log(`group: another desk took over (epoch ${epoch}); this desk stopped changing anything. Changes it made after seq ${config.epochStartSeq} need review.`);
  }

  // ---- the listener ------------------------------------------------------------------------------------------

  private async listen(config: GroupConfig): Promise<void> {
    if (this.server) return;
    const server = https.createServer({ ...serverTlsOptions(config) }, (req, res) => void this.handle(req, res));
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    this.boundAddress = `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
    this.log(`group: listening for desks of ${config.groupName} on ${this.boundAddress} (TLS 1.3)`);
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const refuse = (status: number, code: string, message: string) => send(status, { error: { code, message } });
    try {
      const config = this.store.config();
      if (!config) return refuse(503, 'unavailable', 'this desk is not in a group');
      const url = new URL(req.url ?? '/', 'https://desk.invalid');
      if (req.method === 'GET' && url.pathname === HELLO_PATH) {
        const credential = credentialOf(req.headers.authorization);
        if (!credential || !this.store.authenticate(credential.memberId, credential.token)) return refuse(401, 'unauthenticated', 'not a member of this group');
        const answer: Hello = { groupId: config.groupId, deskName: config.deskName, role: config.role, epoch: config.epoch, seq: replicatedSeq(this.desk.db.raw) };
        return send(200, answer);
      }
      if (req.method === 'POST' && url.pathname === PAIR_PATH) {
        if (config.role !== 'coordinator') return refuse(409, 'conflict', `${config.deskName} is not the coordinator: pair with the coordinator`);
        const body = await readBody(req, MAX_PAIR_BODY);
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          return refuse(400, 'invalid_input', 'the pairing request is not JSON');
        }
        const parsed = PairRequest.safeParse(json);
        if (!parsed.success) return refuse(400, 'invalid_input', `the pairing request is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        return this.pair(parsed.data, config, send, refuse);
      }
      return refuse(404, 'not_found', 'no such group endpoint');
    } catch (error) {
      this.log(`group: a request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) refuse(500, 'internal', 'the request failed; nothing was changed');
    }
  }

  private pair(request: PairRequest, config: GroupConfig, send: (status: number, body: unknown) => void, refuse: (status: number, code: string, message: string) => void): void {
    const now = this.desk.service.clock();
    const ctx = { user: `desk:${request.deskName}`, desk: request.deskName };
    const outcome = this.desk.db.transaction(() => {
      const check = checkPairingProof(this.store, { fingerprint: config.fingerprint, nonce: request.nonce, deskName: request.deskName, proof: request.proof }, now);
      if (!check.ok) {
        this.audit(ctx, { what: 'pairing-refused', name: request.deskName, reason: check.reason, triesLeft: check.triesLeft });
        return check;
      }
      if (this.store.memberByName(request.deskName)) return { ok: false as const, reason: 'name-taken' as const, triesLeft: 0 };
      const memberId = randomUUID();
      const token = randomBytes(32).toString('base64url');
      this.store.addMember({ id: memberId, name: request.deskName, token, address: request.address, joinedAt: now.toISOString() });
      this.audit(ctx, { what: 'member-joined', name: request.deskName, id: memberId, address: request.address });
      return { ok: true as const, memberId, token, confirmation: check.confirmation };
    });
    if (!outcome.ok) {
      if (outcome.reason === 'name-taken') return refuse(409, 'conflict', `a member named "${request.deskName}" is already in the group: choose another name`);
      const error = pairingRefusalError(outcome);
      return refuse(HTTP_STATUS_OF[error.code], error.code, error.message);
    }
    this.log(`group: ${request.deskName} joined ${config.groupName}`);
    this.coordinator?.ship();
    const answer: PairResponse = {
      groupId: config.groupId,
      groupName: config.groupName,
      epoch: config.epoch,
      epochStartSeq: config.epochStartSeq,
      memberId: outcome.memberId,
      token: outcome.token,
      certPem: config.certPem,
      keyPem: config.keyPem,
      coordinatorName: config.deskName,
      confirmation: outcome.confirmation,
    };
    send(200, answer);
  }

  private upgrade(req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'https://desk.invalid');
    if (url.pathname !== LINK_PATH) return reject(404, 'Not Found');
    const credential = credentialOf(req.headers.authorization);
    const member = credential ? this.store.authenticate(credential.memberId, credential.token) : null;
    if (!member) return reject(401, 'Unauthorized');
    const coordinator = this.coordinator;
    if (!coordinator) return reject(409, 'Conflict');
    const from = Number(url.searchParams.get('from') ?? 'x');
    const epoch = Number(url.searchParams.get('epoch') ?? 'x');
    if (!Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(epoch) || epoch < 0) return reject(400, 'Bad Request');
    const advertised = Address.safeParse(url.searchParams.get('address'));
    if (advertised.success) this.store.setAddress(member.id, advertised.data);
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => coordinator.accept(ws, member, from, epoch));
  }

  // ---- a member's own operations -----------------------------------------------------------------------------

  private async memberDispatch(name: OperationName, input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    const policy = policyOf(name);
    const member = this.member;
    if (policy.thisDesk === true) return this.asSignedIn(name, input, ctx);
    if (member && member.state === 'connected') {
      const result = await member.forward(name, input, ctx);
      this.rememberSession(name, ctx, result);
      return result;
    }
    if (name === 'getSession') return { ok: true, value: this.cachedSession(ctx) };
    if (policy.reads) return this.asSignedIn(name, input, ctx);
    return { ok: false, error: (member?.unavailable() ?? new DeskError('unavailable', 'The group link is not running.')).toShape() };
  }

  /** Runs here as the person signed in at this desk (the coordinator checked their secret; this desk remembers). */
  private async asSignedIn(name: OperationName, input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    const policy = policyOf(name);
    if (ctx.sessionId === undefined) return this.desk.dispatch(name, input, ctx);
    let session = this.sessions.get(ctx.sessionId);
    if (!session && this.member?.state === 'connected') {
      const asked = await this.member.forward('getSession', {}, ctx);
      this.rememberSession('getSession', ctx, asked);
      session = this.sessions.get(ctx.sessionId);
    }
    if (!policy.session) return this.desk.dispatch(name, input, { user: session?.user ?? ctx.user, desk: ctx.desk, role: session?.role ?? null });
    if (!session || !session.signedIn || session.role === null) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in at this desk first.' } };
    if (session.locked) return { ok: false, error: { code: 'unauthenticated', message: 'This desk is locked: sign in again.' } };
    const role: Role = session.role;
    if (!roleMayCall(role, policy.role)) return { ok: false, error: { code: 'forbidden', message: `${name} is for practice managers` } };
    return this.desk.dispatch(name, input, { user: session.user, desk: ctx.desk, role });
  }

  private rememberSession(name: OperationName, ctx: RequestContext, result: Result<unknown>): void {
    if (ctx.replacesSession !== undefined && result.ok) this.sessions.delete(ctx.replacesSession);
    if (ctx.sessionId === undefined || !result.ok) return;
    if (name === 'signIn' || name === 'setUpFirstManager' || name === 'getSession' || name === 'signOut' || name === 'lock') {
      const session = result.value as SessionInfo;
      if (session.signedIn) this.sessions.set(ctx.sessionId, session);
      else this.sessions.delete(ctx.sessionId);
    }
  }

  private cachedSession(ctx: RequestContext): SessionInfo {
    const known = ctx.sessionId === undefined ? undefined : this.sessions.get(ctx.sessionId);
    return known ?? { user: ctx.user, desk: ctx.desk, signedIn: false, displayName: null, role: null, locked: false, setupNeeded: false, idleLockMinutes: this.desk.service.auth.idleLockMinutes };
  }

  private relay(events: DeskEvent[]): void {
    for (const event of events) this.desk.service.relayEvent(event);
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private saveLiveStatus(): void {
    if (this.store.config() === null) return;
    const status = this.status();
    const { members, lastHeardAt: _heard, ...rest } = status;
    const key = JSON.stringify({ ...rest, members: members.map(({ lastSeen: _seen, ...m }) => m) });
    // Written only when something a reader cares about changed: a write is an fsync.
    const now = performance.now();
    if (key === this.lastLiveStatus && now - this.lastLiveWrite < LIVE_STATUS_REWRITE_MS) return;
    this.lastLiveStatus = key;
    this.lastLiveWrite = now;
    this.store.setLocal(LIVE_STATUS_KEY, JSON.stringify({ at: this.now(), pid: process.pid, status }));
  }

  private requireConfig(): GroupConfig {
    const config = this.store.config();
    if (!config) throw new DeskError('conflict', 'This desk is not in a group.');
    return config;
  }

  private requireRole(role: GroupConfig['role'], message: string): GroupConfig {
    const config = this.requireConfig();
    if (config.role !== role) throw new DeskError('conflict', message);
    return config;
  }

  private audit(ctx: RequestContext, detail: Record<string, unknown>): void {
    this.desk.service.recordAudit('group', detail, ctx);
  }

  private now(): string {
    return this.desk.service.clock().toISOString();
  }
}

/** The stored half of a take-over (also the CLI's, when no group link runs): the next epoch, from this desk's seq. */
export function takeOverStored(desk: OpenDesk, store: GroupStore, config: GroupConfig, ctx: RequestContext): GroupConfig {
  return desk.db.transaction(() => {
    const seq = replicatedSeq(desk.db.raw);
    const next: GroupConfig = { ...config, role: 'coordinator', epoch: config.epoch + 1, epochStartSeq: seq, coordinatorAddress: null };
    store.setConfig(next);
    installCapture(desk.db.raw);
    desk.service.recordAudit('group', { what: 'take-over', group: config.groupName, epoch: next.epoch, fromSeq: seq }, ctx);
    return next;
  });
}

function readBody(req: import('node:http').IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new DeskError('payload_too_large', 'the pairing request is too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
