import { useState } from 'react';
import { Modal } from '../components/Modal';
import { PrintSheetButtons, PrintStatusLine, usePrintSheet } from '../components/PrintSheet';
import { useDay, useDeskId, useSelectedDate, useTransport } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { ClinicianOptions } from '../components/SelectOptions';
import { MENU_SHEETS, SHEET_CATALOGUE, sheetUrl } from '../../../shared/sheets/catalogue';
import { isLocalTime, localDateOf, localTimeOf } from '../../../shared/domain';

/** The day's paper sheets as the catalogue lists them for the menu (docs/sheets.md). */
const SHEETS = MENU_SHEETS.map((id) => ({ id, ...SHEET_CATALOGUE[id] }));

/** "clinician lists, consultation records and callback list": the sheets the clinician choice narrows. */
const NARROWED = SHEETS.filter((s) => s.perClinician)
  .map((s) => s.title.toLowerCase())
  .join(', ')
  .replace(/, ([^,]*)$/, ' and $1');

/** "master list, clinician lists and consultation records": the sheets "Rest of the day" shortens. */
const REST_OF_DAY = SHEETS.filter((s) => s.restOfDay)
  .map((s) => s.title.toLowerCase())
  .join(', ')
  .replace(/, ([^,]*)$/, ' and $1');

type DayPart = 'whole' | 'rest';

/**
 * Which part of the day the dialog offers first: the rest of it from now while the day shown is today and its
 * appointments have begun (reprinting the morning at 15:39 ran to 169 pages), the whole day otherwise.
 */
export function defaultDayPart(date: string, now: Date, day: { appointments: ReadonlyArray<{ start: string }>; sessions: ReadonlyArray<{ start: string }> } | null): DayPart {
  if (date !== localDateOf(now) || day === null) return 'whole';
  const starts = [...day.sessions.map((s) => s.start), ...day.appointments.map((a) => a.start)].map((t) => Date.parse(t));
  return starts.length > 0 && Math.min(...starts) < now.getTime() ? 'rest' : 'whole';
}

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
  // Read once, when the dialog opens: the time typed over it must not move under the receptionist's hands.
  const [openedAt] = useState(() => new Date());
  const [part, setPart] = useState<DayPart | null>(null);
  const [fromText, setFromText] = useState(() => localTimeOf(openedAt));
  if (date === null) return null;
  const isToday = date === localDateOf(openedAt);
  const chosen: DayPart = isToday ? (part ?? defaultDayPart(date, openedAt, day)) : 'whole';
  const fromOk = isLocalTime(fromText);
  const from = chosen === 'rest' && fromOk ? fromText : null;
  return (
    <Modal title="Print a paper sheet" onClose={close} testId="print-dialog">
      <label className="field">
        <span className="field__label">Clinician (for {NARROWED})</span>
        <select className="field__input" value={clinicianId} onChange={(e) => setClinicianId(e.target.value)} data-testid="print-clinician">
          <option value="">All clinicians</option>
          <ClinicianOptions clinicians={day?.clinicians ?? []} />
        </select>
      </label>
      {isToday ? (
        <fieldset className="fieldset" data-testid="print-part">
          <legend className="fieldset__legend">Which part of the day</legend>
          <div className="radios">
            <label className="radio">
              <input type="radio" name="print-part" checked={chosen === 'whole'} onChange={() => setPart('whole')} data-testid="print-part-whole" />
              Whole day
            </label>
            <label className="radio">
              <input type="radio" name="print-part" checked={chosen === 'rest'} onChange={() => setPart('rest')} data-testid="print-part-rest" />
              Rest of the day (from {fromOk ? fromText : 'HH:MM'}): the {REST_OF_DAY} only; the others always print the whole day
            </label>
          </div>
          {chosen === 'rest' ? (
            <label className="field">
              <span className="field__label">From (HH:MM, 24 hour)</span>
              <input className="field__input" type="time" value={fromText} onChange={(e) => setFromText(e.target.value)} data-testid="print-from" />
              {fromOk ? null : <span className="notice notice--error">Type the time to print from as HH:MM; until then the whole day prints.</span>}
            </label>
          ) : null}
        </fieldset>
      ) : null}
      {transport === 'ipc' ? (
        <AppSheetList date={date} clinicianId={clinicianId} from={from} />
      ) : (
        <BrowserSheetList date={date} clinicianId={clinicianId} deskId={deskId} from={from} />
      )}
    </Modal>
  );
}

/** In a browser: each sheet is a link to its PDF, opened in a new tab and printed from the browser's viewer. */
function BrowserSheetList({ date, clinicianId, deskId, from }: { date: string; clinicianId: string; deskId: string | null; from: string | null }) {
  return (
    <ul className="print-list">
      {SHEETS.map((s, i) => (
        <li key={s.id}>
          <a
            className="print-list__link"
            // The desk is named in the audit trail's print record; the clinician only narrows the sheets that can be.
            // sheetUrl leaves "from" off the sheets that print whole days.
            href={sheetUrl(s.id, 'pdf', { date, clinicianId, desk: deskId, from })}
            target="_blank"
            rel="noopener noreferrer"
            data-testid={`print-${s.id}`}
            {...(i === 0 ? { 'data-autofocus': '' } : {})}
          >
            {s.title}
            {from !== null && s.restOfDay ? ` from ${from}` : ''}
          </a>
          <span className="muted">
            {' '}
            · {s.detail} (a PDF, in a new tab){from !== null && !s.restOfDay ? '; the whole day' : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** In the app: each sheet to a printer or to a PDF file, by main (printSheet); what happened is said below. */
function AppSheetList({ date, clinicianId, from }: { date: string; clinicianId: string; from: string | null }) {
  const printer = usePrintSheet();
  return (
    <>
      <ul className="print-list print-list--app">
        {SHEETS.map((s, i) => (
          <li key={s.id}>
            <span>
              <span className="print-list__label">
                {s.title}
                {from !== null && s.restOfDay ? ` from ${from}` : ''}
              </span>
              <span className="muted">
                {' '}
                · {s.detail}
                {from !== null && !s.restOfDay ? '; the whole day' : ''}
              </span>
            </span>
            <PrintSheetButtons
              label={s.title}
              request={{ sheet: s.id, date, ...(s.perClinician && clinicianId !== '' ? { clinicianId } : {}), ...(s.restOfDay && from !== null ? { from } : {}) }}
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
