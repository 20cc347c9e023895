/**
 * The group as the data folder last wrote it, for a desk with no group link running (the CLI reading a folder,
 * the app before its link starts, a test). It reports what it knows and refuses, plainly, what only a running
 * link can do: a pairing code, a removal or a take-over needs the other desks to hear it.
 */
import { DeskError, type GroupMemberView, type GroupReview, type GroupStatus, type PairingCode } from '../../../shared/api';
import type { AuditTrail } from '../audit/audit';
import type { Clock } from '../clock';
import type { RequestContext } from '../dispatch';
import type { Db } from '../store/sql';
import type { MirrorStore } from '../store/mirror';
import { decide, openReviewCount, reviewOf, type ReviewReader } from './review';
import type { GroupControl } from './control';
import { GroupStore, type GroupConfig, type MemberRow } from './store';

export interface StoredGroupControlOptions {
  db: Db;
  audit: AuditTrail;
  clock: Clock;
  /** The replicated seq this desk holds (group/replica.ts replicatedSeq). */
  seqOf: () => number;
  /** The day as this desk holds it, for the review of what it did while cut off (review.ts). */
  mirror: MirrorStore;
}

const NO_LINK =
  'No group link runs here: this desk is reading its data folder only. Start the desk in its group with `standby-desk serve` in this data folder (or open the app), then try again';

export class StoredGroupControl implements GroupControl {
  readonly store: GroupStore;

  constructor(private readonly options: StoredGroupControlOptions) {
    this.store = new GroupStore(options.db);
  }

  status(): GroupStatus {
    const config = this.store.config();
    const seq = this.options.seqOf();
    if (config === null) {
      return {
        role: 'standalone',
        state: 'alone',
        groupName: null,
        thisDesk: null,
        epoch: 0,
        coordinator: null,
        members: [],
        seq,
        coordinatorSeq: seq,
        lag: 0,
        heldOnTwoPcs: false,
        lastHeardAt: null,
        carryingOnSince: null,
        reviewOpen: 0,
        fingerprint: null,
      };
    }
    const rows = this.store.members();
    const coordinatorRow = coordinatorOf(config, rows);
    return {
      role: config.role,
      // Nothing live is known without a link; a fenced folder still says so by its role.
      state: 'not-running',
      groupName: config.groupName,
      thisDesk: config.deskName,
      epoch: config.epoch,
      coordinator: coordinatorRow
        ? { name: coordinatorRow.name, address: coordinatorRow.address ?? config.coordinatorAddress }
        : config.coordinatorAddress === null
          ? null
          : { name: config.coordinatorAddress, address: config.coordinatorAddress },
      members: rows.map((row) => memberView(row, config, coordinatorRow, seq)),
      seq,
      // Without a link the coordinator's seq is not known: no lag is claimed rather than a made-up one.
      coordinatorSeq: seq,
      lag: 0,
      heldOnTwoPcs: false,
      lastHeardAt: null,
      carryingOnSince: config.carryOn?.since ?? null,
      reviewOpen: openReviewCount(this.reader(), this.store),
      fingerprint: config.fingerprint,
    };
  }

  createPairingCode(_ctx: RequestContext): PairingCode {
    throw new DeskError('conflict', `${NO_LINK}: a pairing code works only while the coordinator's group link is running.`);
  }

  removeMember(_name: string, _ctx: RequestContext): GroupStatus {
    throw new DeskError('conflict', `${NO_LINK}: the other desks must hear a removal.`);
  }

  takeOver(_ctx: RequestContext): GroupStatus {
    throw new DeskError('conflict', `${NO_LINK}: taking over needs the group link to check the coordinator is really gone.`);
  }

  carryOnAlone(_ctx: RequestContext): GroupStatus {
    throw new DeskError('conflict', `${NO_LINK}: carrying on alone is decided once the link has found the coordinator gone.`);
  }

  rejoin(_ctx: RequestContext): GroupStatus {
    throw new DeskError('conflict', `${NO_LINK}: rejoining needs the link to reach the coordinator.`);
  }

  /** What this desk did while cut off, as far as the folder holds it; decisions need no link, except making a change. */
  review(): GroupReview {
    return reviewOf(this.reader(), this.store);
  }

  resolveReviewItem(seq: number, action: 'apply' | 'keep-group' | 'keyed', ctx: RequestContext): GroupReview {
    if (action === 'apply') throw new DeskError('conflict', `${NO_LINK}: the coordinator makes the change.`);
    return decide(this.reader(), this.store, seq, action, ctx.user);
  }

  private reader(): ReviewReader {
    return { mirror: this.options.mirror, clock: this.options.clock };
  }

  /** The group's certificate for the practice's IT; the export is audited like every other. */
  exportCertificate(ctx: RequestContext): { fileName: string; contentType: string; content: string } {
    const config = this.store.config();
    if (config === null) throw new DeskError('not_found', 'This desk is not in a group, so it has no group certificate to export.');
    const at = this.options.clock().toISOString();
    // One transaction, as every export's audit entry: the trail's hash chain reads its last entry before adding.
    this.options.db.transaction(() =>
      this.options.audit.append({
        at,
        user: ctx.user,
        desk: ctx.desk,
        kind: 'export',
        detail: { what: 'group-certificate', group: config.groupName, fingerprint: config.fingerprint },
      }),
    );
    return { fileName: `standby-desk-group-${fileSlug(config.groupName)}.pem`, contentType: 'application/x-pem-file', content: config.certPem };
  }
}

/**
 * The coordinator among the stored members: this desk when it is the coordinator, else the member reached at
 * the coordinator's last address (the config does not name the coordinator's member id).
 */
function coordinatorOf(config: GroupConfig, rows: MemberRow[]): MemberRow | null {
  if (config.role === 'coordinator') return rows.find((row) => row.id === config.memberId) ?? null;
  if (config.role === 'fenced' || config.coordinatorAddress === null) return null;
  return rows.find((row) => row.address === config.coordinatorAddress && row.id !== config.memberId) ?? null;
}

function memberView(row: MemberRow, config: GroupConfig, coordinator: MemberRow | null, seq: number): GroupMemberView {
  const thisDesk = row.id === config.memberId;
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    coordinator: coordinator !== null && row.id === coordinator.id,
    thisDesk,
    online: false,
    lastSeen: null,
    // Only this desk's own seq is known from the folder.
    replicatedSeq: thisDesk ? seq : 0,
    joinedAt: row.joinedAt,
  };
}

/** "Riverside Surgery" -> "riverside-surgery": safe in a file name on every PC. */
function fileSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'group' : slug;
}
