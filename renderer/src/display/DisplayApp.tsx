import { useEffect } from 'react';
import { timeOf } from '../day/format';
import { useNow } from '../hooks/useNow';
import { useBoard, useDisplayConnection, useDisplayFailed, useDisplayRefused, useDisplayStart } from './display-store';
import { useCallSound } from './useCallSound';
import { DrillBandText } from '../drill/DrillBand';

/** The query that opens this view, as the Electron shell loads it (electron/main/windows.ts WAITING_ROOM_URL). */
export const DISPLAY_VIEWS = ['waiting-room', 'display'] as const;

export function isDisplayLocation(location: Pick<Location, 'search' | 'pathname'>): boolean {
  const view = new URLSearchParams(location.search).get('view');
  return (view !== null && (DISPLAY_VIEWS as readonly string[]).includes(view)) || /\/display\/?$/.test(location.pathname);
}

/** The waiting area a display is for, from its address (/display?area=upstairs); null: every call in the practice. */
export function areaOf(location: Pick<Location, 'search'>): string | null {
  const area = new URLSearchParams(location.search).get('area');
  return area === null || area.trim() === '' ? null : area.trim().toLowerCase();
}

/**
 * The waiting-room screen: the latest call large (ticket or first name and initial, as the practice's settings
 * say, and the room), the last few below it. Each new call chimes and is spoken when the practice's settings say
 * so (useCallSound); a browser holding sound back gets a button to say so. A Quiet send in never reaches this page
 * (the desk leaves it out), nor does a full name.
 */
export function DisplayApp() {
  const start = useDisplayStart();
  const board = useBoard();
  const connection = useDisplayConnection();
  const failed = useDisplayFailed();
  const refused = useDisplayRefused();
  const sound = useCallSound(board);
  const now = useNow(15_000);

  useEffect(() => {
    document.title = 'Waiting room · Standby Desk';
    document.body.classList.add('display-body');
    return start(areaOf(window.location));
  }, [start]);

  const [latest, ...earlier] = board?.calls ?? [];
  return (
    <div className="display" data-testid="display" data-area={board?.area?.id ?? ''} data-sound={sound.state}>
      {board?.drill === true ? <DrillBandText /> : null}
      <header className="display__head">
        <h1 className="display__practice">
          {board?.practiceName ?? 'Waiting room'}
          {board?.area ? (
            <span className="display__area" data-testid="display-area">
              {board.area.name}
            </span>
          ) : null}
        </h1>
        <p className="display__clock">
          <time dateTime={now.toISOString()}>{timeOf(now.toISOString().slice(0, 16) + ':00Z')}</time>
        </p>
        <p className="display__status" role="status">
          {refused ? `This display's address is not right: ${refused}` : failed || connection === 'reconnecting' ? 'Reconnecting to the desk…' : ''}
        </p>
      </header>
      {sound.state === 'needs-click' || sound.problems.length > 0 ? (
        <div className="display__sound" role="alert">
          {sound.state === 'needs-click' ? (
            <button type="button" className="display__sound-on" onClick={sound.turnOn} data-testid="display-sound-on">
              Click to turn the sound on
            </button>
          ) : null}
          {sound.state === 'needs-click' ? <p>This browser keeps the chime and the spoken calls silent until someone clicks this screen once.</p> : null}
          {sound.problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      ) : null}
      <main className="display__main">
        <h2 className="visually-hidden">Now calling</h2>
        <div aria-live="assertive" aria-atomic="true">
          {latest ? (
            <div className="display__latest" data-testid="display-latest" data-key={latest.key}>
              <span className="display__label">{latest.label}</span>
              <span className="display__room">{latest.room ? `Please go to ${latest.room}` : 'Please go to reception'}</span>
            </div>
          ) : (
            <p className="display__empty">{board ? 'Please take a seat. You will be called here.' : 'Connecting…'}</p>
          )}
        </div>
        {earlier.length > 0 ? (
          <section className="display__earlier" aria-labelledby="display-earlier">
            <h2 id="display-earlier" className="display__earlier-title">
              Earlier calls
            </h2>
            <ol className="display__list" data-testid="display-earlier">
              {earlier.map((c) => (
                <li key={c.key} className="display__item" data-key={c.key}>
                  <span className="display__item-label">{c.label}</span>
                  <span>{c.room ?? 'Reception'}</span>
                  <span className="display__item-time">{timeOf(c.calledAt)}</span>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
      </main>
    </div>
  );
}
