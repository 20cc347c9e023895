/**
 * What the clinician's room view shows, worked out from the day the backend sent (already narrowed to this
 * clinician's list) and the clock: who is with them, who is waiting and in what order (the desk's own queue
 * logic, shared/domain/queue.ts), who is not here yet or late, and what each row's buttons may do. Pure, so the
 * room and its tests agree on every figure without a browser.
 */
import type { AppointmentRow, DayView } from '../../../shared/api';
import type { ROOM_STATUSES } from '../../../shared/api';
import {
  formatNhsNumber,
  formatUkDate,
  isEnteredInError,
  localDateOf,
  orderQueue,
  QUEUE_WAITING,
  QUEUE_WITH_CLINICIAN,
  runningLateMinutes,
  TRANSITIONS,
  typicalConsultMinutes,
  DESK_STATUS_LABEL,
  type Clinician,
  type DeskStatus,
  type LocalDate,
} from '../../../shared/domain';
import { formatAge, patientName, timeOf } from '../day/format';

export type RoomSection = 'with-you' | 'waiting' | 'expected' | 'finished';

export interface RoomRow {
  row: AppointmentRow;
  section: RoomSection;
  /** The first of the waiting, in the desk's queue order: whom the clinician would call next. */
  next: boolean;
  /** Waiting: minutes since check-in, or since their appointment time when they came early; else null. */
  waitMinutes: number | null;
  /** Waiting and early: minutes until their appointment time; else null. */
  earlyMinutes: number | null;
  /** Not here yet and past their time: minutes past it; else null. */
  overdueMinutes: number | null;
}

export interface RoomList {
  clinician: Clinician | null;
  /** The room of the session running now (else the next one today, else the clinician's own room). */
  room: string | null;
  runningLateMinutes: number | null;
  withYou: RoomRow[];
  waiting: RoomRow[];
  expected: RoomRow[];
  finished: RoomRow[];
  /** Every row in the order drawn: the keyboard moves through this. */
  order: string[];
}

const FINISHED: readonly DeskStatus[] = ['seen', 'left', 'dna', 'walked_out'];

const minutesSince = (iso: string, now: Date): number => Math.floor((now.getTime() - Date.parse(iso)) / 60_000);

/**
 * How long a waiting patient has waited, as the clinician counts it: from check-in, but never from before their
 * appointment time (a patient who came 20 minutes early has not been kept waiting by anyone).
 */
export function waitOf(row: Pick<AppointmentRow, 'start' | 'arrivedAt'>, now: Date): { waitMinutes: number; earlyMinutes: number | null } {
  const since = row.arrivedAt !== null && row.arrivedAt > row.start ? row.arrivedAt : row.start;
  const early = minutesSince(row.start, now) < 0 ? Math.ceil((Date.parse(row.start) - now.getTime()) / 60_000) : null;
  return { waitMinutes: Math.max(0, minutesSince(since, now)), earlyMinutes: early };
}

/** The clinician's list today, in the sections the room shows. `clinicianId` null: every appointment in the day. */
export function buildRoomList(day: DayView, clinicianId: string | null, now: Date): RoomList {
  const mine = day.appointments.filter((a) => (clinicianId === null || a.clinicianId === clinicianId) && !isEnteredInError(a) && localDateOf(a.start) === day.date);
  const late = runningLateMinutes(mine, now);
  const withYouRows = mine.filter((a) => QUEUE_WITH_CLINICIAN.includes(a.status)).toSorted((x, y) => cmp(y.sentInAt ?? '', x.sentInAt ?? ''));
  const byId = new Map(mine.map((a) => [a.id, a]));
  const queue = orderQueue(
    mine.filter((a) => QUEUE_WAITING.includes(a.status)),
    { now, typicalMinutes: typicalConsultMinutes(mine), lateMinutes: late ?? 0, currentSince: withYouRows[0]?.sentInAt ?? null },
  );
  const plain = (row: AppointmentRow, section: RoomSection): RoomRow => ({ row, section, next: false, waitMinutes: null, earlyMinutes: null, overdueMinutes: null });
  const waiting = queue.flatMap((entry, i) => {
    const row = byId.get(entry.appointment.id);
    return row ? [{ ...plain(row, 'waiting'), next: i === 0, ...waitOf(row, now) }] : [];
  });
  const expected = mine
    .filter((a) => a.status === 'booked')
    .toSorted((x, y) => cmp(x.start, y.start))
    .map((row) => {
      const past = minutesSince(row.start, now);
      return { ...plain(row, 'expected'), overdueMinutes: past > 0 ? past : null };
    });
  const finished = mine
    .filter((a) => FINISHED.includes(a.status))
    .toSorted((x, y) => cmp(y.seenAt ?? y.updatedAt, x.seenAt ?? x.updatedAt))
    .map((row) => plain(row, 'finished'));
  const withYou = withYouRows.map((row) => plain(row, 'with-you'));
  const clinician = clinicianId === null ? null : (day.clinicians.find((c) => c.id === clinicianId) ?? null);
  return {
    clinician,
    room: roomNow(day, clinicianId, now, clinician),
    runningLateMinutes: late,
    withYou,
    waiting,
    expected,
    finished,
    order: [...withYou, ...waiting, ...expected, ...finished].map((r) => r.row.id),
  };
}

function roomNow(day: DayView, clinicianId: string | null, now: Date, clinician: Clinician | null): string | null {
  const at = now.toISOString();
  const sessions = day.sessions.filter((s) => s.clinicianId === clinicianId && s.room !== null).toSorted((x, y) => cmp(x.start, y.start));
  const current = sessions.find((s) => s.start <= at && at < s.end) ?? sessions.find((s) => s.start > at) ?? null;
  return current?.room ?? clinician?.room ?? null;
}

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- Actions --------------------------------------------------------------------------------------------------

export const ROOM_ACTIONS = ['call', 'quiet', 'recall', 'seen', 'left', 'dna', 'note'] as const;
export type RoomAction = (typeof ROOM_ACTIONS)[number];

/** The status each calling or finishing action sets (recall and note set none). */
export const ROOM_ACTION_STATUS = {
  call: 'sent_in',
  quiet: 'quiet_sent_in',
  seen: 'seen',
  left: 'left',
  dna: 'dna',
} as const satisfies Partial<Record<RoomAction, (typeof ROOM_STATUSES)[number]>>;

export const ROOM_ACTION_LABEL: Record<RoomAction, string> = {
  call: 'Call',
  quiet: 'Quiet call',
  recall: 'Recall',
  seen: 'Seen',
  left: 'Left',
  dna: 'DNA',
  note: 'Note',
};

/**
 * What a row's buttons may do: the status machine's next steps that are a clinician's (ROOM_STATUSES), a call
 * only to someone checked in, a recall only of a call that is on the displays, a DNA only where the practice lets
 * clinicians mark it, and a note on any appointment of theirs.
 */
export function allowedActions(row: Pick<AppointmentRow, 'status' | 'desk'>, cliniciansMayDna: boolean): ReadonlySet<RoomAction> {
  const next = TRANSITIONS[row.status];
  const allowed = new Set<RoomAction>(['note']);
  const waiting = QUEUE_WAITING.includes(row.status);
  if (waiting && next.includes('sent_in')) allowed.add('call');
  if (waiting && next.includes('quiet_sent_in')) allowed.add('quiet');
  if (row.status === 'sent_in' && row.desk?.call !== 'quiet') allowed.add('recall');
  if (next.includes('seen') && row.status !== 'booked') allowed.add('seen');
  if (next.includes('left')) allowed.add('left');
  if (cliniciansMayDna && next.includes('dna')) allowed.add('dna');
  return allowed;
}

/** Why an action cannot be done to this appointment now, in words; null when it can. */
export function refusalOf(action: RoomAction, row: Pick<AppointmentRow, 'status' | 'desk'>, cliniciansMayDna: boolean): string | null {
  if (allowedActions(row, cliniciansMayDna).has(action)) return null;
  const label = ROOM_ACTION_LABEL[action];
  if (action === 'dna' && !cliniciansMayDna) return `${label}: the practice keeps DNA for reception.`;
  if (action === 'recall' && row.status === 'quiet_sent_in') return `${label}: a quiet call is never shown on a display, so there is nothing to repeat.`;
  return `${label}: not possible for a patient who is ${DESK_STATUS_LABEL[row.status]}.`;
}

// ---- How a patient is written -----------------------------------------------------------------------------------

export interface PatientLine {
  name: string;
  dob: string;
  age: string;
  nhs: string;
  /** True when the patient has any flag: the room shows "Alert", never what the flag says. */
  alert: boolean;
}

export function patientLine(row: AppointmentRow, today: LocalDate): PatientLine {
  const p = row.patient;
  return {
    name: patientName(p),
    dob: p.dateOfBirth === null ? 'DOB not recorded' : formatUkDate(p.dateOfBirth),
    age: p.dateOfBirth === null ? '' : formatAge(p.dateOfBirth, today),
    nhs: p.nhsNumber === null ? 'No NHS number' : formatNhsNumber(p.nhsNumber),
    alert: p.flags.length > 0,
  };
}

/** "12 min", "1 h 5 min": a wait or a delay at a glance. */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** The header's line on how the clinician is doing against the book. */
export function runningLateText(minutes: number | null): string {
  if (minutes === null) return 'Not started yet';
  if (minutes < 5) return 'Running to time';
  return `Running ${formatMinutes(minutes)} late`;
}

/** What a row says about where the patient is: the wait, the call, how late. */
export function stateText(entry: RoomRow): string {
  const row = entry.row;
  switch (entry.section) {
    case 'with-you':
      return `${row.status === 'quiet_sent_in' ? 'Quiet call' : 'Called'}${row.sentInAt ? ` at ${timeOf(row.sentInAt)}` : ''}`;
    case 'waiting':
      if (entry.earlyMinutes !== null) return `Here early (due in ${formatMinutes(entry.earlyMinutes)})`;
      return `Waiting ${formatMinutes(entry.waitMinutes ?? 0)}`;
    case 'expected':
      return entry.overdueMinutes !== null ? `Not here, ${formatMinutes(entry.overdueMinutes)} past` : 'Expected';
    case 'finished':
      return DESK_STATUS_LABEL[row.status];
    default:
      return assertNever(entry.section);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled section: ${JSON.stringify(value)}`);
}
