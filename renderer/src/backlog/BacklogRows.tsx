import type { KeyboardEvent } from 'react';
import type { BacklogItem } from '../../../shared/api';
import { formatUkDate, localDateOf, localTimeOf } from '../../../shared/domain';
import { Flags, NhsNumber } from '../components/AppointmentRow';
import { patientName } from '../day/format';
import { slotOf, slotWords, type SlotChoices } from './backlog-model';

/** On a row: accept it (Enter), change its slot (S). The arrows, Home and End move the one tab stop. */
export const ACCEPT_ROW_KEY = 'Enter';
export const CHANGE_SLOT_KEY = 's';

/**
 * The assistant's proposals, one row each in the list's order (time-sensitive care first), the row one roving tab
 * stop like the callback list's: the buttons in it are reached by its keys, not by Tab.
 */
export function BacklogRows({
  items,
  chosen,
  current,
  busy,
  onAccept,
  onChange,
  onMove,
}: {
  items: readonly BacklogItem[];
  chosen: SlotChoices;
  /** The row with the tab stop; null: the first. */
  current: string | null;
  busy: boolean;
  onAccept: (item: BacklogItem) => void;
  onChange: (item: BacklogItem) => void;
  onMove: (appointmentId: string) => void;
}) {
  const stop = items.some((i) => i.appointment.id === current) ? current : (items[0]?.appointment.id ?? null);
  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const row = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('[data-backlog-id]') : null;
    if (!row || event.target !== row || event.ctrlKey || event.metaKey || event.altKey) return;
    const i = items.findIndex((x) => x.appointment.id === row.dataset['backlogId']);
    const item = items[i];
    if (!item) return;
    const to = { ArrowUp: i - 1, ArrowDown: i + 1, Home: 0, End: items.length - 1 }[event.key];
    if (to !== undefined) {
      const next = items[Math.max(0, Math.min(items.length - 1, to))];
      if (next) onMove(next.appointment.id);
    } else if (event.key === ACCEPT_ROW_KEY) {
      if (slotOf(item, chosen) !== null && !busy) onAccept(item);
    } else if (event.key.toLowerCase() === CHANGE_SLOT_KEY) {
      onChange(item);
    } else return;
    event.preventDefault();
  };
  return (
    <div className="backlog__scroll">
      <table className="callback-table backlog-table" data-testid="backlog-list">
        <caption className="visually-hidden">Proposed rebookings</caption>
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Was booked</th>
            <th scope="col">Proposed slot</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {items.map((item) => (
            <BacklogRow
              key={item.appointment.id}
              item={item}
              chosen={chosen}
              stop={item.appointment.id === stop}
              busy={busy}
              onAccept={onAccept}
              onChange={onChange}
              onMove={onMove}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BacklogRow({
  item,
  chosen,
  stop,
  busy,
  onAccept,
  onChange,
  onMove,
}: {
  item: BacklogItem;
  chosen: SlotChoices;
  stop: boolean;
  busy: boolean;
  onAccept: (item: BacklogItem) => void;
  onChange: (item: BacklogItem) => void;
  onMove: (appointmentId: string) => void;
}) {
  const a = item.appointment;
  const name = patientName(a.patient);
  const slot = slotOf(item, chosen);
  const changed = chosen[a.id] !== undefined;
  const match = slot === null ? null : slot.clinician.id === a.clinicianId ? 'same clinician' : 'same role';
  return (
    <tr
      className={`callback-row${item.timeSensitive ? ' backlog-row--urgent' : ''}`}
      data-backlog-id={a.id}
      data-testid={`backlog-${a.id}`}
      data-placed={slot !== null}
      tabIndex={stop ? 0 : -1}
      onFocus={(e) => {
        if (e.target === e.currentTarget) onMove(a.id);
      }}
      aria-label={`${name}${item.timeSensitive ? ', time-sensitive' : ''}: ${slot === null ? `not placed, ${item.reason ?? 'no slot chosen'}` : `proposed ${slotWords(slot)}`}`}
    >
      <td>
        <span className="patient-name">{name}</span>
        {item.timeSensitive ? <span className="tag tag--warn">Time-sensitive</span> : null}
        <Flags flags={a.patient.flags} />
        <span className="appt__sub">
          {a.patient.dateOfBirth ? formatUkDate(a.patient.dateOfBirth) : 'DOB not known'} · <NhsNumber patient={a.patient} />
        </span>
      </td>
      <td>
        {formatUkDate(localDateOf(a.start))} {localTimeOf(a.start)}
        <span className="appt__sub">{item.clinicianName}</span>
      </td>
      <td data-testid="backlog-proposal">
        {slot === null ? (
          <span className="tag tag--warn">Not placed: {item.reason ?? 'no slot chosen'}</span>
        ) : (
          <>
            {slotWords(slot)}
            <span className="appt__sub">
              {match}
              {changed ? ' · changed by you' : ''}
              {slot.sessionLabel ? ` · ${slot.sessionLabel}` : ''}
            </span>
          </>
        )}
      </td>
      <td>
        <span className="actions">
          <button
            type="button"
            className="button button--small"
            tabIndex={-1}
            disabled={slot === null || busy}
            aria-label={`Accept: ${name}`}
            aria-keyshortcuts="Enter"
            data-testid="backlog-accept"
            onClick={() => onAccept(item)}
          >
            Accept<kbd className="kbd kbd--hint">Enter</kbd>
          </button>
          <button
            type="button"
            className="button button--small button--secondary"
            tabIndex={-1}
            aria-label={`Change slot: ${name}`}
            aria-keyshortcuts="S"
            data-testid="backlog-change"
            onClick={() => onChange(item)}
          >
            Change slot<kbd className="kbd kbd--hint">S</kbd>
          </button>
        </span>
      </td>
    </tr>
  );
}
