/**
 * The merge-back review: the plan by patient, conflicts first, each conflict with the three sides (as pulled
 * before the outage, upstream now, what the desk did) and a person's choices; one step to apply every clean
 * change, only after confirming, with a progress bar; then the worklist to tick off.
 */
import { useEffect, useState } from 'react';
import type { MergeItemView, MergePatientGroup } from '../../../shared/merge';
import { impactPatientRows, impactRows, SHEET_CATALOGUE, sheetUrl, type MergeSheetKind } from '../../../shared/sheets';
import { formatNhsNumber, formatUkDate, localDateOf, localTimeOf } from '../../../shared/domain';
import type { FreeSlot } from '../../../shared/api';
import { getDeskClient } from '../api/client';
import { PrintSheetButtons, PrintStatusLine, usePrintSheet } from '../components/PrintSheet';
import { useMergeField, useMergeStore } from './merge-store';
import { ClaimSettingsForm } from './ClaimSettingsForm';
import './merge.css';

const CLASS_LABEL: Record<MergeItemView['class'], string> = {
  already: 'Already there',
  clean: 'Ready to apply',
  compatible: 'Ready (upstream changed other details)',
  conflict: 'Needs a decision',
  manual: 'Key by hand',
};

function side(label: string, status: string | null, extra: string | null = null) {
  return (
    <div className="merge-side">
      <div className="merge-side-label">{label}</div>
      <div className="merge-side-value">{status ?? 'not there'}</div>
      {extra ? <div className="merge-side-extra">{extra}</div> : null}
    </div>
  );
}

function ConflictChoices({ item }: { item: MergeItemView }) {
  const resolve = useMergeStore((s) => s.resolve);
  const freeSlots = useMergeStore((s) => s.freeSlots);
  const busy = useMergeField('busy');
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  const [slot, setSlot] = useState('');
  const from = localDateOf(item.start ?? new Date().toISOString());
  return (
    <div className="merge-choices" role="group" aria-label="Decision">
      <button type="button" className="button" disabled={busy} onClick={() => void resolve(item.key, 'keep_desk')}>
        Keep the desk’s
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => void resolve(item.key, 'keep_upstream')}>
        Keep upstream’s
      </button>
      <button type="button" className="button" disabled={busy} onClick={() => void resolve(item.key, 'manual')}>
        Leave for manual entry
      </button>
      {item.kind === 'create' && slots === null ? (
        <button type="button" className="button" disabled={busy} onClick={() => void freeSlots(from).then(setSlots)}>
          Rebook into another slot…
        </button>
      ) : null}
      {item.kind === 'create' && slots !== null ? (
        <span className="merge-rebook">
          <label>
            Slot{' '}
            <select value={slot} onChange={(e) => setSlot(e.target.value)}>
              <option value="">{slots.length ? 'Choose a free slot' : 'No free slots found'}</option>
              {slots.map((f) => (
                <option key={f.slot.id} value={f.slot.id}>
                  {formatUkDate(localDateOf(f.slot.start))} {localTimeOf(f.slot.start)} {f.clinician.name}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" className="button" disabled={busy || slot === ''} onClick={() => void resolve(item.key, 'rebook', slot)}>
            Rebook
          </button>
        </span>
      ) : null}
    </div>
  );
}

function Item({ item }: { item: MergeItemView }) {
  const when = item.start ? localTimeOf(item.start) : '';
  return (
    <li className={`merge-item merge-${item.class}`}>
      <div className="merge-item-head">
        <span className="merge-when">{when}</span>
        {item.clinician ? <span className="merge-clinician"> {item.clinician}</span> : null} <strong>{CLASS_LABEL[item.class]}</strong>: {item.reason}
        {item.attempt ? (
          <div className="merge-attempt">
            Last try: {item.attempt.result}: {item.attempt.detail}
          </div>
        ) : null}
      </div>
      {item.class === 'conflict' ? (
        <>
          <div className="merge-sides">
            {side('Before the outage', item.base?.status ?? null)}
            {side('Clinical system now', item.upstream?.status ?? null)}
            {side('The desk', item.desk?.status ?? null, item.desk?.cancelReason ?? null)}
          </div>
          {item.resolution ? <p>Decided: {item.resolution.choice.replace('_', ' ')}</p> : <ConflictChoices item={item} />}
        </>
      ) : null}
    </li>
  );
}

function Group({ group }: { group: MergePatientGroup }) {
  return (
    <section className="merge-group" aria-label={group.name}>
      <h3>
        {group.name} {group.nhsNumber ? <span className="merge-nhs">NHS {formatNhsNumber(group.nhsNumber)}</span> : null}
        {group.timeSensitive ? <span className="merge-flag">Time-sensitive</span> : null}
      </h3>
      <ul>
        {group.items.map((i) => (
          <Item key={i.key} item={i} />
        ))}
      </ul>
    </section>
  );
}

function ApplyBar() {
  const plan = useMergeField('plan');
  const progress = useMergeField('progress');
  const busy = useMergeField('busy');
  const apply = useMergeStore((s) => s.apply);
  const [confirming, setConfirming] = useState(false);
  const ready = plan ? (plan.counts.clean ?? 0) + (plan.counts.compatible ?? 0) : 0;
  // Items upstream already has are recorded by apply too (after a re-read), or they would stay pending for ever.
  const already = plan?.counts.already ?? 0;
  const running = plan?.running || progress?.phase === 'reading' || progress?.phase === 'applying';
  return (
    <div className="merge-apply">
      <button type="button" className="button" disabled={busy || running} onClick={() => void apply({ dryRun: true })}>
        Check the clinical system again
      </button>
      {confirming ? (
        <>
          <span>
            Write {ready} change(s) to the clinical system now{already ? ` and record ${already} already there` : ''}?
          </span>
          <button
            type="button"
            className="button button-primary"
            disabled={busy || running}
            onClick={() => {
              setConfirming(false);
              void apply({ dryRun: false });
            }}
          >
            Yes, apply
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Not yet
          </button>
        </>
      ) : (
        <button type="button" className="button button-primary" disabled={busy || running || ready + already === 0} onClick={() => setConfirming(true)}>
          {ready === 0 && already > 0 ? `Record ${already} already there…` : `Apply all ${ready} ready change(s)…`}
        </button>
      )}
      {progress ? (
        <div className="merge-progress" role="status">
          <progress max={Math.max(progress.total, 1)} value={progress.done} /> {progress.phase}
          {progress.total ? ` ${progress.done} of ${progress.total}` : ''}
          {progress.message && progress.phase !== 'applying' ? `: ${progress.message}` : ''}
        </div>
      ) : null}
    </div>
  );
}

function Worklist() {
  const worklist = useMergeField('worklist');
  const tick = useMergeStore((s) => s.tick);
  const busy = useMergeField('busy');
  if (!worklist) return null;
  if (worklist.patients.length === 0) return <p>{worklist.complete ? 'Reconciliation is complete.' : 'Nothing to key by hand.'}</p>;
  return (
    <ol className="merge-worklist">
      {worklist.patients.flatMap((p) =>
        p.items.map((i) => (
          <li key={i.key}>
            <strong>{p.name}</strong>
            {p.temporaryResident ? (
              <span className="tag tag--info" title="Temporary resident">
                {' '}
                TR
              </span>
            ) : null}
            {p.nhsNumber ? <span className="merge-nhs"> NHS {formatNhsNumber(p.nhsNumber)}</span> : null} {i.action} <span className="merge-why">({i.why})</span>{' '}
            <button type="button" className="button" disabled={busy} onClick={() => void tick(i.key, 'keyed')}>
              Keyed
            </button>{' '}
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                const reason = window.prompt('Why is this not being keyed?');
                if (reason) void tick(i.key, 'dismissed', reason);
              }}
            >
              Dismiss…
            </button>
          </li>
        )),
      )}
    </ol>
  );
}

/** The merge-back sheets the desk serves (electron/server/sheets.ts); the desk is named in the print record. */
function SheetLinks({ sheet }: { sheet: MergeSheetKind }) {
  const client = getDeskClient();
  const desk = client.deskId;
  const label = SHEET_CATALOGUE[sheet].title;
  const printer = usePrintSheet();
  if (client.transport === 'ipc') {
    return (
      <div className="merge-sheets">
        <p>
          {label}: <PrintSheetButtons label={label} request={{ sheet }} printer={printer} testId={`merge-${sheet}`} />
        </p>
        <PrintStatusLine printer={printer} idle={`As CSV for a spreadsheet: standby-desk ${sheet} --out FILE.csv`} />
      </div>
    );
  }
  return (
    <p className="merge-sheets">
      {label}:{' '}
      <a href={sheetUrl(sheet, 'pdf', { desk })} target="_blank" rel="noopener noreferrer" data-testid={`merge-${sheet}-pdf`}>
        PDF to print
      </a>{' '}
      {sheet === 'impact-report' ? (
        <>
          ·{' '}
          <a href={sheetUrl(sheet, 'pdf', { desk, patients: true })} target="_blank" rel="noopener noreferrer" data-testid={`merge-${sheet}-patients-pdf`}>
            PDF with the time-sensitive patients by name
          </a>{' '}
        </>
      ) : null}
      ·{' '}
      <a href={sheetUrl(sheet, 'csv', { desk })} data-testid={`merge-${sheet}-csv`}>
        CSV for a spreadsheet
      </a>
    </p>
  );
}

function FigureTable({ caption, list }: { caption: string; list: ReadonlyArray<{ label: string; value: number | string }> }) {
  return (
    <table className="merge-impact-table">
      <caption>{caption}</caption>
      <tbody>
        {list.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The outages in counts: what the practice reports to its ICB, the same figures as the printed report, each outage
 * on its own and all together; then the patients in time-sensitive care affected, by name, for the practice.
 */
function Impact() {
  const impact = useMergeField('impact');
  if (!impact) return null;
  const { window, rows, entries, work, outages } = impactRows(impact);
  const patients = impactPatientRows(impact);
  const several = outages.length > 1;
  return (
    <section className="merge-impact" aria-label="Outage impact" data-testid="merge-impact">
      <h2>Outage impact</h2>
      <p>{window}</p>
      <div className="merge-impact-tables">
        {several ? outages.map((o) => <FigureTable key={o.title} caption={`${o.title}: ${o.window}`} list={o.rows} />) : null}
        <FigureTable caption={several ? 'All outages together' : 'Appointments'} list={rows} />
        <FigureTable caption="The desk’s changes" list={entries} />
        <FigureTable caption="The work it caused" list={work} />
      </div>
      <ClaimSettingsForm />
      {patients.length ? (
        <table className="merge-impact-patients" data-testid="merge-impact-patients">
          <caption>Patients in time-sensitive care affected</caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">NHS number</th>
              <th scope="col">Care</th>
              <th scope="col">Appointments in the outage</th>
            </tr>
          </thead>
          <tbody>
            {patients.map((p) => (
              <tr key={`${p.outage} ${p.name} ${p.nhs}`}>
                <th scope="row">
                  {p.name}
                  {several ? ` (${p.outage})` : ''}
                </th>
                <td className="merge-nhs">{p.nhs}</td>
                <td>{p.care}</td>
                <td>{p.appointments}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <SheetLinks sheet="impact-report" />
    </section>
  );
}

export function MergeReview() {
  const start = useMergeStore((s) => s.start);
  const plan = useMergeField('plan');
  const error = useMergeField('error');
  useEffect(() => start(), [start]);
  return (
    <main className="main merge-review" id="merge">
      <h2>Merge back the outage</h2>
      {error ? <p role="alert">{error}</p> : null}
      {plan ? (
        <p>
          {plan.upstreamReadAt ? `Clinical system last read at ${localTimeOf(plan.upstreamReadAt)} (London time).` : 'The clinical system has not been read yet.'}{' '}
          {plan.counts.conflict ?? 0} to decide, {(plan.counts.clean ?? 0) + (plan.counts.compatible ?? 0)} ready, {plan.counts.manual ?? 0} to key by hand,{' '}
          {plan.counts.already ?? 0} already there.
        </p>
      ) : (
        <p role="status">Loading the plan…</p>
      )}
      <ApplyBar />
      {plan?.groups.map((g) => (
        <Group key={g.patientId ?? '(none)'} group={g} />
      ))}
      <h2>Worklist</h2>
      <SheetLinks sheet="worklist" />
      <Worklist />
      <Impact />
    </main>
  );
}
