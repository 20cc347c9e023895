import { useState, type KeyboardEvent } from 'react';
import { Modal } from '../components/Modal';
import { SendInAnywayDialog } from '../dialogs/SendInAnywayDialog';
import { patientName, timeOf } from '../day/format';
import { focusRoomRow } from './room-actions';
import { ROOM_HELP } from './room-keys';
import { useRoomStore } from './room-store';

/** The longest note the contract takes; a contemporaneous note is a few lines, the worklist carries it whole. */
const NOTE_MAX = 2000;

/** The room's one dialog at a time; closing any of them gives the keyboard back to the patient it was about. */
export function RoomDialogHost() {
  const dialog = useRoomStore((s) => s.dialog);
  const close = useRoomStore((s) => s.close);
  const confirmSendIn = useRoomStore((s) => s.confirmSendIn);
  if (dialog === null) return null;
  const closeAndRefocus = () => {
    const current = useRoomStore.getState().current;
    close();
    if (current !== null) requestAnimationFrame(() => focusRoomRow(current));
  };
  switch (dialog.kind) {
    case 'help':
      return <RoomHelpDialog onClose={closeAndRefocus} />;
    case 'note':
      return <NoteDialog key={dialog.appointmentId} appointmentId={dialog.appointmentId} onClose={closeAndRefocus} />;
    case 'send-in':
      return (
        <SendInAnywayDialog
          question={dialog.question}
          onCancel={closeAndRefocus}
          onConfirm={() => {
            void confirmSendIn().then(() => requestAnimationFrame(() => focusRoomRow(dialog.question.appointmentId)));
          }}
        />
      );
    default:
      return assertNever(dialog);
  }
}

function RoomHelpDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keys in the room view" onClose={onClose} testId="room-help">
      <table className="help__table">
        <tbody>
          {ROOM_HELP.map(([keys, what]) => (
            <tr key={what}>
              <th scope="row">
                <kbd className="kbd">{keys}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Tab reaches every button too. A call by C shows the ticket and your room on the waiting-room displays; Q never does.</p>
      <div className="modal__buttons">
        <button type="button" className="button" onClick={onClose} data-autofocus="">
          Close
        </button>
      </div>
    </Modal>
  );
}

/**
 * A short contemporaneous note against the appointment. It is journalled with the clinician's name and the time
 * and goes on the re-keying worklist; it is never written to the clinical record by itself.
 */
function NoteDialog({ appointmentId, onClose }: { appointmentId: string; onClose: () => void }) {
  const row = useRoomStore((s) => s.day?.appointments.find((a) => a.id === appointmentId) ?? null);
  const addNote = useRoomStore((s) => s.addNote);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  if (row === null) return null;
  const save = async () => {
    if (text.trim() === '' || busy) return;
    setBusy(true);
    const saved = await addNote(appointmentId, text.trim());
    setBusy(false);
    if (saved) onClose();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter makes a new line in a note; Ctrl+Enter saves, as in most clinical systems' free text.
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  };
  return (
    <Modal title={`Note: ${patientName(row.patient)}, ${timeOf(row.start)}`} onClose={onClose} testId="room-note-dialog" describedBy="room-note-help" wide>
      <p id="room-note-help" className="muted">
        Goes on the re-keying worklist with your name and the time, as an entry typed from a contemporaneous note. It is not written to the clinical record automatically.
      </p>
      <label className="field" htmlFor="room-note-text">
        <span>Note</span>
      </label>
      <textarea
        id="room-note-text"
        className="room-note__text"
        data-testid="room-note-text"
        rows={6}
        maxLength={NOTE_MAX}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        data-autofocus=""
      />
      <p className="muted">
        {text.length} / {NOTE_MAX} · Ctrl+Enter saves
      </p>
      <div className="modal__buttons">
        <button type="button" className="button" data-testid="room-note-save" disabled={busy || text.trim() === ''} onClick={() => void save()}>
          Save note
        </button>
        <button type="button" className="button button--secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

function assertNever(value: never): never {
  throw new Error(`unhandled dialog: ${JSON.stringify(value)}`);
}
