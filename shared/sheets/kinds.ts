/**
 * The sheets' names, as the command line, the outage pack and the contract (printSheet) know them. Imports
 * nothing, so the contract can name the sheets without loading the sheets (which read its schemas).
 */

/** The sheets by their command-line names, in the order the outage pack prints them. */
export const SHEET_KINDS = ['master-list', 'clinician-list', 'walk-in-register', 'callback-list', 'consultation-records'] as const;
export type SheetKind = (typeof SHEET_KINDS)[number];

export function isSheetKind(name: string): name is SheetKind {
  return (SHEET_KINDS as readonly string[]).includes(name);
}

/** Sheets that can be narrowed to one clinician. */
export const PER_CLINICIAN_SHEETS: readonly SheetKind[] = ['clinician-list', 'consultation-records', 'callback-list'];

/** The merge-back sheets: the re-keying worklist and the outage impact report. */
export const MERGE_SHEET_KINDS = ['worklist', 'impact-report'] as const;
export type MergeSheetKind = (typeof MERGE_SHEET_KINDS)[number];
export function isMergeSheetKind(name: string): name is MergeSheetKind {
  return (MERGE_SHEET_KINDS as readonly string[]).includes(name);
}
