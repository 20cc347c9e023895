import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { localTimeOf } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { patientName } from '../day/format';
import { findRow } from '../keyboard/useDeskKeys';
import { addNote } from '../state/desk-writes';
import { useUiStore } from '../state/ui-store';

const NOTE_MAX = 2000;

/** A note against an appointment (T): kept in the journal and put on merge-back's worklist for the record. */
export function NoteDialog({ appointmentId }: { appointmentId: string }) {
  const close = useUiStore((s) => s.close);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const row = findRow(appointmentId);
  if (!row) return null;
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (text.trim() === '') {
      setError('The note is empty.');
      return;
    }
    if (busy) return;
    setBusy(true);
    const outcome = await addNote(row, text);
    setBusy(false);
    if (outcome.ok) close();
    else setError(outcome.message);
  };
  // Enter starts a new line in a note; Ctrl+Enter saves it, as the Save button says.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };
  return (
    <Modal title={`Note: ${localTimeOf(row.start)} ${patientName(row.patient)}`} onClose={close} testId="note-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label className="field">
          <span className="field__label">Note</span>
          <textarea
            className="field__input note__text"
            rows={5}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            maxLength={NOTE_MAX}
            aria-invalid={error !== null}
            aria-describedby={error ? 'note-error' : 'note-hint'}
            data-autofocus
            data-testid="note-text"
          />
        </label>
        <p id="note-hint" className="muted">
          Kept with the appointment and listed for the clinical record at merge-back. <kbd className="kbd">Ctrl+Enter</kbd> saves.
        </p>
        {error ? (
          <p id="note-error" className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="modal__buttons">
          <button type="submit" className="button" disabled={busy} data-testid="note-save">
            Save note
          </button>
          <button type="button" className="button button--secondary" onClick={close}>
            Not now
          </button>
        </div>
      </form>
    </Modal>
  );
}
