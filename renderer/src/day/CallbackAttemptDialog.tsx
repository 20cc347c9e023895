import { useState, type FormEvent } from 'react';
import type { CallbackEntry } from '../../../shared/api';
import { CALLBACK_OUTCOME_LABEL, CALLBACK_OUTCOMES, CONTACT_STATUS_LABEL, CONTACT_STATUSES, localTimeOf, type CallbackOutcome, type ContactStatus } from '../../../shared/domain';
import { getDeskClient } from '../api/client';
import { Modal } from '../components/Modal';
import { patientName } from './format';

/** What is recorded: a call's outcome (recordCallbackAttempt) or a message's (recordPatientContact, issue 21). */
export type CallOrMessage = { kind: 'call'; outcome: CallbackOutcome } | { kind: 'message'; status: ContactStatus };

/** The request that records a choice: the one place a choice is turned into an operation. */
export function recordingOf(
  appointmentId: string,
  choice: CallOrMessage,
  note: string,
):
  | { op: 'recordCallbackAttempt'; input: { appointmentId: string; outcome: CallbackOutcome; note?: string } }
  | { op: 'recordPatientContact'; input: { appointmentId: string; status: ContactStatus; note?: string } } {
  const noted = note.trim() ? { note: note.trim() } : {};
  return choice.kind === 'call'
    ? { op: 'recordCallbackAttempt', input: { appointmentId, outcome: choice.outcome, ...noted } }
    : { op: 'recordPatientContact', input: { appointmentId, status: choice.status, ...noted } };
}

/**
 * Records one try at reaching a patient: a call's outcome or what came of a message (sent, replied, ...) and, if
 * anything, a note. Who and when are the desk's (the signed-in user, the desk's clock), never typed. Arrows choose
 * among both groups (one radio group), Enter records it.
 */
export function CallbackAttemptDialog({ entry, onClose }: { entry: CallbackEntry; onClose: (recorded: boolean) => void }) {
  const [choice, setChoice] = useState<CallOrMessage>({ kind: 'call', outcome: 'called' });
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
      const recording = recordingOf(a.id, choice, note);
      if (recording.op === 'recordCallbackAttempt') await getDeskClient().send(recording.op, recording.input);
      else await getDeskClient().send(recording.op, recording.input);
      onClose(true);
    } catch (e) {
      setSaving(false);
      setError(`Not recorded: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <Modal
      title={`Record a call or message: ${name}`}
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
          <legend className="field__label">A call: what happened</legend>
          {CALLBACK_OUTCOMES.map((o) => {
            const on = choice.kind === 'call' && choice.outcome === o;
            return (
              <label key={o} className="radio">
                <input
                  type="radio"
                  name="callback-outcome"
                  value={`call-${o}`}
                  checked={on}
                  onChange={() => setChoice({ kind: 'call', outcome: o })}
                  data-testid={`outcome-${o}`}
                  {...(on ? { 'data-autofocus': '' } : {})}
                />{' '}
                {CALLBACK_OUTCOME_LABEL[o]}
              </label>
            );
          })}
        </fieldset>
        <fieldset className="field">
          <legend className="field__label">Or a message (text, Accurx): what came of it</legend>
          {CONTACT_STATUSES.map((c) => (
            <label key={c} className="radio">
              <input
                type="radio"
                name="callback-outcome"
                value={`message-${c}`}
                checked={choice.kind === 'message' && choice.status === c}
                onChange={() => setChoice({ kind: 'message', status: c })}
                data-testid={`contact-${c}`}
              />{' '}
              {CONTACT_STATUS_LABEL[c]}
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
        <p className="muted">&ldquo;Rebooked&rdquo; (by call or message) and &ldquo;No callback needed&rdquo; move the patient to Done.</p>
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
