import { describe, expect, it } from 'vitest';
import { generatedPageHeaders, routeAppRequest } from '../../../electron/main/app-protocol';
import {
  choosePrinter,
  cssLengthToInches,
  pdfFileName,
  pdfOptions,
  PRINT_CONTENT_SECURITY_POLICY,
  printOutcome,
  PrintPages,
  systemPrintOptions,
  type PrintableDocument,
} from '../../../electron/main/print';

function sheet(extra: Partial<PrintableDocument> = {}): PrintableDocument {
  return {
    title: 'Master list - Mon 20 Jul 2026',
    html: '<!doctype html><title>Master list</title><p>Siobhán O’Brien</p>',
    orientation: 'landscape',
    displayHeaderFooter: true,
    headerTemplate: '<div class="hf">Master list</div>',
    footerTemplate: '<div class="hf">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
    margin: { top: '25.4mm', bottom: '12mm', left: '1cm', right: '0.5in' },
    ...extra,
  };
}

describe('cssLengthToInches', () => {
  it.each([
    ['25.4mm', 1],
    ['2.54cm', 1],
    ['0.5in', 0.5],
    ['72pt', 1],
    ['96px', 1],
    [' 10mm ', 10 / 25.4],
  ])('%s is %f in', (length, inches) => {
    expect(cssLengthToInches(length)).toBeCloseTo(inches, 10);
  });

  it.each(['12', '1em', '5%', '-3mm', 'auto', ''])('refuses %j rather than print at the wrong size', (length) => {
    expect(() => cssLengthToInches(length)).toThrow(/unsupported print margin/);
  });
});

describe('pdfOptions', () => {
  it("prints the sheet on A4 with its orientation, margins (in inches), backgrounds and Chromium's frame", () => {
    expect(pdfOptions(sheet())).toEqual({
      pageSize: 'A4',
      landscape: true,
      printBackground: true,
      margins: { top: 1, bottom: 12 / 25.4, left: 1 / 2.54, right: 0.5 },
      displayHeaderFooter: true,
      headerTemplate: '<div class="hf">Master list</div>',
      footerTemplate: sheet().footerTemplate,
    });
  });

  it('leaves the templates out when the sheet prints its frame in the body', () => {
    const options = pdfOptions(sheet({ orientation: 'portrait', displayHeaderFooter: false, headerTemplate: '', footerTemplate: '' }));
    expect(options).toMatchObject({ landscape: false, displayHeaderFooter: false });
    expect(options).not.toHaveProperty('headerTemplate');
    expect(options).not.toHaveProperty('footerTemplate');
  });
});

describe('systemPrintOptions', () => {
  it('asks with the system dialog: not silent, no printer named', () => {
    const options = systemPrintOptions(sheet(), { kind: 'dialog' });
    expect(options).toMatchObject({ silent: false, printBackground: true, landscape: true, pageSize: 'A4', header: 'Master list - Mon 20 Jul 2026', footer: 'Standby Desk' });
    expect(options).not.toHaveProperty('deviceName');
    // Margins in pixels at 96 dpi, from the same CSS lengths.
    expect(options.margins).toEqual({ marginType: 'custom', top: 96, bottom: 45, left: 38, right: 48 });
  });

  it('prints silently only to the printer it is given', () => {
    expect(systemPrintOptions(sheet(), { kind: 'silent', deviceName: 'Reception_HP_M404' })).toMatchObject({ silent: true, deviceName: 'Reception_HP_M404' });
  });

  it("prints no header or footer of Chromium's own when the sheet frames itself", () => {
    const options = systemPrintOptions(sheet({ displayHeaderFooter: false }), { kind: 'dialog' });
    expect(options).not.toHaveProperty('header');
    expect(options).not.toHaveProperty('footer');
  });
});

describe('choosePrinter', () => {
  const printers = [
    { name: 'Reception_HP_M404', displayName: 'Reception HP M404' },
    { name: 'Microsoft_Print_to_PDF', displayName: 'Microsoft Print to PDF' },
  ];

  it('finds the printer by its system name, or by the name people see', () => {
    expect(choosePrinter(printers, 'Reception_HP_M404')).toBe('Reception_HP_M404');
    expect(choosePrinter(printers, '  reception  hp m404 ')).toBe('Reception_HP_M404');
    expect(choosePrinter(printers, 'microsoft_print_to_pdf')).toBe('Microsoft_Print_to_PDF');
  });

  it('chooses none when none is set or the one set is not on this PC, so the caller asks with the dialog', () => {
    expect(choosePrinter(printers, null)).toBeNull();
    expect(choosePrinter(printers, ' ')).toBeNull();
    expect(choosePrinter(printers, 'Back office laser')).toBeNull();
    expect(choosePrinter([], 'Reception_HP_M404')).toBeNull();
  });
});

describe('printOutcome', () => {
  it('tells printed, cancelled and failed apart', () => {
    expect(printOutcome(true, '')).toBe('printed');
    expect(printOutcome(false, 'Print job canceled')).toBe('cancelled');
    expect(printOutcome(false, 'Print job failed')).toEqual({ failed: 'Print job failed' });
    expect(printOutcome(false, '')).toEqual({ failed: 'the printer did not say why' });
  });
});

describe('pdfFileName', () => {
  it('is lower case, ASCII, dated and timed for sorting', () => {
    expect(pdfFileName('Master list - Room 1 - Mon 20 Jul 2026', '2026-07-20', '08:14:59')).toBe('master-list-room-1-mon-20-jul-2026-20260720-0814.pdf');
    expect(pdfFileName('Clinician list: Dr Zoë Müller / Room 2', '2026-07-20', '08:14')).toBe('clinician-list-dr-zoe-muller-room-2-20260720-0814.pdf');
  });

  it('never makes a name Windows refuses, and keeps it short', () => {
    expect(pdfFileName('', '2026-07-20', '08:14')).toBe('sheet-20260720-0814.pdf');
    expect(pdfFileName('<>:"/\\|?*', '2026-07-20', '08:14')).toBe('sheet-20260720-0814.pdf');
    expect(pdfFileName('CON', '2026-07-20', '08:14')).toBe('con-sheet-20260720-0814.pdf');
    const long = pdfFileName('Consultation records '.repeat(20), '2026-07-20', '08:14');
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).toMatch(/^[a-z0-9-]+[a-z0-9]-20260720-0814\.pdf$/);
  });
});

describe('PrintPages and the print origin', () => {
  it('serves each sheet at an unguessable app://print address until it is printed', () => {
    const pages = new PrintPages();
    const a = pages.add('<p>A</p>');
    const b = pages.add('<p>B</p>');
    expect(a).toMatch(/^app:\/\/print\/[0-9a-f]{32}\.html$/);
    expect(a).not.toBe(b);
    expect(pages.get(a)).toBe('<p>A</p>');
    expect(routeAppRequest(a, '/app/renderer')).toEqual({ kind: 'print', url: a });
    pages.delete(a);
    expect(pages.get(a)).toBeNull();
    expect(pages.get(b)).toBe('<p>B</p>');
    expect(pages.size).toBe(1);
  });

  it('answers nothing for another origin, path or token', () => {
    const pages = new PrintPages();
    const url = pages.add('<p>A</p>');
    const token = /([0-9a-f]{32})/.exec(url)?.[1] ?? '';
    for (const other of [
      `app://desk/${token}.html`,
      `app://print/${token}.htm`,
      `app://print/x/${token}.html`,
      `app://user@print/${token}.html`,
      `https://print/${token}.html`,
      'app://print/',
      'not a url',
    ]) {
      expect(pages.get(other), other).toBeNull();
    }
  });

  it('sends sheets with a policy that allows their inline CSS and nothing that runs', () => {
    expect(PRINT_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(PRINT_CONTENT_SECURITY_POLICY).not.toMatch(/script-src|unsafe-eval/);
    expect(generatedPageHeaders(PRINT_CONTENT_SECURITY_POLICY)).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PRINT_CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });
});

describe('routeAppRequest', () => {
  it('sends the desk to the renderer files, the recovery origin to its one page, and refuses the rest', () => {
    expect(routeAppRequest('app://desk/index.html', '/app/renderer')).toEqual({ kind: 'desk', file: '/app/renderer/index.html' });
    expect(routeAppRequest('app://desk/../../etc/passwd', '/app/renderer')).toMatchObject({ kind: 'desk', file: '/app/renderer/etc/passwd' });
    expect(routeAppRequest('app://recovery/', '/app/renderer')).toEqual({ kind: 'recovery' });
    expect(routeAppRequest('app://recovery/index.html?x=1', '/app/renderer')).toEqual({ kind: 'recovery' });
    expect(routeAppRequest('app://recovery/other.html', '/app/renderer')).toBeNull();
    expect(routeAppRequest('app://elsewhere/index.html', '/app/renderer')).toBeNull();
    expect(routeAppRequest('file:///etc/passwd', '/app/renderer')).toBeNull();
  });
});
