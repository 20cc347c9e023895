/**
 * A paper sheet asked for by name, by someone: checked against who asks and built from the mirror, ready to
 * print. The app's Print dialog asks through main (printSheet); browser mode's /sheets/ routes decide access by
 * the same rule, the catalogue's (shared/sheets/catalogue.ts): who may call the operation that reads what the
 * sheet shows.
 */
import { DeskError } from '../../shared/api';
import { isMergeSheetKind, type SheetName } from '../../shared/sheets/catalogue';
import { sheetReadOperation } from '../../shared/sheets/access';
import { RECOVERY_SHEET } from '../../shared/api/readiness';
import { sheetClinicianFor } from './auth/room-scope';
import type { RequestContext } from './dispatch';
import { mergeSheetDocument } from './merge/output';
import { prepareSheet, PrintInputError, type PrintDocument } from './print';
import type { DeskService } from './service';

export interface SheetRequest {
  /** A sheet of the catalogue, or the key's recovery sheet (a manager's, never in the catalogue: desk/recovery/sheet.ts). */
  sheet: SheetName | typeof RECOVERY_SHEET;
  /** A day's sheets need the day; the merge-back sheets are the outage's. */
  date?: string | undefined;
  clinicianId?: string | null | undefined;
  /** The rest of the day from this London time (HH:MM), for the sheets the catalogue marks restOfDay. */
  from?: string | null | undefined;
}

/**
 * The sheet as it would print now. Throws DeskError: not signed in, not allowed, or a day or clinician it lacks.
 * `service` checks who asks; `reader` is the desk whose day is printed: an outage drill's sandbox while one runs.
 * The recovery sheet is always the real desk's: it is its key.
 */
export function requestedSheet(service: DeskService, request: SheetRequest, ctx: RequestContext, now: Date, reader: DeskService = service): PrintDocument {
  if (request.sheet === RECOVERY_SHEET) return service.recoverySheet(ctx);
  const acting = service.auth.authorize(sheetReadOperation(request.sheet), ctx);
  // A clinician's room prints their own list only, as getDay shows them only theirs (auth/room-scope.ts).
  const clinicianId = sheetClinicianFor(request.sheet, request.clinicianId ?? null, acting);
  if (isMergeSheetKind(request.sheet)) return mergeSheetDocument(reader, request.sheet, now);
  if (request.date === undefined) throw new DeskError('invalid_input', `${request.sheet}: say which day`, { issues: [{ path: 'date', message: 'is required for this sheet' }] });
  try {
    return prepareSheet(reader, request.sheet, request.date, clinicianId, now, request.from ?? null).doc;
  } catch (error) {
    if (error instanceof PrintInputError) throw new DeskError('invalid_input', error.message);
    throw error;
  }
}
