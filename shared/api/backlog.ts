/**
 * After the outage (issue 21): the rebooking assistant. getBacklog proposes a free slot for every patient still on
 * the callback list (shared/domain/backlog.ts says how); a person reviews the list and books all of it or each
 * one, changing any slot, through acceptBacklog. Each booking is a rebooking (journalled 'appointment.rebook',
 * merged back as a create with its identifier), taken only through the desk's one slot check, so a slot taken
 * meanwhile is refused for that patient alone and the others are still booked.
 */
import { z } from 'zod';
import { Id, Instant, LocalDateSchema } from '../domain/entities';
import { CONTACT_LIST_FORMATS } from '../merge/contact-list';
import type { OperationEntry } from './policy';
import { AppointmentRow, FreeSlot } from './rows';

/** How far ahead the assistant looks when the practice has not said: GP Connect's own search window. */
export const DEFAULT_BACKLOG_WINDOW_DAYS = 14;
/** The most one acceptance books: a whole outage day's list is a few hundred. */
const MAX_ACCEPTED = 1000;

export const BacklogItem = z.object({
  /** The cancelled or missed appointment, with its patient. */
  appointment: AppointmentRow,
  clinicianName: z.string(),
  timeSensitive: z.boolean(),
  /** The slot proposed, or null when none could be found (reason says why: they stay on the callback list). */
  proposal: FreeSlot.nullable(),
  sameClinician: z.boolean(),
  reason: z.string().nullable(),
});
export type BacklogItem = z.infer<typeof BacklogItem>;

export const BacklogView = z.object({
  /** The first day searched (the desk's today) and the last. */
  from: LocalDateSchema,
  to: LocalDateSchema,
  windowDays: z.number().int(),
  items: z.array(BacklogItem),
});
export type BacklogView = z.infer<typeof BacklogView>;

// Nonnegative like every other expectedVersion (SeenVersion): an appointment read from the clinical system and
// never changed at the desk (cancelled there before the outage) is at version 0.
export const BacklogAcceptance = z.strictObject({ appointmentId: Id, expectedVersion: z.number().int().nonnegative(), slotId: Id });

export const BacklogOutcome = z.object({
  booked: z.array(z.object({ appointmentId: Id, booked: AppointmentRow })),
  /** Refused one by one (a slot taken meanwhile, the appointment changed since): the others are still booked. */
  refused: z.array(z.object({ appointmentId: Id, slotId: Id, message: z.string() })),
});
export type BacklogOutcome = z.infer<typeof BacklogOutcome>;

export const ContactListExport = z.object({
  fileName: z.string(),
  /** The CSV, header row first. */
  content: z.string(),
  /** The outages' days the list covers. */
  dates: z.array(LocalDateSchema),
  included: z.number().int(),
  excluded: z.array(z.object({ patientId: Id, name: z.string(), reason: z.string() })),
});

export const BACKLOG_CONTRACT = {
  getBacklog: {
    input: z.strictObject({ windowDays: z.number().int().min(1).max(90).optional() }),
    output: BacklogView,
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /**
   * Books the accepted proposals, each as a rebooking. Not a changesBook operation: it is the week after's work,
   * done while the clinical system is up, and its bookings go to it through merge-back like the outage's own.
   */
  acceptBacklog: {
    input: z.strictObject({ items: z.array(BacklogAcceptance).min(1, 'nothing to book').max(MAX_ACCEPTED) }),
    output: BacklogOutcome,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /**
   * The batch-message list (shared/merge/contact-list.ts) for Accurx's EMIS or SystmOne upload or as a plain CSV:
   * patient-identifiable, so a manager's, and audited (counts only in the audit).
   */
  exportContactList: {
    input: z.strictObject({ format: z.enum(CONTACT_LIST_FORMATS) }),
    output: ContactListExport,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** A patient does not want messages from the practice (left out of every batch-message list); audited. */
  setMessagePreference: {
    input: z.strictObject({ patientId: Id, declinesMessages: z.boolean() }),
    output: z.object({ patientId: Id, declinesMessages: z.boolean(), at: Instant }),
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
} as const satisfies Record<string, OperationEntry>;
