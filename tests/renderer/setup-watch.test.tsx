/**
 * The set-up's watched folder (issue 20 item 1): which feed first, by one radio group, then the folder, with what the
 * desk does with each feed said; and the mapping screen offered after set-up only for a folder given CSV exports.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { WatchFeed } from '../../shared/api';
import { setupOffersMapping, WatchStep } from '../../renderer/src/setup/WatchStep';

const noop = () => undefined;
const html = (feed: WatchFeed) => renderToStaticMarkup(<WatchStep feed={feed} onFeed={noop} dir="\\\\server\\exports" onDir={noop} />);
const text = (feed: WatchFeed) =>
  html(feed)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

describe('the set-up’s watched folder', () => {
  it('asks which feed in one radio group, before the folder, with the chosen one checked', () => {
    const markup = html('systmone-extract');
    const radios = [...markup.matchAll(/<input type="radio" name="watch-feed"( checked="")? value="([a-z-]+)"/g)].map((m) => [m[2], m[1] !== undefined]);
    expect(radios).toEqual([
      ['export', false],
      ['emis-extract', false],
      ['systmone-extract', true],
    ]);
    expect(text('export')).toMatch(/Report exports or Vision's appointments backup \(CSV\) .*EMIS extract \(zip\) .*SystmOne extract \(zip\)/);
    expect(markup.indexOf('name="watch-feed"')).toBeLessThan(markup.indexOf('id="setup-watch-dir"'));
  });

  it('says an extract feed takes the newest zip, for the practice’s ODS code, and a CSV feed offers the mapping after set-up', () => {
    expect(text('emis-extract')).toContain('Folder the extracts are delivered to');
    expect(text('emis-extract')).toContain('The newest .zip in the folder is imported once it stops changing, as "standby-desk import --format emis-extract" reads it');
    expect(text('export')).toContain('Folder the export job writes into');
    expect(text('export')).toContain('set-up offers that once you are signed in');
  });

  it('offers the mapping screen after set-up only for a folder given CSV exports', () => {
    expect(setupOffersMapping({ kind: 'watch', dir: 'x', feed: 'export' })).toBe(true);
    expect(setupOffersMapping({ kind: 'watch', dir: 'x', feed: 'emis-extract' })).toBe(false);
    expect(setupOffersMapping({ kind: 'watch', dir: 'x', feed: 'systmone-extract' })).toBe(false);
    expect(setupOffersMapping({ kind: 'fhir', url: 'https://gp.example/fhir', everyMinutes: 5 })).toBe(false);
    expect(setupOffersMapping({ kind: 'none' })).toBe(false);
  });
});
