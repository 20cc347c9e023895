/**
 * A paper sheet asked for by name, by someone: checked against who asks and built from the mirror, ready to
 * print. The app's Print dialog asks through main (printSheet); browser mode's /sheets/ routes decide access by
 * the same rule.
 */
import { DeskError, type OperationName } from '../../shared/api';
import { isMergeSheetKind, type MergeSheetKind, type SheetKind } from '../../shared/sheets/kinds';
import type { RequestContext } from './dispatch';
import { mergeSheetDocument } from './merge/output';
import { prepareSheet, PrintInputError, type PrintDocument } from './print';
import type { DeskService } from './service';

/** Who may have a sheet is who may read what it shows: a day's sheets are the day; the impact report is the manager's. */
const MERGE_SHEET_OPERATION: Record<MergeSheetKind, OperationName> = { worklist: 'getWorklist', 'impact-report': 'getImpactReport' };
export function sheetReadOperation(kind: SheetKind | MergeSheetKind): OperationName {
  return isMergeSheetKind(kind) ? MERGE_SHEET_OPERATION[kind] : 'getDay';
}

export interface SheetRequest {
  sheet: SheetKind | MergeSheetKind;
  /** A day's sheets need the day; the merge-back sheets are the outage's. */
  date?: string | undefined;
  clinicianId?: string | null | undefined;
}

/** The sheet as it would print now. Throws DeskError: not signed in, not allowed, or a day or clinician it lacks. */
export function requestedSheet(service: DeskService, request: SheetRequest, ctx: RequestContext, now: Date): PrintDocument {
  service.auth.authorize(sheetReadOperation(request.sheet), ctx);
  if (isMergeSheetKind(request.sheet)) return mergeSheetDocument(service, request.sheet, now);
  if (request.date === undefined) throw new DeskError('invalid_input', `${request.sheet}: say which day`, { issues: [{ path: 'date', message: 'is required for this sheet' }] });
  try {
    return prepareSheet(service, request.sheet, request.date, request.clinicianId ?? null, now).doc;
  } catch (error) {
    if (error instanceof PrintInputError) throw new DeskError('invalid_input', error.message);
    throw error;
  }
}
