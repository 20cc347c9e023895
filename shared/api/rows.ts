/**
 * Shapes several parts of the contract answer with: an appointment with its patient (a row of the day), and a free
 * slot with whose it is. Kept apart from contract.ts so the parts it spreads (booking.ts, backlog.ts) can use them
 * without importing the contract that imports them.
 */
import { z } from 'zod';
import { Appointment, Clinician, Patient, Slot } from '../domain/entities';

export const AppointmentRow = Appointment.extend({ patient: Patient });
export type AppointmentRow = z.infer<typeof AppointmentRow>;

export const FreeSlot = z.object({
  slot: Slot,
  clinician: Clinician,
  room: z.string().nullable(),
  sessionLabel: z.string().nullable(),
});
export type FreeSlot = z.infer<typeof FreeSlot>;
