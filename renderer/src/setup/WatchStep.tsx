/**
 * The set-up's watched folder (issue 20 item 1): which feed the folder is given, then the folder. For report exports
 * and Vision's backup (CSV), the mapping preview is the feed-mapping screen (renderer/src/feeds): its operations are
 * a manager's, so it is offered once set-up has signed the manager in (SetupMappingOffer), not inside the steps.
 */
import { useState } from 'react';
import { WATCH_FEEDS, type BookSource, type WatchFeed } from '../../../shared/api';
import { FeedMappingPanel } from '../feeds/FeedMappingPanel';
import { FolderCheckButton, WATCH_FEED_LABEL } from './setup-parts';

/** Whether set-up ends by offering the mapping screen: only a folder given CSV exports has columns to set. */
export function setupOffersMapping(book: BookSource): boolean {
  return book.kind === 'watch' && book.feed === 'export';
}

export function WatchStep({ feed, onFeed, dir, onDir }: { feed: WatchFeed; onFeed: (feed: WatchFeed) => void; dir: string; onDir: (dir: string) => void }) {
  const extract = feed !== 'export';
  return (
    <>
      {/* One radio group: the arrow keys move between the feeds. */}
      <fieldset data-testid="setup-watch-feed">
        <legend>The folder is given</legend>
        {WATCH_FEEDS.map((f) => (
          <label key={f}>
            <input type="radio" name="watch-feed" value={f} checked={feed === f} onChange={() => onFeed(f)} /> {WATCH_FEED_LABEL[f]}
          </label>
        ))}
      </fieldset>
      <label htmlFor="setup-watch-dir">{extract ? 'Folder the extracts are delivered to' : 'Folder the export job writes into'}</label>
      <input id="setup-watch-dir" value={dir} onChange={(e) => onDir(e.target.value)} required />
      <FolderCheckButton dir={dir} purpose="watch" />
      <p className="setup-note">
        {extract
          ? `The newest .zip in the folder is imported once it stops changing, as "standby-desk import --format ${feed}" reads it: the extract must be for the ODS code given in the practice step.`
          : 'The newest .csv or .json in the folder is imported once it stops changing. CSV files are read with the default columns until the mapping is set from a sample: set-up offers that once you are signed in (and it is under Users and audit, then Feed mapping, later).'}
      </p>
    </>
  );
}

/** After set-up, for a folder given CSV exports: set the columns from a sample now, or go to the desk. */
export function SetupMappingOffer({ onDone }: { onDone: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <main className="main signin">
      <section className="signin-form setup-form" aria-labelledby="setup-mapping-title" data-testid="setup-mapping-offer">
        <h1 id="setup-mapping-title">Standby Desk is set up</h1>
        <p>The watched folder&apos;s CSV files are read with the default columns until the mapping is set. Choose a sample export to see its rows as the desk would read them.</p>
        {open ? (
          <FeedMappingPanel />
        ) : (
          <button type="button" className="button" autoFocus onClick={() => setOpen(true)} data-testid="setup-mapping-open">
            Set the columns from a sample now
          </button>
        )}
        <p className="setup-buttons">
          <button type="button" className="button button-primary" onClick={onDone} data-testid="setup-mapping-done">
            Go to the desk
          </button>
        </p>
      </section>
    </main>
  );
}
