/** Printing: sheets as HTML + print CSS, PDFs through an installed Chromium/Chrome/Edge, the outage pack. */
export { BROWSER_ENV, BrowserNotFoundError, candidateBrowserPaths, findBrowser, launchBrowser } from './browser';
export { readSheetInput, sheetDocument, sheetInputOf, walkInBlankRows, type DayReader } from './documents';
export { renderSheet, type PrintDocument } from './html';
export { PAGE_STYLE, ROWS_PER_PAGE } from './layout';
export * from './pack';
export { countPdfPages, PdfPrinter, type DocumentPrinter } from './pdf';
export { prepareSheet, printSheet, PrintInputError, type PrintedSheet, type PrintSheetOptions } from './print-sheet';
