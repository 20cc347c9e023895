import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CallbackEntry } from '../../../shared/api';
import { CALLBACK_OUTCOME_LABEL, CONTACT_STATUS_LABEL, DESK_STATUS_LABEL, formatUkDate, isTimeSensitive, localDateOf, localTimeOf } from '../../../shared/domain';
import { formatAge, formatShortDate, patientName } from '../day/format';
import { CallbackAttemptDialog } from '../day/CallbackAttemptDialog';
import { LatePromptHost } from '../day/late-arrival';
import { deskClient, useCallbacks, useDeskActions, useSelectedDate } from '../state/desk-store';
import { readNotPlaced, type NotPlaced } from '../backlog/backlog-model';
import { useUiStore } from '../state/ui-store';
import { Flags } from './AppointmentRow';
import { ariaKeys, hintKey } from '../keyboard/keys';

/** The key on a callback row that records a try at calling (the row handles it before the desk's global keys). */
const RECORD_KEY = 'c';

/**
 * Patients to phone on the day shown: cancelled or missed and not rebooked, each with the tries made so far, by
 * the one function the printed callback list for that day reads too (shared/domain callbackListOf, through
 * getCallbackList): time-sensitive care first (suspected cancer, anticoagulation, palliative), with their numbers,
 * then the ones already dealt with (rebooked, or no callback needed). R (or Enter) on a row rebooks; C records a call.
 */
export function CallbackView() {
  const callbacks = useCallbacks();
  const date = useSelectedDate();
  const { loadCallbacks } = useDeskActions();
  const [recording, setRecording] = useState<CallbackEntry | null>(null);
  const notPlaced = useNotPlaced(callbacks);
  const table = useRef<HTMLTableElement>(null);
  useEffect(() => {
    void loadCallbacks();
  }, [loadCallbacks]);
  // The arrow keys move the one tab stop among the rows by hand (useDeskKeys); when the list is redrawn (a call
  // recorded moves a row to Done) that row may be replaced and the stop lost, so Tab could no longer reach the
  // list. After every drawing, one row holds it: the one that did, else the first.
  useEffect(() => {
    const rows = table.current?.querySelectorAll<HTMLElement>('[data-callback-id]');
    if (!rows || rows.length === 0 || [...rows].some((r) => r.tabIndex === 0)) return;
    const first = rows[0];
    if (first) first.tabIndex = 0;
  });
  if (callbacks === null || date === null) {
    return (
      <p className="placeholder" role="status">
        Loading the callback list…
      </p>
    );
  }
  const open = callbacks.filter((c) => !c.done);
  const urgent = open.filter((c) => isTimeSensitive(c.appointment.patient.flags));
  const rest = open.filter((c) => !isTimeSensitive(c.appointment.patient.flags));
  const done = callbacks.filter((c) => c.done);
  const record = (entry: CallbackEntry) => setRecording(entry);
  return (
    <div className="callbacks" data-nav-column="">
      <LatePromptHost />
      <p className="queue__summary" data-testid="callback-summary">
        {callbacks.length === 0
          ? `Nobody to call back for ${formatUkDate(date)}.`
          : `${open.length} to call back for ${formatUkDate(date)}: cancelled or missed, not yet rebooked${done.length > 0 ? ` (${done.length} done)` : ''}. Time-sensitive care first. C on a row records a call or a message; R or Enter rebooks.`}
      </p>
      {open.length > 0 ? <BacklogButton /> : null}
      {callbacks.length > 0 ? (
        <table className="callback-table" data-testid="callback-list" ref={table}>
          <caption className="visually-hidden">Callback list</caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Phone</th>
              <th scope="col">Was booked</th>
              <th scope="col">Outcome</th>
              <th scope="col">Calls and messages</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          {urgent.length > 0 ? <Section title={`Time-sensitive care (${urgent.length})`} entries={urgent} first notPlaced={notPlaced} onRecord={record} /> : null}
          {rest.length > 0 ? <Section title={`Others (${rest.length})`} entries={rest} first={urgent.length === 0} notPlaced={notPlaced} onRecord={record} /> : null}
          {done.length > 0 ? (
            <Section title={`Done: rebooked or no callback needed (${done.length})`} entries={done} first={open.length === 0} notPlaced={notPlaced} onRecord={record} />
          ) : null}
        </table>
      ) : null}
      {recording ? (
        <CallbackAttemptDialog
          entry={recording}
          onClose={(recorded) => {
            const id = recording.appointment.id;
            setRecording(null);
            if (recorded) void loadCallbacks().then(() => document.querySelector<HTMLElement>(`[data-callback-id="${CSS.escape(id)}"]`)?.focus());
            else document.querySelector<HTMLElement>(`[data-callback-id="${CSS.escape(id)}"]`)?.focus();
          }}
        />
      ) : null}
    </div>
  );
}

/** The rebooking assistant's reasons for the open rows it cannot place, read again whenever the list is. */
function useNotPlaced(callbacks: readonly CallbackEntry[] | null): NotPlaced {
  const [notPlaced, setNotPlaced] = useState<NotPlaced>({});
  useEffect(() => {
    if (!callbacks?.some((c) => !c.done)) return;
    let current = true;
    void readNotPlaced(deskClient()).then((read) => {
      // Only the answer for the list shown: an older one landing late is dropped.
      if (current) setNotPlaced(read);
    });
    return () => {
      current = false;
    };
  }, [callbacks]);
  return notPlaced;
}

function Section({
  title,
  entries,
  first,
  notPlaced,
  onRecord,
}: {
  title: string;
  entries: readonly CallbackEntry[];
  first: boolean;
  notPlaced: NotPlaced;
  onRecord: (entry: CallbackEntry) => void;
}) {
  return (
    <tbody>
      <tr className="session-row">
        <th scope="rowgroup" colSpan={6}>
          {title}
        </th>
      </tr>
      {entries.map((c, i) => (
        <CallbackRow key={c.appointment.id} entry={c} first={first && i === 0} notPlaced={c.done ? null : (notPlaced[c.appointment.id] ?? null)} onRecord={onRecord} />
      ))}
    </tbody>
  );
}

/** One patient to call back; `notPlaced`: why the rebooking assistant could not place them, if it could not. */
export function CallbackRow({ entry, first, notPlaced, onRecord }: { entry: CallbackEntry; first: boolean; notPlaced: string | null; onRecord: (entry: CallbackEntry) => void }) {
  const a = entry.appointment;
  const date = localDateOf(a.start);
  const name = patientName(a.patient);
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget || event.ctrlKey || event.metaKey || event.altKey || event.key.toLowerCase() !== RECORD_KEY) return;
    // Before the desk's global keys (a document listener), which skip a handled event.
    event.preventDefault();
    onRecord(entry);
  };
  const latest = entry.attempts.at(-1);
  return (
    <tr
      className={`callback-row${entry.done ? ' callback-row--done' : ''}`}
      data-callback-id={a.id}
      data-testid={`callback-${a.id}`}
      data-done={entry.done}
      tabIndex={first ? 0 : -1}
      aria-label={`${name}, ${a.patient.phone ?? 'no phone number'}${entry.done ? ', done' : ''}${latest ? `, last call: ${CALLBACK_OUTCOME_LABEL[latest.outcome]}` : ''}${notPlaced ? `, not placed: ${notPlaced}` : ''}`}
      onKeyDown={onKeyDown}
    >
      <td>
        <span className="patient-name">{name}</span>
        {a.patient.temporaryResident ? <span className="tag tag--info">TR</span> : null}
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
        {entry.alsoBooked.length > 0 ? (
          <span className="appt__sub">
            Also booked: {entry.alsoBooked.map((b) => `${formatShortDate(localDateOf(b.start))} ${localTimeOf(b.start)} ${b.clinicianName}`).join('; ')}
          </span>
        ) : null}
        {notPlaced ? (
          <span className="appt__sub" data-testid="callback-not-placed">
            Not placed: {notPlaced}
          </span>
        ) : null}
      </td>
      <td data-testid="callback-attempts">
        <CallbackTries entry={entry} />
      </td>
      <td>
        <span className="actions">
          <button
            type="button"
            className="button button--small"
            tabIndex={-1}
            aria-label={`Record a call or message: ${name}`}
            aria-keyshortcuts="C"
            data-testid="record-call"
            onClick={() => onRecord(entry)}
          >
            Record call / message<kbd className="kbd kbd--hint">C</kbd>
          </button>
          {entry.done ? null : <RebookButton id={a.id} name={name} />}
        </span>
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

/** Opens the rebooking assistant (issue 21): its key, A, works on any row of the list. */
function BacklogButton() {
  const open = useUiStore((s) => s.open);
  return (
    <p>
      <button
        type="button"
        className="button button--secondary"
        aria-keyshortcuts={ariaKeys('callback.backlog')}
        data-testid="open-backlog"
        onClick={() => open({ kind: 'backlog' })}
      >
        Rebooking assistant<kbd className="kbd kbd--hint">{hintKey('callback.backlog')}</kbd>
      </button>
    </p>
  );
}

/** The calls and the messages (contact tracking, issue 21) in the order they happened, so the last word reads last. */
export function CallbackTries({ entry }: { entry: Pick<CallbackEntry, 'attempts' | 'contacts'> }) {
  const tries = [
    ...entry.attempts.map((t) => ({ id: t.id, at: t.at, what: CALLBACK_OUTCOME_LABEL[t.outcome], user: t.user, note: t.note })),
    ...entry.contacts.map((c) => ({ id: c.id, at: c.at, what: CONTACT_STATUS_LABEL[c.status], user: c.user, note: c.note })),
  ].sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  return tries.length === 0 ? (
    <span className="muted">None yet</span>
  ) : (
    <ul className="callback-attempts">
      {tries.map((t) => (
        <li key={t.id}>
          <b>{t.what}</b> <time dateTime={t.at}>{localTimeOf(t.at)}</time> <span className="muted">({t.user})</span>
          {t.note ? <span className="appt__sub">{t.note}</span> : null}
        </li>
      ))}
    </ul>
  );
}
