import { localDateOf, type LocalDate } from '../../../shared/domain';
import { formatLongDate, plural } from '../day/format';
import { GroupIndicator } from '../group/GroupIndicator';
import { useNow } from '../hooks/useNow';
import { useConnection, useDay, useDeskId, useMirrorDates, useMirrorStatus, useSelectedDate } from '../state/desk-store';
import { ariaKeys, hintKey } from '../keyboard/keys';
import { useUiStore } from '../state/ui-store';
import { MirrorAge } from './MirrorAge';
import { OutageBand } from './OutageBand';
import { PullProblem } from './PullProblem';
import { DayOptions } from './SelectOptions';

/** The age shown on screen moves on every half minute even when nothing else changes. */
const CLOCK_TICK_MS = 30_000;

export function DayHeader({ onSelectDate }: { onSelectDate: (date: LocalDate) => void }) {
  const day = useDay();
  const mirrorStatus = useMirrorStatus();
  const date = useSelectedDate();
  const now = useNow(CLOCK_TICK_MS);
  const today = localDateOf(now);
  const practice = day?.practice ?? mirrorStatus?.practice ?? null;
  const mirror = day?.mirror ?? mirrorStatus?.mirror ?? null;
  // Receptionists' changes only: the mirror load and refreshes are not work merge-back has to put back.
  const deskChanges = mirrorStatus?.journal.deskChanges ?? null;

  return (
    <>
      <OutageBand mirror={mirror} today={today} />
      {/*
        Two lines at most, at 1366 as at 1920, online or in outage, with a group shown: the day and the mirror on
        the first; the group, the journal and the connection on the second, where the group's short line gives way
        (cut, whole in its tooltip) rather than wrap to a third.
      */}
      <header className="app-header">
        <div className="app-header__identity">
          <p className="app-header__product">
            Standby Desk
            <DeskName />
          </p>
          <h1 className="app-header__practice" data-testid="practice-name">
            {practice?.name ?? 'No practice loaded'}
          </h1>
        </div>

        <div className="app-header__row">
          <div className="app-header__day">
            {date ? (
              <p className="app-header__date" data-testid="day-date" data-date={date}>
                {formatLongDate(date)}
                {date !== today ? (
                  <span className="badge badge--notice" data-testid="not-today">
                    Not today
                  </span>
                ) : null}
              </p>
            ) : null}
            <DayPicker date={date} today={today} onSelectDate={onSelectDate} />
          </div>
          {mirror ? (
            <p className="app-header__line app-header__mirror">
              <span className={`badge ${mirror.mode === 'outage' ? 'badge--outage' : 'badge--online'}`} data-testid="mode-badge" data-mode={mirror.mode}>
                {mirror.mode === 'outage' ? 'OUTAGE' : 'ONLINE'}
              </span>
              <MirrorAge mirror={mirror} now={now} today={today} />
              <ModeButton mode={mirror.mode} />
            </p>
          ) : null}
        </div>

        <div className="app-header__row app-header__row--status">
          <PullProblem upstream={mirrorStatus?.upstream ?? null} />
          <GroupIndicator />
          <p className="app-header__line app-header__meta">
            {deskChanges !== null ? (
              <span data-testid="journal-count" className={deskChanges > 0 ? 'unmerged' : undefined}>
                {plural(deskChanges, 'change', 'changes')} not yet merged
              </span>
            ) : null}
            <ConnectionIndicator />
          </p>
        </div>
      </header>
    </>
  );
}

/** Outage on or off, with a reason and a confirmation (ModeDialog); M does the same from anywhere. */
function ModeButton({ mode }: { mode: 'online' | 'outage' }) {
  const open = useUiStore((s) => s.open);
  return (
    <button type="button" className="mode-button" aria-keyshortcuts={ariaKeys('mode')} aria-haspopup="dialog" data-testid="open-mode" onClick={() => open({ kind: 'mode' })}>
      {mode === 'outage' ? 'Back online…' : 'Outage…'}
      <kbd className="kbd kbd--hint">{hintKey('mode')}</kbd>
    </button>
  );
}

function DayPicker({ date, today, onSelectDate }: { date: LocalDate | null; today: LocalDate; onSelectDate: (d: LocalDate) => void }) {
  const mirrorDates = useMirrorDates();
  const options = date !== null && !mirrorDates.includes(date) ? [...mirrorDates, date].toSorted() : mirrorDates;
  if (options.length < 2) return null;
  return (
    <label className="day-picker">
      <span>Day</span>
      <select value={date ?? ''} onChange={(e) => onSelectDate(e.target.value)} data-testid="day-picker">
        <DayOptions days={options} today={today} />
      </select>
    </label>
  );
}

function ConnectionIndicator() {
  const connection = useConnection();
  const text = connection === 'live' ? 'Live updates' : connection === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
  return (
    <span className={`connection connection--${connection}`} role="status" data-testid="connection" data-connection={connection}>
      {text}
    </span>
  );
}

/**
 * Which desk this is, beside the product's name (the second line is the group's and the journal's). Who is signed in
 * is shown once, in the session bar above (SignInGate), with its lock and switch buttons.
 */
function DeskName() {
  const deskId = useDeskId();
  return (
    <>
      {deskId !== null ? (
        <span className="desk-name">
          {' · '}Desk: <span data-testid="desk-id">{deskId}</span>
        </span>
      ) : null}
    </>
  );
}
