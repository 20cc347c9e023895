import { useState, type FormEvent } from 'react';
import { Modal } from '../components/Modal';
import { patientName } from '../day/format';
import { findRow } from '../keyboard/useDeskKeys';
import { updatePhone } from '../state/desk-writes';
import { useUiStore } from '../state/ui-store';

/** The patient's phone number (C): changed at the desk, journalled for the clinical record at merge-back. */
export function ContactDialog({ appointmentId }: { appointmentId: string }) {
  const close = useUiStore((s) => s.close);
  const row = findRow(appointmentId);
  const [phone, setPhone] = useState(row?.patient.phone ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!row) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (phone.trim() !== '' && !/\d{5,}/.test(phone.replace(/[\s()+-]/g, ''))) {
      setError('That does not look like a phone number: type its digits (spaces are fine).');
      return;
    }
    setBusy(true);
    const outcome = await updatePhone(row, phone);
    setBusy(false);
    if (outcome.ok) close();
    else setError(outcome.message);
  };
  return (
    <Modal title={`Phone number: ${patientName(row.patient)}`} onClose={close} testId="contact-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">Now: {row.patient.phone ?? 'no phone number'}</p>
        <label className="field">
          <span className="field__label">New phone number (leave empty for none)</span>
          <input
            className="field__input"
            type="tel"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            onFocus={(e) => e.target.select()}
            maxLength={40}
            autoComplete="off"
            aria-invalid={error !== null}
            aria-describedby={error ? 'contact-error' : undefined}
            data-autofocus
            data-testid="contact-phone"
          />
        </label>
        {error ? (
          <p id="contact-error" className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="modal__buttons">
          <button type="submit" className="button" disabled={busy} data-testid="contact-save">
            Save number
          </button>
          <button type="button" className="button button--secondary" onClick={close}>
            Not now
          </button>
        </div>
      </form>
    </Modal>
  );
}
