/**
 * Walk-in register: who came in without a booking, in arrival order, then numbered blank rows for the
 * pen, numbered on after them. Walk-ins registered at the desk are appointments of origin walk_in
 * (walkInsOfDay); the list is an input so a register can also carry entries from elsewhere.
 */
import type { DayView } from '../api/contract';
import { formatNhsNumber, formatUkDate, isEnteredInError, type TriageCategory } from '../domain';
import { patientName, time } from './format';
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
    temporaryResident: boolean;
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
    triageKey: 'Triage: 999 red flag, call now · U urgent today · S same day · R routine · SP signposted',
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
    temporaryResident: w.temporaryResident === true,
  };
}

/** The register's short codes, as its printed key explains them. */
const TRIAGE_CODE: Record<TriageCategory, string> = { urgent_today: 'U', same_day: 'S', routine: 'R', signposted: 'SP' };

/**
 * The walk-ins the desk has registered that day, as the register prints them: the patient, why they came, the
 * triage code, who will see them (the duty list or a named clinician), and when they arrived and were seen.
 */
export function walkInsOfDay(day: Pick<DayView, 'appointments' | 'clinicians'>): WalkInEntry[] {
  const clinicianName = new Map(day.clinicians.map((c) => [c.id, c.name]));
  return (
    day.appointments
      // One taken back as registered in error was never a walk-in (the day leaves it out already; so does this).
      .filter((a) => a.desk?.origin === 'walk_in' && !isEnteredInError(a))
      .map((a) => ({
        name: patientName(a.patient),
        dateOfBirth: a.patient.dateOfBirth,
        phone: a.patient.phone,
        nhsNumber: a.patient.nhsNumber,
        reason: a.reason,
        triage: a.desk?.triage ? TRIAGE_CODE[a.desk.triage] : null,
        clinician: a.desk?.dutyList ? 'Duty list' : (clinicianName.get(a.clinicianId) ?? null),
        timeIn: a.arrivedAt ?? a.start,
        timeOut: a.seenAt,
        temporaryResident: a.patient.temporaryResident === true,
      }))
  );
}
