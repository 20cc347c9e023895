/** SystmOne's words: its date form (TppCsvToFhirTransformer's "dd MMM yyyy" and "HH:mm:ss") and appointment statuses. */
import { isLocalDate, type DeskStatus } from '../../../../shared/domain';
import { londonWallClock } from '../time';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const S1_DATE_RE = /^(\d{1,2}) ([A-Za-z]{3}) (\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** "01 Jul 2026 09:30:00" (or without the seconds, or the time): the London date, and the instant when timed. */
export function s1DateTime(text: string): { date: string; instant: string | null } | null {
  const m = S1_DATE_RE.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] ?? '').toLowerCase()) + 1;
  if (month === 0) return null;
  const date = `${m[3] ?? ''}-${String(month).padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`;
  if (!isLocalDate(date)) return null;
  if (m[4] === undefined) return { date, instant: null };
  const [h, mi, s] = [Number(m[4]), Number(m[5]), m[6] === undefined ? 0 : Number(m[6])];
  if (h > 23 || mi > 59 || s > 59) return null;
  return { date, instant: londonWallClock(date, h, mi, s) };
}

/** SystmOne's appointment status words; others are tried as the desk's own words, then refused. */
export const S1_STATUS: ReadonlyMap<string, DeskStatus> = new Map(
  Object.entries({
    booked: 'booked',
    arrived: 'arrived',
    waiting: 'arrived',
    inprogress: 'sent_in',
    finished: 'seen',
    seen: 'seen',
    didnotattend: 'dna',
    patientwalkedout: 'walked_out',
    walkedout: 'walked_out',
    cancelledbypatient: 'cancelled',
    cancelledbyunit: 'cancelled',
    cancelledbyotherservice: 'cancelled',
    cancelled: 'cancelled',
  } satisfies Record<string, DeskStatus>),
);
