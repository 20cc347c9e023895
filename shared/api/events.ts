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
  /** Merge-back's progress: reading upstream, applying (done of total), finished or failed. */
  z.object({
    kind: z.literal('merge.progress'),
    /** The journal position when sent (transports use it as the event id); progress itself is not journalled. */
    seq: z.number().int(),
    runId: z.string(),
    phase: z.enum(['reading', 'applying', 'finished', 'failed']),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    message: z.string().nullable(),
  }),
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
    case 'merge.progress':
      return null;
    default:
      throw missingCaseError(event);
  }
}

/**
 * What a clinician's room is sent for an event: changes to their own list (and the pings every view gets), never
 * another clinician's patients nor merge-back's progress. Transports send a clinician's session this and only this,
 * as the dispatcher answers them only about their own list (policy `room: 'own'`).
 */
export function roomEventOf(event: DeskEvent, clinicianId: string): DeskEvent | null {
  switch (event.kind) {
    case 'appointment.changed':
      return event.appointment.clinicianId === clinicianId ? event : null;
    case 'mirror.replaced':
    case 'display.changed':
      return event;
    case 'merge.progress':
      return null;
    default:
      throw missingCaseError(event);
  }
}
