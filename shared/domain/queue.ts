/**
 * The waiting-room queue: who is waiting for whom, in what order, for how long, and how long they are likely
 * to wait yet. Pure: the screen computes it from the day it already holds and the clock, so every desk shows
 * the same order and nothing extra crosses the wire. Orders and estimates are for the desk's eyes only; the
 * clinician still calls whom they choose.
 */
import type { Appointment, TriageCategory } from './entities';
import { missingCaseError, type DeskStatus } from './status';

/** Statuses in which the patient is in the building, not yet called. */
export const QUEUE_WAITING: readonly DeskStatus[] = ['arrived', 'late'];
/** Statuses in which the patient is with the clinician. */
export const QUEUE_WITH_CLINICIAN: readonly DeskStatus[] = ['sent_in', 'quiet_sent_in'];

/** The duty list's key among the queues; clinicians' queues are keyed by clinician id. */
export const DUTY_QUEUE = 'duty';

/** When no consultation has been timed yet today: a GP slot. */
export const DEFAULT_CONSULT_MINUTES = 10;
/** How many of the latest consultations the typical length and the running-late figure are taken from. */
const RECENT = 3;

/** Waits past these stand out on screen (minutes waited: waitedMinutes). Urgent patients stand out sooner. */
export const LONG_WAIT_MINUTES = 30;
export const LONG_WAIT_URGENT_MINUTES = 15;

export type QueueAppointment = Pick<Appointment, 'id' | 'clinicianId' | 'start' | 'end' | 'status' | 'arrivedAt' | 'sentInAt' | 'seenAt' | 'desk'>;

/**
 * 0 is seen first. Urgent-today walk-ins go before everything; booked patients and same-day walk-ins share a
 * rank and go by time; routine walk-ins (who could have booked) wait for a gap.
 */
export function queuePriority(a: Pick<QueueAppointment, 'desk'>): number {
  const triage: TriageCategory | null = a.desk?.triage ?? null;
  switch (triage) {
    case 'urgent_today':
      return 0;
    case null:
    case 'same_day':
      return 1;
    case 'routine':
    case 'signposted':
      return 2;
    default:
      throw missingCaseError(triage);
  }
}

const isWalkIn = (a: Pick<QueueAppointment, 'desk'>) => a.desk?.origin === 'walk_in';

/** Priority, then the appointment's time (a walk-in's is when they were registered), then arrival, then id. */
export function compareQueue(a: QueueAppointment, b: QueueAppointment): number {
  return queuePriority(a) - queuePriority(b) || cmp(a.start, b.start) || cmp(a.arrivedAt ?? '', b.arrivedAt ?? '') || cmp(a.id, b.id);
}

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

const minutesBetween = (from: string | number, to: number): number => (to - (typeof from === 'number' ? from : Date.parse(from))) / 60_000;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.toSorted((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * How long this clinician's consultations are taking today: the median of the latest few from actual send-in to
 * seen, else the median booked slot length, else a GP slot.
 */
export function typicalConsultMinutes(appointments: readonly QueueAppointment[]): number {
  const timed = appointments
    .filter((a) => a.sentInAt !== null && a.seenAt !== null && a.seenAt > a.sentInAt)
    .toSorted((x, y) => cmp(x.seenAt ?? '', y.seenAt ?? ''))
    .slice(-RECENT)
    .map((a) => minutesBetween(a.sentInAt ?? '', Date.parse(a.seenAt ?? '')));
  const fromTimed = median(timed);
  if (fromTimed !== null) return Math.max(1, fromTimed);
  const slots = appointments
    .filter((a) => !isWalkIn(a))
    .map((a) => minutesBetween(a.start, Date.parse(a.end)))
    .filter((m) => m > 0);
  return median(slots) ?? DEFAULT_CONSULT_MINUTES;
}

/**
 * How many minutes behind a clinician is, from what the clinician has actually done: the median delay between
 * booked time and actual send-in over their latest few calls, or, if more, how far the consultation they are in
 * now has run past its booked end. Before their first call of the day, how long their first ready booked patient
 * has been ready (the clinician has not started). A patient who waits long for a reason of their own (arrived
 * late, waiting for a test) does not make the clinician late. Null when nothing has happened yet to judge by.
 * Walk-ins have no booked time and do not count.
 */
export function runningLateMinutes(appointments: readonly QueueAppointment[], now: Date): number | null {
  const nowMs = now.getTime();
  const calls = appointments.filter((a) => a.sentInAt !== null && !isWalkIn(a)).toSorted((x, y) => cmp(x.sentInAt ?? '', y.sentInAt ?? ''));
  const delays = calls.slice(-RECENT).map((a) => Math.max(0, minutesBetween(a.start, Date.parse(a.sentInAt ?? ''))));
  const overruns = appointments.filter((a) => QUEUE_WITH_CLINICIAN.includes(a.status) && !isWalkIn(a)).map((a) => minutesBetween(a.end, nowMs));
  if (appointments.every((a) => a.sentInAt === null)) {
    const ready = appointments
      .filter((a) => QUEUE_WAITING.includes(a.status) && !isWalkIn(a))
      .map((a) => minutesBetween(maxIso(a.start, a.arrivedAt), nowMs))
      .filter((m) => m > 0);
    return ready.length === 0 ? null : Math.floor(Math.max(...ready));
  }
  if (delays.length === 0 && overruns.length === 0) return null;
  return Math.floor(Math.max(median(delays) ?? 0, ...overruns.map((m) => Math.max(0, m))));
}

function maxIso(a: string, b: string | null): string {
  return b !== null && b > a ? b : a;
}

/**
 * Minutes a patient in the waiting room has waited: since check-in, or, for a booked patient who came early,
 * since their appointment's time (nobody waits for a clinician before they are due). 0 when the arrival time is
 * unknown or the time has not come yet.
 */
export function waitedMinutes(a: Pick<QueueAppointment, 'start' | 'arrivedAt' | 'desk'>, now: Date): number {
  if (a.arrivedAt === null) return 0;
  const from = isWalkIn(a) ? a.arrivedAt : maxIso(a.start, a.arrivedAt);
  return Math.max(0, Math.floor(minutesBetween(from, now.getTime())));
}

/** A new practice's rule: arriving more than this many minutes after the appointment's time is Late. */
export const DEFAULT_LATE_AFTER_MINUTES = 10;
/** The practice may set the rule from 0 (any minute after) to two hours. */
export const LATE_AFTER_MINUTES_MAX = 120;

/**
 * Whole minutes between the appointment's time and `at` (negative: before it). Instants, not wall-clock times,
 * so a day the clocks change counts the minutes that really passed.
 */
export function minutesAfterTime(a: Pick<QueueAppointment, 'start'>, at: Date): number {
  return Math.floor(minutesBetween(a.start, at.getTime()));
}

/**
 * Whether a booked patient checking in at `at` is Late by the practice's rule: more than `lateAfterMinutes` after
 * their time. A walk-in has no booked time and is never late.
 */
export function isLateArrival(a: Pick<QueueAppointment, 'start' | 'desk'>, at: Date, lateAfterMinutes: number): boolean {
  return !isWalkIn(a) && minutesAfterTime(a, at) > lateAfterMinutes;
}

/**
 * Where a patient still only booked stands against the clock: still to come; due (their time has passed, but
 * arriving now would not be Late); or overdue (arriving now would be Late), with the minutes since their time.
 * Null for any other status, and for walk-ins.
 */
export type DueState = { kind: 'future' } | { kind: 'due'; minutes: number } | { kind: 'overdue'; minutes: number };

export function dueState(a: Pick<QueueAppointment, 'start' | 'status' | 'desk'>, now: Date, lateAfterMinutes: number): DueState | null {
  if (a.status !== 'booked' || isWalkIn(a)) return null;
  const minutes = minutesAfterTime(a, now);
  if (minutes < 0) return { kind: 'future' };
  return minutes > lateAfterMinutes ? { kind: 'overdue', minutes } : { kind: 'due', minutes };
}

export interface QueueEntry {
  appointment: QueueAppointment;
  priority: number;
  /** Minutes waited (waitedMinutes): from check-in, or from the appointment's time for an early arrival. */
  waitedMinutes: number;
  /** Minutes until the patient is likely to be called; 0 means "next, any moment". */
  estimatedWaitMinutes: number;
  longWait: boolean;
}

export interface ClinicianQueue {
  key: string;
  /** The clinician whose list this is; for the duty list, whoever is on duty (null when nobody is). */
  clinicianId: string | null;
  waiting: QueueEntry[];
  /** With the clinician now, latest call first. */
  withClinician: QueueAppointment[];
  runningLateMinutes: number | null;
  typicalConsultMinutes: number;
}

/**
 * One queue: the waiting patients in order, each with an estimate. The clinician works through the queue one
 * consultation of typical length at a time, starting when the current one is likely to end, and not calling a
 * booked patient before their booked time plus how late the clinician is running.
 */
export function orderQueue(waiting: readonly QueueAppointment[], context: { now: Date; typicalMinutes: number; lateMinutes: number; currentSince: string | null }): QueueEntry[] {
  const nowMs = context.now.getTime();
  const typicalMs = context.typicalMinutes * 60_000;
  let cursor = nowMs;
  if (context.currentSince !== null) {
    cursor += Math.max(0, typicalMs - (nowMs - Date.parse(context.currentSince)));
  }
  return waiting.toSorted(compareQueue).map((appointment) => {
    const priority = queuePriority(appointment);
    const readyAt = isWalkIn(appointment) || priority === 0 ? nowMs : Date.parse(appointment.start) + context.lateMinutes * 60_000;
    const callAt = Math.max(cursor, readyAt);
    cursor = callAt + typicalMs;
    const waited = waitedMinutes(appointment, context.now);
    return {
      appointment,
      priority,
      waitedMinutes: waited,
      estimatedWaitMinutes: Math.max(0, Math.round((callAt - nowMs) / 60_000)),
      longWait: waited >= (priority === 0 ? LONG_WAIT_URGENT_MINUTES : LONG_WAIT_MINUTES),
    };
  });
}

/**
 * Every queue of the day: the duty list first (when it has anyone, or when there is a duty clinician), then one
 * per clinician in `clinicianOrder`. Only today's appointments should be passed in.
 */
export function buildQueues(
  appointments: readonly QueueAppointment[],
  options: { now: Date; clinicianOrder: readonly string[]; dutyClinicianId: string | null },
): ClinicianQueue[] {
  const byClinician = new Map<string, QueueAppointment[]>();
  for (const a of appointments) {
    const list = byClinician.get(a.clinicianId);
    if (list) list.push(a);
    else byClinician.set(a.clinicianId, [a]);
  }
  const build = (key: string, clinicianId: string | null, mine: readonly QueueAppointment[], all: readonly QueueAppointment[]): ClinicianQueue => {
    const typical = typicalConsultMinutes(all);
    const late = key === DUTY_QUEUE ? null : runningLateMinutes(mine, options.now);
    const withClinician = all.filter((a) => QUEUE_WITH_CLINICIAN.includes(a.status)).toSorted((x, y) => cmp(y.sentInAt ?? '', x.sentInAt ?? ''));
    const waiting = orderQueue(
      mine.filter((a) => QUEUE_WAITING.includes(a.status)),
      {
        now: options.now,
        typicalMinutes: typical,
        lateMinutes: late ?? 0,
        currentSince: key === DUTY_QUEUE ? null : (withClinician[0]?.sentInAt ?? null),
      },
    );
    return {
      key,
      clinicianId,
      waiting,
      withClinician: key === DUTY_QUEUE ? withClinician.filter((a) => a.desk?.dutyList) : withClinician,
      runningLateMinutes: late,
      typicalConsultMinutes: Math.round(typical),
    };
  };
  const queues: ClinicianQueue[] = [];
  const duty = appointments.filter((a) => a.desk?.dutyList);
  if (duty.length > 0 || options.dutyClinicianId !== null) {
    const dutyClinicianAll = options.dutyClinicianId === null ? duty : (byClinician.get(options.dutyClinicianId) ?? duty);
    queues.push(build(DUTY_QUEUE, options.dutyClinicianId, duty, dutyClinicianAll));
  }
  const order = [...options.clinicianOrder, ...[...byClinician.keys()].filter((id) => !options.clinicianOrder.includes(id)).sort()];
  for (const id of order) {
    const all = byClinician.get(id) ?? [];
    queues.push(
      build(
        id,
        id,
        all.filter((a) => !a.desk?.dutyList),
        all,
      ),
    );
  }
  return queues;
}
