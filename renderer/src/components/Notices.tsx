import { closeMessage, MESSAGE_AREA_ID } from '../keyboard/useDeskKeys';
import { useAnnouncement, useDeskActions, useLastChange, useLastError } from '../state/desk-store';
import { ariaKeys, hintKey } from '../keyboard/keys';
import { isSessionDnaUndo, type LastChange } from '../state/desk-state';

/**
 * The message about the last action, where the receptionist will see it: what went wrong, or what changed with
 * its Undo; one at a time, the newest (desk-store), closed by Escape. And, for screen readers, what just changed.
 * After a session's no-shows are marked DNA, Undo puts the whole list back at once, and says it is all of them.
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
        {/* Keyed by the change: a new message is a new notice to the screen and its readers. */}
        {lastChange ? <LastChangeNotice key={lastChange.id} change={lastChange} onUndo={() => void undoMine()} /> : null}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}

/**
 * The confirmation of the last change, with its Undo (the undoMine key does the same). After a session's DNA the
 * Undo is for the whole list, and says so. Plain elements: the screen gives it the store's message and undoMine.
 */
export function LastChangeNotice({ change, onUndo }: { change: LastChange; onUndo: () => void }) {
  const undoLabel = isSessionDnaUndo(change.undo) ? `Undo all ${change.undo.appointmentIds.length}` : 'Undo';
  return (
    <div className="notice notice--done" data-testid="last-change" data-appointment-id={change.appointmentId ?? ''}>
      <p className="notice__text">
        <span aria-hidden="true">✓ </span>
        {change.message}
      </p>
      {change.undo ? (
        <button type="button" className="button button--secondary button--small" aria-keyshortcuts={ariaKeys('undoMine')} onClick={onUndo} data-testid="undo-last">
          {undoLabel}
          <kbd className="kbd kbd--hint">{hintKey('undoMine')}</kbd>
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
  );
}
