/**
 * Practising an outage (issue 20, item 5). A manager starts a drill: the desk then answers every screen from a
 * sandbox copy of its database (electron/desk/drill), every screen and every printed page says DRILL, and ending it
 * discards the copy. The real database keeps only the drill's report. A drill is this desk's own: it is never
 * forwarded to a desk group's coordinator, and a desk in a group cannot start one.
 */
import { z } from 'zod';
import { Instant } from '../domain/entities';
import type { OperationEntry } from './policy';

/** What the manager says when ending a drill; the rest of the report the desk measures itself. */
export const DrillEndInput = z.strictObject({
  /** Whether the team found the outage pack (the printed or saved pack from the pack folder). */
  packFound: z.boolean(),
  /** Whether they printed from it. */
  packPrinted: z.boolean(),
  /** The problems noted, in the manager's words. */
  problems: z.string().max(4000),
});
export type DrillEndInput = z.infer<typeof DrillEndInput>;

export const DrillReport = z.object({
  id: z.number().int().positive(),
  startedAt: Instant,
  startedBy: z.string(),
  endedAt: Instant.nullable(),
  endedBy: z.string().nullable(),
  /** 'ended' by a manager with a report; 'discarded' when the desk restarted while it ran (no report). */
  outcome: z.enum(['running', 'ended', 'discarded']),
  /** Minutes from the start to the first check-in made in the drill; null when no one was checked in. */
  minutesToFirstCheckIn: z.number().nonnegative().nullable(),
  packFound: z.boolean().nullable(),
  packPrinted: z.boolean().nullable(),
  /** Sheets the desk printed during the drill (each marked DRILL), counted from the drill's own audit trail. */
  sheetsPrinted: z.number().int().nonnegative().nullable(),
  problems: z.string().nullable(),
});
export type DrillReport = z.infer<typeof DrillReport>;

export const DrillState = z.object({
  /** The drill running now, or null. */
  running: DrillReport.nullable(),
  /** The last drill that ended with a report. */
  last: DrillReport.nullable(),
});
export type DrillState = z.infer<typeof DrillState>;

export const DRILL_CONTRACT = {
  /** Whether a drill is running, for every signed-in screen's DRILL band, and the last drill's report. */
  getDrill: {
    input: z.strictObject({}),
    output: DrillState,
    policy: { role: 'desk', reads: true, display: false, room: 'any', session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /** Starts a drill on a sandbox copy of this desk's database. Refused while one runs, and on a desk in a group. */
  startDrill: {
    input: z.strictObject({}),
    output: DrillState,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /** Ends the running drill with the manager's answers: the report is kept, the sandbox deleted. */
  endDrill: {
    input: DrillEndInput,
    output: DrillState,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
} as const satisfies Record<string, OperationEntry>;
