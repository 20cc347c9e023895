import { useState } from 'react';
import { Modal } from '../components/Modal';
import { useDay, useDeskId, useSelectedDate, useTransport } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/** The paper sheets (docs/sheets.md); the ones kept per clinician can be printed for one clinician only. */
const SHEETS = [
  { id: 'clinician-list', label: 'Clinician lists', detail: 'One per session, with Arrived / Seen / DNA boxes', perClinician: true },
  { id: 'master-list', label: 'Master list', detail: 'The whole day in time order, with rooms', perClinician: false },
  { id: 'walk-in-register', label: 'Walk-in register', detail: 'Numbered rows to fill in by hand', perClinician: false },
  { id: 'consultation-records', label: 'Consultation records', detail: 'A page per appointment for the clinician’s notes', perClinician: true },
  { id: 'callback-list', label: 'Callback list', detail: 'Cancelled and missed patients, time-sensitive first', perClinician: false },
] as const;

/**
 * Opens a sheet as a PDF in a new tab (browser mode): the same pages as the outage pack, each with its header
 * (practice, day, mirror age, page N of M); the browser's PDF viewer prints it. Inside the app new windows are
 * refused by the shell, so there the File menu's Print is the way.
 */
export function PrintDialog() {
  const close = useUiStore((s) => s.close);
  const date = useSelectedDate();
  const day = useDay();
  const transport = useTransport();
  const deskId = useDeskId();
  const [clinicianId, setClinicianId] = useState('');
  if (date === null) return null;
  const hrefOf = (sheet: string, perClinician: boolean) => {
    const params = new URLSearchParams({ date });
    if (perClinician && clinicianId !== '') params.set('clinician', clinicianId);
    // Names this desk in the audit trail's print record.
    if (deskId !== null) params.set('desk', deskId);
    return `/sheets/${sheet}.pdf?${params.toString()}`;
  };
  return (
    <Modal title="Print a paper sheet" onClose={close} testId="print-dialog">
      {transport === 'ipc' ? (
        <p className="notice notice--info">In the desktop app, print from the File menu (Ctrl+P); these links open in a browser on this PC only.</p>
      ) : null}
      <label className="field">
        <span className="field__label">Clinician (for clinician lists and consultation records)</span>
        <select className="field__input" value={clinicianId} onChange={(e) => setClinicianId(e.target.value)} data-testid="print-clinician">
          <option value="">All clinicians</option>
          {(day?.clinicians ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <ul className="print-list">
        {SHEETS.map((s, i) => (
          <li key={s.id}>
            <a
              className="print-list__link"
              href={hrefOf(s.id, s.perClinician)}
              target="_blank"
              rel="noopener noreferrer"
              data-testid={`print-${s.id}`}
              {...(i === 0 ? { 'data-autofocus': '' } : {})}
            >
              {s.label}
            </a>
            <span className="muted"> · {s.detail} (a PDF, in a new tab)</span>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
