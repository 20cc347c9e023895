/**
 * Callback list: patients whose appointment was cancelled or missed (DNA, walked out), to phone and rebook.
 * Patients in time-sensitive care come first (suspected cancer, then anticoagulation, then palliative), as GP
 * leaders asked after July 2024 when urgent suspected-cancer referrals slipped 3-4 days; then the rest by time.
 */
import { alsoBookedOf, callbacksOf, isTimeSensitive, type DeskStatus } from '../domain';
import { clinicianInfo, sessionGroups } from './day';
import { shorten, time } from './format';
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput } from './input';
import { patientText, type PatientText } from './patient';
import { appointmentLine } from './clinician-list';

export interface CallbackRow {
  number: number;
  appointmentId: string;
  patient: PatientText;
  /** Null when the mirror has no number: the row says so rather than leaving a blank that looks forgotten. */
  phone: string | null;
  time: string;
  clinicianName: string;
  type: string;
  outcome: string;
  reason: string | null;
  /** The patient's other live appointments that day ("11:20 Dr Patel"): they may not need a call at all. */
  alsoBooked: string[];
}

export interface CallbackSection {
  title: string;
  timeSensitive: boolean;
  rows: CallbackRow[];
}

export interface CallbackListSheet {
  kind: 'callback-list';
  frame: SheetFrame;
  sections: CallbackSection[];
  total: number;
}

const OUTCOME: Partial<Record<DeskStatus, string>> = { dna: 'DNA (did not attend)', cancelled: 'Cancelled', walked_out: 'Walked out before being seen' };

export function callbackListSheet(input: SheetInput, options: { clinicianId?: string | null } = {}): CallbackListSheet {
  const clinicianId = options.clinicianId ?? null;
  const scope = clinicianId ? (sessionGroups(input, clinicianId)[0]?.clinician.name ?? null) : null;
  // Who is to be called is the domain's one definition (callbacksOf), the same the screen's list reads.
  const missed = callbacksOf(input.appointments.filter((a) => clinicianId === null || a.clinicianId === clinicianId));
  const toRow = (a: SheetInput['appointments'][number], i: number): CallbackRow => {
    const line = appointmentLine(a, input.date);
    return {
      number: i + 1,
      appointmentId: a.id,
      patient: patientText(a.patient, input.date),
      phone: a.patient.phone,
      time: line.time,
      clinicianName: clinicianInfo(input, a.clinicianId).name,
      type: line.type,
      outcome: OUTCOME[a.status] ?? line.statusLabel,
      reason: a.status === 'cancelled' ? shorten(a.cancelReason, 80) : null,
      alsoBooked: alsoBookedOf(a, input.appointments).map((o) => `${time(o.start)} ${clinicianInfo(input, o.clinicianId).name}`),
    };
  };
  // callbacksOf puts time-sensitive care first, so the urgent section is the list's head.
  const urgentCount = missed.filter((a) => isTimeSensitive(a.patient.flags)).length;
  const rows = missed.map(toRow);
  return {
    kind: 'callback-list',
    frame: sheetFrame(input, 'Callback list', scope),
    sections: [
      { title: 'Time-sensitive care: call these first', timeSensitive: true, rows: rows.slice(0, urgentCount) },
      { title: 'Routine', timeSensitive: false, rows: rows.slice(urgentCount) },
    ],
    total: rows.length,
  };
}
