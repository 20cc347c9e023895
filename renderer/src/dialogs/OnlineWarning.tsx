import { ONLINE_WARNING } from '../../../shared/api';
import { Modal } from '../components/Modal';
import { useOnlineQuestion } from '../state/online-guard';

/**
 * Asked before the first change of a session while the clinical system is up (the practice warns rather than
 * refuses): the change belongs in the clinical system. Shown above any dialog the change came from.
 */
export function OnlineWarning() {
  const question = useOnlineQuestion((s) => s.question);
  if (question === null) return null;
  return (
    <Modal title="The clinical system is up" onClose={() => question.answer(false)} testId="online-warning" describedBy="online-warning-text">
      <p id="online-warning-text">{ONLINE_WARNING}</p>
      <p className="muted">Asked once: later changes at this desk are made without asking. Switch to outage mode (M) if the clinical system is down.</p>
      <div className="modal__buttons">
        <button type="button" className="button button--secondary" onClick={() => question.answer(false)} data-autofocus data-testid="online-warning-no">
          No, I will use the clinical system
        </button>
        <button type="button" className="button button--warning" onClick={() => question.answer(true)} data-testid="online-warning-yes">
          Make it here as well
        </button>
      </div>
    </Modal>
  );
}
