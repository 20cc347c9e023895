/**
 * Clinician list: one per clinician session, the sheet a receptionist works from at the desk and hands to the
 * clinician. Tick boxes for Arrived / Seen / DNA are pre-ticked from the mirror, so a list printed mid-morning
 * already shows who has been seen; a notes column takes what the desk writes by hand.
 */
import { APPOINTMENT_TYPE_LABEL, DESK_STATUS_LABEL, missingCaseError, TRIAGE_LABEL, type DeskStatus } from '../domain';
import type { AppointmentRow } from '../api/contract';
import { sessionGroups } from './day';
import { shorten, time } from './format';

/** One line of the list's Type column, under the type: the row keeps its height. */
export const LIST_REASON_CHARS = 26;
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput } from './input';
import { patientText, type PatientText } from './patient';

export interface Ticks {
  arrived: boolean;
  seen: boolean;
  dna: boolean;
}

export interface AppointmentLine {
  appointmentId: string;
  time: string;
  end: string;
  minutes: number;
  patient: PatientText;
  type: string;
  /** The booking reason, shortened to fit a list cell. */
  reason: string | null;
  /** A telephone appointment's number to ring, or that none is on record; null for other types. */
  phoneToCall: { text: string; onRecord: boolean } | null;
  /** A walk-in's care navigation ("Walk-in: Urgent today"); null for a booked appointment. */
  walkIn: string | null;
  status: DeskStatus;
  statusLabel: string;
  /** What the mirror already knows, in words ("Arrived 08:27", "Cancelled: patient phoned"); null when booked. */
  statusNote: string | null;
  cancelled: boolean;
  ticks: Ticks;
}

export interface ClinicianListSession {
  key: string;
  clinicianName: string;
  roleLabel: string;
  label: string;
  start: string | null;
  end: string | null;
  room: string | null;
  rows: AppointmentLine[];
  /** Appointments not cancelled: the number the clinician will see. */
  expected: number;
}

export interface ClinicianListSheet {
  kind: 'clinician-list';
  frame: SheetFrame;
  sessions: ClinicianListSession[];
}

const ARRIVED: readonly DeskStatus[] = ['arrived', 'late', 'sent_in', 'quiet_sent_in', 'seen', 'left', 'walked_out'];

export function ticksOf(status: DeskStatus): Ticks {
  return { arrived: ARRIVED.includes(status), seen: status === 'seen' || status === 'left', dna: status === 'dna' };
}

export function statusNote(a: AppointmentRow): string | null {
  const at = (instant: string | null) => (instant ? ` ${time(instant)}` : '');
  switch (a.status) {
    case 'booked':
      return null;
    case 'arrived':
    case 'late':
      return `${DESK_STATUS_LABEL[a.status]}${at(a.arrivedAt)}`;
    case 'sent_in':
    case 'quiet_sent_in':
      return `${DESK_STATUS_LABEL[a.status]}${at(a.sentInAt)}`;
    case 'seen':
    case 'left':
      return `${DESK_STATUS_LABEL[a.status]}${at(a.seenAt)}`;
    case 'walked_out':
    case 'dna':
      return DESK_STATUS_LABEL[a.status];
    case 'cancelled':
      return a.cancelReason ? `Cancelled: ${shorten(a.cancelReason, 80) ?? ''}` : 'Cancelled';
    default:
      throw missingCaseError(a.status);
  }
}

/** "Walk-in: Urgent today (duty list)": where the desk sent a walk-in; null for anything booked. */
export function walkInText(a: Pick<AppointmentRow, 'desk'>): string | null {
  if (a.desk?.origin !== 'walk_in') return null;
  const triage = a.desk.triage === null ? 'triage not recorded' : TRIAGE_LABEL[a.desk.triage];
  return `Walk-in: ${triage}${a.desk.dutyList ? ' (duty list)' : ''}`;
}

export function appointmentLine(a: AppointmentRow, date: string): AppointmentLine {
  return {
    appointmentId: a.id,
    time: time(a.start),
    end: time(a.end),
    minutes: Math.max(0, Math.round((new Date(a.end).getTime() - new Date(a.start).getTime()) / 60000)),
    patient: patientText(a.patient, date),
    type: APPOINTMENT_TYPE_LABEL[a.type],
    reason: shorten(a.reason, LIST_REASON_CHARS),
    phoneToCall: a.type !== 'telephone' ? null : a.patient.phone ? { text: a.patient.phone, onRecord: true } : { text: 'No phone on record', onRecord: false },
    walkIn: walkInText(a),
    status: a.status,
    statusLabel: DESK_STATUS_LABEL[a.status],
    statusNote: statusNote(a),
    cancelled: a.status === 'cancelled',
    ticks: ticksOf(a.status),
  };
}

export function clinicianListSheet(input: SheetInput, options: { clinicianId?: string | null } = {}): ClinicianListSheet {
  const groups = sessionGroups(input, options.clinicianId ?? null);
  const scope = options.clinicianId ? (groups[0]?.clinician.name ?? null) : null;
  return {
    kind: 'clinician-list',
    frame: sheetFrame(input, 'Clinician list', scope),
    sessions: groups.map((g) => {
      const rows = g.appointments.map((a) => appointmentLine(a, input.date));
      return {
        key: g.key,
        clinicianName: g.clinician.name,
        roleLabel: g.clinician.roleLabel,
        label: g.label,
        start: g.start,
        end: g.end,
        room: g.room,
        rows,
        expected: rows.filter((r) => !r.cancelled).length,
      };
    }),
  };
}
