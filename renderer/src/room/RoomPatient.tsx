import { APPOINTMENT_TYPE_LABEL, DESK_STATUS_LABEL } from '../../../shared/domain';
import { timeOf } from '../day/format';
import { runPatientAction } from './room-actions';
import { allowedActions, patientLine, ROOM_ACTION_LABEL, ROOM_ACTIONS, stateText, type RoomAction, type RoomList, type RoomRow } from './room-model';
import { roomAriaKeys, roomHintKey } from './room-keys';
import { useRoomStore } from './room-store';

/** Buttons that finish or warn stand apart from the calls, so a slip of the mouse does not end a consultation. */
const WARNING: ReadonlySet<RoomAction> = new Set(['dna', 'left']);

/**
 * The patient with the keyboard, large enough to read across a consulting room and to check against the
 * patient in front of the clinician: name, date of birth and age, NHS number. An "Alert" marker says that the
 * record carries an alert; what it says is for the clinical system, never this screen.
 */
export function RoomPatient({ list }: { list: RoomList }) {
  const current = useRoomStore((s) => s.current);
  const date = useRoomStore((s) => s.date);
  const cliniciansMayDna = useRoomStore((s) => s.settings.cliniciansMayDna);
  const pending = useRoomStore((s) => (current === null ? null : (s.pending[current] ?? null)));
  const entry = findEntry(list, current);
  if (entry === null || date === null) {
    return (
      <section className="room-patient room-patient--empty" aria-label="Patient">
        <p>No patients on your list today.</p>
      </section>
    );
  }
  const row = entry.row;
  const p = patientLine(row, date);
  const allowed = allowedActions(row, cliniciansMayDna);
  // DNA is not offered at all where the practice keeps it for reception.
  const shown = ROOM_ACTIONS.filter((a) => a !== 'dna' || cliniciansMayDna);
  return (
    <section className="room-patient" aria-labelledby="room-patient-name" data-testid="room-patient" data-appointment-ref={row.id}>
      <p className="room-patient__when">
        {timeOf(row.start)} · {APPOINTMENT_TYPE_LABEL[row.type]}
        {row.desk?.ticket ? ` · Ticket ${row.desk.ticket}` : ''} · <span data-testid="room-patient-state">{stateText(entry)}</span>
        {entry.next ? <span className="room-tag room-tag--next">Next</span> : null}
      </p>
      <h2 id="room-patient-name" className="room-patient__name" data-testid="room-patient-name">
        {p.name}
      </h2>
      {p.alert ? (
        <p className="room-alert room-alert--large" data-testid="room-patient-alert">
          Alert present: check the clinical record
        </p>
      ) : null}
      <dl className="room-patient__ids">
        <div>
          <dt>Date of birth</dt>
          <dd data-testid="room-patient-dob">
            {p.dob}
            {p.age ? <span className="room-patient__age"> ({p.age})</span> : null}
          </dd>
        </div>
        <div>
          <dt>NHS number</dt>
          <dd data-testid="room-patient-nhs">{p.nhs}</dd>
        </div>
      </dl>
      {row.reason ? <p className="room-patient__reason">Booked for: {row.reason}</p> : null}
      <div className="room-actions" role="group" aria-label={`Actions for ${p.name}`}>
        {shown.map((action) => (
          <button
            key={action}
            type="button"
            className={`button room-action room-action--${action}${WARNING.has(action) ? ' button--warning-outline' : action === 'call' ? '' : ' button--secondary'}`}
            data-testid={`room-action-${action}`}
            aria-keyshortcuts={roomAriaKeys(action)}
            disabled={!allowed.has(action) || pending !== null}
            onClick={() => runPatientAction(action, row.id)}
          >
            <span>{ROOM_ACTION_LABEL[action]}</span>
            <kbd className="kbd">{roomHintKey(action)}</kbd>
          </button>
        ))}
      </div>
      {pending !== null ? (
        <p className="room-patient__saving" role="status">
          Saving {ROOM_ACTION_LABEL[pending]}…
        </p>
      ) : (
        <p className="room-patient__status">Status: {DESK_STATUS_LABEL[row.status]}</p>
      )}
    </section>
  );
}

function findEntry(list: RoomList, id: string | null): RoomRow | null {
  if (id === null) return null;
  for (const rows of [list.withYou, list.waiting, list.expected, list.finished]) {
    const found = rows.find((r) => r.row.id === id);
    if (found) return found;
  }
  return null;
}
