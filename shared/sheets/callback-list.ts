/**
 * Callback list: patients whose appointment was cancelled or missed (DNA, walked out), to phone and rebook.
 * Patients in time-sensitive care come first (suspected cancer, then anticoagulation, then palliative), as GP
 * leaders asked after July 2024 when urgent suspected-cancer referrals slipped 3-4 days; then the rest by time;
 * then the ones already dealt with (rebooked, or no callback needed), so the paper and the screen list the same
 * people. Each row carries the tries made so far, with who and when.
 */
import { alsoBookedOf, CALLBACK_OUTCOME_LABEL, callbackListOf, isTimeSensitive, type DeskStatus } from '../domain';
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
  /** A temporary resident: printed "(TR)" by the name, since their registered practice may also need to know. */
  temporaryResident: boolean;
  /** The tries so far, oldest first: "15:02 No answer (rx.jones)". */
  attempts: string[];
  /** Rebooked or no callback needed by the latest try: listed under Done. */
  done: boolean;
}

export interface CallbackSection {
  title: string;
  timeSensitive: boolean;
  /** The section of patients already dealt with: nobody in it is to be called. */
  done: boolean;
  rows: CallbackRow[];
}

export interface CallbackListSheet {
  kind: 'callback-list';
  frame: SheetFrame;
  sections: CallbackSection[];
  /** Still to be called (the done ones not counted). */
  total: number;
}

const OUTCOME: Partial<Record<DeskStatus, string>> = { dna: 'DNA (did not attend)', cancelled: 'Cancelled', walked_out: 'Walked out before being seen' };

export function callbackListSheet(input: SheetInput, options: { clinicianId?: string | null } = {}): CallbackListSheet {
  const clinicianId = options.clinicianId ?? null;
  const scope = clinicianId ? (sessionGroups(input, clinicianId)[0]?.clinician.name ?? null) : null;
  // Who is on the list, and in what order, is the domain's one function (callbackListOf), the same the screen's list reads.
  const items = callbackListOf(
    input.appointments.filter((a) => clinicianId === null || a.clinicianId === clinicianId),
    input.callbackAttempts ?? [],
  );
  const toRow = ({ appointment: a, attempts, done }: (typeof items)[number], i: number): CallbackRow => {
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
      temporaryResident: a.patient.temporaryResident === true,
      attempts: attempts.map((t) => `${time(t.at)} ${CALLBACK_OUTCOME_LABEL[t.outcome]} (${t.user})${t.note ? `: ${shorten(t.note, 60)}` : ''}`),
      done,
    };
  };
  // callbackListOf puts the open ones first, time-sensitive care at their head, then the done ones.
  const rows = items.map(toRow);
  const open = rows.filter((r) => !r.done);
  const urgentCount = items.filter((i) => !i.done && isTimeSensitive(i.appointment.patient.flags)).length;
  const done = rows.filter((r) => r.done);
  return {
    kind: 'callback-list',
    frame: sheetFrame(input, 'Callback list', scope),
    sections: [
      { title: 'Time-sensitive care: call these first', timeSensitive: true, done: false, rows: open.slice(0, urgentCount) },
      { title: 'Routine', timeSensitive: false, done: false, rows: open.slice(urgentCount) },
      ...(done.length > 0 ? [{ title: 'Done: rebooked or no callback needed', timeSensitive: false, done: true, rows: done }] : []),
    ],
    total: open.length,
  };
}
