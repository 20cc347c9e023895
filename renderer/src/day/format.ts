/** How the desk writes dates, names, ages and numbers: the way UK reception staff read them. */
import { ageOn, localDateOf, localTimeOf, type AppointmentDesk, type LocalDate, type Patient } from '../../../shared/domain';

const longDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const shortDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: '2-digit', month: '2-digit' });

function utcNoon(date: LocalDate): Date {
  // A calendar date has no zone; formatting its UTC noon in UTC cannot slip to the neighbouring day.
  return new Date(`${date}T12:00:00Z`);
}

/** "Monday 20 July 2026" (en-GB puts a comma after the weekday; staff do not write one). */
export function formatLongDate(date: LocalDate): string {
  return longDate.format(utcNoon(date)).replace(',', '');
}

/** "Mon 20/07", for the day picker. */
export function formatShortDate(date: LocalDate): string {
  return shortDate.format(utcNoon(date)).replace(',', '');
}

/** "SMITH, John": family name first and in capitals, as on the clinical system, so surnames stand out. */
export function patientName(p: Pick<Patient, 'familyName' | 'givenName'>): string {
  const family = p.familyName.toLocaleUpperCase('en-GB');
  return p.givenName.trim() === '' ? family : `${family}, ${p.givenName}`;
}

/** "47y"; under two, "14 mths", because a baby's age in years tells the desk nothing. */
export function formatAge(dateOfBirth: LocalDate, on: LocalDate): string {
  const years = ageOn(dateOfBirth, on);
  if (years >= 2) return `${years}y`;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  let months = (oy - by) * 12 + (om - bm);
  if (od < bd) months -= 1;
  return `${Math.max(0, months)} mths`;
}

/** "3 min ago", "2 h 5 min ago", "4 days ago": how old the mirror is, in words a glance can take in. */
export function formatAgo(minutes: number): string {
  if (minutes < 0) return 'in the future (check this PC’s clock)';
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h ago` : `${hours} h ${rest} min ago`;
  }
  return `${Math.floor(hours / 24)} days ago`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const timeCache = new Map<string, string>();
const TIME_CACHE_MAX = 5000;

/**
 * localTimeOf, remembered: Intl's formatToParts is the single most expensive call in drawing a busy day, and a
 * day's 600 appointments start at a few dozen distinct times.
 */
export function timeOf(instant: string): string {
  let time = timeCache.get(instant);
  if (time === undefined) {
    if (timeCache.size >= TIME_CACHE_MAX) timeCache.clear();
    time = localTimeOf(instant);
    timeCache.set(instant, time);
  }
  return time;
}

const dayMonth = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });

/** "Thu 23 Jul": a day near enough to need no year, as reception says it to a patient. */
export function formatDayMonth(date: LocalDate): string {
  return dayMonth.format(utcNoon(date)).replace(',', '');
}

/** The other end of a rebooking, as far as the desk knows it. */
export interface RebookEnd {
  start: string;
  clinicianName: string | null;
}

/**
 * "Rebooked to Thu 23 Jul 10:20 with Dr Helen Carter" (the old appointment), "Rebooked from ..." (the new one).
 * Null `end`: the other appointment is not in what the desk has loaded; the row still says it was moved.
 */
export function rebookText(direction: 'to' | 'from', end: RebookEnd | null): string {
  if (end === null) return direction === 'to' ? 'Rebooked to another day' : 'Rebooked from another appointment';
  const when = `${formatDayMonth(localDateOf(end.start))} ${timeOf(end.start)}`;
  return `Rebooked ${direction} ${when}${end.clinicianName === null ? '' : ` with ${end.clinicianName}`}`;
}

/** What a row says about its rebooking, each way (ends: the appointments the desk knows, by id); null where not moved. */
export function rebookNotesOf(desk: AppointmentDesk | undefined, ends: ReadonlyMap<string, RebookEnd>): { to: string | null; from: string | null } {
  const to = desk?.rebookedTo ?? null;
  const from = desk?.rebookedFrom ?? null;
  return { to: to === null ? null : rebookText('to', ends.get(to) ?? null), from: from === null ? null : rebookText('from', ends.get(from) ?? null) };
}
