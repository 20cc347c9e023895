/** One sheet to one PDF file: what `standby-desk print` does. */
import { PER_CLINICIAN_SHEETS, STALE_AFTER_MINUTES, type SheetKind } from '../../../shared/sheets';
import { readSheetInput, sheetDocument, type DayReader } from './documents';
import { writeFileAtomic } from './files';
import { countPdfPages, PdfPrinter, type DocumentPrinter } from './pdf';

export interface PrintSheetOptions {
  desk: DayReader | { service: DayReader };
  sheet: SheetKind;
  date: string;
  clinicianId?: string | null;
  out: string;
  now?: Date;
  printer?: DocumentPrinter;
  browserPath?: string;
}

export interface PrintedSheet {
  file: string;
  sheet: SheetKind;
  date: string;
  pages: number;
  bytes: number;
  /** Appointments the day holds (for the sheet's clinician when narrowed): 0 means the sheet says "none". */
  appointments: number;
  mirrorAsOf: string | null;
  stale: boolean;
}

export class PrintInputError extends Error {}

export async function printSheet(options: PrintSheetOptions): Promise<PrintedSheet> {
  const reader = 'service' in options.desk ? options.desk.service : options.desk;
  const now = options.now ?? new Date();
  const input = readSheetInput(reader, options.date, now);
  const clinicianId = options.clinicianId ?? null;
  if (clinicianId !== null) {
    if (!PER_CLINICIAN_SHEETS.includes(options.sheet)) {
      throw new PrintInputError(`${options.sheet} covers the whole practice; --clinician applies to ${PER_CLINICIAN_SHEETS.join(', ')}`);
    }
    if (!input.clinicians.some((c) => c.id === clinicianId)) {
      const known = input.clinicians.map((c) => `${c.id} (${c.name})`).join(', ');
      throw new PrintInputError(`no clinician "${clinicianId}" works on ${options.date}${known ? `; the day's clinicians: ${known}` : ''}`);
    }
  }
  const doc = sheetDocument(options.sheet, input, { clinicianId });
  const printer = options.printer ?? (await PdfPrinter.launch(options.browserPath));
  try {
    const pdf = await printer.render(doc);
    // Atomic: a receptionist printing the file while it is rewritten gets the old sheet or the new, never half.
    await writeFileAtomic(options.out, pdf);
    const ageMs = input.mirror.asOf === null ? Infinity : now.getTime() - new Date(input.mirror.asOf).getTime();
    return {
      file: options.out,
      sheet: options.sheet,
      date: options.date,
      pages: countPdfPages(pdf),
      bytes: pdf.length,
      appointments: input.appointments.filter((a) => clinicianId === null || a.clinicianId === clinicianId).length,
      mirrorAsOf: input.mirror.asOf,
      stale: ageMs > STALE_AFTER_MINUTES * 60_000,
    };
  } finally {
    if (!options.printer) await printer.close();
  }
}
