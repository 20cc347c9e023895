/**
 * The practice runs on Europe/London time. Instants are stored as UTC ISO strings ("2026-07-20T07:00:00.000Z");
 * "today", sessions and everything shown or printed are computed in London time.
 * Intl does the zone arithmetic so that BST/GMT changes are right without a time-zone library.
 */
export const PRACTICE_TIME_ZONE = 'Europe/London';

/** A calendar date in London: YYYY-MM-DD. */
export type LocalDate = string;
/** A wall-clock time in London: HH:MM (24 hour). */
export type LocalTime = string;

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: PRACTICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LondonParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function formattedParts(instant: Date): LondonParts {
  const out: Record<string, number> = {};
  for (const part of partsFormatter.formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out['year'] ?? 0,
    month: out['month'] ?? 0,
    day: out['day'] ?? 0,
    hour: out['hour'] ?? 0,
    minute: out['minute'] ?? 0,
    second: out['second'] ?? 0,
  };
}

const HOUR_MS = 3_600_000;

/**
 * London's offset from UTC, in ms, for the UTC hour an instant falls in. formatToParts costs tens of
 * microseconds and a day's sheets or a refresh ask it thousands of times, but London's clocks only ever change
 * on a UTC hour (01:00 UTC), so one answer per hour is exact. The cache is bounded: a long-running desk
 * sees new hours for ever.
 */
const offsetByUtcHour = new Map<number, number>();

function londonOffsetMs(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByUtcHour.get(hour);
  if (offset === undefined) {
    const p = formattedParts(new Date(hour * HOUR_MS));
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hour * HOUR_MS;
    if (offsetByUtcHour.size >= 20_000) offsetByUtcHour.clear();
    offsetByUtcHour.set(hour, offset);
  }
  return offset;
}

function londonParts(instant: Date): LondonParts {
  const local = new Date(instant.getTime() + londonOffsetMs(instant.getTime()));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function toInstant(value: string | Date): Date {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a valid instant: ${String(value)}`);
  return d;
}

/** London calendar date of an instant. */
export function localDateOf(instant: string | Date): LocalDate {
  const p = londonParts(toInstant(instant));
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** London wall-clock time (HH:MM) of an instant. */
export function localTimeOf(instant: string | Date): LocalTime {
  const p = londonParts(toInstant(instant));
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** Minutes London is ahead of UTC at that instant: 0 in winter, 60 in summer. */
export function londonOffsetMinutes(instant: Date): number {
  const p = londonParts(instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

export function isLocalDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

export function isLocalTime(value: string): boolean {
  const m = TIME_RE.exec(value);
  return m !== null && Number(m[1]) < 24 && Number(m[2]) < 60;
}

/**
 * The UTC instant of a London wall-clock time. In the autumn overlap (01:00-02:00 happens twice) the first,
 * BST, reading is taken; in the spring gap the time is read as GMT. No surgery runs at those hours.
 */
export function localToInstant(date: LocalDate, time: LocalTime): Date {
  const dm = DATE_RE.exec(date);
  const tm = TIME_RE.exec(time);
  if (!dm || !isLocalDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  if (!tm || !isLocalTime(time)) throw new RangeError(`not a time (HH:MM): ${time}`);
  const naiveUtc = Date.UTC(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), Number(tm[1]), Number(tm[2]));
  // Try the offsets London can have; the first whose round trip matches the wall clock wins.
  for (const offset of [60, 0]) {
    const candidate = new Date(naiveUtc - offset * 60000);
    if (localDateOf(candidate) === date && localTimeOf(candidate) === time) return candidate;
  }
  return new Date(naiveUtc);
}

export function localToIso(date: LocalDate, time: LocalTime): string {
  return localToInstant(date, time).toISOString();
}

/** [start, end) of a London calendar day as UTC ISO instants: what "the day" means in queries. */
export function dayBoundsUtc(date: LocalDate): { start: string; end: string } {
  return { start: localToIso(date, '00:00'), end: localToIso(addDays(date, 1), '00:00') };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** 0 = Sunday ... 6 = Saturday, of a calendar date. */
export function weekdayOf(date: LocalDate): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
}

/** Whole years between a date of birth and a London date; what a receptionist reads as "age". */
export function ageOn(dateOfBirth: LocalDate, on: LocalDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  let age = oy - by;
  if (om < bm || (om === bm && od < bd)) age -= 1;
  return age;
}

/** dd/mm/yyyy, the way UK staff write dates. */
export function formatUkDate(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** Day and month (one or two digits), then the year, with one separator used throughout: / - or . */
const UK_DATE_RE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/;
/** ddmmyyyy, as typed without separators: always eight digits, so it cannot be read two ways. */
const UK_DATE_DIGITS_RE = /^(\d{2})(\d{2})(\d{4})$/;

/**
 * Reads a UK date, day first: dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (one-digit day and month too) or ddmmyyyy,
 * into YYYY-MM-DD; null when it is not a real date. Two-digit years (dd/mm/yy) are read only when `today` is
 * given, and only for a date of birth, which cannot be in the future: 20yy unless that is after today, then 19yy.
 * `today` is an argument, never the clock, so the reading is the same in a test as at the desk.
 */
export function parseUkDate(text: string, today?: LocalDate): LocalDate | null {
  const trimmed = text.trim();
  const separated = UK_DATE_RE.exec(trimmed);
  const digits = separated ? null : UK_DATE_DIGITS_RE.exec(trimmed);
  const day = separated?.[1] ?? digits?.[1];
  const month = separated?.[3] ?? digits?.[2];
  const yearText = separated?.[4] ?? digits?.[3];
  if (day === undefined || month === undefined || yearText === undefined) return null;
  const dm = `${pad(Number(month))}-${pad(Number(day))}`;
  if (yearText.length === 4) {
    const iso = `${yearText}-${dm}`;
    return isLocalDate(iso) ? iso : null;
  }
  if (today === undefined || !isLocalDate(today)) return null;
  const thisCentury = `${today.slice(0, 2)}${yearText}-${dm}`;
  const iso = thisCentury <= today ? thisCentury : `${pad(Number(today.slice(0, 2)) - 1)}${yearText}-${dm}`;
  return isLocalDate(iso) ? iso : null;
}
