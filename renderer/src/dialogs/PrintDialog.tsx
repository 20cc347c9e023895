import { useState } from 'react';
import { Modal } from '../components/Modal';
import { PrintSheetButtons, PrintStatusLine, usePrintSheet } from '../components/PrintSheet';
import { useDay, useDeskId, useSelectedDate, useTransport } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { ClinicianOptions } from '../components/SelectOptions';
import { MENU_SHEETS, SHEET_CATALOGUE, sheetUrl } from '../../../shared/sheets/catalogue';

/** The day's paper sheets as the catalogue lists them for the menu (docs/sheets.md). */
const SHEETS = MENU_SHEETS.map((id) => ({ id, ...SHEET_CATALOGUE[id] }));

/** "clinician lists, consultation records and callback list": the sheets the clinician choice narrows. */
const NARROWED = SHEETS.filter((s) => s.perClinician)
  .map((s) => s.title.toLowerCase())
  .join(', ')
  .replace(/, ([^,]*)$/, ' and $1');

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
        <span className="field__label">Clinician (for {NARROWED})</span>
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
  return (
    <ul className="print-list">
      {SHEETS.map((s, i) => (
        <li key={s.id}>
          <a
            className="print-list__link"
            // The desk is named in the audit trail's print record; the clinician only narrows the sheets that can be.
            href={sheetUrl(s.id, 'pdf', { date, clinicianId, desk: deskId })}
            target="_blank"
            rel="noopener noreferrer"
            data-testid={`print-${s.id}`}
            {...(i === 0 ? { 'data-autofocus': '' } : {})}
          >
            {s.title}
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
              <span className="print-list__label">{s.title}</span>
              <span className="muted"> · {s.detail}</span>
            </span>
            <PrintSheetButtons
              label={s.title}
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
