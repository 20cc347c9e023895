/**
 * From the desk to print documents: read the day once, build the sheet models, lay them out. Pure apart from
 * the one read, so the pack writer and the `print` command produce the very same pages.
 */
import type { DayView } from '../../../shared/api';
import { buildSheet, SheetInput, walkInsOfDay, type SheetKind, type SheetOptions, type WalkInEntry } from '../../../shared/sheets';
import { renderSheet, type PrintDocument } from './html';
import { ROWS_PER_PAGE } from './layout';

/** What printing needs from the desk: DeskService has it. */
export interface DayReader {
  getDay(date: string, clinicianId: string | null): DayView;
}

/** The walk-ins default to those registered at the desk that day (appointments of origin walk_in). */
export function sheetInputOf(day: DayView, printedAt: Date, walkIns: readonly WalkInEntry[] = walkInsOfDay(day)): SheetInput {
  const { journalSeq: _journalSeq, ...rest } = day;
  // Parsed, not cast: the sheets trust their input, so this is where a malformed day would be caught.
  return SheetInput.parse({ ...rest, printedAt: printedAt.toISOString(), walkIns: [...walkIns] });
}

/** The day as every sheet reads it; with `from` (HH:MM, checked by the caller), the rest of the day from then. */
export function readSheetInput(desk: DayReader, date: string, printedAt: Date, from: string | null = null): SheetInput {
  const input = sheetInputOf(desk.getDay(date, null), printedAt);
  return from === null ? input : { ...input, from };
}

/** Blank walk-in rows to fill whole pages: at least two pages' worth and always ten free rows. */
export function walkInBlankRows(registered: number): number {
  const perPage = ROWS_PER_PAGE.walkIn;
  const pages = Math.max(2, Math.ceil((registered + 10) / perPage));
  return pages * perPage - registered;
}

export function sheetDocument(kind: SheetKind, input: SheetInput, options: Pick<SheetOptions, 'clinicianId'> = {}): PrintDocument {
  const sheetOptions: SheetOptions = { clinicianId: options.clinicianId ?? null };
  if (kind === 'walk-in-register') sheetOptions.blankRows = walkInBlankRows(input.walkIns.length);
  return renderSheet(buildSheet(kind, input, sheetOptions));
}
