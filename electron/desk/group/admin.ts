/**
 * Making, joining and leaving a group, for the CLI (`standby-desk group ...`) and the first-run set-up: each
 * works on a data folder whether or not `serve` runs in it at the same time (the running group link notices the
 * stored role change at its next heartbeat).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DeskError, type GroupStatus, type PairingCode } from '../../../shared/api';
import type { DeskService } from '../service';
import type { Db } from '../store/sql';
import type { RequestContext } from '../dispatch';
import { MemberRole } from './member';
import { issuePairingCode, newPairingNonce, pairingConfirmationMatches, pairingProof } from './pairing';
import { PAIR_PATH, PairResponse } from './protocol';
import { installCapture, removeCapture, replicatedSeq } from './replica';
import { groupRequest, hello, presentedCertificate } from './requests';
import { GroupStore, LIVE_STATUS_KEY, type GroupConfig } from './store';
import { fingerprintOf, makeGroupCertificate } from './tls';

/**
 * What making or joining a group needs of an open desk: the service and the database (the set-up has these, not the
 * rest). Not open.ts's OpenDesk: open.ts wires the set-up, which uses these, and the import graph has no cycles.
 */
export interface GroupDeskParts {
  db: Db;
  service: DeskService;
}

/**
 * Databases a join is copying into right now, in this process: a group link running beside it (the set-up's join
 * inside `serve` or the app) waits, rather than follow the coordinator with a second link that would take turns
 * with this one (the coordinator keeps one link per member).
 */
const joining = new WeakSet<GroupDeskParts['db']>();

export function joinInProgress(db: GroupDeskParts['db']): boolean {
  return joining.has(db);
}

/** A running group link rewrites its status at least this often; older means none is running. */
const LIVE_STATUS_FRESH_MS = 15_000;
const JOIN_COPY_TIMEOUT_MS = 120_000;

export function createGroup(desk: GroupDeskParts, options: { deskName: string; groupName?: string }, ctx: RequestContext): Promise<{ config: GroupConfig; pairing: PairingCode }> {
  const store = new GroupStore(desk.db);
  const existing = store.config();
  if (existing) throw new DeskError('conflict', `This data folder is already in the group ${existing.groupName} (as ${existing.role}).`);
  const groupName = options.groupName ?? desk.service.mirror.practice()?.name ?? 'Standby Desk group';
  return makeGroupCertificate(groupName, desk.service.clock()).then((cert) =>
    desk.db.transaction(() => {
      const now = desk.service.clock();
      const memberId = randomUUID();
      const token = randomBytes(32).toString('base64url');
      const config: GroupConfig = {
        groupId: randomUUID(),
        groupName,
        role: 'coordinator',
        epoch: 1,
        memberId,
        deskName: options.deskName,
        token,
        certPem: cert.certPem,
        keyPem: cert.keyPem,
        fingerprint: cert.fingerprint,
        coordinatorAddress: null,
        epochStartSeq: replicatedSeq(desk.db.raw),
      };
      store.setConfig(config);
      // Captured from here on, so the coordinator's own entry in group_member reaches every member.
      installCapture(desk.db.raw);
      store.addMember({ id: memberId, name: options.deskName, token, address: null, joinedAt: now.toISOString() });
      desk.service.recordAudit('group', { what: 'group-created', group: groupName, coordinator: options.deskName, fingerprint: cert.fingerprint }, ctx);
      const issued = issuePairingCode(store, now);
      desk.service.recordAudit('group', { what: 'pairing-code', expiresAt: issued.expiresAt, group: groupName }, ctx);
      return { config, pairing: { ...issued, address: null } };
    }),
  );
}

export function newPairingCode(desk: GroupDeskParts, ctx: RequestContext): PairingCode {
  const store = new GroupStore(desk.db);
  const config = store.config();
  if (config?.role !== 'coordinator') throw new DeskError('conflict', 'Pairing codes are shown at the coordinator; this data folder is not one.');
  return desk.db.transaction(() => {
    const issued = issuePairingCode(store, desk.service.clock());
    desk.service.recordAudit('group', { what: 'pairing-code', expiresAt: issued.expiresAt, group: config.groupName }, ctx);
    const me = store.members().find((m) => m.id === config.memberId);
    return { ...issued, address: me?.address ?? null };
  });
}

/**
 * Pairs this data folder with the coordinator at `address`: learns the certificate it presents, proves the code
 * over that certificate's fingerprint (pairing.ts), pins it, and copies the whole state before returning.
 */
export async function joinGroup(
  desk: GroupDeskParts,
  options: { address: string; code: string; deskName: string; advertise?: string },
  log: (line: string) => void = () => undefined,
): Promise<{ config: GroupConfig; seq: number }> {
  const store = new GroupStore(desk.db);
  const existing = store.config();
  if (existing) throw new DeskError('conflict', `This data folder is already in the group ${existing.groupName}: leave it first (standby-desk group leave).`);
  const held = desk.service.journal.lastSeq();
  if (held > 0) {
    throw new DeskError('conflict', `This data folder already holds a day of its own (${held} journal entries); joining would replace it. Join from a new, empty data folder.`);
  }
  const { certPem } = await presentedCertificate(options.address);
  const fingerprint = fingerprintOf(certPem);
  const nonce = newPairingNonce();
  const proof = pairingProof(options.code, fingerprint, nonce, options.deskName);
  const answer = await groupRequest(
    options.address,
    certPem,
    { method: 'POST', path: PAIR_PATH, body: { deskName: options.deskName, address: options.advertise ?? null, nonce, proof } },
    PairResponse,
  );
  // Two-way: a desk in the middle that answers "paired" itself cannot know the code, so cannot confirm it.
  if (!pairingConfirmationMatches(options.code, fingerprint, nonce, options.deskName, answer.confirmation) || fingerprintOf(answer.certPem) !== fingerprint) {
    throw new DeskError(
      'forbidden',
      'The desk at that address could not prove it is the coordinator that showed this code; nothing was stored. Check the address with the coordinator.',
    );
  }
  const config: GroupConfig = {
    groupId: answer.groupId,
    groupName: answer.groupName,
    role: 'member',
    epoch: answer.epoch,
    memberId: answer.memberId,
    deskName: options.deskName,
    token: answer.token,
    certPem: answer.certPem,
    keyPem: answer.keyPem,
    fingerprint,
    coordinatorAddress: options.address,
    epochStartSeq: answer.epochStartSeq,
  };
  joining.add(desk.db);
  try {
    store.setConfig(config);
    const seq = await copyState(desk, store, log, options.advertise ?? null);
    return { config, seq };
  } finally {
    joining.delete(desk.db);
  }
}

/** Follows the coordinator until this folder holds what it held when the link opened. */
function copyState(desk: GroupDeskParts, store: GroupStore, log: (line: string) => void, advertise: string | null): Promise<number> {
  return new Promise((resolve, reject) => {
    const member = new MemberRole({
      db: desk.db,
      store,
      clock: desk.service.clock,
      config: () => {
        const config = store.config();
        if (!config) throw new DeskError('conflict', 'the group settings went while joining');
        return config;
      },
      log,
      advertise: () => advertise,
      relay: () => undefined,
      replaced: () => undefined,
    });
    const started = Date.now();
    const timer = setInterval(() => {
      if (member.state === 'connected' && member.seq() >= member.coordinatorSeq && member.coordinatorSeq > 0) {
        finish(null);
      } else if (Date.now() - started > JOIN_COPY_TIMEOUT_MS) {
        finish(
          new DeskError('unavailable', `Paired, but the copy of the day did not arrive within ${JOIN_COPY_TIMEOUT_MS / 1000} s; it will when the desk runs (standby-desk serve).`),
        );
      }
    }, 20);
    const finish = (error: Error | null) => {
      clearInterval(timer);
      member.stop();
      if (error) reject(error);
      else resolve(member.seq());
    };
    member.start();
  });
}

/** Removes a member (the coordinator's folder); its credential is refused from then on. Returns its id. */
export function removeMemberStored(desk: GroupDeskParts, name: string, ctx: RequestContext): string {
  const store = new GroupStore(desk.db);
  const config = store.config();
  if (config?.role !== 'coordinator') throw new DeskError('conflict', 'Members are removed at the coordinator; this data folder is not one.');
  const member = store.memberByName(name);
  if (!member) throw new DeskError('not_found', `No current member of ${config.groupName} is named "${name}".`);
  if (member.id === config.memberId) throw new DeskError('conflict', 'The coordinator cannot remove itself: another desk takes over first.');
  desk.db.transaction(() => {
    store.remove(member.id, desk.service.clock().toISOString());
    desk.service.recordAudit('group', { what: 'member-removed', name: member.name, id: member.id }, ctx);
  });
  return member.id;
}

export function leaveGroup(desk: GroupDeskParts, ctx: RequestContext): GroupConfig {
  const store = new GroupStore(desk.db);
  const config = store.config();
  if (!config) throw new DeskError('conflict', 'This data folder is not in a group.');
  if (config.role === 'coordinator' && store.members().some((m) => m.id !== config.memberId)) {
    throw new DeskError('conflict', 'The coordinator cannot leave while members remain: remove them first, or let one take over.');
  }
  desk.db.transaction(() => {
    removeCapture(desk.db.raw);
    store.clearLocal();
    desk.service.recordAudit('group', { what: 'left', group: config.groupName, role: config.role }, ctx);
  });
  return config;
}

/**
 * The CLI's take-over: refused while the coordinator still answers, or while another member holds more; the
 * running group link (if any) starts coordinating at its next heartbeat.
 */
export async function takeOverFromCli(desk: GroupDeskParts, ctx: RequestContext): Promise<GroupConfig> {
  const store = new GroupStore(desk.db);
  const config = store.config();
  if (config?.role !== 'member') throw new DeskError('conflict', 'Only a member can take over; this data folder is not one.');
  const credential = { memberId: config.memberId, token: config.token };
  const seq = replicatedSeq(desk.db.raw);
  if (config.coordinatorAddress !== null) {
    const answer = await hello(config.coordinatorAddress, config.certPem, credential, 2000).catch(() => null);
    if (answer?.role === 'coordinator' && answer.epoch >= config.epoch) {
      throw new DeskError('conflict', `The coordinator ${answer.deskName} still answers: nothing was changed. Take over only when it is down.`);
    }
  }
  for (const m of store.members()) {
    if (m.id === config.memberId || m.address === null) continue;
    const answer = await hello(m.address, config.certPem, credential, 2000).catch(() => null);
    if (answer && answer.seq > seq)
      throw new DeskError('conflict', `${answer.deskName} holds changes this desk lacks (seq ${answer.seq}; this desk ${seq}): take over there instead.`);
  }
  return takeOverStored(desk, store, config, ctx);
}

/** The status a running group link last wrote for this folder, if it is fresh; otherwise null. */
export function liveStatus(desk: GroupDeskParts): GroupStatus | null {
  const value = new GroupStore(desk.db).local(LIVE_STATUS_KEY);
  if (value === null) return null;
  const saved = JSON.parse(value) as { at: string; status: GroupStatus };
  return desk.service.clock().getTime() - Date.parse(saved.at) <= LIVE_STATUS_FRESH_MS ? saved.status : null;
}

/** The stored half of a take-over (also the CLI's, when no group link runs): the next epoch, from this desk's seq. */
export function takeOverStored(desk: GroupDeskParts, store: GroupStore, config: GroupConfig, ctx: RequestContext): GroupConfig {
  return desk.db.transaction(() => {
    const seq = replicatedSeq(desk.db.raw);
    const next: GroupConfig = { ...config, role: 'coordinator', epoch: config.epoch + 1, epochStartSeq: seq, coordinatorAddress: null };
    store.setConfig(next);
    installCapture(desk.db.raw);
    desk.service.recordAudit('group', { what: 'take-over', group: config.groupName, epoch: next.epoch, fromSeq: seq }, ctx);
    return next;
  });
}
