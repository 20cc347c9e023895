/**
 * The merge-back paper and files: the worklist and the impact report as PDF (through the same local Chromium as
 * every sheet) or CSV. Files are written atomically: a half-written worklist must never be keyed from.
 */
import { impactCsv, impactMeasureReport, worklistCsv } from '../../../shared/merge';
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
  format: 'pdf' | 'csv' | 'json';
  pages: number | null;
  bytes: number;
}

/** The impact report as a FHIR R4 MeasureReport (shared/merge/measure-report.ts): counts only, for the ICB. */
export function impactMeasureReportJson(service: DeskService, now: Date = service.clock()): string {
  const practice = service.mirror.practice();
  return `${JSON.stringify(impactMeasureReport(service.merge.impact(), { name: practice?.name ?? 'Practice not recorded', odsCode: practice?.odsCode ?? null }, now.toISOString()), null, 2)}\n`;
}

/** FILE.csv or FILE.pdf, by its extension; FILE.json is the impact report's MeasureReport. */
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
  if (/\.json$/i.test(file)) {
    if (kind !== 'impact-report') throw new Error(`the ${kind} is a CSV or a PDF; only the impact report is also a FHIR MeasureReport (.json)`);
    if (options.patients) throw new Error('the MeasureReport holds counts only: --patients needs --out FILE.pdf');
    const bytes = Buffer.from(impactMeasureReportJson(service, options.now), 'utf8');
    await writeFileAtomic(file, bytes);
    return { file, sheet: kind, format: 'json', pages: null, bytes: bytes.length };
  }
  if (!/\.pdf$/i.test(file)) throw new Error(`the file must end in .csv or .pdf${kind === 'impact-report' ? ' (or .json for the FHIR MeasureReport)' : ''}: ${file}`);
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
