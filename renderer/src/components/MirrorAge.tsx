import { formatUkDate, localDateOf, localTimeOf, type LocalDate } from '../../../shared/domain';
import { formatAgo } from '../day/format';

/**
 * Past this age the mirror's age is shown as a warning: a stale copy shown as if current is a named clinical
 * safety hazard (a patient may have been booked or cancelled since).
 */
const STALE_AFTER_MINUTES = 15;

export function MirrorAge({ asOf, loadedAt, now, today }: { asOf: string | null; loadedAt: string | null; now: Date; today: LocalDate }) {
  if (asOf === null && loadedAt !== null) {
    // Loaded, but no time came with the data: it may be any age, so it is shown as stale (hazard H1).
    const loadedDate = localDateOf(loadedAt);
    return (
      <span className="mirror-age mirror-age--stale" data-testid="mirror-age" data-age="unknown">
        Mirror age unknown (loaded <time dateTime={loadedAt}>{localTimeOf(loadedAt)}</time>
        {loadedDate !== today ? ` on ${formatUkDate(loadedDate)}` : ''})
      </span>
    );
  }
  if (asOf === null) {
    return (
      <span className="mirror-age mirror-age--stale" data-testid="mirror-age">
        The mirror is empty
      </span>
    );
  }
  const minutes = Math.floor((now.getTime() - new Date(asOf).getTime()) / 60_000);
  const asOfDate = localDateOf(asOf);
  const stale = minutes > STALE_AFTER_MINUTES;
  return (
    <span className={`mirror-age${stale ? ' mirror-age--stale' : ''}`} data-testid="mirror-age">
      Mirror as of <time dateTime={asOf}>{localTimeOf(asOf)}</time>
      {asOfDate !== today ? ` on ${formatUkDate(asOfDate)}` : ''}, {formatAgo(minutes)}
    </span>
  );
}
