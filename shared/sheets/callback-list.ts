/**
 * Callback list: patients whose appointment was cancelled or missed (DNA, walked out), to phone and rebook.
 * Patients in time-sensitive care come first (suspected cancer, then anticoagulation, then palliative), as GP
 * leaders asked after July 2024 when urgent suspected-cancer referrals slipped 3-4 days; then the rest by time.
 */
import { TIME_SENSITIVE_FLAGS, type DeskStatus, type PatientFlag } from '../domain';
import type { AppointmentRow } from '../api/contract';
import { clinicianInfo, sessionGroups } from './day';
import { shorten, time } from './format';
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput } from './input';
import { patientText, type PatientText } from './patient';
import { appointmentLine } from './clinician-list';

export const CALLBACK_STATUSES: readonly DeskStatus[] = ['dna', 'cancelled', 'walked_out'];

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

function urgency(flags: readonly PatientFlag[]): number {
  const ranks = flags.map((f) => TIME_SENSITIVE_FLAGS.indexOf(f)).filter((r) => r >= 0);
  return ranks.length ? Math.min(...ranks) : TIME_SENSITIVE_FLAGS.length;
}

const OUTCOME: Partial<Record<DeskStatus, string>> = { dna: 'DNA (did not attend)', cancelled: 'Cancelled', walked_out: 'Walked out before being seen' };

export function callbackListSheet(input: SheetInput, options: { clinicianId?: string | null } = {}): CallbackListSheet {
  const clinicianId = options.clinicianId ?? null;
  const scope = clinicianId ? (sessionGroups(input, clinicianId)[0]?.clinician.name ?? null) : null;
  const missed = input.appointments
    .filter((a) => CALLBACK_STATUSES.includes(a.status) && (clinicianId === null || a.clinicianId === clinicianId))
    .map((a) => ({ a, rank: urgency(a.patient.flags) }))
    .sort((x, y) => x.rank - y.rank || (x.a.start < y.a.start ? -1 : x.a.start > y.a.start ? 1 : x.a.id < y.a.id ? -1 : 1));

  const live = (a: AppointmentRow) => !CALLBACK_STATUSES.includes(a.status);
  const toRow = ({ a }: { a: AppointmentRow }, i: number): CallbackRow => {
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
      alsoBooked: input.appointments
        .filter((o) => o.patientId === a.patientId && o.id !== a.id && live(o))
        .sort((x, y) => (x.start < y.start ? -1 : 1))
        .map((o) => `${time(o.start)} ${clinicianInfo(input, o.clinicianId).name}`),
    };
  };
  const urgent = missed.filter((m) => m.rank < TIME_SENSITIVE_FLAGS.length);
  const routine = missed.filter((m) => m.rank >= TIME_SENSITIVE_FLAGS.length);
  const rows = [...urgent, ...routine].map(toRow);
  return {
    kind: 'callback-list',
    frame: sheetFrame(input, 'Callback list', scope),
    sections: [
      { title: 'Time-sensitive care: call these first', timeSensitive: true, rows: rows.slice(0, urgent.length) },
      { title: 'Routine', timeSensitive: false, rows: rows.slice(urgent.length) },
    ],
    total: rows.length,
  };
}
