/**
 * A clinician in their room works their own list only (issue 17). The role table (authorize) has already refused
 * every operation whose policy.room is false; this runs after the input is parsed, for a clinician's calls only
 * (dispatch.ts: DispatchOptions.scope), and decides on the parsed input what no role table can: whose patient it is.
 *
 *   'any' - the input goes through unchanged (so do the public operations: signing in and out, the session).
 *   'own' - an appointmentId must be one of the clinician's appointments in the mirror; a clinicianId must be theirs;
 *           an operation that may name a clinician but was not given one (getDay) is narrowed to theirs; an
 *           operation that names neither is refused, so a new 'own' operation cannot show another list by omission.
 *
 * Which statuses a clinician may set is decided here too: it is about who may do it, not about the status machine.
 */
import { z } from 'zod';
import { readRoomSettings } from '../actions/room-settings';
import { contract, DeskError, policyOf, refusalMessage, roleMayCall, ROOM_STATUSES, type DeskErrorShape, type OperationName } from '../../../shared/api';
import { DESK_STATUS_LABEL, DeskStatus } from '../../../shared/domain';
import { parseSheetUrl, SHEET_CATALOGUE, type SheetName } from '../../../shared/sheets/catalogue';
import type { RequestContext } from '../dispatch';
import { sql, type Db } from '../store/sql';

/** The dispatcher's scope hook (DispatchOptions.scope) for a desk on this database. */
type RoomScope = (name: OperationName, input: unknown, ctx: RequestContext) => unknown;

export function createRoomScope(db: Db): RoomScope {
  return (name, input, ctx) => scopeToRoom(db, name, input, ctx);
}

const NOT_YOURS = "that appointment is not on your list: a clinician's room sees and acts on their own patients only";

function scopeToRoom(db: Db, name: OperationName, input: unknown, ctx: RequestContext): unknown {
  const policy = policyOf(name);
  // authorize() refuses these before parsing; refused here too, so a dispatcher without it still fails closed.
  if (!roleMayCall('clinician', policy)) throw new DeskError('forbidden', refusalMessage('clinician', name));
  // 'any', and the public operations (signing in and out, the session) that are no one's list.
  if (policy.room !== 'own') return input;
  const own = ctx.clinicianId ?? null;
  if (own === null) throw new DeskError('forbidden', 'this account is not linked to a clinician in the book: a practice manager links it');
  const fields = isRecord(input) ? input : {};
  const appointmentId = fields['appointmentId'];
  const named = fields['clinicianId'];
  const mayName = namesClinician(name);
  if (typeof appointmentId !== 'string' && !mayName) {
    throw new DeskError('forbidden', `${name} cannot be checked against a clinician's own list, so a clinician's room may not call it`);
  }
  if (typeof appointmentId === 'string') {
    const appointment = db.get<{ clinician_id: string }>(sql`SELECT clinician_id FROM appointment WHERE id = ${appointmentId}`);
    if (!appointment) throw new DeskError('not_found', `no appointment with id "${appointmentId}"`);
    if (appointment.clinician_id !== own) throw new DeskError('forbidden', NOT_YOURS);
  }
  if (typeof named === 'string' && named !== own) throw new DeskError('forbidden', "that is another clinician's list: a clinician's room sees their own only");
  if (name === 'setAppointmentStatus') checkRoomStatus(db, fields['status']);
  // Not named (or named as nobody, should a schema allow null): theirs, never "everyone's".
  return mayName && (named === undefined || named === null) ? { ...fields, clinicianId: own } : input;
}

/**
 * The clinician a paper sheet is narrowed to. A sheet carries the same patients as the operation it is read via
 * (getDay), so a clinician gets their own list on paper too: a sheet of one clinician's, theirs (filled in when not
 * named); a sheet of the whole practice (the master list, the walk-in register) is refused. Anyone else gets
 * what they asked for. Throws DeskError('forbidden').
 */
export function sheetClinicianFor(sheet: SheetName, requested: string | null, caller: Pick<RequestContext, 'role' | 'clinicianId'>): string | null {
  if (caller.role !== 'clinician') return requested;
  const own = caller.clinicianId ?? null;
  if (own === null) throw new DeskError('forbidden', 'this account is not linked to a clinician in the book: a practice manager links it');
  if (!SHEET_CATALOGUE[sheet].perClinician) throw new DeskError('forbidden', `the ${SHEET_CATALOGUE[sheet].title} is the whole practice's: reception prints it`);
  if (requested !== null && requested !== own) throw new DeskError('forbidden', "that is another clinician's list: a clinician's room sees their own only");
  return own;
}

/**
 * Browser mode's /sheets/ addresses for a signed-in caller: a clinician's ?clinician= is narrowed to their own (set
 * on `url`), or the refusal when the sheet is not theirs to have; null for everyone else and for addresses that
 * name no sheet (the routes answer those).
 */
export function roomSheetRefusal(url: URL, caller: Pick<RequestContext, 'role' | 'clinicianId'>): DeskErrorShape | null {
  const parsed = parseSheetUrl(url.pathname, url.searchParams);
  if (!parsed.ok || caller.role !== 'clinician') return null;
  try {
    const own = sheetClinicianFor(parsed.sheet, parsed.query.clinicianId, caller);
    if (own !== null) url.searchParams.set('clinician', own);
    return null;
  } catch (error) {
    if (error instanceof DeskError) return error.toShape();
    throw error;
  }
}

/** Whether the operation's input may name a clinician (and so can be narrowed to the caller's own). */
function namesClinician(name: OperationName): boolean {
  const schema: z.ZodType = contract[name].input;
  return schema instanceof z.ZodObject && 'clinicianId' in schema.shape;
}

const ROOM_STATUS_SET: ReadonlySet<string> = new Set(ROOM_STATUSES);

/** A clinician calls and finishes; reception checks in, cancels and rebooks. DNA only where the practice allows. */
function checkRoomStatus(db: Db, status: unknown): void {
  if (typeof status !== 'string' || !ROOM_STATUS_SET.has(status)) {
    const known = DeskStatus.safeParse(status);
    const label = known.success ? DESK_STATUS_LABEL[known.data] : String(status);
    throw new DeskError('forbidden', `${label} is for reception: from a clinician's room you may call, and mark seen or left`);
  }
  if (status === 'dna' && !readRoomSettings(db).cliniciansMayDna) {
    throw new DeskError('forbidden', 'the practice has reception mark patients DNA: ask the desk, or a practice manager can allow it in the room settings');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
