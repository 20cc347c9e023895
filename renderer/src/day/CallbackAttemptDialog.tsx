import { useState, type FormEvent } from 'react';
import type { CallbackEntry } from '../../../shared/api';
import { CALLBACK_OUTCOME_LABEL, CALLBACK_OUTCOMES, localTimeOf, type CallbackOutcome } from '../../../shared/domain';
import { getDeskClient } from '../api/client';
import { Modal } from '../components/Modal';
import { patientName } from './format';

/**
 * Records one try at calling a patient back: what came of it and, if anything, a note. Who and when are the desk's
 * (the signed-in user, the desk's clock), never typed. Arrows choose the outcome, Enter records it.
 */
export function CallbackAttemptDialog({ entry, onClose }: { entry: CallbackEntry; onClose: (recorded: boolean) => void }) {
  const [outcome, setOutcome] = useState<CallbackOutcome>('called');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const a = entry.appointment;
  const name = patientName(a.patient);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    try {
      await getDeskClient().send('recordCallbackAttempt', { appointmentId: a.id, outcome, ...(note.trim() ? { note: note.trim() } : {}) });
      onClose(true);
    } catch (e) {
      setSaving(false);
      setError(`Not recorded: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <Modal
      title={`Record a call: ${name}`}
      onClose={() => onClose(false)}
      testId="callback-attempt-dialog"
      // Keys here are the dialog's (arrows choose the outcome): the desk's own keys wait until it closes.
      onKeyDown={(e) => e.stopPropagation()}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">
          {a.patient.phone ?? 'No phone number on record'} · was booked {localTimeOf(a.start)} with {entry.clinicianName}
        </p>
        <fieldset className="field">
          <legend className="field__label">What happened</legend>
          {CALLBACK_OUTCOMES.map((o) => (
            <label key={o} className="radio">
              <input
                type="radio"
                name="callback-outcome"
                value={o}
                checked={outcome === o}
                onChange={() => setOutcome(o)}
                data-testid={`outcome-${o}`}
                {...(o === outcome ? { 'data-autofocus': '' } : {})}
              />{' '}
              {CALLBACK_OUTCOME_LABEL[o]}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span className="field__label">Note (optional)</span>
          <input className="field__input" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="callback-note" />
        </label>
        {error ? (
          <p className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="muted">&ldquo;Rebooked&rdquo; and &ldquo;No callback needed&rdquo; move the patient to Done.</p>
        <div className="modal__buttons">
          <button type="submit" className="button" data-testid="record-callback" disabled={saving}>
            Record
          </button>
          <button type="button" className="button button--secondary" onClick={() => onClose(false)}>
            Close
          </button>
        </div>
      </form>
    </Modal>
  );
}
