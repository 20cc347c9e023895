/**
 * Where the group lives in the data folder: this desk's own settings (group_local, never replicated) and the
 * members (group_member, replicated). Secrets are kept only as hashes, except this desk's own credential and the
 * group's TLS key, which the database's encryption protects like the patient data beside them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GroupRole } from '../../../shared/api';
import { sql, type Db } from '../store/sql';

/** This desk's place in a group; none means standalone. */
export interface GroupConfig {
  groupId: string;
  groupName: string;
  role: Exclude<GroupRole, 'standalone'>;
  epoch: number;
  /** This desk's own member id and device credential (the coordinator has one too, for take-over). */
  memberId: string;
  deskName: string;
  token: string;
  /** The group's certificate and key (PEM), and the certificate's SHA-256 fingerprint (pinned at pairing). */
  certPem: string;
  keyPem: string;
  fingerprint: string;
  /** Where the coordinator was last reached (host:port); null on the coordinator itself. */
  coordinatorAddress: string | null;
  /** The replicated seq this epoch started from (take-over); 0 for the group's first coordinator. */
  epochStartSeq: number;
  /**
   * A member carrying on alone (a person decided): since when, and where its own journal and audit trail stood, so
   * what it does from then on can be told apart and reviewed when it rejoins. Absent while it follows.
   */
  carryOn?: { since: string; journalSeq: number; auditSeq: number } | null;
  /** A member that must receive the whole day again before it follows (it rejoined after carrying on alone, or fenced). */
  resync?: boolean;
  /** Why it receives the whole day again: told to the coordinator, which records the rejoin in the group's audit trail. */
  rejoin?: 'carry-on' | 'fenced' | null;
}

export interface MemberRow {
  id: string;
  name: string;
  address: string | null;
  joinedAt: string;
  removedAt: string | null;
}

const CONFIG_KEY = 'config';
/** The running group link's status, for a CLI in another process (`group status`). */
export const LIVE_STATUS_KEY = 'status.live';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class GroupStore {
  constructor(private readonly db: Db) {}

  config(): GroupConfig | null {
    const value = this.local(CONFIG_KEY);
    return value === null ? null : (JSON.parse(value) as GroupConfig);
  }

  setConfig(config: GroupConfig): void {
    this.setLocal(CONFIG_KEY, JSON.stringify(config));
  }

  /** Leaving the group: this desk's settings go; its copy of the day stays. */
  clearLocal(): void {
    this.db.run(sql`DELETE FROM group_local`);
  }

  /** Runs fn in one transaction on the store's database: a read-check-write of local settings (a pairing code's tries) stays whole. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }

  local(key: string): string | null {
    return this.db.get<{ value: string }>(sql`SELECT value FROM group_local WHERE key = ${key}`)?.value ?? null;
  }

  setLocal(key: string, value: string | null): void {
    if (value === null) this.db.run(sql`DELETE FROM group_local WHERE key = ${key}`);
    else this.db.run(sql`INSERT INTO group_local (key, value) VALUES (${key}, ${value}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  }

  /** Current members, oldest first; removed ones too when asked. */
  members(options: { includeRemoved?: boolean } = {}): MemberRow[] {
    const rows = this.db.all<{ id: string; name: string; address: string | null; joined_at: string; removed_at: string | null }>(
      sql`SELECT id, name, address, joined_at, removed_at FROM group_member ORDER BY joined_at, rowid`,
    );
    return rows
      .filter((r) => options.includeRemoved === true || r.removed_at === null)
      .map((r) => ({ id: r.id, name: r.name, address: r.address, joinedAt: r.joined_at, removedAt: r.removed_at }));
  }

  memberByName(name: string): MemberRow | null {
    return this.members().find((m) => m.name.toLowerCase() === name.toLowerCase()) ?? null;
  }

  addMember(member: { id: string; name: string; token: string; address: string | null; joinedAt: string }): void {
    this.db.run(
      sql`INSERT INTO group_member (id, name, token_hash, address, joined_at) VALUES (${member.id}, ${member.name}, ${tokenHash(member.token)}, ${member.address}, ${member.joinedAt})`,
    );
  }

  setAddress(id: string, address: string): void {
    this.db.run(sql`UPDATE group_member SET address = ${address} WHERE id = ${id} AND address IS NOT ${address}`);
  }

  remove(id: string, at: string): void {
    this.db.run(sql`UPDATE group_member SET removed_at = ${at} WHERE id = ${id} AND removed_at IS NULL`);
  }

  /** Still a current member (not removed). */
  authenticateId(memberId: string): boolean {
    return this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM group_member WHERE id = ${memberId} AND removed_at IS NULL`)?.n === 1;
  }

  /** The current member this credential belongs to, or null (unknown, wrong or removed): compared in constant time. */
  authenticate(memberId: string, token: string): MemberRow | null {
    const row = this.db.get<{ token_hash: string; removed_at: string | null }>(sql`SELECT token_hash, removed_at FROM group_member WHERE id = ${memberId}`);
    if (!row || row.removed_at !== null) return null;
    const given = Buffer.from(tokenHash(token), 'hex');
    const kept = Buffer.from(row.token_hash, 'hex');
    if (given.length !== kept.length || !timingSafeEqual(given, kept)) return null;
    return this.members().find((m) => m.id === memberId) ?? null;
  }
}
