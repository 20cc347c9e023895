/**
 * Walk-in register: who came in without a booking, in arrival order, then numbered blank rows for the
 * pen. The mirror has no walk-in entity yet, so the registered list is an input (empty today); when walk-ins
 * become first-class, the desk passes them in and the numbering carries on after them.
 */
import { formatNhsNumber, formatUkDate } from '../domain';
import { time } from './format';
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput, WalkInEntry } from './input';

export interface WalkInRow {
  number: number;
  /** Null for a blank row to be written in. */
  entry: {
    name: string;
    dob: string;
    phone: string;
    nhsNumber: string;
    reason: string;
    triage: string;
    clinician: string;
    timeIn: string;
    timeOut: string;
  } | null;
}

export interface WalkInRegisterSheet {
  kind: 'walk-in-register';
  frame: SheetFrame;
  registered: number;
  rows: WalkInRow[];
  /** What the triage column means, printed as a key: receptionists navigate, they do not diagnose. */
  triageKey: string;
}

export const DEFAULT_BLANK_ROWS = 30;

export function walkInRegisterSheet(input: SheetInput, options: { blankRows?: number } = {}): WalkInRegisterSheet {
  const registered = [...input.walkIns].sort((a, b) => (a.timeIn ?? '').localeCompare(b.timeIn ?? ''));
  const blank = Math.max(0, Math.floor(options.blankRows ?? DEFAULT_BLANK_ROWS));
  const rows: WalkInRow[] = registered.map((w, i) => ({ number: i + 1, entry: entryText(w) }));
  for (let i = 0; i < blank; i++) rows.push({ number: registered.length + i + 1, entry: null });
  return {
    kind: 'walk-in-register',
    frame: sheetFrame(input, 'Walk-in register'),
    registered: registered.length,
    rows,
    triageKey: 'Triage: 999 = red flag, call now; U = unwell today, duty clinician; R = routine, book or advise',
  };
}

function entryText(w: WalkInEntry): NonNullable<WalkInRow['entry']> {
  return {
    name: w.name,
    dob: w.dateOfBirth ? formatUkDate(w.dateOfBirth) : '',
    phone: w.phone ?? '',
    nhsNumber: w.nhsNumber ? formatNhsNumber(w.nhsNumber) : '',
    reason: w.reason ?? '',
    triage: w.triage ?? '',
    clinician: w.clinician ?? '',
    timeIn: w.timeIn ? time(w.timeIn) : '',
    timeOut: w.timeOut ? time(w.timeOut) : '',
  };
}
