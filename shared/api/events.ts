/** Change events pushed to every open view (SSE in browser mode, IPC in the app). */
import { z } from 'zod';
import { Appointment, Instant } from '../domain/entities';

export const DeskEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('appointment.changed'),
    seq: z.number().int(),
    appointment: Appointment,
    user: z.string(),
    desk: z.string(),
  }),
  z.object({ kind: z.literal('mirror.replaced'), seq: z.number().int(), asOf: Instant.nullable() }),
]);
export type DeskEvent = z.infer<typeof DeskEvent>;
