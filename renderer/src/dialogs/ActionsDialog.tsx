import type { KeyboardEvent } from 'react';
import { APPOINTMENT_TYPE_LABEL, canCancelWalkInInError, DESK_STATUS_LABEL, localTimeOf, TRANSITIONS, type DeskStatus } from '../../../shared/domain';
import { PatientAddress, PatientMarks } from '../components/AppointmentRow';
import { Modal } from '../components/Modal';
import { ACTION_LABEL } from '../day/labels';
import { patientName } from '../day/format';
import { ariaKeys, hintKey, statusAction, type KeyAction } from '../keyboard/keys';
import { canRebook, findRow, rowKey } from '../keyboard/useDeskKeys';
import { useDay, useDeskActions } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/**
 * Every action for one appointment: exactly the status machine's next steps (shared/domain/status.ts), then
 * rebook, undo and the session's no-shows, then a new booking, a note and the phone number. The same letters work
 * here as on the row. The patient's phone is shown first for a telephone appointment: it is the one to call.
 */
export function ActionsDialog({ appointmentId }: { appointmentId: string }) {
  const close = useUiStore((s) => s.close);
  const open = useUiStore((s) => s.open);
  // Re-read on every change of the day, so a status changed by another desk changes what is offered.
  useDay();
  const { setStatus, undo, cancelWalkInInError } = useDeskActions();
  const row = findRow(appointmentId);
  if (!row) return null;
  const name = patientName(row.patient);
  const run = (status: DeskStatus) => {
    if (status === 'cancelled') open({ kind: 'cancel', appointmentId });
    else void setStatus(appointmentId, status);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    const current = findRow(appointmentId);
    if (!current) return;
    // Closed first: the key may open the next dialog (cancel, rebook, no-shows) in this one's place.
    rowKey(current, event.nativeEvent, () => {
      event.preventDefault();
      close();
    });
  };
  const statuses = TRANSITIONS[row.status];
  return (
    <Modal title={`${localTimeOf(row.start)} ${name}`} onClose={close} testId="actions-dialog" onKeyDown={onKeyDown}>
      <p className={row.type === 'telephone' ? 'actions__phone actions__phone--call' : 'actions__phone'} data-testid="actions-phone">
        {row.type === 'telephone' ? `${APPOINTMENT_TYPE_LABEL.telephone} appointment: call ` : 'Phone: '}
        <strong>{row.patient.phone ?? 'no phone number (C to add one)'}</strong>
      </p>
      {row.patient.deceased || row.patient.temporaryResident || row.patient.address ? (
        <p className="actions__patient" data-testid="actions-patient">
          <PatientMarks patient={row.patient} />
          <PatientAddress patient={row.patient} className="actions__address" />
        </p>
      ) : null}
      <p className="muted">
        Now: <strong>{DESK_STATUS_LABEL[row.status]}</strong>. Press a letter or pick an action.
      </p>
      {statuses.length === 0 ? <p>No status change is allowed from {DESK_STATUS_LABEL[row.status]}.</p> : null}
      <ul className="action-list">
        {statuses.map((s, i) => (
          <ActionItem
            key={s}
            label={ACTION_LABEL[s]}
            action={statusAction(s)}
            testId={`action-${s}`}
            warning={s === 'dna' || s === 'cancelled'}
            autofocus={i === 0}
            onPick={() => run(s)}
          />
        ))}
        {canRebook(row) ? (
          <ActionItem label="Rebook" action="rebook" testId="rebook" autofocus={statuses.length === 0} onPick={() => open({ kind: 'rebook', appointmentId })} />
        ) : null}
        {canCancelWalkInInError(row) ? (
          <ActionItem label="Registered in error: take this walk-in back" action={null} testId="walk-in-in-error" warning onPick={() => void cancelWalkInInError(appointmentId)} />
        ) : null}
        <ActionItem label="Undo its last change" action="undo" testId="undo" onPick={() => void undo(appointmentId)} />
        {row.sessionId !== null ? (
          <ActionItem
            label="This session’s remaining no-shows → DNA"
            action="sessionDna"
            testId="session-no-shows"
            onPick={() => row.sessionId !== null && open({ kind: 'session-dna', sessionId: row.sessionId })}
          />
        ) : null}
        <ActionItem label="Book this patient a new appointment" action="bookForPatient" testId="book-for-patient" onPick={() => open({ kind: 'book', patient: row.patient })} />
        <ActionItem label="Add a note" action="note" testId="add-note" onPick={() => open({ kind: 'note', appointmentId })} />
        <ActionItem
          label={row.patient.phone ? 'Change the phone number' : 'Add a phone number'}
          action="contact"
          testId="change-phone"
          onPick={() => open({ kind: 'contact', appointmentId })}
        />
      </ul>
    </Modal>
  );
}

interface ActionItemProps {
  label: string;
  /** Its key in the keymap, when it has one. */
  action: KeyAction | null;
  testId: string;
  warning?: boolean;
  autofocus?: boolean;
  /** Runs once the dialog has closed, so it may open the next dialog in this one's place. */
  onPick: () => void;
}

function ActionItem({ label, action, testId, warning = false, autofocus = false, onPick }: ActionItemProps) {
  const close = useUiStore((s) => s.close);
  return (
    <li>
      <button
        type="button"
        className={`button ${warning ? 'button--warning-outline' : 'button--secondary'} action-list__button`}
        aria-keyshortcuts={ariaKeys(action)}
        data-testid={testId}
        onClick={() => {
          close();
          onPick();
        }}
        {...(autofocus ? { 'data-autofocus': '' } : {})}
      >
        <span>{label}</span>
        {action ? <kbd className="kbd">{hintKey(action)}</kbd> : null}
      </button>
    </li>
  );
}
