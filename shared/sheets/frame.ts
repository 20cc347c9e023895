/**
 * What every page of every sheet carries, whatever the sheet: which practice and day, which sheet, when it
 * was printed, how old the mirror was (a stale mirror shown as current is a named clinical-safety hazard,
 * DCB0129), and that the paper holds patient information.
 */
import type { MirrorInfo } from '../api/contract';
import { isStaleAge, mirrorAgeMinutes } from '../api/mirror-age';
import type { SheetInput } from './input';
import { londonDateTime, longDate } from './format';

export const CONFIDENTIAL_NOTICE = 'Confidential: contains patient information';

export interface SheetFrame {
  practice: string;
  date: string;
  dateLabel: string;
  /** The sheet's title as printed ("Clinician list"). */
  sheet: string;
  /** Narrows the title when the sheet was printed for one clinician. */
  scope: string | null;
  /** "from 15:39" when the sheet is the rest of the day from that London time; null for the whole day. */
  fromLabel: string | null;
  printedAt: string;
  printedAtLabel: string;
  mirrorAsOf: string | null;
  mirrorAsOfLabel: string;
  /** "Mirror as of 20/07/2026 07:00", without the age: the stale warning states the age itself. */
  mirrorAsOfShort: string;
  mirrorAgeMinutes: number | null;
  stale: boolean;
  /** Printed on every page (and at the top of the first) when the mirror is stale; null when fresh. */
  staleWarning: string | null;
  outage: boolean;
  /** Printed from an outage drill's sandbox (MirrorInfo.drill): every page's header and footer says DRILL. */
  drill: boolean;
  confidential: string;
}

export function sheetFrame(input: SheetInput, sheet: string, scope: string | null = null): SheetFrame {
  const { asOf, loadedAt } = input.mirror;
  const age = mirrorAgeAt(input.mirror, input.printedAt);
  const stale = isStaleAt(input.mirror, input.printedAt);
  const practice = input.practice ? `${input.practice.name}${input.practice.odsCode ? ` (${input.practice.odsCode})` : ''}` : 'Practice not recorded';
  // A book loaded with no time for its data (hazard H1): how old it is cannot be told, so it is treated as stale.
  const ageUnknown = asOf === null && loadedAt !== null;
  const short = asOf !== null ? `Mirror as of ${londonDateTime(asOf)}` : ageUnknown ? `Mirror loaded ${londonDateTime(loadedAt)}, age unknown` : 'Mirror never loaded';
  return {
    practice,
    date: input.date,
    dateLabel: longDate(input.date),
    sheet,
    scope,
    fromLabel: input.from === undefined ? null : `from ${input.from}`,
    printedAt: input.printedAt,
    printedAtLabel: `Printed ${londonDateTime(input.printedAt)}`,
    mirrorAsOf: asOf,
    mirrorAsOfLabel: age === null ? short : `${short} (${ageWords(age)} before printing)`,
    mirrorAsOfShort: short,
    mirrorAgeMinutes: age,
    stale,
    staleWarning: !stale
      ? null
      : ageUnknown
        ? "WARNING: the mirror's age is unknown (no time came with its data). Bookings made or cancelled since may be missing."
        : asOf === null
          ? 'WARNING: the mirror has never been loaded. This sheet may not match the clinical system.'
          : `WARNING: STALE MIRROR, ${ageWords(age ?? 0)} old when printed. Bookings made since may be missing.`,
    outage: input.mirror.mode === 'outage',
    drill: input.mirror.drill === true,
    confidential: CONFIDENTIAL_NOTICE,
  };
}

/** Minutes from the mirror's "as of" to `at`; null when that is unknown or the mirror is empty. */
export function mirrorAgeAt(mirror: Pick<MirrorInfo, 'asOf'>, at: string): number | null {
  // A mirror stamped after the print time (clocks a little apart across PCs) is fresh, not negative-aged.
  return mirror.asOf === null ? null : mirrorAgeMinutes(mirror.asOf, at);
}

/** Whether paper printed at `at` must carry the stale warning: too old, of unknown age, or never loaded. */
export function isStaleAt(mirror: Pick<MirrorInfo, 'asOf' | 'staleAfterMinutes'>, at: string): boolean {
  const age = mirrorAgeAt(mirror, at);
  return age === null || isStaleAge(age, mirror.staleAfterMinutes);
}

function ageWords(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
