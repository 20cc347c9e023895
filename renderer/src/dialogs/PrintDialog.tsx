import { useState } from 'react';
import { Modal } from '../components/Modal';
import { PrintSheetButtons, PrintStatusLine, usePrintSheet } from '../components/PrintSheet';
import { useDay, useDeskId, useSelectedDate, useTransport } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { ClinicianOptions } from '../components/SelectOptions';

/** The paper sheets (docs/sheets.md); the ones kept per clinician can be printed for one clinician only. */
const SHEETS = [
  { id: 'clinician-list', label: 'Clinician lists', detail: 'One per session, with Arrived / Seen / DNA boxes', perClinician: true },
  { id: 'master-list', label: 'Master list', detail: 'The whole day in time order, with rooms', perClinician: false },
  { id: 'walk-in-register', label: 'Walk-in register', detail: 'Numbered rows to fill in by hand', perClinician: false },
  { id: 'consultation-records', label: 'Consultation records', detail: 'A page per appointment for the clinician’s notes', perClinician: true },
  { id: 'callback-list', label: 'Callback list', detail: 'Cancelled and missed patients, time-sensitive first', perClinician: false },
] as const;

/**
 * Browser mode: opens a sheet as a PDF in a new tab, the same pages as the outage pack, each with its header
 * (practice, day, mirror age, page N of M); the browser's PDF viewer prints it. In the app (new windows are
 * refused there): Print… opens the system's print dialog and Save PDF… a save dialog, both through printSheet,
 * which main carries out.
 */
export function PrintDialog() {
  const close = useUiStore((s) => s.close);
  const date = useSelectedDate();
  const day = useDay();
  const transport = useTransport();
  const deskId = useDeskId();
  const [clinicianId, setClinicianId] = useState('');
  if (date === null) return null;
  return (
    <Modal title="Print a paper sheet" onClose={close} testId="print-dialog">
      <label className="field">
        <span className="field__label">Clinician (for clinician lists and consultation records)</span>
        <select className="field__input" value={clinicianId} onChange={(e) => setClinicianId(e.target.value)} data-testid="print-clinician">
          <option value="">All clinicians</option>
          <ClinicianOptions clinicians={day?.clinicians ?? []} />
        </select>
      </label>
      {transport === 'ipc' ? <AppSheetList date={date} clinicianId={clinicianId} /> : <BrowserSheetList date={date} clinicianId={clinicianId} deskId={deskId} />}
    </Modal>
  );
}

/** In a browser: each sheet is a link to its PDF, opened in a new tab and printed from the browser's viewer. */
function BrowserSheetList({ date, clinicianId, deskId }: { date: string; clinicianId: string; deskId: string | null }) {
  const hrefOf = (sheet: string, perClinician: boolean) => {
    const params = new URLSearchParams({ date });
    if (perClinician && clinicianId !== '') params.set('clinician', clinicianId);
    // Names this desk in the audit trail's print record.
    if (deskId !== null) params.set('desk', deskId);
    return `/sheets/${sheet}.pdf?${params.toString()}`;
  };
  return (
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
  );
}

/** In the app: each sheet to a printer or to a PDF file, by main (printSheet); what happened is said below. */
function AppSheetList({ date, clinicianId }: { date: string; clinicianId: string }) {
  const printer = usePrintSheet();
  return (
    <>
      <ul className="print-list print-list--app">
        {SHEETS.map((s, i) => (
          <li key={s.id}>
            <span>
              <span className="print-list__label">{s.label}</span>
              <span className="muted"> · {s.detail}</span>
            </span>
            <PrintSheetButtons
              label={s.label}
              request={{ sheet: s.id, date, ...(s.perClinician && clinicianId !== '' ? { clinicianId } : {}) }}
              printer={printer}
              testId={s.id}
              autoFocus={i === 0}
            />
          </li>
        ))}
      </ul>
      <PrintStatusLine printer={printer} idle="Print… opens this PC’s print dialog; Save PDF… saves the pages exactly as the outage pack prints them." />
    </>
  );
}
