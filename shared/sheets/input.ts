/**
 * What every sheet is computed from: the day as the desk sees it (the contract's DayView, less the journal
 * position), when it is being printed, and the walk-ins already registered. Sheets are pure functions of this,
 * so the on-screen preview, the printed page and the PDF all come from the same input.
 */
import { z } from 'zod';
import { Instant, LocalDateSchema } from '../domain/entities';
import { isLocalTime } from '../domain/time';
import { DayView } from '../api/contract';

/**
 * A walk-in as the register prints it. There is no walk-in entity in the mirror yet; this is the shape the
 * sheet needs, kept loose (free text) because a walk-in may be unknown to the practice.
 */
export const WalkInEntry = z.object({
  name: z.string().max(200),
  dateOfBirth: LocalDateSchema.nullable(),
  phone: z.string().max(40).nullable(),
  nhsNumber: z.string().max(20).nullable(),
  reason: z.string().max(500).nullable(),
  triage: z.string().max(100).nullable(),
  clinician: z.string().max(200).nullable(),
  timeIn: Instant.nullable(),
  timeOut: Instant.nullable(),
  /** Registered for a short stay: marked TR on the register as on every other sheet. */
  temporaryResident: z.boolean().default(false),
});
export type WalkInEntry = z.input<typeof WalkInEntry>;

export const SheetInput = DayView.omit({ journalSeq: true }).extend({
  /** The moment of printing; every page shows it in London time, and staleness is measured against it. */
  printedAt: Instant,
  walkIns: z.array(WalkInEntry).default([]),
  /**
   * "Rest of the day": a London time (HH:MM) on the sheet's day from which the sheet runs; absent, the whole day.
   * Only the sheets the catalogue marks restOfDay take it (prepareSheet refuses it for the others).
   */
  from: z.string().refine(isLocalTime, { message: 'must be a time as HH:MM' }).optional(),
});
export type SheetInput = z.output<typeof SheetInput>;
