/**
 * The group link a desk runs beside its server (`serve`, the app's desk process): the TLS 1.3 listener other
 * desks reach, the coordinator's or the member's side of replication, and the group's own operations
 * (GroupControl). Every operation from this desk's screens goes through dispatch(): at the coordinator it runs
 * here and is answered once a member holds it; at a member it is carried out by the coordinator (ADR 0011).
 */
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { DeskError, isOperationName, policyOf, contract, type DeskEvent, type GroupReview, type GroupStatus, type PairingCode, type Result } from '../../../shared/api';
import type { OpenDesk } from '../open';
import type { RequestContext } from '../dispatch';
import { joinInProgress, newPairingCode, removeMemberStored, takeOverStored } from './admin';
import type { GroupControl } from './control';
import { CoordinatorRole } from './coordinator';
import { GroupListener } from './listener';
import { MemberRole } from './member';
import { MemberDesk } from './member-desk';
import { HEARTBEAT_MS, LOSS_MS, PROBE_MS, type Hello } from './protocol';
import { cutAtTakeOver, cutPoint, decide, keepCutOffWork, openReviewCount, reviewOf } from './review';
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

const ResolveInput = contract.resolveGroupReviewItem.input;

/** The CLI's `group status` reads what the running link last wrote (admin.ts liveStatus): rewritten at least this often. */
const LIVE_STATUS_REWRITE_MS = 5000;

export class GroupNode implements GroupControl {
  private readonly desk: OpenDesk;
  private readonly store: GroupStore;
  private server: https.Server | null = null;
  private coordinator: CoordinatorRole | null = null;
  private member: MemberRole | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private lastProbe = 0;
  private probing = false;
  /** What the other desks said when last asked (take-over checks that none holds more than this one). */
  private readonly peers = new Map<string, Hello & { at: string }>();
  private readonly memberDesk: MemberDesk;
  private readonly listener: GroupListener;
  private boundAddress: string | null = null;
  private lastLiveStatus = '';
  private lastLiveWrite = 0;
  /** Set by close(): a probe still waiting on other desks then finds the database closed and must not touch it. */
  private closed = false;

  private constructor(
    private readonly options: GroupNodeOptions,
    private readonly log: (line: string) => void,
    /** The folder's stored answer (stored-control.ts): standalone status and the certificate are the same with or without a link. */
    private readonly stored: GroupControl,
  ) {
    this.desk = options.desk;
    this.store = new GroupStore(options.desk.db);
    this.memberDesk = new MemberDesk(options.desk);
    this.listener = new GroupListener({ desk: this.desk, store: this.store, coordinator: () => this.coordinator, log: this.log, audit: (ctx, detail) => this.audit(ctx, detail) });
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
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.coordinator?.stop();
    this.member?.stop();
    this.coordinator = null;
    this.member = null;
    this.listener.close();
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
        // Until it hears the desk that took over (probe): reading, and signing in to read. What it wrote after the
        // take-over is kept for review when it rejoins, never followed.
        if (policy.reads || policy.thisDesk === true || policy.role === 'public') return this.desk.dispatch(name, input, ctx);
        return {
          ok: false,
          error: new DeskError(
            'unavailable',
            'Another desk has taken over as the group coordinator: this desk changes nothing until it reaches that desk and rejoins as its member. Its own changes after the take-over then go to review.',
          ).toShape(),
        };
      case 'member':
        // Carrying on alone (a person decided): this desk's own copy, its own sessions, kept for review at rejoin.
        if (config.carryOn) return this.desk.dispatch(name, input, ctx);
        if (name === 'resolveGroupReviewItem') return this.resolveAtCoordinator(input, ctx);
        return this.memberDesk.dispatch(name, input, ctx, this.member);
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
        carryingOnSince: null,
        reviewOpen: openReviewCount(this.desk.service, this.store),
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
    const linkState = member?.state === 'connected' ? 'connected' : member?.state === 'connecting' ? 'connecting' : 'coordinator-lost';
    const state = config.role === 'fenced' ? 'fenced' : config.carryOn ? 'alone' : member === null ? 'not-running' : linkState;
    return {
      ...base,
      state,
      coordinator: coordinatorName === null ? null : { name: coordinatorName, address: config.coordinatorAddress },
      members,
      coordinatorSeq,
      lag: coordinatorSeq - seq,
      // A member's change is held by the coordinator and by this desk once answered.
      heldOnTwoPcs: member?.state === 'connected' && !config.carryOn,
      lastHeardAt: member?.lastHeardAt ?? null,
      carryingOnSince: config.carryOn?.since ?? null,
      reviewOpen: openReviewCount(this.desk.service, this.store),
    };
  }

  createPairingCode(ctx: RequestContext): PairingCode {
    return newPairingCode(this.desk, ctx);
  }

  removeMember(name: string, ctx: RequestContext): GroupStatus {
    // The link it may hold is cut now; the heartbeat would refuse it within a second anyway.
    this.coordinator?.disconnect(removeMemberStored(this.desk, name, ctx));
    this.coordinator?.ship();
    return this.status();
  }

  takeOver(ctx: RequestContext): GroupStatus {
    const config = this.requireRole('member', 'Only a member can take over; this desk is not one.');
    const member = this.member;
    if (member && member.state !== 'lost') {
      // Only once the loss limit has passed in silence: a link still being made may yet reach the coordinator.
      throw new DeskError(
        'conflict',
        `The coordinator ${member.coordinatorName ?? ''} is still heard (or this desk is still reaching it): nothing was changed. Take over only when it is down.`,
      );
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

  carryOnAlone(ctx: RequestContext): GroupStatus {
    const config = this.requireRole('member', 'Only a member cut off from its coordinator carries on alone.');
    if (config.carryOn) throw new DeskError('conflict', `This desk has carried on alone since ${config.carryOn.since.slice(11, 16)} UTC.`);
    if (this.member && this.member.state !== 'lost') {
      throw new DeskError('conflict', `The coordinator ${this.member.coordinatorName ?? ''} is still heard (or this desk is still reaching it): nothing was changed.`);
    }
    const since = this.now();
    this.store.setConfig({ ...config, carryOn: { since, ...cutPoint(this.desk) } });
    this.member?.stop();
    this.member = null;
    // The people signed in here (the coordinator checked them) stay signed in, on this desk's own sessions now.
    for (const [sessionId, username] of this.memberDesk.signedIn()) this.desk.service.auth.adoptSession(sessionId, username);
    this.audit(ctx, { what: 'carry-on-alone', group: config.groupName });
    this.log(`group: this desk carries on alone from ${since}; its changes are kept for review when it rejoins`);
    return this.status();
  }

  rejoin(ctx: RequestContext): GroupStatus {
    const config = this.requireRole('member', 'Only a member that carried on alone rejoins.');
    const cut = config.carryOn;
    if (!cut) throw new DeskError('conflict', 'This desk is following its group already.');
    const heard = [...this.peers.values()].some((p) => p.role === 'coordinator' && p.epoch >= config.epoch && this.desk.service.clock().getTime() - Date.parse(p.at) < LOSS_MS * 2);
    if (!heard) throw new DeskError('unavailable', 'The coordinator still cannot be reached from this desk: it carries on alone until it can. Nothing was changed.');
    this.audit(ctx, { what: 'rejoin', group: config.groupName, since: cut.since });
    const kept = keepCutOffWork(this.desk, this.store, cut, this.now());
    this.store.setConfig({ ...config, carryOn: null, resync: true, rejoin: 'carry-on' });
    this.log(`group: this desk rejoins ${config.groupName}; ${kept} change(s) it made alone are kept for review`);
    void this.settle();
    return this.status();
  }

  review(): GroupReview {
    return reviewOf(this.desk.service, this.store);
  }

  resolveReviewItem(seq: number, action: 'apply' | 'keep-group' | 'keyed', ctx: RequestContext): GroupReview {
    return decide(this.desk.service, this.store, seq, action, ctx.user);
  }

  /**
   * "Make this change": the coordinator makes the desk's status change on the group's version as it is now (the
   * person saw it); only then is the item marked applied. A refusal (the group's status does not allow it) is the
   * coordinator's words, and the item stays open.
   */
  private async resolveAtCoordinator(input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    const allowed = await this.memberDesk.dispatch('getGroupReview', {}, ctx, this.member);
    if (!allowed.ok) return allowed;
    const parsed = ResolveInput.safeParse(input);
    if (parsed.success && parsed.data.action === 'apply') {
      const item = reviewOf(this.desk.service, this.store).items.find((i) => i.seq === parsed.data.seq);
      if (item && (item.state === 'clean' || item.state === 'conflict') && item.appointmentId !== null && item.deskStatus !== null && item.groupVersion !== null) {
        // On the version the person saw (the coordinator refuses it if the group has moved on since), else as it is now.
        const expectedVersion = parsed.data.groupVersion ?? item.groupVersion;
        const made = await this.memberDesk.dispatch(
          'setAppointmentStatus',
          { appointmentId: item.appointmentId, status: item.deskStatus, expectedVersion, reason: 'made at this desk while it was cut off from the group' },
          ctx,
          this.member,
        );
        if (!made.ok) return made;
      }
    }
    return this.memberDesk.dispatch('resolveGroupReviewItem', input, ctx, this.member);
  }

  // ---- roles -------------------------------------------------------------------------------------------------

  /** Makes the running parts match the stored role (a CLI in another process may have changed it). */
  private async settle(): Promise<void> {
    if (this.closed) return;
    const config = this.store.config();
    if (config === null) {
      this.coordinator?.stop();
      this.member?.stop();
      this.coordinator = null;
      this.member = null;
      return;
    }
    await this.listen(config);
    // Each await may outlast close() (a take-over's settle racing the desk's shutdown): a closed database is not read.
    if (this.closed) return;
    if (config.role === 'coordinator' && !this.coordinator) {
      this.member?.stop();
      this.member = null;
      installCapture(this.desk.db.raw);
      await this.probe(true);
      if (this.closed || this.store.config()?.role !== 'coordinator') return;
      this.coordinator = new CoordinatorRole({
        desk: this.desk,
        db: this.desk.db,
        store: this.store,
        clock: this.desk.service.clock,
        config: () => this.requireConfig(),
        log: this.log,
        onHigherEpoch: (epoch) => this.fence(epoch),
      });
    } else if (config.role === 'member' && config.carryOn) {
      this.member?.stop();
      this.member = null;
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
    // The set-up's join copies the day with its own link; this one follows once it has (the next heartbeat).
    if (joinInProgress(this.desk.db)) return;
    try {
      const config = this.store.config();
      if ((config?.role ?? null) !== this.runningRole()) await this.settle();
      this.coordinator?.heartbeat();
      this.member?.tick();
      const now = performance.now();
      // A fenced desk asks too: hearing the desk that took over is how it rejoins as a member.
      const wantProbe = this.coordinator !== null || (this.member !== null && this.member.state !== 'connected') || config?.carryOn != null || config?.role === 'fenced';
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
    const config = this.store.config();
    // A member carrying on alone runs no link on purpose (nothing may arrive over its own changes).
    if (this.member) return config?.carryOn ? null : 'member';
    if (config?.role === 'member' && config.carryOn) return 'member';
    return config?.role === 'fenced' ? 'fenced' : null;
  }

  /**
   * Asks the other desks who they are now. A coordinator that finds a higher epoch stops (fencing) and rejoins as a
   * member of the desk that took over, its own changes since then kept for review; a member that has lost its
   * coordinator follows one that took over; both remember each desk's seq for take-over.
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
      if (this.closed) return;
      for (const [i, answer] of answers.entries()) {
        const m = others[i];
        if (!answer || !m || answer.groupId !== config.groupId) continue;
        this.peers.set(m.id, { ...answer, at: this.now() });
        const current = this.store.config();
        if (!current) return;
        if (answer.role === 'coordinator' && answer.epoch > current.epoch) {
          if ((current.role === 'coordinator' || current.role === 'fenced') && m.address !== null) this.rejoinAfterFencing(answer, m.address);
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

  /** Stops writing at once (a higher epoch exists); rejoining waits until this desk hears the coordinator (probe). */
  private fence(epoch: number): void {
    const config = this.store.config();
    if (!config || config.role !== 'coordinator') return;
    this.coordinator?.stop();
    this.coordinator = null;
    this.desk.db.transaction(() => {
      removeCapture(this.desk.db.raw);
      this.store.setConfig({ ...config, role: 'fenced' });
      this.audit(this.desk.context, { what: 'fenced', group: config.groupName, epoch: config.epoch, higherEpoch: epoch });
    });
    this.log(`group: another desk took over (epoch ${epoch}); this desk stopped changing anything until it rejoins as a member`);
  }

  /**
   * A former coordinator that hears the desk that took over: it becomes that desk's member. What it wrote after the
   * take-over is kept for review (review.ts, as for a desk that carried on alone), then its copy is replaced by the
   * group's (a snapshot: resync). The cut is where the coordinator's epoch began when it took over from this desk's
   * own epoch; after more than one take-over, the start of this desk's own epoch (every change it made as
   * coordinator: more to review, never less).
   */
  private rejoinAfterFencing(coordinator: Hello, address: string): void {
    this.fence(coordinator.epoch);
    const config = this.store.config();
    if (!config || config.role !== 'fenced') return;
    const fromSeq = coordinator.epoch === config.epoch + 1 && coordinator.epochStartSeq !== undefined ? coordinator.epochStartSeq : config.epochStartSeq;
    const kept = this.desk.db.transaction(() => {
      const cut = cutAtTakeOver(this.desk, fromSeq);
      this.audit(this.desk.context, { what: 'rejoin', group: config.groupName, after: 'fenced', epoch: coordinator.epoch, coordinator: coordinator.deskName, fromSeq });
      const count = keepCutOffWork(this.desk, this.store, cut, this.now());
      this.store.setConfig({
        ...config,
        role: 'member',
        epoch: coordinator.epoch,
        epochStartSeq: coordinator.epochStartSeq ?? config.epochStartSeq,
        coordinatorAddress: address,
        carryOn: null,
        resync: true,
        rejoin: 'fenced',
      });
      return count;
    });
    this.log(
      `group: this desk rejoins ${config.groupName} as a member of ${coordinator.deskName} (epoch ${coordinator.epoch}); ${kept} change(s) it made after seq ${fromSeq} are kept for review`,
    );
    void this.settle();
  }

  // ---- the listener ------------------------------------------------------------------------------------------

  private async listen(config: GroupConfig): Promise<void> {
    if (this.server) return;
    const server = https.createServer({ ...serverTlsOptions(config) }, (req, res) => void this.listener.handle(req, res));
    server.on('upgrade', (req, socket, head) => this.listener.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    this.boundAddress = `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
    this.log(`group: listening for desks of ${config.groupName} on ${this.boundAddress} (TLS 1.3)`);
  }

  // ---- a member's own operations -----------------------------------------------------------------------------

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
