/**
 * Printing sheets through Electron, the decisions: the options for the system print dialog, for a silent
 * print to a chosen printer and for printToPDF (the outage pack), which printer a name means, and what a saved
 * PDF is called. Pure and tested; printing.ts does the Electron calls. The sheets themselves (HTML + print
 * CSS, header and footer templates) come from electron/desk/print; any object with these fields will do, a
 * PrintDocument from there among them.
 */
import { randomBytes } from 'node:crypto';
import type { PrintToPDFOptions, WebContentsPrintOptions } from 'electron';
import { PRINT_ORIGIN } from './security';

export interface PrintableDocument {
  title: string;
  html: string;
  orientation: 'portrait' | 'landscape';
  /** Chromium prints the header and footer templates on every page (page X of Y). */
  displayHeaderFooter: boolean;
  headerTemplate: string;
  footerTemplate: string;
  /** CSS lengths ("12mm"), matching @page in the sheet's CSS. */
  margin: { top: string; bottom: string; left: string; right: string };
}

const UNITS_PER_INCH: Readonly<Record<string, number>> = { in: 1, mm: 25.4, cm: 2.54, pt: 72, px: 96 };

/** "12mm" -> inches. Throws on a unit a sheet should never use, rather than printing at the wrong size. */
export function cssLengthToInches(length: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|pt|px)\s*$/.exec(length);
  const unit = m?.[2];
  const perInch = unit === undefined ? undefined : UNITS_PER_INCH[unit];
  if (!m || perInch === undefined) throw new Error(`unsupported print margin "${length}" (use mm, cm, in, pt or px)`);
  return Number(m[1]) / perInch;
}

/** The outage pack's PDFs: A4, backgrounds (the shaded headings) on, the sheet's own margins and frame. */
export function pdfOptions(doc: PrintableDocument): PrintToPDFOptions {
  const m = doc.margin;
  return {
    pageSize: 'A4',
    landscape: doc.orientation === 'landscape',
    printBackground: true,
    margins: { top: cssLengthToInches(m.top), bottom: cssLengthToInches(m.bottom), left: cssLengthToInches(m.left), right: cssLengthToInches(m.right) },
    displayHeaderFooter: doc.displayHeaderFooter,
    ...(doc.displayHeaderFooter ? { headerTemplate: doc.headerTemplate, footerTemplate: doc.footerTemplate } : {}),
  };
}

export type PrintTarget = { kind: 'dialog' } | { kind: 'silent'; deviceName: string };

/**
 * Options for webContents.print. Silent printing goes to the named printer only: with no printer chosen (see
 * choosePrinter) the caller asks with the dialog instead of guessing. Printing through the system cannot use
 * the sheet's header and footer templates; Chromium's own header and footer (title, page numbers) stand in
 * for them, with our name where it would print the page's address.
 */
export function systemPrintOptions(doc: PrintableDocument, target: PrintTarget): WebContentsPrintOptions {
  const px = (length: string) => Math.round(cssLengthToInches(length) * 96);
  return {
    silent: target.kind === 'silent',
    ...(target.kind === 'silent' ? { deviceName: target.deviceName } : {}),
    printBackground: true,
    landscape: doc.orientation === 'landscape',
    pageSize: 'A4',
    margins: { marginType: 'custom', top: px(doc.margin.top), bottom: px(doc.margin.bottom), left: px(doc.margin.left), right: px(doc.margin.right) },
    ...(doc.displayHeaderFooter ? { header: doc.title, footer: 'Standby Desk' } : {}),
  };
}

export type PrintOutcome = 'printed' | 'cancelled' | { failed: string };

/** What webContents.print's callback means: a cancelled dialog is the receptionist's choice, not a failure. */
export function printOutcome(success: boolean, failureReason: string): PrintOutcome {
  if (success) return 'printed';
  if (/cancel/i.test(failureReason)) return 'cancelled';
  return { failed: failureReason || 'the printer did not say why' };
}

/** The parts of Electron's PrinterInfo used to pick one. */
export interface PrinterLike {
  name: string;
  displayName: string;
}

/**
 * The system name of the printer a setting means, matched on the system name first, then on the name people
 * see (case and spacing aside), or null: not configured, or not installed on this PC (unplugged, renamed).
 */
export function choosePrinter(printers: readonly PrinterLike[], wanted: string | null): string | null {
  if (wanted === null || wanted.trim() === '') return null;
  const exact = printers.find((p) => p.name === wanted);
  if (exact) return exact.name;
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return printers.find((p) => norm(p.displayName) === norm(wanted) || norm(p.name) === norm(wanted))?.name ?? null;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * `Master list - Room 1 - Mon 20 Jul 2026` printed at 08:14 London time -> `master-list-room-1-mon-20-jul-2026-0814.pdf`:
 * lower case, no characters Windows refuses, short enough for deep folders, sortable by time.
 */
export function pdfFileName(title: string, localDate: string, localTime: string): string {
  const stem =
    title
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'sheet';
  const safe = WINDOWS_RESERVED.test(stem) ? `${stem}-sheet` : stem;
  return `${safe}-${localDate.replace(/-/g, '')}-${localTime.replace(/:/g, '').slice(0, 4)}.pdf`;
}

/**
 * Sheets waiting to be loaded into a hidden print window, served at app://print/<token>.html by the app
 * protocol. A random token per sheet, so one page cannot guess another's address; removed once printed.
 */
export class PrintPages {
  private readonly pages = new Map<string, string>();

  add(html: string): string {
    const token = randomBytes(16).toString('hex');
    this.pages.set(token, html);
    return `${PRINT_ORIGIN}/${token}.html`;
  }

  /** The HTML for a print URL, or null for anything else. */
  get(url: string): string | null {
    const token = PrintPages.tokenOf(url);
    return token === null ? null : (this.pages.get(token) ?? null);
  }

  delete(url: string): void {
    const token = PrintPages.tokenOf(url);
    if (token !== null) this.pages.delete(token);
  }

  get size(): number {
    return this.pages.size;
  }

  private static tokenOf(url: string): string | null {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return null;
    }
    if (`${u.protocol}//${u.hostname}` !== PRINT_ORIGIN || u.username !== '' || u.password !== '' || u.port !== '') return null;
    return /^\/([0-9a-f]{32})\.html$/.exec(u.pathname)?.[1] ?? null;
  }
}

/** The policy a printed sheet is served with: its own inline CSS and data: images, nothing else, no script. */
export const PRINT_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
