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
  forSystemDialog,
  printSheetInApp,
  systemPrintOptions,
  type PrintableDocument,
  type SheetPrintDeps,
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
    pageFrameCss: '@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); } }',
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
    expect(options).toMatchObject({ silent: false, printBackground: true, landscape: true, pageSize: 'A4' });
    expect(options).not.toHaveProperty('deviceName');
    // Margins in pixels at 96 dpi, from the same CSS lengths.
    expect(options.margins).toEqual({ marginType: 'custom', top: 96, bottom: 45, left: 38, right: 48 });
  });

  it('prints silently only to the printer it is given', () => {
    expect(systemPrintOptions(sheet(), { kind: 'silent', deviceName: 'Reception_HP_M404' })).toMatchObject({ silent: true, deviceName: 'Reception_HP_M404' });
  });

  it("prints no header or footer of Chromium's own: the sheet frames itself (margin boxes, or in the body)", () => {
    for (const doc of [sheet(), sheet({ displayHeaderFooter: false, pageFrameCss: '' })]) {
      const options = systemPrintOptions(doc, { kind: 'dialog' });
      expect(options).not.toHaveProperty('header');
      expect(options).not.toHaveProperty('footer');
    }
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

describe('printSheetInApp: the Print dialog in the app', () => {
  const CTX = { user: 'anonymous', desk: 'FRONT-DESK', sessionId: 'window-1' };

  function fakes(overrides: Partial<SheetPrintDeps> = {}) {
    const calls: string[] = [];
    const written = new Map<string, Uint8Array>();
    const deps: SheetPrintDeps = {
      sheet: (request) => {
        calls.push(`sheet ${request.sheet} ${request.date ?? '-'} ${request.clinicianId ?? '-'}`);
        return Promise.resolve({ ok: true, value: sheet() });
      },
      print: () => (calls.push('print'), Promise.resolve('printed')),
      toPdf: () => (calls.push('toPdf'), Promise.resolve(new Uint8Array([37, 80, 68, 70]))),
      choosePdfFile: (name) => (calls.push(`choose ${name}`), Promise.resolve(`/home/reception/Documents/${name}`)),
      writeFile: (file, data) => (written.set(file, data), Promise.resolve()),
      recordPrint: (input) => (calls.push(`record ${JSON.stringify(input)}`), Promise.resolve({ ok: true, value: { seq: 1 } })),
      localNow: () => ({ date: '2026-07-20', time: '08:14' }),
      ...overrides,
    };
    return { deps, calls, written };
  }

  it('prints through the dialog for one clinician, and records the print', async () => {
    const { deps, calls } = fakes();
    const result = await printSheetInApp({ sheet: 'clinician-list', date: '2026-07-20', clinicianId: 'clin-a', to: 'printer' }, CTX, deps);
    expect(result).toEqual({ ok: true, value: { outcome: 'printed', file: null } });
    expect(calls).toEqual(['sheet clinician-list 2026-07-20 clin-a', 'print', 'record {"what":"sheet","sheet":"clinician-list","date":"2026-07-20"}']);
  });

  it('saves a PDF where the user chooses, under a name that says what and when', async () => {
    const { deps, calls, written } = fakes();
    const result = await printSheetInApp({ sheet: 'master-list', date: '2026-07-20', to: 'pdf' }, CTX, deps);
    const file = '/home/reception/Documents/master-list-mon-20-jul-2026-20260720-0814.pdf';
    expect(result).toEqual({ ok: true, value: { outcome: 'saved', file } });
    expect([...(written.get(file) ?? [])]).toEqual([37, 80, 68, 70]);
    expect(calls.at(-1)).toBe('record {"what":"sheet","sheet":"master-list","date":"2026-07-20"}');
  });

  it('records nothing when either dialog is cancelled', async () => {
    const printing = fakes({ print: () => Promise.resolve('cancelled') });
    expect(await printSheetInApp({ sheet: 'master-list', date: '2026-07-20', to: 'printer' }, CTX, printing.deps)).toEqual({
      ok: true,
      value: { outcome: 'cancelled', file: null },
    });
    const saving = fakes({ choosePdfFile: () => Promise.resolve(null) });
    expect(await printSheetInApp({ sheet: 'master-list', date: '2026-07-20', to: 'pdf' }, CTX, saving.deps)).toEqual({ ok: true, value: { outcome: 'cancelled', file: null } });
    expect([...printing.calls, ...saving.calls].some((c) => c.startsWith('record') || c === 'toPdf')).toBe(false);
    expect(saving.written.size).toBe(0);
  });

  it('refuses bad input and passes on the desk’s refusal, printing nothing', async () => {
    const { deps, calls } = fakes();
    const bad = await printSheetInApp({ sheet: 'everything', to: 'printer' }, CTX, deps);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'sheet' }] } });
    expect(calls).toEqual([]);
    const refused = fakes({ sheet: () => Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'getImpactReport is for practice managers only' } }) });
    expect(await printSheetInApp({ sheet: 'impact-report', to: 'printer' }, CTX, refused.deps)).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'getImpactReport is for practice managers only' },
    });
    expect(refused.calls).toEqual([]);
  });

  it('says what went wrong when the printer fails, and records nothing', async () => {
    const { deps, calls } = fakes({ print: () => Promise.reject(new Error('printing failed: Printer offline')) });
    expect(await printSheetInApp({ sheet: 'master-list', date: '2026-07-20', to: 'printer' }, CTX, deps)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'printing failed: Printer offline' },
    });
    expect(calls.some((c) => c.startsWith('record'))).toBe(false);
  });
});

describe('forSystemDialog: a sheet printed through the system dialog', () => {
  it('carries its frame as page margin boxes, since the dialog cannot print the templates', () => {
    const framed = forSystemDialog(sheet({ html: '<!doctype html><html><head><title>t</title></head><body></body></html>' }));
    expect(framed.html).toBe(
      '<!doctype html><html><head><title>t</title><style>@page { @bottom-right { content: "Page " counter(page) " of " counter(pages); } }</style></head><body></body></html>',
    );
    // Sheets that print their frame in the body already (a page per record) are left as they are.
    const records = sheet({ displayHeaderFooter: false, headerTemplate: '', footerTemplate: '', pageFrameCss: '' });
    expect(forSystemDialog(records)).toBe(records);
  });

  it('is what printSheetInApp hands to the dialog', async () => {
    const printed: PrintableDocument[] = [];
    const deps: SheetPrintDeps = {
      sheet: () => Promise.resolve({ ok: true, value: sheet({ html: '<html><head></head><body></body></html>', pageFrameCss: '@page { margin: 1cm; }' }) }),
      print: (doc) => (printed.push(doc), Promise.resolve('printed')),
      toPdf: () => Promise.reject(new Error('not used')),
      choosePdfFile: () => Promise.resolve(null),
      writeFile: () => Promise.resolve(),
      recordPrint: () => Promise.resolve({ ok: true, value: { seq: 1 } }),
      localNow: () => ({ date: '2026-07-20', time: '08:14' }),
    };
    await printSheetInApp({ sheet: 'master-list', date: '2026-07-20', to: 'printer' }, { user: 'u', desk: 'd' }, deps);
    expect(printed.map((d) => d.html)).toEqual(['<html><head><style>@page { margin: 1cm; }</style></head><body></body></html>']);
  });
});
