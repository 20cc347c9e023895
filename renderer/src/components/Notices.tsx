import { useAnnouncement, useDeskActions, useLastError } from '../state/desk-store';

/** What went wrong, where the receptionist will see it; and, for screen readers, what just changed. */
export function Notices() {
  const lastError = useLastError();
  const announcement = useAnnouncement();
  const { dismissError } = useDeskActions();
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
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
