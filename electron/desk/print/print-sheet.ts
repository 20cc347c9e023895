/** One sheet to one PDF file: what `standby-desk print` does. */
import { isStaleAt, PER_CLINICIAN_SHEETS, REST_OF_DAY_SHEETS, SHEET_CATALOGUE, sheetFrame, type SheetInput, type SheetKind } from '../../../shared/sheets';
import { isLocalTime } from '../../../shared/domain';
import type { PrintDocument } from './html';
import { readSheetInput, sheetDocument, type DayReader } from './documents';
import { writeFileAtomic } from '../durable-files';
import { countPdfPages, PdfPrinter, type DocumentPrinter } from './pdf';
import { deskNow } from '../clock';

export interface PrintSheetOptions {
  desk: DayReader | { service: DayReader };
  sheet: SheetKind;
  date: string;
  clinicianId?: string | null;
  /** The rest of the day from this London time (HH:MM); absent, the whole day. */
  from?: string | null;
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
  /** As every page says it: "Mirror as of ...", "Mirror loaded ..., age unknown" or "Mirror never loaded". */
  mirrorLabel: string;
  stale: boolean;
}

export class PrintInputError extends Error {}

/**
 * A sheet ready to render: the document and the input it came from. Refuses a clinician the sheet or day lacks,
 * and a "from" time on a sheet that prints whole days or that is not a time.
 */
export function prepareSheet(
  reader: DayReader,
  sheet: SheetKind,
  date: string,
  clinicianId: string | null,
  now: Date,
  from: string | null = null,
): { doc: PrintDocument; input: SheetInput } {
  if (from !== null) {
    if (!SHEET_CATALOGUE[sheet].restOfDay) throw new PrintInputError(`${sheet} prints the whole day; the rest of the day can be printed only for ${REST_OF_DAY_SHEETS.join(', ')}`);
    if (!isLocalTime(from)) throw new PrintInputError(`"${from}" is not a time: give the rest of the day's start as HH:MM (24 hour)`);
  }
  const input = readSheetInput(reader, date, now, from);
  if (clinicianId !== null) {
    if (!SHEET_CATALOGUE[sheet].perClinician) {
      throw new PrintInputError(`${sheet} covers the whole practice; one clinician can be chosen only for ${PER_CLINICIAN_SHEETS.join(', ')}`);
    }
    if (!input.clinicians.some((c) => c.id === clinicianId)) {
      const known = input.clinicians.map((c) => `${c.id} (${c.name})`).join(', ');
      throw new PrintInputError(`no clinician "${clinicianId}" works on ${date}${known ? `; the day's clinicians: ${known}` : ''}`);
    }
  }
  return { doc: sheetDocument(sheet, input, { clinicianId }), input };
}

export async function printSheet(options: PrintSheetOptions): Promise<PrintedSheet> {
  const reader = 'service' in options.desk ? options.desk.service : options.desk;
  const now = options.now ?? deskNow();
  const clinicianId = options.clinicianId ?? null;
  const { doc, input } = prepareSheet(reader, options.sheet, options.date, clinicianId, now, options.from ?? null);
  const printer = options.printer ?? (await PdfPrinter.launch(options.browserPath));
  try {
    const pdf = await printer.render(doc);
    // Atomic: a receptionist printing the file while it is rewritten gets the old sheet or the new, never half.
    await writeFileAtomic(options.out, pdf);
    return {
      file: options.out,
      sheet: options.sheet,
      date: options.date,
      pages: countPdfPages(pdf),
      bytes: pdf.length,
      appointments: input.appointments.filter((a) => clinicianId === null || a.clinicianId === clinicianId).length,
      mirrorAsOf: input.mirror.asOf,
      mirrorLabel: sheetFrame(input, options.sheet).mirrorAsOfShort,
      stale: isStaleAt(input.mirror, input.printedAt),
    };
  } finally {
    if (!options.printer) await printer.close();
  }
}
