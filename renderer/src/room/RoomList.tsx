import type { LocalDate } from '../../../shared/domain';
import { timeOf } from '../day/format';
import { patientLine, stateText, type RoomList, type RoomRow } from './room-model';
import { useRoomStore } from './room-store';

const SECTIONS = [
  { key: 'withYou', title: 'With you', empty: 'Nobody is with you.' },
  { key: 'waiting', title: 'Waiting', empty: 'Nobody is waiting.' },
  { key: 'expected', title: 'Not arrived yet', empty: 'Everyone booked has arrived.' },
  { key: 'finished', title: 'Finished', empty: null },
] as const satisfies ReadonlyArray<{ key: keyof Pick<RoomList, 'withYou' | 'waiting' | 'expected' | 'finished'>; title: string; empty: string | null }>;

/** The clinician's list in sections; one row has the keyboard (a roving tab stop: arrows or j/k move it). */
export function RoomListView({ list }: { list: RoomList }) {
  const date = useRoomStore((s) => s.date);
  const current = useRoomStore((s) => s.current);
  return (
    <div className="room-list" data-testid="room-list">
      {SECTIONS.map(({ key, title, empty }) => {
        const rows = list[key];
        if (rows.length === 0 && empty === null) return null;
        return (
          <section key={key} className={`room-section room-section--${key}`} aria-labelledby={`room-section-${key}`} data-testid={`room-section-${key}`}>
            <h2 id={`room-section-${key}`} className="room-section__title">
              {title} <span className="room-section__count">({rows.length})</span>
            </h2>
            {rows.length === 0 ? (
              <p className="room-section__empty">{empty}</p>
            ) : (
              <ul className="room-rows">
                {rows.map((r) => (
                  <li key={r.row.id}>
                    <RoomRowButton entry={r} today={date ?? r.row.start.slice(0, 10)} current={r.row.id === current} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

function RoomRowButton({ entry, today, current }: { entry: RoomRow; today: LocalDate; current: boolean }) {
  const setCurrent = useRoomStore((s) => s.setCurrent);
  const pending = useRoomStore((s) => s.pending[entry.row.id] ?? null);
  const p = patientLine(entry.row, today);
  const time = timeOf(entry.row.start);
  const state = stateText(entry);
  return (
    <button
      type="button"
      className={`room-row${current ? ' room-row--current' : ''}${entry.next ? ' room-row--next' : ''}`}
      data-room-row={entry.row.id}
      data-status={entry.row.status}
      data-testid="room-row"
      tabIndex={current ? 0 : -1}
      aria-current={current ? 'true' : undefined}
      aria-label={`${time} ${p.name}, ${p.age ? `${p.age}, ` : ''}${state}${p.alert ? ', alert present' : ''}`}
      onClick={() => setCurrent(entry.row.id)}
      onFocus={() => setCurrent(entry.row.id)}
    >
      <span className="room-row__time">{time}</span>
      <span className="room-row__who">
        <span className="room-row__name">{p.name}</span>
        <span className="room-row__sub">
          {p.age ? `${p.age} · ` : ''}
          {p.dob}
        </span>
      </span>
      <span className="room-row__tags">
        {p.alert ? (
          <span className="room-alert" data-testid="room-alert">
            Alert
          </span>
        ) : null}
        {entry.next ? <span className="room-tag room-tag--next">Next</span> : null}
        {entry.row.status === 'late' ? <span className="room-tag room-tag--late">Arrived late</span> : null}
        {entry.overdueMinutes !== null ? <span className="room-tag room-tag--late">Late</span> : null}
      </span>
      <span className="room-row__state" data-testid="room-row-state">
        {pending !== null ? 'Saving…' : state}
      </span>
    </button>
  );
}
