/**
 * Undoing a batch as the one decision it was (issue 18 item 8): a session's no-shows marked DNA together
 * (markSessionDna) are put back together, with one keypress, rather than one appointment at a time.
 */
import { z } from 'zod';
import { Appointment } from '../domain/entities';
import type { OperationEntry } from './policy';

export const BATCH_UNDO_CONTRACT = {
  /**
   * Puts every appointment of a session-DNA batch (markSessionDna's batchId) back exactly as it was before, in one
   * transaction, each journalled as its own undo (merge-back then sees no change for any of them). Refused whole,
   * nothing changed, when any of them changed since the batch (a patient who turned up and was checked in, say):
   * the message names which, by time; the rest can still be undone one at a time.
   */
  undoSessionDna: {
    input: z.strictObject({ batchId: z.string().trim().min(1).max(100) }),
    output: z.object({ batchId: z.string(), appointments: z.array(Appointment) }),
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, changesBook: true },
  },
} as const satisfies Record<string, OperationEntry>;
