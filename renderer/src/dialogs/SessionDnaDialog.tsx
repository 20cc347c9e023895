import { useMemo, useState } from 'react';
import { localTimeOf, sessionNoShows } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { hintKey } from '../keyboard/keys';
import { patientName } from '../day/format';
import { useNow } from '../hooks/useNow';
import { useDay, useDeskActions } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/**
 * "Mark the rest DNA" names every patient first: marking someone who is in the building DNA is a hazard. Only
 * appointments already due are ticked by default; the ones still to come need a second, deliberate choice
 * (a session called off early), so a slip at 9 o'clock cannot DNA the whole morning.
 */
export function SessionDnaDialog({ sessionId }: { sessionId: string }) {
  const close = useUiStore((s) => s.close);
  const day = useDay();
  const now = useNow(30_000);
  const { markSessionDna } = useDeskActions();
  const [busy, setBusy] = useState(false);
  const [includeNotDue, setIncludeNotDue] = useState(false);
  const session = day?.sessions.find((s) => s.id === sessionId) ?? null;
  const clinician = day?.clinicians.find((c) => c.id === session?.clinicianId) ?? null;
  const all = useMemo(() => (day ? sessionNoShows(day.appointments, sessionId) : []), [day, sessionId]);
  const nowIso = now.toISOString();
  const due = all.filter((a) => a.start <= nowIso);
  const notDue = all.filter((a) => a.start > nowIso);
  const rows = includeNotDue ? all : due;
  const title = `Mark ${session?.label ?? 'session'} no-shows DNA${clinician ? `: ${clinician.name}` : ''}`;
  const confirm = async () => {
    setBusy(true);
    const ok = await markSessionDna(sessionId, rows);
    setBusy(false);
    if (ok) close();
  };
  return (
    <Modal title={title} onClose={close} testId="session-dna-dialog" describedBy="session-dna-who">
      {all.length === 0 ? (
        <p id="session-dna-who">Nobody in this session is still only booked.</p>
      ) : (
        <>
          <p id="session-dna-who">
            {rows.length === 0
              ? 'Nobody is due yet: no appointment in this session has reached its time.'
              : `These ${rows.length} face-to-face appointments are still booked, never checked in. Check the waiting room first; they will all be marked DNA:`}
          </p>
          {rows.length > 0 ? (
            <p className="muted" data-testid="session-dna-undo-hint">
              Marked in error? {hintKey('undoMine')} straight after puts the whole list back at once.
            </p>
          ) : null}
          {rows.length > 0 ? (
            <ul className="who-list" data-testid="session-dna-list">
              {rows.map((r) => (
                <li key={r.id} data-appointment-ref={r.id}>
                  <strong>{localTimeOf(r.start)}</strong> {patientName(r.patient)}
                  {r.start > nowIso ? <span className="tag tag--warn">not yet due</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {notDue.length > 0 ? (
            <label className="field field--inline">
              <input
                type="checkbox"
                checked={includeNotDue}
                onChange={(e) => setIncludeNotDue(e.target.checked)}
                data-testid="session-dna-include-not-due"
                {...(due.length === 0 ? { 'data-autofocus': '' } : {})}
              />
              <span>
                Also the {notDue.length} not yet due ({notDue.map((r) => localTimeOf(r.start)).join(', ')}): only if the session is over or called off
              </span>
            </label>
          ) : null}
        </>
      )}
      <div className="modal__buttons">
        {rows.length > 0 ? (
          <button
            type="button"
            className="button button--warning"
            data-testid="confirm-session-dna"
            disabled={busy}
            onClick={() => void confirm()}
            {...(due.length > 0 ? { 'data-autofocus': '' } : {})}
          >
            Mark {rows.length} DNA
          </button>
        ) : null}
        <button type="button" className="button button--secondary" onClick={close} {...(all.length === 0 ? { 'data-autofocus': '' } : {})}>
          Do not mark
        </button>
      </div>
    </Modal>
  );
}
