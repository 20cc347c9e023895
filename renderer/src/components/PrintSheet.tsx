import { useState } from 'react';
import type { OperationInput } from '../../../shared/api';
import { getDeskClient } from '../api/client';

type PrintSheetRequest = Omit<OperationInput<'printSheet'>, 'to'>;
type PrintStatus = { kind: 'busy'; label: string } | { kind: 'done'; message: string } | { kind: 'error'; message: string } | null;

/**
 * In the desktop app, a sheet goes to a printer or a PDF file through printSheet, which main carries out (the
 * system's print or save dialog); the status line says what happened. Shared by the Print dialog and the merge
 * review's worklist and impact report.
 */
export function usePrintSheet() {
  const [status, setStatus] = useState<PrintStatus>(null);
  const run = async (label: string, request: PrintSheetRequest, to: 'printer' | 'pdf') => {
    setStatus({ kind: 'busy', label });
    try {
      const result = await getDeskClient().send('printSheet', { ...request, to });
      const message =
        result.outcome === 'cancelled'
          ? `${label}: not printed (cancelled).`
          : result.outcome === 'saved'
            ? `${label} saved to ${result.file ?? 'the file chosen'}.`
            : `${label} sent to the printer.`;
      setStatus({ kind: 'done', message });
    } catch (error) {
      setStatus({ kind: 'error', message: `${label} was not printed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  return { status, busy: status?.kind === 'busy', run };
}

export function PrintSheetButtons(props: { label: string; request: PrintSheetRequest; printer: ReturnType<typeof usePrintSheet>; testId: string; autoFocus?: boolean }) {
  const { label, request, printer, testId } = props;
  return (
    <>
      <button
        type="button"
        className="button button--secondary"
        disabled={printer.busy}
        onClick={() => void printer.run(label, request, 'printer')}
        data-testid={`print-${testId}`}
        {...(props.autoFocus ? { 'data-autofocus': '' } : {})}
      >
        Print…
      </button>
      <button type="button" className="button button--secondary" disabled={printer.busy} onClick={() => void printer.run(label, request, 'pdf')} data-testid={`save-${testId}`}>
        Save PDF…
      </button>
    </>
  );
}

export function PrintStatusLine({ printer, idle }: { printer: ReturnType<typeof usePrintSheet>; idle: string }) {
  const { status } = printer;
  return (
    <p role="status" className={status?.kind === 'error' ? 'notice notice--error' : 'muted'} data-testid="print-status">
      {status === null ? idle : status.kind === 'busy' ? `Preparing ${status.label}…` : status.message}
    </p>
  );
}
