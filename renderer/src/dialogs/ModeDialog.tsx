import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Modal } from '../components/Modal';
import { plural } from '../day/format';
import { useDay, useMirrorStatus } from '../state/desk-store';
import { setMode } from '../state/desk-writes';
import { useUiStore } from '../state/ui-store';

/**
 * Outage mode on or off (M, or the header's button): a reason, which the journal keeps with the switch, then a
 * confirmation, since the whole desk (and what merge-back puts back) follows the mode.
 */
export function ModeDialog() {
  const close = useUiStore((s) => s.close);
  const day = useDay();
  const status = useMirrorStatus();
  const mode = day?.mirror.mode ?? status?.mirror.mode ?? 'online';
  const to = mode === 'outage' ? 'online' : 'outage';
  const unmerged = status?.journal.deskChanges ?? 0;
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  // Asked to confirm: the keyboard goes to the button that does it, so Enter confirms and Tab reaches "Not now".
  useEffect(() => {
    if (confirming) submitButton.current?.focus();
  }, [confirming]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setError(to === 'outage' ? 'Say why: for example “EMIS down since 08:00”.' : 'Say why: for example “EMIS back, checked at 13:10”.');
      return;
    }
    setError(null);
    if (!confirming) {
      setConfirming(true);
      return;
    }
    if (busy) return;
    setBusy(true);
    const outcome = await setMode(to, reason.trim());
    setBusy(false);
    if (outcome.ok) close();
    else {
      setConfirming(false);
      setError(outcome.message);
    }
  };

  return (
    <Modal title={to === 'outage' ? 'Switch the desk to outage mode' : 'Switch the desk back online'} onClose={close} testId="mode-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p>
          {to === 'outage'
            ? 'Use this when the clinical system is down. The desk then works from its copy of the book, and every change is kept for merge-back.'
            : `Use this when the clinical system is working again. Changes belong there from now on${unmerged > 0 ? `; the ${plural(unmerged, 'change', 'changes')} made here still need merging back` : ''}.`}
        </p>
        <label className="field">
          <span className="field__label">Reason (required)</span>
          <input
            className="field__input"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setConfirming(false);
            }}
            maxLength={500}
            aria-invalid={error !== null}
            aria-describedby={error ? 'mode-error' : undefined}
            data-autofocus
            data-testid="mode-reason"
          />
        </label>
        {error ? (
          <p id="mode-error" className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        {confirming ? (
          <div className={`callout ${to === 'outage' ? 'callout--red' : 'callout--warn'}`} role="alert" data-testid="mode-confirm">
            <p>
              <strong>{to === 'outage' ? 'Switch every desk to OUTAGE now?' : 'Switch every desk back ONLINE now?'}</strong> Reason: “{reason.trim()}”. Press Enter to confirm.
            </p>
          </div>
        ) : null}
        <div className="modal__buttons">
          <button type="submit" className={`button${to === 'outage' ? ' button--warning' : ''}`} disabled={busy} data-testid="mode-submit" ref={submitButton}>
            {confirming ? (to === 'outage' ? 'Yes, switch to outage' : 'Yes, back online') : 'Continue'}
          </button>
          <button type="button" className="button button--secondary" onClick={close}>
            Not now
          </button>
        </div>
      </form>
    </Modal>
  );
}
