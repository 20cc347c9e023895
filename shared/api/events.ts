/**
 * Change events pushed to every open view (SSE in browser mode, IPC in the app).
 *
 * The waiting-room display gets only `display.changed`, a bare "read the board again" with no patient data:
 * transports send a display subscriber nothing else (displayEventOf), so a screen in a public room never
 * receives what it does not show.
 */
import { z } from 'zod';
import { Appointment, Instant, Patient } from '../domain/entities';
import { missingCaseError } from '../domain/status';

export const DeskEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('appointment.changed'),
    seq: z.number().int(),
    appointment: Appointment,
    /** Present when the appointment is new (a walk-in, a rebooking), so a view can show it without a re-read. */
    patient: Patient.optional(),
    user: z.string(),
    desk: z.string(),
  }),
  z.object({ kind: z.literal('mirror.replaced'), seq: z.number().int(), asOf: Instant.nullable() }),
  z.object({ kind: z.literal('display.changed'), seq: z.number().int() }),
]);
export type DeskEvent = z.infer<typeof DeskEvent>;

export type DisplayEvent = Extract<DeskEvent, { kind: 'display.changed' }>;

/**
 * What a waiting-room display is sent for an event: a bare ping when its board may have changed (a call made or
 * undone, a new book), nothing otherwise. Transports send display subscribers this and only this.
 */
export function displayEventOf(event: DeskEvent): DisplayEvent | null {
  switch (event.kind) {
    case 'display.changed':
      return event;
    case 'mirror.replaced':
      return { kind: 'display.changed', seq: event.seq };
    case 'appointment.changed':
      return null;
    default:
      throw missingCaseError(event);
  }
}
