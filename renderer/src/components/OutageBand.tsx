import { useEffect } from 'react';
import type { MirrorInfo } from '../../../shared/api';
import { localDateOf, localTimeOf, type LocalDate } from '../../../shared/domain';
import { formatShortDate } from '../day/format';
import '../styles/outage.css';

/** A time as the band says it: "08:05" today, "Sun 19/07 17:58" another day. */
function when(instant: string, today: LocalDate): string {
  const date = localDateOf(instant);
  return date === today ? localTimeOf(instant) : `${formatShortDate(date)} ${localTimeOf(instant)}`;
}

/** "OUTAGE since 08:05, working from the copy as of 07:58": what the band across the screen says. */
export function outageBandText(mirror: Pick<MirrorInfo, 'asOf' | 'outageSince'>, today: LocalDate): string {
  const since = mirror.outageSince ? ` since ${when(mirror.outageSince, today)}` : '';
  const copy = mirror.asOf ? `the copy as of ${when(mirror.asOf, today)}` : 'a copy of unknown age';
  return `OUTAGE${since}, working from ${copy}`;
}

/**
 * In outage the whole screen says so, not one badge: a band across the top, and (outage.css, keyed off the body's
 * data-mode) a coloured header and a frame round the page, so no one takes the desk's copy for the live book.
 */
export function OutageBand({ mirror, today }: { mirror: MirrorInfo | null; today: LocalDate }) {
  const mode = mirror?.mode ?? null;
  useEffect(() => {
    if (mode === null) return;
    document.body.dataset['mode'] = mode;
    return () => {
      delete document.body.dataset['mode'];
    };
  }, [mode]);
  if (mirror === null || mirror.mode !== 'outage') return null;
  return (
    <div className="outage-band" role="status" data-testid="outage-band">
      <strong className="outage-band__text">{outageBandText(mirror, today)}</strong>
      <span className="outage-band__hint">Changes are kept for merge-back · M to go back online</span>
    </div>
  );
}
