/**
 * The clinician's room view (issue 17), at /room in a browser and `--room` in the app: today's list of the
 * signed-in clinician, who is with them, who is waiting and who is next, and the calls, all from the keyboard.
 * It has its own store (room-store.ts) and keys (room-keys.ts): nothing of the reception desk starts here.
 */
import { useEffect, useMemo } from 'react';
import { localDateOf } from '../../../shared/domain';
import { formatLongDate } from '../day/format';
import { useNow } from '../hooks/useNow';
import { isTyping } from '../keyboard/keys';
import { RoomDialogHost } from './RoomDialogs';
import { RoomListView } from './RoomList';
import { RoomPatient } from './RoomPatient';
import { focusRoomRow, runRoomKey } from './room-actions';
import { buildRoomList, runningLateText, type RoomList } from './room-model';
import { matchRoomKey, roomHintKey } from './room-keys';
import { useRoomStore } from './room-store';
import './room.css';

/** The clinician whose list a receptionist or manager opens (?clinician=ID); a clinician always gets their own. */
export const CLINICIAN_PARAM = 'clinician';

/** True for the room's addresses: /room, or ?view=room (how the app's window loads it). */
export function isRoomLocation(location: Pick<Location, 'search' | 'pathname'>): boolean {
  return new URLSearchParams(location.search).get('view') === 'room' || /\/room\/?$/.test(location.pathname);
}

/** How often waits and lateness are re-read from the clock: a minute's figures need no finer. */
const CLOCK_TICK_MS = 15_000;

export function RoomApp() {
  const start = useRoomStore((s) => s.start);
  const day = useRoomStore((s) => s.day);
  const clinicianId = useRoomStore((s) => s.clinicianId);
  const now = useNow(CLOCK_TICK_MS);
  const list = useMemo(() => (day ? buildRoomList(day, clinicianId, now) : null), [day, clinicianId, now]);

  useEffect(() => {
    const requested = new URLSearchParams(window.location.search).get(CLINICIAN_PARAM);
    return start(localDateOf(new Date()), requested);
  }, [start]);

  useEffect(() => {
    document.title = list?.clinician ? `${list.clinician.name} · Room · Standby Desk` : 'Room · Standby Desk';
  }, [list?.clinician]);

  useRoomKeys(list);
  useCurrentFollowsList(list);

  return (
    <div className="room">
      <RoomHeader list={list} />
      <RoomBody list={list} />
      <RoomDialogHost />
    </div>
  );
}

function RoomHeader({ list }: { list: RoomList | null }) {
  const date = useRoomStore((s) => s.date);
  const connection = useRoomStore((s) => s.connection);
  const open = useRoomStore((s) => s.open);
  const late = list?.runningLateMinutes ?? null;
  return (
    <header className="room-header">
      <div className="room-header__who">
        <h1 className="room-header__name" data-testid="room-clinician">
          {list?.clinician?.name ?? 'Room view'}
        </h1>
        <span className="room-header__meta">
          {list?.room ? <strong data-testid="room-name">{list.room}</strong> : null}
          {date ? <span>{formatLongDate(date)}</span> : null}
        </span>
      </div>
      <p className={`room-late${late !== null && late >= 15 ? ' room-late--behind' : ''}`} data-testid="room-running-late">
        {list ? runningLateText(late) : ''}
      </p>
      <p className={`room-connection room-connection--${connection}`} data-testid="room-connection">
        {connection === 'live' ? 'Live' : connection === 'reconnecting' ? 'Reconnecting… the list may be out of date' : 'Connecting…'}
      </p>
      <button type="button" className="button button--secondary" onClick={() => open({ kind: 'help' })} aria-keyshortcuts="?" data-testid="room-help-button">
        Keys <kbd className="kbd">{roomHintKey('help')}</kbd>
      </button>
    </header>
  );
}

function RoomBody({ list }: { list: RoomList | null }) {
  const load = useRoomStore((s) => s.load);
  const session = useRoomStore((s) => s.session);
  const clinicianId = useRoomStore((s) => s.clinicianId);
  const reload = useRoomStore((s) => s.reload);
  const message = useRoomStore((s) => s.message);
  const announcement = useRoomStore((s) => s.announcement);
  const dismiss = useRoomStore((s) => s.dismissMessage);
  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {message ? (
        <div className={`room-message room-message--${message.kind}`} data-testid="room-message" role={message.kind === 'error' ? 'alert' : undefined}>
          <span>{message.text}</span>
          <button type="button" className="button button--secondary button--small" onClick={dismiss}>
            Close
          </button>
        </div>
      ) : null}
      {session !== null && session.role !== 'clinician' && clinicianId === null && list ? <ChooseClinician list={list} /> : null}
      <main id="main" className="room-main" aria-label="Your patients today">
        {load === 'failed' && !list ? (
          <div className="placeholder">
            <p>Your list could not be read.</p>
            <button type="button" className="button" onClick={() => void reload()}>
              Try again
            </button>
          </div>
        ) : null}
        {!list && load !== 'failed' ? (
          <p className="placeholder" role="status">
            Loading your list…
          </p>
        ) : null}
        {list ? (
          <>
            <RoomListView list={list} />
            <RoomPatient list={list} />
          </>
        ) : null}
      </main>
    </>
  );
}

/** Reception or a manager at /room: the room view is a clinician's list, so they pick whose. */
function ChooseClinician({ list }: { list: RoomList }) {
  const day = useRoomStore((s) => s.day);
  const clinicians = day?.clinicians ?? [];
  return (
    <nav className="room-choose" aria-label="Whose room">
      <span>This is a clinician’s view. {list.order.length} appointments shown for everyone; open one clinician’s list:</span>
      {clinicians.map((c) => (
        <a key={c.id} className="button button--secondary button--small" href={`?view=room&${CLINICIAN_PARAM}=${encodeURIComponent(c.id)}`}>
          {c.name}
        </a>
      ))}
    </nav>
  );
}

/** The room's one key listener: moves through the list and acts on the current patient (room-keys.ts). */
function useRoomKeys(list: RoomList | null): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const store = useRoomStore.getState();
      // Dialogs own their keys; the room's letters wait until they close, and never fire while typing.
      if (store.dialog !== null || isTyping(event.target)) return;
      const binding = matchRoomKey(event);
      if (binding === null || list === null) return;
      // Enter and Space on a button are the button's; arrows and letters are the room's.
      event.preventDefault();
      runRoomKey(binding.action, list);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [list]);
}

/** Someone always has the keyboard once the list is there: the patient who is next, else the first. */
function useCurrentFollowsList(list: RoomList | null): void {
  const current = useRoomStore((s) => s.current);
  useEffect(() => {
    if (list === null) return;
    if (current !== null && list.order.includes(current)) return;
    const first = list.waiting[0]?.row.id ?? list.order[0] ?? null;
    if (first === null) return;
    // Keyboard users start on that patient, not on <body>; focus elsewhere (a button, the session bar) is left alone.
    if (document.activeElement === document.body || document.activeElement === null) requestAnimationFrame(() => focusRoomRow(first));
    else useRoomStore.getState().setCurrent(first);
  }, [list, current]);
}
