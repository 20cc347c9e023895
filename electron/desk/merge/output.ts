/**
 * The merge-back paper and files: the worklist and the impact report as PDF (through the same local Chromium as
 * every sheet) or CSV. Files are written atomically: a half-written worklist must never be keyed from.
 */
import { impactCsv, worklistCsv } from '../../../shared/merge';
import { impactReportSheet, worklistSheet, type MergeFrameInput, type MergeSheetKind } from '../../../shared/sheets';
import { localDateOf, missingCaseError } from '../../../shared/domain';
import { writeFileAtomic } from '../durable-files';
import { renderMergeSheet } from '../print/merge-sheets';
import type { PrintDocument } from '../print/html';
import { countPdfPages, PdfPrinter, type DocumentPrinter } from '../print/pdf';
import type { DeskService } from '../service';

function frameInput(service: DeskService, printedAt: Date): MergeFrameInput {
  const window = service.merge.outageWindow();
  return {
    practice: service.mirror.practice(),
    date: window.from ? localDateOf(window.from) : service.today(),
    mirror: service.mirrorInfo(),
    printedAt: printedAt.toISOString(),
  };
}

/** patients: the impact report's patient-identifiable version (the time-sensitive patients affected, by name). */
export interface MergeSheetOptions {
  patients?: boolean;
}

export function mergeSheetDocument(service: DeskService, kind: MergeSheetKind, printedAt: Date = service.clock(), options: MergeSheetOptions = {}): PrintDocument {
  const input = frameInput(service, printedAt);
  switch (kind) {
    case 'worklist': {
      const plan = service.merge.plan();
      return renderMergeSheet(worklistSheet({ ...input, worklist: service.merge.worklist(plan), complete: service.merge.complete(plan) }));
    }
    case 'impact-report':
      return renderMergeSheet(
        options.patients
          ? impactReportSheet({ ...input, report: service.merge.impactView(), identifiable: true })
          : impactReportSheet({ ...input, report: service.merge.impact() }),
      );
    default:
      throw missingCaseError(kind);
  }
}

export function mergeSheetCsv(service: DeskService, kind: MergeSheetKind): string {
  switch (kind) {
    case 'worklist':
      return worklistCsv(service.merge.worklist());
    case 'impact-report':
      return impactCsv(service.merge.impact());
    default:
      throw missingCaseError(kind);
  }
}

export interface WrittenMergeSheet {
  file: string;
  sheet: MergeSheetKind;
  format: 'pdf' | 'csv';
  pages: number | null;
  bytes: number;
}

/** FILE.csv or FILE.pdf, by its extension. */
export async function writeMergeSheet(
  service: DeskService,
  kind: MergeSheetKind,
  file: string,
  options: MergeSheetOptions & { printer?: DocumentPrinter; browserPath?: string; now?: Date } = {},
): Promise<WrittenMergeSheet> {
  if (/\.csv$/i.test(file)) {
    // The CSV is counts only, for a spreadsheet or the ICB: names go only on the printed identifiable version.
    if (options.patients) throw new Error('the patient-identifiable impact report is a PDF: --patients needs --out FILE.pdf');
    // UTF-8 with a byte-order mark: Excel on Windows otherwise misreads accented names.
    const bytes = Buffer.from(`\ufeff${mergeSheetCsv(service, kind)}`, 'utf8');
    await writeFileAtomic(file, bytes);
    return { file, sheet: kind, format: 'csv', pages: null, bytes: bytes.length };
  }
  if (!/\.pdf$/i.test(file)) throw new Error(`the file must end in .csv or .pdf: ${file}`);
  const doc = mergeSheetDocument(service, kind, options.now, options);
  const printer = options.printer ?? (await PdfPrinter.launch(options.browserPath));
  try {
    const pdf = await printer.render(doc);
    await writeFileAtomic(file, pdf);
    return { file, sheet: kind, format: 'pdf', pages: countPdfPages(pdf), bytes: pdf.length };
  } finally {
    if (!options.printer) await printer.close();
  }
}
