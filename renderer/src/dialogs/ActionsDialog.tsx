import type { KeyboardEvent } from 'react';
import { canCancelWalkInInError, DESK_STATUS_LABEL, localTimeOf, TRANSITIONS, type DeskStatus } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { ACTION_LABEL } from '../day/labels';
import { patientName } from '../day/format';
import { STATUS_KEY, statusForKey } from '../keyboard/keys';
import { canRebook, findRow, rowKey } from '../keyboard/useDeskKeys';
import { useDay, useDeskActions } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/**
 * Every action for one appointment: exactly the status machine's next steps (shared/domain/status.ts), then
 * rebook, undo and the session's no-shows. The same letters work here as on the row.
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
    close();
    if (status === 'cancelled') open({ kind: 'cancel', appointmentId });
    else void setStatus(appointmentId, status);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
    const upper = event.key.toUpperCase();
    const meaningful = statusForKey(event.key) !== null || upper === 'R' || upper === 'U';
    const current = findRow(appointmentId);
    if (!meaningful || !current) return;
    event.preventDefault();
    // Closed first: the key may open the next dialog (cancel, rebook, no-shows) in this one's place.
    close();
    rowKey(current, event);
  };
  const statuses = TRANSITIONS[row.status];
  return (
    <Modal title={`${localTimeOf(row.start)} ${name}`} onClose={close} testId="actions-dialog" onKeyDown={onKeyDown}>
      <p className="muted">
        Now: <strong>{DESK_STATUS_LABEL[row.status]}</strong>. Press a letter or pick an action.
      </p>
      {statuses.length === 0 ? <p>No status change is allowed from {DESK_STATUS_LABEL[row.status]}.</p> : null}
      <ul className="action-list">
        {statuses.map((s, i) => (
          <li key={s}>
            <button
              type="button"
              className={`button ${s === 'dna' || s === 'cancelled' ? 'button--warning-outline' : 'button--secondary'} action-list__button`}
              aria-keyshortcuts={STATUS_KEY[s] ?? undefined}
              data-testid={`action-${s}`}
              onClick={() => run(s)}
              {...(i === 0 ? { 'data-autofocus': '' } : {})}
            >
              <span>{ACTION_LABEL[s]}</span>
              {STATUS_KEY[s] ? <kbd className="kbd">{STATUS_KEY[s]}</kbd> : null}
            </button>
          </li>
        ))}
        {canRebook(row) ? (
          <li>
            <button
              type="button"
              className="button button--secondary action-list__button"
              aria-keyshortcuts="R"
              data-testid="rebook"
              onClick={() => {
                close();
                open({ kind: 'rebook', appointmentId });
              }}
              {...(statuses.length === 0 ? { 'data-autofocus': '' } : {})}
            >
              <span>Rebook</span>
              <kbd className="kbd">R</kbd>
            </button>
          </li>
        ) : null}
        {canCancelWalkInInError(row) ? (
          <li>
            <button
              type="button"
              className="button button--warning-outline action-list__button"
              data-testid="walk-in-in-error"
              onClick={() => {
                close();
                void cancelWalkInInError(appointmentId);
              }}
            >
              <span>Registered in error: take this walk-in back</span>
            </button>
          </li>
        ) : null}
        <li>
          <button
            type="button"
            className="button button--secondary action-list__button"
            aria-keyshortcuts="U"
            data-testid="undo"
            onClick={() => {
              close();
              void undo(appointmentId);
            }}
          >
            <span>Undo its last change</span>
            <kbd className="kbd">U</kbd>
          </button>
        </li>
        {row.sessionId !== null ? (
          <li>
            <button
              type="button"
              className="button button--secondary action-list__button"
              aria-keyshortcuts="Shift+D"
              data-testid="session-no-shows"
              onClick={() => {
                close();
                if (row.sessionId !== null) open({ kind: 'session-dna', sessionId: row.sessionId });
              }}
            >
              <span>This session’s remaining no-shows → DNA</span>
              <kbd className="kbd">Shift+D</kbd>
            </button>
          </li>
        ) : null}
      </ul>
    </Modal>
  );
}
