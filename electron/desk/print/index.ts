/** Printing: sheets as HTML + print CSS, PDFs through an installed Chromium/Chrome/Edge, the outage pack. */
export { BROWSER_ENV, BrowserNotFoundError, candidateBrowserPaths, findBrowser } from './browser';
export { readSheetInput, sheetDocument, sheetInputOf, walkInBlankRows, type DayReader } from './documents';
export type { PrintDocument } from './html';
export { ROWS_PER_PAGE } from './layout';
export * from './pack';
export { countPdfPages, PdfPrinter, type DocumentPrinter } from './pdf';
export { prepareSheet, printSheet, PrintInputError } from './print-sheet';
