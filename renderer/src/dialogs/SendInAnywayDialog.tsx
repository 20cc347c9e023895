import { useState } from 'react';
import { Modal } from '../components/Modal';
import { sendInQuestionText, type SendInQuestion } from './send-in-anyway';

/**
 * Asks before sending a patient in beside one still with the clinician. "Not yet" has the keyboard first: Enter
 * pressed out of habit must not put two patients in one room.
 */
export function SendInAnywayDialog({ question, onConfirm, onCancel }: { question: SendInQuestion; onConfirm: () => void; onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal title="Still with the clinician" onClose={onCancel} testId="send-in-anyway-dialog" describedBy="send-in-anyway-question">
      <p id="send-in-anyway-question" className="send-in-anyway__question" data-testid="send-in-anyway-question">
        {sendInQuestionText(question)}
      </p>
      <div className="modal__buttons">
        <button type="button" className="button button--secondary" data-testid="send-in-anyway-cancel" onClick={onCancel} data-autofocus="">
          Not yet
        </button>
        <button
          type="button"
          className="button button--warning"
          data-testid="send-in-anyway-confirm"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            onConfirm();
          }}
        >
          {question.status === 'quiet_sent_in' ? 'Quiet call anyway' : 'Send in anyway'}
        </button>
      </div>
    </Modal>
  );
}
