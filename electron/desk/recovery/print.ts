/**
 * Printing the recovery sheet to a PDF for a manager (the CLI's `recovery-sheet`), and the audit record every
 * print of it leaves: the key's fingerprint, which readiness's "key kept" check looks for (AuditTrail).
 */
import fs from 'node:fs';
import { RECOVERY_SHEET } from '../../../shared/api/readiness';
import type { RequestContext } from '../dispatch';
import type { OpenDesk } from '../open';
import { countPdfPages, PdfPrinter, type DocumentPrinter } from '../print';
import { resolveDatabaseKey } from '../store/key';
import { recoverySheetDocument } from './sheet';
import { keyFingerprint } from './words';

export interface PrintedRecoverySheet {
  file: string;
  keyFingerprint: string;
  pages: number;
}

/** The audit record of a recovery sheet made (printed, or saved as a PDF to print). */
export function recordRecoverySheet(desk: Pick<OpenDesk, 'service'>, fingerprint: string, to: 'pdf' | 'printer', ctx: RequestContext): void {
  desk.service.recordAudit('print', { sheet: RECOVERY_SHEET, keyFingerprint: fingerprint, to }, ctx);
}

/**
 * The sheet for the key of the desk's data folder, written to `out` readable by this user only (it is the key), and
 * audited. The desk keeps no copy: the file is where the manager asked for it, to print and delete.
 */
export async function printRecoverySheet(options: {
  desk: OpenDesk;
  dataDir: string;
  out: string;
  printer?: DocumentPrinter;
  browserPath?: string;
}): Promise<PrintedRecoverySheet> {
  const { desk } = options;
  const key = resolveDatabaseKey(options.dataDir);
  const doc = recoverySheetDocument({
    practice: desk.service.mirror.practice(),
    printedAt: desk.service.clock().toISOString(),
    printedBy: desk.context.user,
    key,
  });
  const printer = options.printer ?? (await PdfPrinter.launch(options.browserPath));
  try {
    const pdf = await printer.render(doc);
    fs.writeFileSync(options.out, pdf, { mode: 0o600 });
    // mode applies only to a new file: one written over keeps its own, so it is set again.
    fs.chmodSync(options.out, 0o600);
    const fingerprint = keyFingerprint(key);
    recordRecoverySheet(desk, fingerprint, 'pdf', desk.context);
    return { file: options.out, keyFingerprint: fingerprint, pages: countPdfPages(pdf) };
  } finally {
    if (!options.printer) await printer.close();
  }
}
