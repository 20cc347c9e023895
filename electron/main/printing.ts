/**
 * Printing sheets through Electron: each sheet is loaded into a hidden window made like every other (security.ts)
 * but with no preload and JavaScript off, printed or saved as PDF, and the window destroyed. The options and
 * choices are print.ts's; this file only makes the calls, and is type-checked rather than unit-tested.
 */
import { BrowserWindow, type PrinterInfo } from 'electron';
import { pdfOptions, printOutcome, systemPrintOptions, type PrintableDocument, type PrintPages, type PrintTarget } from './print';
import { createSecureWindow } from './security';
import { printWindowOptions } from './windows';

export class SheetPrinter {
  constructor(private readonly pages: PrintPages) {}

  /** The printers this PC knows, for choosePrinter and a settings screen. */
  async printers(): Promise<PrinterInfo[]> {
    return this.withSheet({ title: '', html: '<!doctype html><title></title>' }, (win) => win.webContents.getPrintersAsync());
  }

  /** A PDF of the sheet (the outage pack). */
  toPdf(doc: PrintableDocument): Promise<Buffer> {
    return this.withSheet(doc, (win) => win.webContents.printToPDF(pdfOptions(doc)));
  }

  /** Prints with the system dialog, or silently to the named printer; rejects with the system's reason. */
  print(doc: PrintableDocument, target: PrintTarget): Promise<'printed' | 'cancelled'> {
    return this.withSheet(
      doc,
      (win) =>
        new Promise<'printed' | 'cancelled'>((resolve, reject) => {
          win.webContents.print(systemPrintOptions(doc, target), (success, failureReason) => {
            const outcome = printOutcome(success, failureReason);
            if (typeof outcome === 'string') resolve(outcome);
            else reject(new Error(`printing failed: ${outcome.failed}`));
          });
        }),
    );
  }

  private async withSheet<T>(doc: Pick<PrintableDocument, 'title' | 'html'>, use: (win: BrowserWindow) => Promise<T>): Promise<T> {
    const url = this.pages.add(doc.html);
    const win = createSecureWindow(BrowserWindow, { ...printWindowOptions(), title: doc.title || 'Standby Desk' }, { preload: null, javascript: false });
    try {
      await win.loadURL(url);
      return await use(win);
    } finally {
      this.pages.delete(url);
      win.destroy();
    }
  }
}
