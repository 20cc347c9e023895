/**
 * Who is at the desk. Accounts live in the database (hashed secrets only); sessions live in memory here, keyed by
 * an id the transport supplies and keeps unguessable (HTTP: a random cookie value; IPC: one random id per
 * window, held by main). A restart signs everyone out, which is what a shared reception PC wants.
 *
 * authorize() is called by the dispatcher before any operation: it applies the role table (shared/api/roles.ts),
 * the lock and the idle timeout, and replaces the context's user with the signed-in username, so the journal's
 * and the audit trail's "who" is the person, not the PC.
 *
 * A context without a session id is a trusted in-process caller (the CLI, the app's own scheduled jobs, tests):
 * it acts as the local OS user with manager rights. The CLI has the data folder and its key anyway, so a role
 * check there would protect nothing; transports always set a session id, so a browser or window never gets this.
 */
import { DeskError, policyOf, roleMayCall, refusalMessage, type NewSecret, type OperationName, type Role, type SessionInfo, type UserSummary } from '../../../shared/api';
import type { AuditTrail } from '../audit/audit';
import type { RequestContext } from '../dispatch';
import { sql, type Db } from '../store/sql';
import { DEFAULT_SCRYPT_COST, hashSecret, verifySecret, type ScryptCost } from './secrets';

export const DEFAULT_IDLE_LOCK_MINUTES = 5;
const IDLE_LOCK_META = 'auth.idleLockMinutes';

/** Failures allowed before sign-in for that name is refused for a while; the wait doubles with each failure after. */
export const FAILURES_BEFORE_LOCKOUT = 5;
const FIRST_LOCKOUT_MS = 30_000;
const MAX_LOCKOUT_MS = 15 * 60_000;

export interface AuthOptions {
  db: Db;
  audit: AuditTrail;
  clock: () => Date;
  scryptCost?: ScryptCost;
  idleLockMinutes?: number;
}

interface LiveSession {
  username: string;
  displayName: string;
  role: Role;
  /** The clinician in the book a clinician's account works as (scope checks read it); null for other roles. */
  clinicianId: string | null;
  lastActivity: number;
  locked: boolean;
}

interface AccountRow {
  username: string;
  display_name: string;
  role: Role;
  clinician_id: string | null;
  secret_kind: 'password' | 'pin';
  secret_hash: string;
  disabled: number;
  created_at: string;
  last_sign_in_at: string | null;
}

export class AuthDesk {
  private readonly sessions = new Map<string, LiveSession>();
  private readonly db: Db;
  private readonly audit: AuditTrail;
  private readonly clock: () => Date;
  private readonly cost: ScryptCost;
  /** Minutes idle before a session locks: the constructor's (tests), else the stored setting (setIdleLock), else 5. */
  idleLockMinutes: number;
  /** Checked against when the username does not exist, so a miss costs as long as a wrong secret. Made on first use. */
  private decoy: string | null = null;

  constructor(options: AuthOptions) {
    this.db = options.db;
    this.audit = options.audit;
    this.clock = options.clock;
    this.cost = options.scryptCost ?? DEFAULT_SCRYPT_COST;
    const stored = Number(this.db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${IDLE_LOCK_META}`)?.value);
    this.idleLockMinutes = options.idleLockMinutes ?? (Number.isInteger(stored) && stored > 0 ? stored : DEFAULT_IDLE_LOCK_MINUTES);
  }

  /** The practice's idle-lock policy: stored, audited, and in force for every session at once. */
  setIdleLock(input: { minutes: number }, ctx: RequestContext): { idleLockMinutes: number } {
    const before = this.idleLockMinutes;
    this.db.transaction(() => {
      this.db.run(sql`INSERT INTO meta (key, value) VALUES (${IDLE_LOCK_META}, ${String(input.minutes)}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
      this.audit.append({ at: this.now(), user: ctx.user, desk: ctx.desk, kind: 'settings-changed', detail: { setting: 'idleLockMinutes', from: before, to: input.minutes } });
    });
    this.idleLockMinutes = input.minutes;
    return { idleLockMinutes: this.idleLockMinutes };
  }

  /** The role table, the lock and the idle timeout; returns the context the handler runs with. */
  authorize(name: OperationName, ctx: RequestContext): RequestContext {
    const policy = policyOf(name);
    // A trusted caller keeps the clinician it names (a desk group member answering for its signed-in clinician).
    if (ctx.sessionId === undefined) {
      const role = ctx.role ?? 'manager';
      return { ...ctx, role, clinicianId: role === 'clinician' ? (ctx.clinicianId ?? null) : null };
    }
    const live = this.sessions.get(ctx.sessionId);
    if (live && !live.locked && this.idleFor(live) >= this.idleLockMinutes * 60_000) {
      live.locked = true;
      this.audit.append({ at: this.now(), user: live.username, desk: ctx.desk, kind: 'lock', detail: { reason: 'idle', minutes: this.idleLockMinutes } });
    }
    const active = live && !live.locked ? live : null;
    if (!policy.session) return { ...ctx, user: active?.username ?? ctx.user, role: active?.role ?? null, clinicianId: active?.clinicianId ?? null };
    if (!live) throw new DeskError('unauthenticated', 'sign in first');
    if (live.locked) throw new DeskError('unauthenticated', 'the desk is locked: sign in again to carry on');
    if (!roleMayCall(live.role, policy)) throw new DeskError('forbidden', refusalMessage(live.role, name));
    live.lastActivity = this.clock().getTime();
    return { ...ctx, user: live.username, role: live.role, clinicianId: live.clinicianId };
  }

  session(ctx: RequestContext): SessionInfo {
    const base = { desk: ctx.desk, setupNeeded: this.accountCount() === 0, idleLockMinutes: this.idleLockMinutes };
    if (ctx.sessionId === undefined) {
      const role = ctx.role ?? 'manager';
      return { ...base, user: ctx.user, signedIn: true, displayName: null, role, clinicianId: role === 'clinician' ? (ctx.clinicianId ?? null) : null, locked: false };
    }
    const live = this.sessions.get(ctx.sessionId);
    if (!live) return { ...base, user: ctx.user, signedIn: false, displayName: null, role: null, clinicianId: null, locked: false };
    // A locked session still says who it was, so the lock screen can offer "carry on as Anne"; no patient data flows.
    return { ...base, user: live.username, signedIn: true, displayName: live.displayName, role: live.role, clinicianId: live.clinicianId, locked: live.locked };
  }

  signIn(input: { username: string; secret: string }, ctx: RequestContext): SessionInfo {
    const sessionId = ctx.sessionId;
    if (sessionId === undefined) throw new DeskError('invalid_input', 'sign-in needs a session: use the desk screen or the HTTP server');
    const now = this.clock();
    const throttle = this.db.get<{ failures: number; locked_until: string | null }>(sql`SELECT failures, locked_until FROM sign_in_throttle WHERE username = ${input.username}`);
    if (throttle?.locked_until && Date.parse(throttle.locked_until) > now.getTime()) {
      this.audit.append({ at: now.toISOString(), user: input.username, desk: ctx.desk, kind: 'sign-in-failed', detail: { reason: 'locked-out', until: throttle.locked_until } });
      throw new DeskError('too_many_attempts', `too many failed attempts for ${input.username}: try again after ${throttle.locked_until}, or ask a practice manager`);
    }
    const account = this.account(input.username);
    const matches = verifySecret(input.secret, account?.secret_hash ?? this.decoyHash()) && account !== undefined;
    if (!account || !matches || account.disabled === 1) {
      const failures = (throttle?.failures ?? 0) + 1;
      const lockedUntil =
        failures >= FAILURES_BEFORE_LOCKOUT ? new Date(now.getTime() + Math.min(MAX_LOCKOUT_MS, FIRST_LOCKOUT_MS * 2 ** (failures - FAILURES_BEFORE_LOCKOUT))).toISOString() : null;
      this.db.transaction(() => {
        this.db.run(sql`
          INSERT INTO sign_in_throttle (username, failures, locked_until) VALUES (${input.username}, ${failures}, ${lockedUntil})
          ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`);
        const reason = !account ? 'unknown-user' : account.disabled === 1 && matches ? 'disabled' : 'wrong-secret';
        this.audit.append({ at: now.toISOString(), user: input.username, desk: ctx.desk, kind: 'sign-in-failed', detail: { reason, failures, lockedUntil } });
      });
      // One message for every cause: the screen must not tell a passer-by which usernames exist.
      throw new DeskError('unauthenticated', 'wrong username, password or PIN');
    }
    const previous = this.sessions.get(sessionId) ?? (ctx.replacesSession === undefined ? undefined : this.sessions.get(ctx.replacesSession));
    const kind = previous === undefined ? 'sign-in' : previous.username !== account.username ? 'switch-user' : previous.locked ? 'unlock' : 'sign-in';
    this.db.transaction(() => {
      this.db.run(sql`DELETE FROM sign_in_throttle WHERE username = ${account.username}`);
      this.db.run(sql`UPDATE account SET last_sign_in_at = ${now.toISOString()} WHERE username = ${account.username}`);
      this.audit.append({
        at: now.toISOString(),
        user: account.username,
        desk: ctx.desk,
        kind,
        detail: kind === 'switch-user' ? { from: previous?.username ?? null } : { role: account.role },
      });
    });
    if (ctx.replacesSession !== undefined) this.sessions.delete(ctx.replacesSession);
    this.sessions.set(sessionId, { ...liveFields(account), lastActivity: now.getTime(), locked: false });
    return this.session(ctx);
  }

  signOut(ctx: RequestContext): SessionInfo {
    const live = ctx.sessionId === undefined ? undefined : this.sessions.get(ctx.sessionId);
    if (live && ctx.sessionId !== undefined) {
      this.sessions.delete(ctx.sessionId);
      this.audit.append({ at: this.now(), user: live.username, desk: ctx.desk, kind: 'sign-out', detail: null });
    }
    return this.session(ctx);
  }

  lock(ctx: RequestContext): SessionInfo {
    const live = ctx.sessionId === undefined ? undefined : this.sessions.get(ctx.sessionId);
    if (live && !live.locked) {
      live.locked = true;
      this.audit.append({ at: this.now(), user: live.username, desk: ctx.desk, kind: 'lock', detail: { reason: 'by-hand' } });
    }
    return this.session(ctx);
  }

  /** Drops a session the transport no longer uses (an HTTP cookie replaced at sign-in, a closed window). */
  forget(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  setUpFirstManager(input: { username: string; displayName: string; secret: NewSecret }, ctx: RequestContext): SessionInfo {
    const now = this.now();
    this.db.transaction(() => {
      if (this.accountCount() > 0) throw new DeskError('forbidden', 'the practice already has accounts: a practice manager adds new ones');
      this.insertAccount({ ...input, role: 'manager', clinicianId: null }, now);
      this.audit.append({ at: now, user: input.username, desk: ctx.desk, kind: 'user-added', detail: { username: input.username, role: 'manager', firstRun: true } });
    });
    if (ctx.sessionId !== undefined) {
      this.sessions.set(ctx.sessionId, {
        username: input.username,
        displayName: input.displayName,
        role: 'manager',
        clinicianId: null,
        lastActivity: Date.parse(now),
        locked: false,
      });
      this.audit.append({ at: now, user: input.username, desk: ctx.desk, kind: 'sign-in', detail: { role: 'manager' } });
    }
    return this.session(ctx);
  }

  listUsers(): UserSummary[] {
    return this.db.all<AccountRow>(sql`SELECT * FROM account ORDER BY username`).map((row) => this.summary(row));
  }

  /** A clinician's account is linked to a clinician in the book (clinicianId); no other role may be. */
  addUser(input: { username: string; displayName: string; role: Role; secret: NewSecret; clinicianId?: string | undefined }, ctx: RequestContext): UserSummary {
    const now = this.now();
    return this.db.transaction(() => {
      if (this.account(input.username)) throw new DeskError('conflict', `there is already an account called ${input.username}`);
      const clinicianId = this.checkedLink(input.role, input.clinicianId ?? null);
      this.insertAccount({ ...input, clinicianId }, now);
      this.audit.append({
        at: now,
        user: ctx.user,
        desk: ctx.desk,
        kind: 'user-added',
        detail: { username: input.username, role: input.role, ...(clinicianId === null ? {} : { clinicianId }) },
      });
      return this.summary(this.mustAccount(input.username));
    });
  }

  updateUser(
    input: {
      username: string;
      displayName?: string | undefined;
      role?: Role | undefined;
      clinicianId?: string | null | undefined;
      disabled?: boolean | undefined;
      secret?: NewSecret | undefined;
    },
    ctx: RequestContext,
  ): UserSummary {
    const now = this.now();
    const updated = this.db.transaction(() => {
      const row = this.mustAccount(input.username);
      const role = input.role ?? row.role;
      // Staying a clinician keeps the link unless a new one is given (kept as it is even if the book has since
      // dropped that clinician, so the account can still be renamed or disabled); becoming one needs one; leaving
      // the role drops it.
      const clinicianId =
        input.clinicianId !== undefined
          ? this.checkedLink(role, input.clinicianId)
          : role === 'clinician' && row.role === 'clinician'
            ? row.clinician_id
            : this.checkedLink(role, null);
      const disabled = input.disabled ?? row.disabled === 1;
      if ((role !== 'manager' || disabled) && row.role === 'manager' && row.disabled === 0) {
        const managers = this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM account WHERE role = 'manager' AND disabled = 0`)?.n ?? 0;
        if (managers <= 1) throw new DeskError('conflict', 'this is the last practice manager: add another before changing this one');
      }
      const secretHash = input.secret ? hashSecret(input.secret.value, this.cost) : row.secret_hash;
      const secretKind = input.secret?.kind ?? row.secret_kind;
      this.db.run(sql`
        UPDATE account SET display_name = ${input.displayName ?? row.display_name}, role = ${role}, clinician_id = ${clinicianId}, disabled = ${disabled ? 1 : 0},
          secret_kind = ${secretKind}, secret_hash = ${secretHash}
        WHERE username = ${row.username}`);
      // A manager resetting a secret also lifts a lockout: that is how a locked-out receptionist gets back in.
      if (input.secret) this.db.run(sql`DELETE FROM sign_in_throttle WHERE username = ${row.username}`);
      const changed = (['displayName', 'role', 'clinicianId', 'disabled', 'secret'] as const).filter((k) => input[k] !== undefined);
      // Who a clinician's account works as decides whose patients it sees: every link and unlink is in the trail.
      const link = clinicianId === row.clinician_id ? {} : { clinicianId: { from: row.clinician_id, to: clinicianId } };
      this.audit.append({ at: now, user: ctx.user, desk: ctx.desk, kind: 'user-changed', detail: { username: row.username, changed, ...link } });
      return this.mustAccount(row.username);
    });
    for (const [id, live] of this.sessions) {
      if (live.username !== updated.username) continue;
      if (updated.disabled === 1 || input.secret) this.sessions.delete(id);
      else {
        live.role = updated.role;
        live.clinicianId = updated.clinician_id;
        live.displayName = updated.display_name;
      }
    }
    return this.summary(updated);
  }

  accountCount(): number {
    return this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM account`)?.n ?? 0;
  }

  private insertAccount(input: { username: string; displayName: string; role: Role; clinicianId: string | null; secret: NewSecret }, now: string): void {
    this.db.run(sql`
      INSERT INTO account (username, display_name, role, clinician_id, secret_kind, secret_hash, disabled, created_at)
      VALUES (${input.username}, ${input.displayName}, ${input.role}, ${input.clinicianId}, ${input.secret.kind}, ${hashSecret(input.secret.value, this.cost)}, 0, ${now})`);
  }

  /**
   * The link an account of this role may have: a clinician's must name a clinician the book holds (so their list
   * is theirs, not a typo's empty one), and no other role may have one. Refused as invalid input either way.
   */
  private checkedLink(role: Role, clinicianId: string | null): string | null {
    if (role !== 'clinician') {
      if (clinicianId !== null) throw new DeskError('invalid_input', `only a clinician's account is linked to a clinician: a ${role} has no clinicianId`);
      return null;
    }
    if (clinicianId === null) throw new DeskError('invalid_input', "a clinician's account needs clinicianId: the clinician in the book whose list they work");
    const known = this.db.get<{ id: string }>(sql`SELECT id FROM clinician WHERE id = ${clinicianId}`);
    if (!known) throw new DeskError('invalid_input', `there is no clinician ${clinicianId} in the book: refresh the book, or check the id`);
    return known.id;
  }

  /**
   * A session the desk group's coordinator opened for someone at this desk (it checked their secret), kept here when
   * this desk carries on alone, so a manager who decided that is not signed out by it. Nothing for an account that
   * is unknown or disabled.
   */
  adoptSession(sessionId: string, username: string): void {
    const account = this.account(username);
    if (!account || account.disabled === 1) return;
    this.sessions.set(sessionId, { ...liveFields(account), lastActivity: this.clock().getTime(), locked: false });
  }

  private account(username: string): AccountRow | undefined {
    return this.db.get<AccountRow>(sql`SELECT * FROM account WHERE username = ${username}`);
  }

  private mustAccount(username: string): AccountRow {
    const row = this.account(username);
    if (!row) throw new DeskError('not_found', `no account called ${username}`);
    return row;
  }

  private summary(row: AccountRow): UserSummary {
    const throttle = this.db.get<{ locked_until: string | null }>(sql`SELECT locked_until FROM sign_in_throttle WHERE username = ${row.username}`);
    const lockedUntil = throttle?.locked_until && Date.parse(throttle.locked_until) > this.clock().getTime() ? throttle.locked_until : null;
    return {
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      clinicianId: row.clinician_id,
      secretKind: row.secret_kind,
      disabled: row.disabled === 1,
      createdAt: row.created_at,
      lastSignInAt: row.last_sign_in_at,
      lockedUntil,
    };
  }

  private decoyHash(): string {
    this.decoy ??= hashSecret('decoy-secret-never-matches', this.cost);
    return this.decoy;
  }

  private idleFor(live: LiveSession): number {
    return this.clock().getTime() - live.lastActivity;
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

function liveFields(account: AccountRow): Pick<LiveSession, 'username' | 'displayName' | 'role' | 'clinicianId'> {
  return { username: account.username, displayName: account.display_name, role: account.role, clinicianId: account.clinician_id };
}
