import { useCallback, useEffect, useLayoutEffect } from 'react';
import { localDateOf, type LocalDate } from '../../shared/domain';
import { CallbackView } from './components/CallbackView';
import { DAY_STILL_DRAWING, DayBoard } from './components/DayBoard';
import { DayHeader } from './components/DayHeader';
import { Notices } from './components/Notices';
import { QueueBoard } from './components/QueueBoard';
import { Toolbar } from './components/Toolbar';
import { DialogHost } from './dialogs/DialogHost';
import { formatLongDate } from './day/format';
import { useDeskKeys } from './keyboard/useDeskKeys';
import { SignInGate } from './signin/SignInGate';
import { useDay, useDeskActions, useLoadState, useSelectedDate } from './state/desk-store';
import { useFocusRequest, useUiStore, useView } from './state/ui-store';
import { MergeReview } from './merge/MergeReview';
import { RoomApp } from './room/RoomApp';

/** The day in the address (?date=YYYY-MM-DD): DeskApp reads it at start and keeps it in step. */
export const DATE_PARAM = 'date';

/** The desk shows nothing until someone is signed in, and hides everything again when the screen locks. */
export function App() {
  // Merge-back review: its own screen (?view=merge), so the day view's state and keys stay out of it.
  // A clinician who opens the desk gets their room (renderer/src/room).
  return <SignInGate forClinician={<RoomApp />}>{isMergeLocation(window.location) ? <MergeReview /> : <DeskApp />}</SignInGate>;
}

function isMergeLocation(location: Pick<Location, 'search'>): boolean {
  return new URLSearchParams(location.search).get('view') === 'merge';
}

function DeskApp() {
  const { start, selectDate, reloadDay } = useDeskActions();
  const load = useLoadState();
  const day = useDay();
  const date = useSelectedDate();
  const view = useView();
  useDeskKeys();

  // Started only once someone is signed in (SignInGate mounts this), and stopped when the screen locks.
  useEffect(() => {
    const requested = new URLSearchParams(window.location.search).get(DATE_PARAM);
    return start(requested, localDateOf(new Date()));
  }, [start]);
  useFocusFollowsRequests();

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
      <a className="skip-link" href="#main">
        Skip to appointments
      </a>
      <DayHeader onSelectDate={onSelectDate} />
      <Toolbar />
      <Notices />
      <main id="main" className="main" tabIndex={-1} aria-label={view === 'day' ? 'Appointments' : view === 'queue' ? 'Queue' : 'Callback list'}>
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
        {day && view === 'day' ? <DayBoard day={day} /> : null}
        {day && view === 'queue' ? <QueueBoard day={day} /> : null}
        {view === 'callbacks' ? <CallbackView /> : null}
      </main>
      <DialogHost />
    </>
  );
}

/**
 * Keyboard users must never be left on <body>: after a dialog closes or the view changes, focus goes back to the
 * appointment that had it (or the first one on screen); and whichever row gets focus becomes the current one.
 */
function useFocusFollowsRequests(): void {
  const focusRequest = useFocusRequest();
  // Served in the commit that asks, not a frame later: a key pressed in between would act on whichever row the
  // closing dialog handed focus back to, which after Find is another patient.
  useLayoutEffect(() => {
    if (focusRequest !== 0) serveFocusRequest();
  }, [focusRequest]);

  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      const row = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-appointment-id]') : null;
      const id = row?.dataset['appointmentId'];
      if (id) useUiStore.getState().setCurrent(id);
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);
}

/**
 * Puts focus on the row asked for (`focusTarget`, else `current`). The day is drawn in two passes, the rows on
 * screen first, so the row asked for may not exist yet: then focus waits on <main>, where no key acts on a
 * patient, the row stays asked for, and DayBoard asks again once every row is drawn. Falling back to the first
 * row instead would make that row current, and the next key would act on the wrong patient (hazard H2).
 */
function serveFocusRequest(): void {
  const { focusTarget, current, dialog } = useUiStore.getState();
  if (dialog !== null) return;
  const main = document.getElementById('main');
  if (!main) return;
  const wanted = focusTarget ?? current;
  const row = wanted ? main.querySelector<HTMLElement>(`[data-appointment-id=${JSON.stringify(wanted)}]`) : null;
  if (row === null && wanted !== null && main.querySelector(DAY_STILL_DRAWING) !== null) {
    useUiStore.setState({ focusTarget: wanted });
    main.focus({ preventScroll: true });
    return;
  }
  if (focusTarget !== null) useUiStore.setState({ focusTarget: null });
  const target =
    row ??
    main.querySelector<HTMLElement>('[data-appointment-id][tabindex="0"], [data-callback-id][tabindex="0"]') ??
    main.querySelector<HTMLElement>('[data-appointment-id], [data-callback-id]');
  if (target) {
    target.focus();
    target.scrollIntoView({ block: 'nearest' });
  } else main.focus();
}
