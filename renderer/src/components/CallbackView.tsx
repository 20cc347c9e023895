import { useEffect } from 'react';
import type { CallbackEntry } from '../../../shared/api';
import { DESK_STATUS_LABEL, formatUkDate, isTimeSensitive, localDateOf, localTimeOf } from '../../../shared/domain';
import { formatAge, formatShortDate, patientName } from '../day/format';
import { useCallbacks, useDeskActions, useSelectedDate } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { Flags } from './AppointmentRow';
import { ariaKeys, hintKey } from '../keyboard/keys';

/**
 * Patients to phone on the day shown: cancelled or missed and not rebooked (shared/domain needsCallback, the
 * definition the printed callback list for that day reads too), time-sensitive care first (suspected cancer,
 * anticoagulation, palliative), with their numbers. R (or Enter) on a row rebooks.
 */
export function CallbackView() {
  const callbacks = useCallbacks();
  const date = useSelectedDate();
  const { loadCallbacks } = useDeskActions();
  useEffect(() => {
    void loadCallbacks();
  }, [loadCallbacks]);
  if (callbacks === null || date === null) {
    return (
      <p className="placeholder" role="status">
        Loading the callback list…
      </p>
    );
  }
  const urgent = callbacks.filter((c) => isTimeSensitive(c.appointment.patient.flags));
  const rest = callbacks.filter((c) => !isTimeSensitive(c.appointment.patient.flags));
  return (
    <div className="callbacks" data-nav-column="">
      <p className="queue__summary">
        {callbacks.length === 0
          ? `Nobody to call back for ${formatUkDate(date)}.`
          : `${callbacks.length} to call back for ${formatUkDate(date)}: cancelled or missed, not yet rebooked. Time-sensitive care first. R or Enter on a row rebooks.`}
      </p>
      {callbacks.length > 0 ? (
        <table className="callback-table" data-testid="callback-list">
          <caption className="visually-hidden">Callback list</caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Phone</th>
              <th scope="col">Was booked</th>
              <th scope="col">Outcome</th>
              <th scope="col">Also booked</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          {urgent.length > 0 ? <Section title={`Time-sensitive care (${urgent.length})`} entries={urgent} first /> : null}
          {rest.length > 0 ? <Section title={`Others (${rest.length})`} entries={rest} first={urgent.length === 0} /> : null}
        </table>
      ) : null}
    </div>
  );
}

function Section({ title, entries, first }: { title: string; entries: readonly CallbackEntry[]; first: boolean }) {
  return (
    <tbody>
      <tr className="session-row">
        <th scope="rowgroup" colSpan={6}>
          {title}
        </th>
      </tr>
      {entries.map((c, i) => (
        <CallbackRow key={c.appointment.id} entry={c} first={first && i === 0} />
      ))}
    </tbody>
  );
}

function CallbackRow({ entry, first }: { entry: CallbackEntry; first: boolean }) {
  const a = entry.appointment;
  const date = localDateOf(a.start);
  const name = patientName(a.patient);
  return (
    <tr className="callback-row" data-callback-id={a.id} data-testid={`callback-${a.id}`} tabIndex={first ? 0 : -1} aria-label={`${name}, ${a.patient.phone ?? 'no phone number'}`}>
      <td>
        <span className="patient-name">{name}</span>
        <Flags flags={a.patient.flags} />
        <span className="appt__sub">{a.patient.dateOfBirth ? `${formatAge(a.patient.dateOfBirth, date)} · ${formatUkDate(a.patient.dateOfBirth)}` : 'DOB not known'}</span>
      </td>
      <td className="phone">{a.patient.phone ?? <span className="tag tag--warn">No phone number</span>}</td>
      <td>
        {formatShortDate(date)} {localTimeOf(a.start)}
        <span className="appt__sub">{entry.clinicianName}</span>
      </td>
      <td>
        {DESK_STATUS_LABEL[a.status]}
        {a.cancelReason ? <span className="appt__sub">{a.cancelReason}</span> : null}
      </td>
      <td>
        {entry.alsoBooked.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          entry.alsoBooked.map((b) => `${formatShortDate(localDateOf(b.start))} ${localTimeOf(b.start)} ${b.clinicianName}`).join('; ')
        )}
      </td>
      <td>
        <RebookButton id={a.id} name={name} />
      </td>
    </tr>
  );
}

function RebookButton({ id, name }: { id: string; name: string }) {
  const open = useUiStore((s) => s.open);
  return (
    <button
      type="button"
      className="button button--small button--secondary"
      tabIndex={-1}
      aria-label={`Rebook: ${name}`}
      aria-keyshortcuts={ariaKeys('callback.rebook')}
      data-testid="rebook"
      onClick={() => open({ kind: 'rebook', appointmentId: id })}
    >
      Rebook<kbd className="kbd kbd--hint">{hintKey('callback.rebook')}</kbd>
    </button>
  );
}
