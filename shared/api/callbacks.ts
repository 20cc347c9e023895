/**
 * Working the callback list (issue 18): each try at phoning a patient back, with who and when, and the practice's
 * rule for when an arrival is Late. The attempts are carried on the callback list's entries (CallbackEntry) and on
 * the day (DayView.callbackAttempts), so the screen and the printed list show the same people and the same tries.
 */
import { z } from 'zod';
import { Id, Instant } from '../domain/entities';
import { DEFAULT_LATE_AFTER_MINUTES, LATE_AFTER_MINUTES_MAX } from '../domain/queue';
import { CALLBACK_OUTCOMES, CONTACT_STATUSES } from '../domain/reception';
import type { OperationEntry } from './policy';

const CallbackOutcomeSchema = z.enum(CALLBACK_OUTCOMES);

/** One try at calling a patient back about an appointment they missed or that was cancelled. */
export const CallbackAttempt = z.object({
  id: z.string(),
  appointmentId: Id,
  outcome: CallbackOutcomeSchema,
  /** What was said or agreed ("rebooked by phone for Thursday"), if anything. */
  note: z.string().nullable(),
  /** By the desk's clock. */
  at: Instant,
  user: z.string(),
  desk: z.string(),
});
export type CallbackAttempt = z.infer<typeof CallbackAttempt>;

/** What came of messaging a patient about their cancelled or missed appointment (contact tracking, issue 21). */
export const PatientContact = z.object({
  id: z.string(),
  appointmentId: Id,
  status: z.enum(CONTACT_STATUSES),
  note: z.string().nullable(),
  at: Instant,
  user: z.string(),
  desk: z.string(),
});
export type PatientContact = z.infer<typeof PatientContact>;

/** The practice's rules for the day's board: when a patient checking in counts as Late. */
export const DaySettings = z.strictObject({
  /**
   * A booked patient who checks in more than this many minutes after their time is offered as Late. null: the
   * practice keeps no Late rule, and the desk never asks (overdue patients are still said to be so on the board).
   */
  lateAfterMinutes: z.number().int().min(0).max(LATE_AFTER_MINUTES_MAX).nullable(),
});
export type DaySettings = z.infer<typeof DaySettings>;

export const DEFAULT_DAY_SETTINGS: DaySettings = { lateAfterMinutes: DEFAULT_LATE_AFTER_MINUTES };

export const CALLBACK_CONTRACT = {
  /**
   * Records a try at calling back a patient on the callback list. Kept in the desk's own table and the audit
   * trail, not journalled: it is the practice's working record, not a change to the clinical record, so merge-back
   * has nothing to write for it. Refused for an appointment that is not on the callback list.
   */
  recordCallbackAttempt: {
    input: z.strictObject({
      appointmentId: Id,
      outcome: CallbackOutcomeSchema,
      note: z.string().trim().max(500).optional(),
    }),
    output: CallbackAttempt,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /**
   * Records what came of messaging a patient on the callback list (sent, replied, rebooked, could not reach): kept
   * like the callback attempts, beside them, and in the audit trail; not journalled. Rebooked closes the callback.
   */
  recordPatientContact: {
    input: z.strictObject({
      appointmentId: Id,
      status: z.enum(CONTACT_STATUSES),
      note: z.string().trim().max(500).optional(),
    }),
    output: PatientContact,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  getDaySettings: {
    input: z.strictObject({}),
    output: DaySettings,
    policy: { role: 'desk', reads: true, display: false, room: 'any', session: true, runsIn: 'desk', standalone: true },
  },
  /** The practice's Late rule; a manager's, audited (settings-changed). */
  setDaySettings: {
    input: DaySettings,
    output: DaySettings,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
} as const satisfies Record<string, OperationEntry>;
