/**
 * The header's mirror age warns by the desk's own stale limit, by the same rule as the printed pages (hazard H1):
 * before, the header warned after 15 minutes and the paper after 30, so a screen could say stale while the sheet
 * printed from it did not.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { isStaleAt } from '../../shared/sheets';
import { MirrorAge } from '../../renderer/src/components/MirrorAge';

const NOW = new Date('2026-07-20T09:30:00.000Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function header(asOf: string, staleAfterMinutes: number): string {
  return renderToStaticMarkup(<MirrorAge mirror={{ asOf, loadedAt: asOf, staleAfterMinutes }} now={NOW} today="2026-07-20" />);
}

describe('the mirror age in the header', () => {
  it.each([
    [20, 30],
    [29, 30],
    [30, 30],
    [44, 45],
    [45, 45],
    [10, 10],
  ])('at %i minutes old with a %i-minute limit, warns exactly when the paper printed now would', (age, limit) => {
    const asOf = minutesBefore(age);
    const paperStale = isStaleAt({ asOf, staleAfterMinutes: limit }, NOW.toISOString());
    expect(header(asOf, limit).includes('mirror-age--stale')).toBe(paperStale);
    expect(paperStale).toBe(age >= limit);
  });

  it('names the age it shows', () => {
    expect(header(minutesBefore(20), 30)).toContain('Mirror as of <time dateTime="2026-07-20T09:10:00.000Z">10:10</time>');
  });
});
