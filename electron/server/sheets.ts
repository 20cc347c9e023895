/**
 * The paper sheets in browser mode, for the desk's Print menu, at the URLs the catalogue makes (sheetUrl in
 * shared/sheets/catalogue.ts), in the formats it lists for each:
 *   GET /sheets/<sheet>.pdf?date=YYYY-MM-DD[&clinician=ID][&from=HH:MM]   the very PDF `standby-desk print`
 *                                                             writes; from: the rest of the day (the catalogue's
 *                                                             restOfDay sheets)
 *   GET /sheets/<sheet>.html?date=...                         an on-screen preview of the same sheet
 *   GET /sheets/worklist.pdf|.html|.csv, /sheets/impact-report.pdf|.html|.csv (?patients=1: with the names)
 *                                                             the merge-back sheets, as `standby-desk worklist`
 *                                                             and `impact-report` write them (no date: the outage's)
 * The PDF is what to print: its page header and footer (practice, day, mirror age or the stale warning,
 * confidentiality, page N of M) come from Chromium's PDF printing, which a browser's own Print of the HTML
 * would leave off. Both carry patient data: a signed-in, unlocked session is needed, and every PDF served is in
 * the audit trail as a print (recordPrint, under the user who asked).
 */
import type http from 'node:http';
import { isLocalDate } from '../../shared/domain';
import type { OperationName } from '../../shared/api';
import { isMergeSheetKind, parseSheetUrl, SHEET_CATALOGUE, SHEET_NAMES, sheetReadOperation, type MergeSheetKind, type SheetName } from '../../shared/sheets';
import { BrowserNotFoundError, countPdfPages, PdfPrinter, prepareSheet, PrintInputError } from '../desk/print';
import type { DayReader, PrintDocument } from '../desk/print';
import { deskClock } from '../desk/clock';

/** What a sheet shows decides who may have it (the catalogue's readVia); anything else is answered as a day's sheet would be. */
export function sheetOperation(pathname: string): OperationName {
  const parsed = parseSheetUrl(pathname);
  return parsed.ok ? sheetReadOperation(parsed.sheet) : 'getDay';
}

/** The sheets these routes serve: the day's always, the merge-back ones when given the merge output. */
function servedSheets(withMerge: boolean): SheetName[] {
  return SHEET_NAMES.filter((name) => withMerge || !isMergeSheetKind(name));
}

/** The sheet's own CSP (as its <meta> says): inline print CSS and data: images, nothing that runs. */
const SHEET_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface SheetRoutes {
  /** Answers a GET of /sheets/...; the caller has already checked the session. */
  handle(res: http.ServerResponse, url: URL, audit: (sheet: string, date: string | null, pages: number) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface SheetRoutesOptions {
  reader: DayReader;
  /** The browser to print with (else found as `print` finds it: STANDBY_DESK_BROWSER, then the usual places). */
  browserPath?: string;
  clock?: () => Date;
  /** The merge-back sheets (electron/desk/merge/output.ts); without them only the day's sheets are served. */
  merge?: { document(kind: MergeSheetKind, printedAt: Date, options?: { patients?: boolean }): PrintDocument; csv(kind: MergeSheetKind): string };
}

export function createSheetRoutes(options: SheetRoutesOptions): SheetRoutes {
  const clock = options.clock ?? deskClock();
  // One headless browser for every sheet, launched on the first PDF (a second or so) and again if it dies.
  let printer: Promise<PdfPrinter> | null = null;
  let closed = false;

  function currentPrinter(): Promise<PdfPrinter> {
    if (printer === null) {
      const launching = PdfPrinter.launch(options.browserPath);
      printer = launching;
      // A failed launch is not kept: the next request tries again (the browser may have been installed since).
      launching.catch(() => {
        if (printer === launching) printer = null;
      });
    }
    return printer;
  }

  async function render(doc: Parameters<PdfPrinter['render']>[0]): Promise<Buffer> {
    let p = await currentPrinter();
    if (!p.connected) {
      printer = null;
      p = await currentPrinter();
    }
    return p.render(doc);
  }

  /** The document as its on-screen preview or as the PDF to print; a PDF is audited once it is rendered. */
  async function send(res: http.ServerResponse, format: 'pdf' | 'html', doc: PrintDocument, audit: (pages: number) => Promise<void>): Promise<void> {
    if (format === 'html') {
      const body = Buffer.from(doc.html, 'utf8');
      res.setHeader('Content-Security-Policy', SHEET_HTML_CSP);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    if (closed) {
      sendText(res, 503, 'The desk is shutting down.');
      return;
    }
    let pdf: Buffer;
    try {
      pdf = await render(doc);
    } catch (error) {
      if (error instanceof BrowserNotFoundError) {
        sendText(res, 503, error.message);
        return;
      }
      throw error;
    }
    await audit(countPdfPages(pdf));
    // A PDF is not a page of ours: the viewer needs none of the app's CSP, and a CSP can stop it drawing.
    res.removeHeader('Content-Security-Policy');
    res.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Length': pdf.length,
      'Content-Disposition': `inline; filename="${fileNameOf(doc.title)}.pdf"`,
      'Cache-Control': 'no-store',
    });
    res.end(pdf);
  }

  return {
    async handle(res, url, audit) {
      const parsed = parseSheetUrl(url.pathname, url.searchParams);
      const notFound = () => {
        const known = servedSheets(options.merge !== undefined)
          .map((name) => `${name} (${SHEET_CATALOGUE[name].formats.map((f) => `.${f}`).join(', ')})`)
          .join('; ');
        sendText(res, 404, `No such sheet. The sheets: ${known}.`);
      };
      if (!parsed.ok) return notFound();
      const { sheet: kind, format, query } = parsed;
      if (isMergeSheetKind(kind)) {
        if (!options.merge) return notFound();
        if (format === 'csv') {
          // UTF-8 with a byte-order mark, as the CLI writes it: Excel on Windows otherwise misreads accented names.
          const body = Buffer.from(`\ufeff${options.merge.csv(kind)}`, 'utf8');
          await audit(kind, null, 0);
          res.writeHead(200, {
            'Content-Type': 'text/csv; charset=utf-8',
            'Content-Length': body.length,
            'Content-Disposition': `attachment; filename="${kind}.csv"`,
            'Cache-Control': 'no-store',
          });
          res.end(body);
          return;
        }
        // ?patients=1: the impact report's patient-identifiable version (the same manager-only read decides).
        await send(res, format === 'pdf' ? 'pdf' : 'html', options.merge.document(kind, clock(), { patients: query.patients }), (pages) => audit(kind, null, pages));
        return;
      }
      const date = query.date ?? '';
      if (!isLocalDate(date)) {
        sendText(res, 400, 'Say which day: ?date=YYYY-MM-DD.');
        return;
      }
      let prepared: ReturnType<typeof prepareSheet>;
      try {
        prepared = prepareSheet(options.reader, kind, date, query.clinicianId, clock(), query.from);
      } catch (error) {
        if (error instanceof PrintInputError) {
          sendText(res, 400, error.message);
          return;
        }
        throw error;
      }
      // A day's sheet has no CSV (the catalogue lists none), so parseSheetUrl let only .pdf and .html through.
      await send(res, format === 'pdf' ? 'pdf' : 'html', prepared.doc, (pages) => audit(kind, date, pages));
    },
    async close() {
      closed = true;
      const p = printer;
      printer = null;
      if (p !== null) await p.then((x) => x.close()).catch(() => undefined);
    },
  };
}

/** A title as a file name any OS takes: letters, digits, spaces, hyphens. */
function fileNameOf(title: string): string {
  return (
    title
      .replace(/[^A-Za-z0-9 -]+/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 120) || 'sheet'
  );
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}
