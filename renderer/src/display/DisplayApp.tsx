import { useEffect, useRef, useState } from 'react';
import type { DisplayCall } from '../../../shared/api';
import { timeOf } from '../day/format';
import { useNow } from '../hooks/useNow';
import { useBoard, useDisplayConnection, useDisplayFailed, useDisplayStart } from './display-store';

/** The query that opens this view, as the Electron shell loads it (electron/main/windows.ts WAITING_ROOM_URL). */
export const DISPLAY_VIEWS = ['waiting-room', 'display'] as const;

export function isDisplayLocation(location: Pick<Location, 'search' | 'pathname'>): boolean {
  const view = new URLSearchParams(location.search).get('view');
  return (view !== null && (DISPLAY_VIEWS as readonly string[]).includes(view)) || /\/display\/?$/.test(location.pathname);
}

/**
 * The waiting-room screen: the latest call large (ticket or initials, and the room), the last few below it.
 * Spoken calls are off by default (a screen in a quiet surgery, or one shared with another practice's room):
 * the button turns them on for this screen. A Quiet send in never reaches this page (the desk leaves it out).
 */
export function DisplayApp() {
  const start = useDisplayStart();
  const board = useBoard();
  const connection = useDisplayConnection();
  const failed = useDisplayFailed();
  const [speak, setSpeak] = useState(false);
  const now = useNow(15_000);
  const announced = useRef<Set<string> | null>(null);

  useEffect(() => {
    const show = new URLSearchParams(window.location.search).get('show');
    document.title = 'Waiting room · Standby Desk';
    document.body.classList.add('display-body');
    return start(show === 'initials' || show === 'ticket' ? show : null);
  }, [start]);

  useEffect(() => {
    if (!board) return;
    const seen = announced.current;
    const keys = new Set(board.calls.map((c) => c.key));
    // The first board after opening is history, not news: nothing is spoken for it.
    if (seen !== null && speak) {
      const fresh = board.calls.filter((c) => !seen.has(c.key)).reverse();
      for (const call of fresh) sayCall(call);
    }
    announced.current = keys;
  }, [board, speak]);

  const [latest, ...earlier] = board?.calls ?? [];
  return (
    <div className="display" data-testid="display">
      <header className="display__head">
        <h1 className="display__practice">{board?.practiceName ?? 'Waiting room'}</h1>
        <p className="display__clock">
          <time dateTime={now.toISOString()}>{timeOf(now.toISOString().slice(0, 16) + ':00Z')}</time>
        </p>
        <p className="display__status" role="status">
          {failed || connection === 'reconnecting' ? 'Reconnecting to the desk…' : ''}
        </p>
        <button type="button" className="display__speak" aria-pressed={speak} onClick={() => setSpeak((s) => !s)} data-testid="display-speak">
          Spoken calls: {speak ? 'on' : 'off'}
        </button>
      </header>
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

function sayCall(call: DisplayCall): void {
  if (typeof window.speechSynthesis === 'undefined') return;
  // Digits one by one ("Ticket 1 2", not "twelve" misheard as "twenty"); initials already come spaced ("J S").
  const label = call.label.replace(/(\d)(?=\d)/g, '$1 ');
  const utterance = new SpeechSynthesisUtterance(`${label}, please go to ${call.room ?? 'reception'}`);
  utterance.lang = 'en-GB';
  window.speechSynthesis.speak(utterance);
}
