/** How the desk writes dates, names, ages and numbers: the way UK reception staff read them. */
import { ageOn, localTimeOf, type LocalDate, type Patient } from '../../../shared/domain';

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
