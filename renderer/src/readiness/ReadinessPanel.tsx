/**
 * Readiness, for managers (issue 20, item 3): each check with its state as a word on a coloured tag (never colour
 * alone), what was found and how to fix it, the overall state, and "Check again". ReadinessAlert is the red banner a
 * manager sees on signing in when anything is red, with a button to the panel. The checks: electron/desk/readiness.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import { READINESS_LABEL, type Readiness } from '../../../shared/api/readiness';
import { getDeskClient, type DeskClient } from '../api/client';
import { DrillPanel } from '../drill/DrillPanel';
import './readiness.css';

export interface ReadinessState {
  readiness: Readiness | null;
  error: string | null;
  checking: boolean;
}

/** getReadiness on mount and on `check()`; one request at a time. */
export function useReadiness(): ReadinessState & { check: () => void } {
  const [state, setState] = useState<ReadinessState>({ readiness: null, error: null, checking: true });
  const check = useCallback(() => {
    setState((s) => ({ ...s, checking: true }));
    getDeskClient()
      .send('getReadiness', {})
      .then(
        (readiness) => setState({ readiness, error: null, checking: false }),
        (e: unknown) => setState((s) => ({ ...s, error: e instanceof Error ? e.message : String(e), checking: false })),
      );
  }, []);
  useEffect(check, [check]);
  return { ...state, check };
}

/**
 * The key kept (issue 20, item 4): the recovery sheet to the printer, through the system dialog. What happened, in
 * one line for the panel; a cancelled dialog is no one's failure. The sheet goes to paper only: no copy is kept.
 */
export async function printRecoverySheet(client: Pick<DeskClient, 'send'>): Promise<string> {
  try {
    const { outcome } = await client.send('printRecoverySheet', { to: 'printer' });
    return outcome === 'cancelled' ? 'The recovery sheet was not printed (cancelled).' : 'The recovery sheet was printed: keep it in the practice safe.';
  } catch (e: unknown) {
    return `The recovery sheet could not be printed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

const checkedAtText = (at: string) => new Date(at).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });

/** The panel as drawn from a state: no fetching, so it can be rendered and tested on its own. */
export function ReadinessPanelBody({
  state,
  onCheckAgain,
  onPrintRecoverySheet,
  recoverySheetNote = null,
}: {
  state: ReadinessState;
  onCheckAgain: () => void;
  /** Shown on the key check's line when given (the desktop app, which has the printer). */
  onPrintRecoverySheet?: () => void;
  /** What the last print of the recovery sheet did. */
  recoverySheetNote?: string | null;
}) {
  const { readiness, error, checking } = state;
  return (
    <section aria-labelledby="readiness-heading">
      <h2 id="readiness-heading">Readiness for an outage</h2>
      {readiness ? (
        <>
          <p role="status" data-testid="readiness-overall">
            Overall: <span className={`readiness-tag readiness-${readiness.overall}`}>{READINESS_LABEL[readiness.overall]}</span> checked {checkedAtText(readiness.checkedAt)}
          </p>
          <ul className="readiness-list" aria-label="Readiness checks">
            {readiness.checks.map((c) => (
              <li key={c.id} className={`readiness-item readiness-${c.status}`} data-testid={`readiness-${c.id}`}>
                <span className={`readiness-tag readiness-${c.status}`}>{READINESS_LABEL[c.status]}</span> <strong>{c.title}</strong>: {c.detail}
                {c.fix === '' ? null : <p className="readiness-fix">To fix: {c.fix}</p>}
                {c.id === 'key' && onPrintRecoverySheet ? (
                  <p>
                    <button type="button" className="button" onClick={onPrintRecoverySheet}>
                      Print the recovery sheet
                    </button>
                    {recoverySheetNote === null ? null : <span role="status"> {recoverySheetNote}</span>}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : checking ? (
        <p role="status">Checking…</p>
      ) : null}
      {error === null ? null : <p role="alert">Readiness could not be checked: {error}</p>}
      <button type="button" className="button" onClick={onCheckAgain} disabled={checking}>
        {checking ? 'Checking…' : 'Check again'}
      </button>
    </section>
  );
}

export function ReadinessPanel() {
  const { check, ...state } = useReadiness();
  const [note, setNote] = useState<string | null>(null);
  const printSheet = useCallback(() => {
    void printRecoverySheet(getDeskClient()).then((said) => {
      setNote(said);
      check();
    });
  }, [check]);
  // Only the desktop app has the printer (printRecoverySheet is main's); in a browser the fix line names the CLI.
  const inApp = typeof window !== 'undefined' && window.standbyDesk !== undefined;
  return (
    <>
      <ReadinessPanelBody state={state} onCheckAgain={check} {...(inApp ? { onPrintRecoverySheet: printSheet } : {})} recoverySheetNote={note} />
      {/* Ending a drill changes the last-drill check: read again. */}
      <DrillPanel onChanged={check} />
    </>
  );
}

/** The red banner, drawn from a readiness: nothing unless something is red. */
export function ReadinessAlertBody({ readiness, onOpen }: { readiness: Readiness | null; onOpen: () => void }) {
  if (readiness?.overall !== 'red') return null;
  const red = readiness.checks.filter((c) => c.status === 'red').map((c) => c.title);
  return (
    <div role="alert" className="readiness-alert" data-testid="readiness-alert">
      <strong>{READINESS_LABEL.red}: the practice is not ready for an outage.</strong> {red.join('; ')}.{' '}
      <button type="button" className="button" onClick={onOpen}>
        Open readiness
      </button>
    </div>
  );
}

/** For a manager's screen after sign-in: checks once, and shows the red banner when anything is red. */
export function ReadinessAlert({ onOpen }: { onOpen: () => void }) {
  const { readiness } = useReadiness();
  return <ReadinessAlertBody readiness={readiness} onOpen={onOpen} />;
}
