import { useAnnouncement, useDeskActions, useLastChange, useLastError } from '../state/desk-store';

/** What went wrong, where the receptionist will see it; and, for screen readers, what just changed. */
export function Notices() {
  const lastError = useLastError();
  const announcement = useAnnouncement();
  const lastChange = useLastChange();
  const { dismissError, dismissLastChange, undoMine } = useDeskActions();
  return (
    <>
      <div className="notices">
        {lastError ? (
          <div
            className={`notice notice--${lastError.kind}`}
            role="alert"
            data-testid="notice"
            data-kind={lastError.kind}
            data-appointment-id={lastError.appointmentId ?? ''}
          >
            <p className="notice__text">
              <strong>{lastError.kind === 'conflict' ? 'Not saved. ' : 'Problem: '}</strong>
              {lastError.message}
            </p>
            <button type="button" className="button button--secondary button--small" onClick={dismissError}>
              Dismiss
            </button>
          </div>
        ) : null}
        {lastChange && !lastError ? (
          <div className="notice notice--done" data-testid="last-change" key={lastChange.id}>
            <p className="notice__text">
              <span aria-hidden="true">✓ </span>
              {lastChange.message}
            </p>
            {lastChange.undo ? (
              <button type="button" className="button button--secondary button--small" aria-keyshortcuts="Control+Z" onClick={() => void undoMine()} data-testid="undo-last">
                Undo<kbd className="kbd kbd--hint">Ctrl+Z</kbd>
              </button>
            ) : null}
            <button type="button" className="button button--secondary button--small" onClick={dismissLastChange} aria-label="Dismiss the last change message">
              OK
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
