/**
 * Booking a new appointment at the desk (issue 18) for a patient who phones or comes in: into a free slot the
 * mirror holds, journalled as 'appointment.book' and merged back as a create with its identifier, as walk-ins and
 * rebookings are (shared/merge/plan.ts).
 */
import { z } from 'zod';
import { AppointmentType, Id } from '../domain/entities';
import { AppointmentRow } from './rows';
import type { OperationEntry } from './policy';

export const BookAppointmentInput = z.strictObject({
  patientId: Id,
  slotId: Id,
  /** Face to face unless the receptionist books a telephone, video or home visit. */
  type: AppointmentType.optional(),
  /** What the patient wants to be seen about, in their words. */
  reason: z.string().trim().max(500).optional(),
});
export type BookAppointmentInput = z.infer<typeof BookAppointmentInput>;

export const BOOKING_CONTRACT = {
  /** Refused (a conflict) when the slot was taken meanwhile: a slot is never double-booked. */
  bookAppointment: {
    input: BookAppointmentInput,
    output: AppointmentRow,
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
} as const satisfies Record<string, OperationEntry>;
