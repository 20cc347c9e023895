/**
 * A member's way in for its own screens (ADR 0011): changes go to the coordinator, which checks each person's
 * session; the group's own operations, and reads while the coordinator is lost, are answered here for the person
 * the coordinator said is signed in at this desk (it remembers them: sessions live at the coordinator).
 */
import { DeskError, policyOf, roleMayCall, refusalMessage, type OperationName, type Result, type Role, type SessionInfo } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { OpenDesk } from '../open';
import type { MemberRole } from './member';

export class MemberDesk {
  /** Sessions signed in at this desk, as the coordinator answered them. */
  private readonly sessions = new Map<string, SessionInfo>();

  constructor(private readonly desk: OpenDesk) {}

  /** Who the coordinator said is signed in here, by session: kept on this desk if it carries on alone. */
  signedIn(): Array<[string, string]> {
    return [...this.sessions].filter(([, s]) => s.signedIn).map(([id, s]) => [id, s.user]);
  }

  async dispatch(name: OperationName, input: unknown, ctx: RequestContext, member: MemberRole | null): Promise<Result<unknown>> {
    const policy = policyOf(name);
    if (policy.thisDesk === true) return this.asSignedIn(name, input, ctx, member);
    if (member && member.state === 'connected') {
      const result = await member.forward(name, input, ctx);
      this.rememberSession(name, ctx, result);
      return result;
    }
    if (name === 'getSession') return { ok: true, value: this.cachedSession(ctx) };
    if (policy.reads) return this.asSignedIn(name, input, ctx, member);
    return { ok: false, error: (member?.unavailable() ?? new DeskError('unavailable', 'The group link is not running.')).toShape() };
  }

  /** Runs here as the person signed in at this desk (the coordinator checked their secret; this desk remembers). */
  private async asSignedIn(name: OperationName, input: unknown, ctx: RequestContext, member: MemberRole | null): Promise<Result<unknown>> {
    const policy = policyOf(name);
    if (ctx.sessionId === undefined) return this.desk.dispatch(name, input, ctx);
    let session = this.sessions.get(ctx.sessionId);
    if (!session && member?.state === 'connected') {
      const asked = await member.forward('getSession', {}, ctx);
      this.rememberSession('getSession', ctx, asked);
      session = this.sessions.get(ctx.sessionId);
    }
    if (!policy.session) {
      const active = session?.signedIn === true && !session.locked && session.role !== null ? session : null;
      // Nobody signed in: the browser's own session id goes on, unknown to this desk's auth, so the call runs with no
      // role. A context without one is the in-process callers' (the CLI's): it would run as a practice manager.
      if (active === null) return this.desk.dispatch(name, input, ctx);
      return this.desk.dispatch(name, input, { user: active.user, desk: ctx.desk, role: active.role, clinicianId: active.clinicianId });
    }
    if (!session || !session.signedIn || session.role === null) return { ok: false, error: { code: 'unauthenticated', message: 'Sign in at this desk first.' } };
    if (session.locked) return { ok: false, error: { code: 'unauthenticated', message: 'This desk is locked: sign in again.' } };
    const role: Role = session.role;
    if (!roleMayCall(role, policy)) return { ok: false, error: { code: 'forbidden', message: refusalMessage(role, name) } };
    // The clinician goes with the role: this desk's dispatcher narrows a clinician to their own list, as the
    // coordinator's does for the calls it carries out.
    return this.desk.dispatch(name, input, { user: session.user, desk: ctx.desk, role, clinicianId: session.clinicianId });
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
    return (
      known ?? {
        user: ctx.user,
        desk: ctx.desk,
        signedIn: false,
        displayName: null,
        role: null,
        clinicianId: null,
        locked: false,
        setupNeeded: false,
        idleLockMinutes: this.desk.service.auth.idleLockMinutes,
      }
    );
  }
}
