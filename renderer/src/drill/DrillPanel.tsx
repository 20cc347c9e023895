/**
 * "Practise an outage" on the manager's screen (issue 20 item 5): start a drill, and end it with the report's
 * answers (was the pack found, was it printed, what went wrong). The desk measures the rest: the time to the first
 * check-in, the sheets printed. The readiness check above dates the last drill.
 */
import { useState, type FormEvent } from 'react';
import type { DrillReport } from '../../../shared/api';
import { useDrillStore } from './drill-store';

const whenText = (at: string) => new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });

export function DrillPanel({ onChanged }: { onChanged?: () => void }) {
  const { state, error, busy, start, end } = useDrillStore();
  const running = state?.running ?? null;
  return (
    <section className="drill-panel" aria-labelledby="drill-heading">
      <h2 id="drill-heading">Practise an outage</h2>
      {running === null ? (
        <>
          <p>
            A drill runs the desk on a copy of today&apos;s mirror. Every screen and every printed page says DRILL; reception works it as on a real outage day. Nothing from it is
            merged back or counted, and ending it throws the copy away.
          </p>
          <LastDrill report={state?.last ?? null} />
          <button type="button" className="button" disabled={busy || state === null} onClick={() => void start().then(onChanged)}>
            Start a drill
          </button>
        </>
      ) : (
        <EndDrillForm startedAt={running.startedAt} busy={busy} onEnd={(input) => void end(input).then(onChanged)} />
      )}
      {error === null ? null : <p role="alert">{error}</p>}
    </section>
  );
}

function LastDrill({ report }: { report: DrillReport | null }) {
  if (report === null || report.endedAt === null) return <p data-testid="last-drill">No drill recorded yet.</p>;
  const firstCheckIn = report.minutesToFirstCheckIn === null ? 'no one was checked in' : `first check-in after ${report.minutesToFirstCheckIn} min`;
  return (
    <p data-testid="last-drill">
      Last drill: ended {whenText(report.endedAt)} by {report.endedBy}; {firstCheckIn}; pack {report.packFound ? 'found' : 'not found'}
      {report.packPrinted ? ' and printed' : ', not printed'}; {report.sheetsPrinted ?? 0} sheet(s) printed.
      {report.problems ? ` Problems: ${report.problems}` : ''}
    </p>
  );
}

function EndDrillForm({ startedAt, busy, onEnd }: { startedAt: string; busy: boolean; onEnd: (input: { packFound: boolean; packPrinted: boolean; problems: string }) => void }) {
  const [packFound, setPackFound] = useState(false);
  const [packPrinted, setPackPrinted] = useState(false);
  const [problems, setProblems] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onEnd({ packFound, packPrinted, problems });
  };
  return (
    <form onSubmit={submit} aria-label="End the drill">
      <p role="status">A drill has been running since {whenText(startedAt)}. When the team has finished, answer these and end it.</p>
      <fieldset>
        <legend>The outage pack</legend>
        <label>
          <input type="checkbox" checked={packFound} onChange={(e) => setPackFound(e.target.checked)} /> The team found the outage pack
        </label>{' '}
        <label>
          <input type="checkbox" checked={packPrinted} onChange={(e) => setPackPrinted(e.target.checked)} /> They printed from it
        </label>
      </fieldset>
      <label htmlFor="drill-problems">Problems noted</label>
      <textarea id="drill-problems" value={problems} maxLength={4000} onChange={(e) => setProblems(e.target.value)} />
      <button type="submit" className="button" disabled={busy}>
        End the drill
      </button>
    </form>
  );
}
