import { isLocalDate, type LocalDate } from '../../../shared/domain';

/**
 * Which day the desk opens on. A date in the URL (?date=YYYY-MM-DD) wins, so a link or a second window can
 * pin a day. Otherwise London's today if the mirror holds it. Otherwise the mirror's first day: a demo, or a
 * mirror taken before midnight, may not hold today, and an empty "today" would read as "no patients booked"
 * (the header says plainly when the day shown is not today).
 */
export function chooseInitialDate(requested: string | null, mirrorDates: readonly LocalDate[], today: LocalDate): LocalDate {
  if (requested !== null && isLocalDate(requested)) return requested;
  if (mirrorDates.includes(today)) return today;
  return mirrorDates.toSorted()[0] ?? today;
}
