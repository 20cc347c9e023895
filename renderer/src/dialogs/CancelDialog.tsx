import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { localTimeOf, NO_CALLBACK_CANCEL_REASONS } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { patientName } from '../day/format';
import { findRow } from '../keyboard/useDeskKeys';
import { useDeskActions } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/**
 * The reasons a desk gives most; the callback list and merge-back carry whichever is chosen. The ones that need no
 * call back (booked in error, a duplicate) come from the one list the callback list leaves out by.
 */
const REASONS = ['Patient cancelled', 'Patient unwell, cannot attend', 'Clinician unavailable', 'Practice closed (outage)', ...NO_CALLBACK_CANCEL_REASONS] as const;
const OTHER = 'other';

export function CancelDialog({ appointmentId }: { appointmentId: string }) {
  const close = useUiStore((s) => s.close);
  const { setStatus } = useDeskActions();
  const [choice, setChoice] = useState<string>(REASONS[0]);
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const otherBox = useRef<HTMLInputElement>(null);
  const row = findRow(appointmentId);
  if (!row) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reason = choice === OTHER ? other.trim() : choice;
    if (reason === '') {
      setError('Say why it is cancelled.');
      return;
    }
    close();
    await setStatus(appointmentId, 'cancelled', reason);
  };
  // A select does not submit its form on Enter as an input does: with a reason chosen, Enter cancels, as in the
  // other dialogs; on "Other", Enter goes on to the box for typing it.
  const onReasonKey = (event: KeyboardEvent<HTMLSelectElement>) => {
    if (event.key !== 'Enter' || event.altKey) return;
    event.preventDefault();
    if (choice === OTHER) otherBox.current?.focus();
    else form.current?.requestSubmit();
  };
  return (
    <Modal title={`Cancel ${localTimeOf(row.start)} ${patientName(row.patient)}`} onClose={close} testId="cancel-dialog">
      <form ref={form} onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span className="field__label">Reason</span>
          <select className="field__input" value={choice} onChange={(e) => setChoice(e.target.value)} onKeyDown={onReasonKey} data-autofocus data-testid="cancel-reason">
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
            <option value={OTHER}>Other (type it)</option>
          </select>
        </label>
        {choice === OTHER ? (
          <label className="field">
            <span className="field__label">Other reason</span>
            <input ref={otherBox} className="field__input" value={other} onChange={(e) => setOther(e.target.value)} maxLength={500} data-testid="cancel-other" />
          </label>
        ) : null}
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="muted">Cancelled patients go on the callback list until rebooked (R on the row).</p>
        <div className="modal__buttons">
          <button type="submit" className="button button--warning" data-testid="confirm-cancel">
            Cancel appointment
          </button>
          <button type="button" className="button button--secondary" onClick={close}>
            Keep it
          </button>
        </div>
      </form>
    </Modal>
  );
}
