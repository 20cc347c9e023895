import type { z } from 'zod';

/**
 * What each contract operation may do and where: declared once, on the operation's own entry in the contract
 * (contract.ts, auth.ts, shared/merge/schemas.ts), and read by everything that used to keep its own list: the
 * role table (roles.ts), the IPC handler and main's split of work (electron/main), the HTTP routes
 * (electron/server), the preload, the renderer's display client and the fuzz suite. Free of run-time imports so every
 * part of shared/ can use it without a cycle.
 */

/**
 * Who may call an operation, checked by the desk's dispatcher whichever transport carried the call:
 *   public   - no sign-in needed: signing in itself, the session, and the waiting-room display (which by design
 *              gets only ticket numbers or initials; see hazard H8)
 *   desk     - any signed-in, unlocked reception or manager account: running the desk; a clinician only where
 *              the operation's `room` allows (RoomAccess)
 *   manager  - practice managers only: accounts, the audit trail, exports, imports, reconciliation, settings
 */
export type Access = 'public' | 'desk' | 'manager';

/**
 * What a clinician signed in at their room may do with an operation (issue 17):
 *   false - nothing: reception's and managers' work
 *   'any' - call it as anyone may (the practice's room settings, the display board)
 *   'own' - only about their own list: the dispatcher checks, after parsing, that the input's appointmentId is one
 *           of their appointments, or that its clinicianId is theirs (filled in when absent). An 'own' operation
 *           whose input names neither is refused, so a new operation cannot leak another list by omission.
 */
export type RoomAccess = false | 'any' | 'own';

/** The process that carries an operation out: the desk process (the database), or the app's main process. */
export type RunsIn = 'desk' | 'main';

export interface OperationPolicy {
  readonly role: Access;
  /** Changes nothing (an audited export or print is a change: it writes the audit trail). Safe to retry. */
  readonly reads: boolean;
  /** The waiting-room display may call it. It is on a public screen, so only what shows no patient detail. */
  readonly display: boolean;
  /** Whether and how a clinician in their room may call it (RoomAccess). */
  readonly room: RoomAccess;
  /** Needs a signed-in, unlocked session; false exactly for the public operations. */
  readonly session: boolean;
  readonly runsIn: RunsIn;
  /** A desk cut off from its group may run it on its own (today every desk is alone, so all of them). */
  readonly standalone: boolean;
  /**
   * Answered by the desk that was asked, never forwarded to the group's coordinator (shared/api/group.ts): the
   * group's own controls. Every other operation from a member is carried out by the coordinator (ADR 0011).
   */
  readonly thisDesk?: true;
  /**
   * Changes the appointment book or a patient at the desk: what merge-back puts back, and what the practice's rule
   * for changes while the clinical system is up (shared/api/desk-settings.ts) warns about or refuses.
   */
  readonly changesBook?: true;
}

/**
 * How the waiting-room display names itself over HTTP (its X-Standby-Desk header): the server answers such a
 * caller only what policy.display allows. In the app, main knows the display window by its webContents.
 */
export const DISPLAY_DESK_ID = 'waiting-room';

/** One operation of the contract: its input, its output and its policy. Every entry must have all three. */
export interface OperationEntry {
  readonly input: z.ZodType;
  readonly output: z.ZodType;
  readonly policy: OperationPolicy;
}
