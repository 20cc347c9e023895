import { useCallback, useEffect } from 'react';
import { localDateOf, type LocalDate } from '../../shared/domain';
import { DayBoard } from './components/DayBoard';
import { DayHeader } from './components/DayHeader';
import { Notices } from './components/Notices';
import { formatLongDate } from './day/format';
import { SignInGate } from './signin/SignInGate';
import { useDay, useDeskActions, useLoadState, useSelectedDate } from './state/desk-store';

const DATE_PARAM = 'date';

/** The desk shows nothing until someone is signed in, and hides everything again when the screen locks. */
export function App() {
  return (
    <SignInGate>
      <DeskApp />
    </SignInGate>
  );
}

function DeskApp() {
  const { start, selectDate, reloadDay } = useDeskActions();
  const load = useLoadState();
  const day = useDay();
  const date = useSelectedDate();

  useEffect(() => {
    const requested = new URLSearchParams(window.location.search).get(DATE_PARAM);
    return start(requested, localDateOf(new Date()));
  }, [start]);

  useEffect(() => {
    document.title = date ? `${formatLongDate(date)} · Standby Desk` : 'Standby Desk';
  }, [date]);

  const onSelectDate = useCallback(
    (next: LocalDate) => {
      // Keep the day in the address so a reload, or a second window opened from it, shows the same day.
      const url = new URL(window.location.href);
      url.searchParams.set(DATE_PARAM, next);
      window.history.replaceState(null, '', url);
      void selectDate(next);
    },
    [selectDate],
  );

  return (
    <>
      <a className="skip-link" href="#appointments">
        Skip to appointments
      </a>
      <DayHeader onSelectDate={onSelectDate} />
      <Notices />
      <main id="appointments" className="main" tabIndex={-1}>
        {load === 'loading' || load === 'idle' ? (
          <p className="placeholder" role="status">
            Loading the day…
          </p>
        ) : null}
        {load === 'failed' && !day ? (
          <div className="placeholder">
            <p>The day could not be loaded.</p>
            <button type="button" className="button" onClick={() => void reloadDay()}>
              Try again
            </button>
          </div>
        ) : null}
        {day ? <DayBoard day={day} /> : null}
      </main>
    </>
  );
}
