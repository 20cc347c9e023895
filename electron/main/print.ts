/**
 * Printing sheets through Electron, the decisions: the options for the system print dialog, for a silent
 * print to a chosen printer and for printToPDF (the outage pack), which printer a name means, and what a saved
 * PDF is called. Pure and tested; printing.ts does the Electron calls. The sheets themselves (HTML + print
 * CSS, header and footer templates) come from electron/desk/print; any object with these fields will do, a
 * PrintDocument from there among them.
 */
import { randomBytes } from 'node:crypto';
import type { PrintToPDFOptions, WebContentsPrintOptions } from 'electron';
import type { z } from 'zod';
import { contract, invalidInput, type Result } from '../../shared/api';
import { RECOVERY_SHEET } from '../../shared/api/readiness';
import type { RequestContext } from '../desk/dispatch';
import type { SheetRequest } from '../desk/sheet-request';
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
  /** The frame as page margin boxes, for the system dialog (forSystemDialog); empty when it is in the body. */
  pageFrameCss: string;
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
 * the sheet's header and footer templates: the frame comes as page margin boxes in the page itself
 * (forSystemDialog), so Chromium's own header and footer (title, address, date) stay off rather than print
 * over it.
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

/**
 * The system dialog's print cannot use the sheet's header and footer templates, so the same frame (practice,
 * day, mirror as of or the stale warning, confidentiality, page N of M) goes on every page as CSS page margin
 * boxes instead. A mirror's age must never be left off paper.
 */
export function forSystemDialog<T extends PrintableDocument>(doc: T): T {
  if (doc.pageFrameCss === '') return doc;
  const style = `<style>${doc.pageFrameCss}</style>`;
  const at = doc.html.indexOf('</head>');
  return { ...doc, html: at < 0 ? style + doc.html : doc.html.slice(0, at) + style + doc.html.slice(at) };
}

/** What printSheet answers (the contract's output). */
export type PrintSheetOutput = z.infer<(typeof contract)['printSheet']['output']>;

/** Everything printSheetInApp needs from Electron and from the desk process, so it is tested with fakes. */
export interface SheetPrintDeps {
  /** The sheet as the desk builds it for whoever asks, or why not (DeskClient.sheet). */
  sheet(request: SheetRequest, ctx: RequestContext): Promise<Result<PrintableDocument>>;
  /** The system print dialog (SheetPrinter.print). */
  print(doc: PrintableDocument): Promise<'printed' | 'cancelled'>;
  /** SheetPrinter.toPdf. */
  toPdf(doc: PrintableDocument): Promise<Uint8Array>;
  /** The save dialog, offering this name; null when the user cancels. */
  choosePdfFile(suggestedName: string): Promise<string | null>;
  writeFile(file: string, data: Uint8Array): Promise<void>;
  /** The audit record of a print made (recordPrint through the desk, under the same user). */
  recordPrint(input: { what: 'sheet'; sheet: string; date?: string }, ctx: RequestContext): Promise<Result<unknown>>;
  /** London date and time now, for the suggested file name. */
  localNow(): { date: string; time: string };
}

/**
 * The app's printSheet: the desk checks who asks and builds the sheet; main prints it through the system dialog
 * or saves it as a PDF where the user chooses. Paper carries patient details out of the database, so each print
 * made is audited; a cancelled dialog is nobody's failure and records nothing.
 */
export async function printSheetInApp(rawInput: unknown, ctx: RequestContext, deps: SheetPrintDeps): Promise<Result<PrintSheetOutput>> {
  const parsed = contract.printSheet.input.safeParse(rawInput);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error, 'printSheet').toShape() };
  const input = parsed.data;
  const built = await deps.sheet({ sheet: input.sheet, date: input.date, clinicianId: input.clinicianId ?? null, from: input.from ?? null }, ctx);
  if (!built.ok) return built;
  return printOrSave(built.value, input.to, { what: 'sheet', sheet: input.sheet, ...(input.date === undefined ? {} : { date: input.date }) }, ctx, deps);
}

/**
 * The app's printRecoverySheet, as printSheet: the desk checks that a manager asks and builds the sheet from its own
 * key; main prints or saves it; the print made is audited, and the desk adds the key's fingerprint to the record
 * (what readiness's key check looks for). The desk keeps no copy: a PDF goes only where the manager chooses.
 */
export async function printRecoverySheetInApp(rawInput: unknown, ctx: RequestContext, deps: SheetPrintDeps): Promise<Result<PrintSheetOutput>> {
  const parsed = contract.printRecoverySheet.input.safeParse(rawInput);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error, 'printRecoverySheet').toShape() };
  const built = await deps.sheet({ sheet: RECOVERY_SHEET }, ctx);
  if (!built.ok) return built;
  return printOrSave(built.value, parsed.data.to, { what: 'sheet', sheet: RECOVERY_SHEET }, ctx, deps);
}

async function printOrSave(
  doc: PrintableDocument,
  to: 'printer' | 'pdf',
  audit: Parameters<SheetPrintDeps['recordPrint']>[0],
  ctx: RequestContext,
  deps: SheetPrintDeps,
): Promise<Result<PrintSheetOutput>> {
  const record = async (): Promise<Result<never> | null> => {
    const audited = await deps.recordPrint(audit, ctx);
    return audited.ok ? null : { ok: false, error: { ...audited.error, message: `made, but not recorded in the audit trail: ${audited.error.message}` } };
  };
  try {
    if (to === 'printer') {
      const outcome = await deps.print(forSystemDialog(doc));
      if (outcome === 'cancelled') return { ok: true, value: { outcome, file: null } };
      return (await record()) ?? { ok: true, value: { outcome, file: null } };
    }
    const now = deps.localNow();
    const file = await deps.choosePdfFile(pdfFileName(doc.title, now.date, now.time));
    if (file === null) return { ok: true, value: { outcome: 'cancelled', file: null } };
    await deps.writeFile(file, await deps.toPdf(doc));
    return (await record()) ?? { ok: true, value: { outcome: 'saved', file } };
  } catch (error) {
    return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}
