import { closeMessage, MESSAGE_AREA_ID } from '../keyboard/useDeskKeys';
import { useAnnouncement, useDeskActions, useLastChange, useLastError } from '../state/desk-store';
import { ariaKeys, hintKey } from '../keyboard/keys';

/**
 * The message about the last action, where the receptionist will see it: what went wrong, or what changed with
 * its Undo; one at a time, the newest (desk-store), closed by Escape. And, for screen readers, what just changed.
 */
export function Notices() {
  const lastError = useLastError();
  const announcement = useAnnouncement();
  const lastChange = useLastChange();
  const { undoMine } = useDeskActions();
  return (
    <>
      <div className="notices" id={MESSAGE_AREA_ID}>
        {lastError ? (
          <div className={`notice notice--${lastError.kind}`} role="alert" data-testid="notice" data-kind={lastError.kind} data-appointment-id={lastError.appointmentId ?? ''}>
            <p className="notice__text">
              <strong>{lastError.kind === 'conflict' ? 'Not saved. ' : 'Problem: '}</strong>
              {lastError.message}
            </p>
            <button type="button" className="button button--secondary button--small" onClick={closeMessage} aria-keyshortcuts={ariaKeys('close')}>
              Dismiss<kbd className="kbd kbd--hint">{hintKey('close')}</kbd>
            </button>
          </div>
        ) : null}
        {lastChange ? (
          <div className="notice notice--done" data-testid="last-change" key={lastChange.id} data-appointment-id={lastChange.appointmentId ?? ''}>
            <p className="notice__text">
              <span aria-hidden="true">✓ </span>
              {lastChange.message}
            </p>
            {lastChange.undo ? (
              <button
                type="button"
                className="button button--secondary button--small"
                aria-keyshortcuts={ariaKeys('undoMine')}
                onClick={() => void undoMine()}
                data-testid="undo-last"
              >
                Undo<kbd className="kbd kbd--hint">{hintKey('undoMine')}</kbd>
              </button>
            ) : null}
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={closeMessage}
              aria-label="Dismiss the last change message"
              aria-keyshortcuts={ariaKeys('close')}
            >
              OK<kbd className="kbd kbd--hint">{hintKey('close')}</kbd>
            </button>
          </div>
        ) : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
