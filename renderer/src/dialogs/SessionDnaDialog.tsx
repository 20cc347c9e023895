import { useMemo, useState } from 'react';
import { localTimeOf, sessionNoShows } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { patientName } from '../day/format';
import { useDay, useDeskActions } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/** "Mark the rest DNA" names every patient first: marking someone who is in the building DNA is a hazard. */
export function SessionDnaDialog({ sessionId }: { sessionId: string }) {
  const close = useUiStore((s) => s.close);
  const day = useDay();
  const { markSessionDna } = useDeskActions();
  const [busy, setBusy] = useState(false);
  const session = day?.sessions.find((s) => s.id === sessionId) ?? null;
  const clinician = day?.clinicians.find((c) => c.id === session?.clinicianId) ?? null;
  const rows = useMemo(() => (day ? sessionNoShows(day.appointments, sessionId) : []), [day, sessionId]);
  const title = `Mark ${session?.label ?? 'session'} no-shows DNA${clinician ? `: ${clinician.name}` : ''}`;
  const confirm = async () => {
    setBusy(true);
    const ok = await markSessionDna(sessionId, rows);
    setBusy(false);
    if (ok) close();
  };
  return (
    <Modal title={title} onClose={close} testId="session-dna-dialog" describedBy="session-dna-who">
      {rows.length === 0 ? (
        <p>Nobody in this session is still only booked.</p>
      ) : (
        <>
          <p id="session-dna-who">
            These {rows.length} face-to-face appointments are still booked, never checked in. Check the waiting room first; they will all be
            marked DNA:
          </p>
          <ul className="who-list" data-testid="session-dna-list">
            {rows.map((r) => (
              <li key={r.id} data-appointment-ref={r.id}>
                <strong>{localTimeOf(r.start)}</strong> {patientName(r.patient)}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="modal__buttons">
        {rows.length > 0 ? (
          <button type="button" className="button button--warning" data-autofocus data-testid="confirm-session-dna" disabled={busy} onClick={() => void confirm()}>
            Mark {rows.length} DNA
          </button>
        ) : null}
        <button type="button" className="button button--secondary" onClick={close} {...(rows.length === 0 ? { 'data-autofocus': '' } : {})}>
          Do not mark
        </button>
      </div>
    </Modal>
  );
}
