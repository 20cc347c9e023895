import { mirrorAgeMinutes, type MirrorInfo } from '../../../shared/api';
import { isStaleAt } from '../../../shared/sheets/frame';
import { formatUkDate, localDateOf, localTimeOf, type LocalDate } from '../../../shared/domain';
import { formatAgo } from '../day/format';

/**
 * The mirror's age, shown as a warning once it is stale by the desk's own limit: the very function the printed
 * pages' frame uses (shared/sheets/frame.ts isStaleAt), so the screen turns the moment a page printed now would
 * carry the warning. A stale copy shown as if current is a named clinical safety hazard (a patient may have been
 * booked or cancelled since).
 */
export function MirrorAge({ mirror, now, today }: { mirror: Pick<MirrorInfo, 'asOf' | 'loadedAt' | 'staleAfterMinutes'>; now: Date; today: LocalDate }) {
  const { asOf, loadedAt } = mirror;
  if (asOf === null && loadedAt !== null) {
    // Loaded, but no time came with the data: it may be any age, so it is shown as stale (hazard H1).
    const loadedDate = localDateOf(loadedAt);
    return (
      <span className="mirror-age mirror-age--stale" data-testid="mirror-age" data-age="unknown" data-stale>
        Mirror age unknown (loaded <time dateTime={loadedAt}>{localTimeOf(loadedAt)}</time>
        {loadedDate !== today ? ` on ${formatUkDate(loadedDate)}` : ''})
      </span>
    );
  }
  if (asOf === null) {
    return (
      <span className="mirror-age mirror-age--stale" data-testid="mirror-age" data-stale>
        The mirror is empty
      </span>
    );
  }
  const minutes = mirrorAgeMinutes(asOf, now.getTime());
  const asOfDate = localDateOf(asOf);
  const stale = isStaleAt(mirror, now.toISOString());
  return (
    <span className={`mirror-age${stale ? ' mirror-age--stale' : ''}`} data-testid="mirror-age" data-stale={stale}>
      Mirror as of <time dateTime={asOf}>{localTimeOf(asOf)}</time>
      {asOfDate !== today ? ` on ${formatUkDate(asOfDate)}` : ''}, {formatAgo(minutes)}
    </span>
  );
}
