/**
 * Reading upstream times. FHIR instants carry a zone ("Z" or "+01:00"); CSV exports usually give London wall
 * clock times. Everything is stored as a UTC ISO instant and shown in London time (shared/domain/time).
 */
import { isLocalDate, localDateOf, localToInstant, parseUkDate } from '../../../shared/domain';

const ZONED_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_RE = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A FHIR instant or dateTime with a time, as a UTC ISO string; null when it is not one. A time without a zone
 * (not valid FHIR for Appointment.start, but seen in exports) is read as London wall-clock time.
 */
export function parseInstant(value: string): string | null {
  // A day's appointments start at a few hundred distinct times; reading each once matters at 34,000.
  let cached = instantCache.get(value);
  if (cached === undefined) {
    if (instantCache.size > 100_000) instantCache.clear();
    cached = readInstant(value);
    instantCache.set(value, cached);
  }
  return cached;
}
const instantCache = new Map<string, string | null>();

function readInstant(value: string): string | null {
  const m = ZONED_RE.exec(value.trim());
  if (!m) return null;
  const [, date, hh, mm, ss, frac, zone] = m;
  if (date === undefined || hh === undefined || mm === undefined || !isLocalDate(date)) return null;
  if (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59)) return null;
  if (zone === undefined) return londonWallClock(date, Number(hh), Number(mm), ss === undefined ? 0 : Number(ss), frac);
  const zoneText = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const d = new Date(`${date}T${hh}:${mm}:${ss ?? '00'}${frac ?? ''}${zoneText}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A London wall-clock time as a UTC ISO instant. */
export function londonWallClock(date: string, hour: number, minute: number, second = 0, fraction?: string): string {
  const hm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  const base = cachedLocalToInstant(date, hm);
  const ms = fraction ? Math.round(Number(`0${fraction}`) * 1000) : 0;
  return new Date(base + second * 1000 + ms).toISOString();
}

// localToInstant asks Intl up to four times; a CSV of a day asks about the same few hundred times again and again.
const wallClockCache = new Map<string, number>();
function cachedLocalToInstant(date: string, hm: string): number {
  const key = `${date} ${hm}`;
  let ms = wallClockCache.get(key);
  if (ms === undefined) {
    if (wallClockCache.size > 50_000) wallClockCache.clear();
    ms = localToInstant(date, hm).getTime();
    wallClockCache.set(key, ms);
  }
  return ms;
}

/** dd/mm/yyyy or yyyy-mm-dd as YYYY-MM-DD; null when it is neither or not a real date. */
export function parseDateCell(value: string): string | null {
  const text = value.trim();
  if (isLocalDate(text)) return text;
  return parseUkDate(text);
}

/**
 * A CSV time: a full timestamp with a zone ("2026-07-20T07:00:00Z"), a London date and time
 * ("20/07/2026 08:00", "2026-07-20 08:00:00"), or a London time ("08:00") on the given date.
 */
export function parseDateTimeCell(value: string, date: string | null): string | null {
  const text = value.trim();
  const zoned = parseInstant(text);
  if (zoned) return zoned;
  const uk = /^(\d{1,2}\/\d{1,2}\/\d{4})[ T](\d{1,2}:\d{2}(?::\d{2})?)$/.exec(text);
  if (uk && uk[1] !== undefined && uk[2] !== undefined) {
    const d = parseUkDate(uk[1]);
    return d ? parseTimeOn(d, uk[2]) : null;
  }
  if (date === null) return null;
  return parseTimeOn(date, text);
}

function parseTimeOn(date: string, time: string): string | null {
  const m = TIME_RE.exec(time);
  if (!m) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  if (h > 23 || mi > 59 || s > 59) return null;
  return londonWallClock(date, h, mi, s);
}

/**
 * localDateOf for many instants: London's offset is a whole number of hours, so the UTC date and hour fix the
 * London date, and a day's appointments share a handful of hours. Intl is slow enough to matter at 34,000.
 */
export function makeLocalDateCache(): (iso: string) => string {
  const cache = new Map<string, string>();
  return (iso) => {
    const key = iso.slice(0, 13);
    let date = cache.get(key);
    if (date === undefined) {
      date = localDateOf(iso);
      cache.set(key, date);
    }
    return date;
  };
}
