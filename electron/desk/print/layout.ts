/**
 * Page geometry in millimetres, in one place: the print CSS is written from these numbers and the tests
 * predict page counts from them. Rows have a fixed minimum height so a list paginates predictably and
 * leaves room to write; a row only grows when a patient has more flags than fit (never clipped: a hidden
 * safety flag is worse than an extra page).
 */
import type { SheetKind } from '../../../shared/sheets';

export type Orientation = 'portrait' | 'landscape';

export const A4_MM = { short: 210, long: 297 } as const;

export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Top holds the two-line page header (practice, date, sheet, printed at, mirror as of); bottom the footer. */
export const MARGIN_MM: Margins = { top: 21, bottom: 13, left: 10, right: 10 };

/**
 * How a sheet's pages are framed. 'chromium': the frame is Chromium's header and footer templates, the only
 * way to number pages of a flowing table. 'body': the sheet is one fixed page per item, so the frame is
 * printed in the page itself with its page number known in advance; this halves the time to print a day of
 * consultation records, because Chromium lays out a header template separately for every page.
 */
export interface PageStyle {
  orientation: Orientation;
  margin: Margins;
  frame: 'chromium' | 'body';
}

export const PAGE_STYLE: Record<SheetKind, PageStyle> = {
  'clinician-list': { orientation: 'landscape', margin: MARGIN_MM, frame: 'chromium' },
  'master-list': { orientation: 'landscape', margin: MARGIN_MM, frame: 'chromium' },
  'walk-in-register': { orientation: 'landscape', margin: MARGIN_MM, frame: 'chromium' },
  'callback-list': { orientation: 'landscape', margin: MARGIN_MM, frame: 'chromium' },
  'consultation-records': { orientation: 'portrait', margin: { top: 10, bottom: 10, left: 10, right: 10 }, frame: 'body' },
};

export function contentBox(style: PageStyle): { width: number; height: number } {
  const width = style.orientation === 'landscape' ? A4_MM.long : A4_MM.short;
  const height = style.orientation === 'landscape' ? A4_MM.short : A4_MM.long;
  return { width: width - style.margin.left - style.margin.right, height: height - style.margin.top - style.margin.bottom };
}

/** Heights of table parts; the header rows repeat on every page. */
export const TABLE_MM = {
  caption: 10,
  columnHead: 8,
  clinicianListRow: 12.6,
  masterListRow: 8.2,
  walkInRow: 11.7,
  callbackRow: 13.8,
} as const;

/**
 * A consultation record's blocks, top to bottom (frame, identity, appointment, notes, fields, footer, with
 * 2.5 mm gaps); they sum to a little under the page (277 mm) so a record can never spill onto a second page.
 */
export const RECORD_MM = { page: 276, frame: 12, top: 46, appointment: 22, notes: 138, field: 13, foot: 6, noteLine: 8.5 } as const;

/** Rows that fit one page under the repeating header rows (caption + column heads, or column heads only). */
export function rowsPerPage(rowMm: number, kind: SheetKind, withCaption: boolean): number {
  const head = TABLE_MM.columnHead + (withCaption ? TABLE_MM.caption : 0);
  return Math.floor((contentBox(PAGE_STYLE[kind]).height - head) / rowMm);
}

export const ROWS_PER_PAGE = {
  clinicianList: rowsPerPage(TABLE_MM.clinicianListRow, 'clinician-list', true),
  masterList: rowsPerPage(TABLE_MM.masterListRow, 'master-list', false),
  walkIn: rowsPerPage(TABLE_MM.walkInRow, 'walk-in-register', true),
  callback: rowsPerPage(TABLE_MM.callbackRow, 'callback-list', true),
} as const;
