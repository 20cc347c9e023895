/**
 * Rendering print documents to PDF in a headless Chromium. One browser serves many documents (launching is the
 * slow part), in a context with JavaScript off: the sheets are static, and a patient name that somehow became
 * markup must not run. Pages are reused between documents: a fresh page costs a renderer process and its
 * font setup, about as long as printing a short sheet, and setContent replaces the whole document anyway.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import type { PrintDocument } from './html';

/** What the pack and the print command need from a printer; tests substitute a fake. */
export interface DocumentPrinter {
  readonly connected: boolean;
  render(doc: PrintDocument): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * This printer's pages are never on a screen, yet Chromium lays a document out for the screen when it loads and
 * again when printing ends, and a long list costs as much to lay out as to print. With the body hidden on
 * screen those layouts cost nothing; printing uses print media, so the PDF is the same. Measured on the
 * 600-appointment pack: about a sixth less Chromium CPU.
 */
const HIDDEN_ON_SCREEN = '<style>@media screen { body { display: none } }</style>';

export function hiddenOnScreen(html: string): string {
  const head = html.indexOf('</head>');
  return head < 0 ? html : html.slice(0, head) + HIDDEN_ON_SCREEN + html.slice(head);
}

/** How a sheet is printed to PDF by Playwright: A4, backgrounds on, the sheet's own margins and frame templates. */
export function pagePdfOptions(doc: PrintDocument): NonNullable<Parameters<Page['pdf']>[0]> {
  return {
    format: 'A4',
    landscape: doc.orientation === 'landscape',
    printBackground: true,
    displayHeaderFooter: doc.displayHeaderFooter,
    headerTemplate: doc.headerTemplate,
    footerTemplate: doc.footerTemplate,
    margin: doc.margin,
  };
}

/** Idle pages kept for reuse; enough for the pack's concurrency. */
const MAX_IDLE_PAGES = 4;

export class PdfPrinter implements DocumentPrinter {
  private readonly idle: Page[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    private readonly ownsBrowser: boolean,
  ) {}

  /** Launches the browser (found as in findBrowser unless a path is given). */
  static async launch(executablePath?: string): Promise<PdfPrinter> {
    const browser = await launchBrowser(executablePath);
    try {
      return await PdfPrinter.on(browser, true);
    } catch (error) {
      await browser.close();
      throw error;
    }
  }

  /** Prints with a browser the caller already has (and will close). */
  static async on(browser: Browser, ownsBrowser = false): Promise<PdfPrinter> {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    return new PdfPrinter(browser, context, ownsBrowser);
  }

  /** False once the browser has gone (crashed or closed): a long-lived writer then launches a new one. */
  get connected(): boolean {
    return this.browser.isConnected();
  }

  async render(doc: PrintDocument): Promise<Buffer> {
    const page = this.idle.pop() ?? (await this.context.newPage());
    let healthy = false;
    try {
      await page.setContent(hiddenOnScreen(doc.html), { waitUntil: 'load' });
      const pdf = await page.pdf(pagePdfOptions(doc));
      healthy = true;
      return pdf;
    } finally {
      // A page that failed may be wedged; it is not worth the risk of reusing it.
      if (healthy && this.idle.length < MAX_IDLE_PAGES) this.idle.push(page);
      else await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.idle.length = 0;
    await this.context.close().catch(() => undefined);
    if (this.ownsBrowser) await this.browser.close();
  }
}

/** Pages in a PDF Chromium wrote: its page objects are plain dictionaries, so counting them is enough. */
export function countPdfPages(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
