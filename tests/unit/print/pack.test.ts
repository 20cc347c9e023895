/**
 * The outage pack writer: complete packs appear whole or not at all, `latest` only ever names a complete pack,
 * old packs are pruned, and a writer killed mid-pack (SIGKILL, or a failure between files) leaves the previous
 * pack and `latest` untouched. Most cases use a fake printer (the atomicity is the writer's, not Chromium's);
 * the kill test and the CLI tests print for real.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { SHEET_KINDS } from '../../../shared/sheets';
import {
  createOutagePackWriter,
  LATEST_FILE,
  listPacks,
  MANIFEST_FILE,
  packName,
  readLatestPack,
  writeOutagePack,
  type DocumentPrinter,
  type PrintDocument,
} from '../../../electron/desk/print';
import { main } from '../../../electron/cli/main';
import { FIXTURE_DATE, openTestDesk, smallBook, tempDir } from '../../support/fixtures';
import { TEST_NOW } from '../../support/clock';
import { deskClock } from '../../../electron/desk/clock';
import { CHROMIUM, pdfInfoPages, pdfText, readerOf, REPO_ROOT } from './support';

const desk = readerOf(smallBook());
const T0 = new Date('2026-07-20T07:14:05Z'); // 08:14:05 in London
const dirs: string[] = [];
function folder(): string {
  const dir = tempDir('standby-desk-pack-');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

class FakePrinter implements DocumentPrinter {
  rendered: PrintDocument[] = [];
  connected = true;
  closed = false;
  constructor(private readonly failOn?: (doc: PrintDocument) => boolean) {}
  async render(doc: PrintDocument): Promise<Uint8Array> {
    if (this.failOn?.(doc)) throw new Error(`printer jammed on ${doc.kind}`);
    this.rendered.push(doc);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return Buffer.from(`%PDF-1.4\n% fake ${doc.title}\n1 0 obj << /Type /Page >> endobj\n%%EOF\n`);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file the manifest lists is there with the recorded hash, and nothing else is. */
function expectComplete(dir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { files: Array<{ file: string; sha256: string }> };
  expect(fs.readdirSync(dir).sort()).toEqual([...manifest.files.map((f) => f.file), MANIFEST_FILE].sort());
  for (const f of manifest.files) expect(sha256(path.join(dir, f.file)), f.file).toBe(f.sha256);
}

const hidden = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('.'));

describe('writing an outage pack', () => {
  it('writes every sheet of each date into pack-YYYYMMDD-HHMMSS and points latest at it', async () => {
    const out = folder();
    const printer = new FakePrinter();
    const pack = await writeOutagePack({ desk, folder: out, dates: [FIXTURE_DATE, '2026-07-21'], now: T0, printer });
    expect(pack.name).toBe('pack-20260720-081405');
    expect(packName(T0)).toBe(pack.name);
    // Consultation records come one file per clinician (each pile numbered on its own); a day with no
    // appointments still gets every sheet, saying so.
    expect(pack.files.map((f) => f.file)).toEqual([
      '2026-07-20-1-master-list.pdf',
      '2026-07-20-2-clinician-list.pdf',
      '2026-07-20-3-walk-in-register.pdf',
      '2026-07-20-4-callback-list.pdf',
      '2026-07-20-5-consultation-records-dr-asha-patel.pdf',
      '2026-07-20-5-consultation-records-nurse-ben-okafor.pdf',
      ...SHEET_KINDS.map((k, i) => `2026-07-21-${i + 1}-${k}.pdf`),
    ]);
    expect(pack.files.filter((f) => f.clinicianId !== null).map((f) => f.clinicianId)).toEqual(['clin-a', 'clin-b']);
    expect(pack.appointments).toEqual({ '2026-07-20': 5, '2026-07-21': 0 });
    expect(pack.pages).toBe(11);
    expectComplete(pack.dir);
    expect(fs.readFileSync(path.join(out, LATEST_FILE), 'utf8')).toBe(`${pack.name}\n`);
    expect(readLatestPack(out)).toBe(pack.name);
    expect(hidden(out)).toEqual([]);
    expect(printer.closed).toBe(false); // the caller's printer stays open for the next pack
    // One consistent picture: every document says it was printed at the same moment.
    expect(new Set(printer.rendered.map((d) => d.html.includes('Printed 20/07/2026 08:14') || d.headerTemplate.includes('Printed 20/07/2026 08:14')))).toEqual(new Set([true]));
  });

  it('keeps the newest `keep` packs, and a second pack in the same second gets its own name', async () => {
    const out = folder();
    const printer = new FakePrinter();
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      const pack = await writeOutagePack({ desk, folder: out, dates: [FIXTURE_DATE], now: new Date(T0.getTime() + i * 60_000), printer, keep: 3 });
      names.push(pack.name);
    }
    expect(listPacks(out)).toEqual(names.slice(3));
    expect(readLatestPack(out)).toBe(names[5]);
    const again = await writeOutagePack({ desk, folder: out, dates: [FIXTURE_DATE], now: new Date(T0.getTime() + 5 * 60_000), printer, keep: 3 });
    expect(again.name).toBe(`${names[5]}-2`);
    expect(readLatestPack(out)).toBe(again.name);
    expect(listPacks(out)).toEqual([names[4], names[5], again.name]);
  });

  it('a failure between files leaves the previous pack and latest as they were', async () => {
    const out = folder();
    const previous = await writeOutagePack({ desk, folder: out, dates: [FIXTURE_DATE], now: T0, printer: new FakePrinter() });
    let files = 0;
    const failing = writeOutagePack({
      desk,
      folder: out,
      dates: [FIXTURE_DATE],
      now: new Date(T0.getTime() + 300_000),
      printer: new FakePrinter(),
      concurrency: 1,
      afterFile: () => {
        if (++files === 3) throw new Error('disk full (injected)');
      },
    });
    await expect(failing).rejects.toThrow('disk full (injected)');
    expect(listPacks(out)).toEqual([previous.name]);
    expect(readLatestPack(out)).toBe(previous.name);
    expectComplete(previous.dir);
    expect(hidden(out)).toEqual([]);

    const jammed = writeOutagePack({
      desk,
      folder: out,
      dates: [FIXTURE_DATE],
      now: new Date(T0.getTime() + 600_000),
      printer: new FakePrinter((d) => d.kind === 'callback-list'),
    });
    await expect(jammed).rejects.toThrow('printer jammed on callback-list');
    expect(listPacks(out)).toEqual([previous.name]);
    expect(readLatestPack(out)).toBe(previous.name);
  });

  it('a writer killed with SIGKILL mid-pack leaves the previous pack and latest intact; the next run tidies up', async () => {
    const open = openTestDesk();
    const dataDir = open.dataDir;
    open.close();
    dirs.push(dataDir);
    const out = folder();
    const previous = await writeOutagePack({ desk: readerOf(smallBook()), folder: out, dates: [FIXTURE_DATE], now: T0, printer: new FakePrinter() });

    const child = spawn(process.execPath, ['--import', 'tsx', path.join('tests', 'unit', 'print', 'pack-child.ts'), dataDir, out, FIXTURE_DATE, '2'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STANDBY_DESK_BROWSER: CHROMIUM },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    const wrote: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child wrote nothing in time\n${stderr}`)), 45_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('WROTE ')) wrote.push(line.slice(6));
        if (line === 'DONE') reject(new Error('the child finished a pack it should never finish'));
        if (wrote.length === 2) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      void exited.then(() => reject(new Error(`the child exited early\n${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    // What a receptionist (or the app) sees now: the old pack, whole, and latest naming it.
    expect(listPacks(out)).toEqual([previous.name]);
    expect(readLatestPack(out)).toBe(previous.name);
    expectComplete(previous.dir);
    const leftovers = hidden(out);
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^\.incomplete-pack-/);
    const partial = path.join(out, leftovers[0] ?? '');
    expect(fs.readdirSync(partial)).not.toContain(MANIFEST_FILE);
    expect(fs.readdirSync(partial).length).toBeGreaterThanOrEqual(2);

    // A later run removes the dead writer's folder (once it is old enough to be surely dead) and completes. Its
    // age is set, not waited for: a file's time is the file system's, which a test's clock may not match.
    const longAgo = new Date('2026-01-05T08:00:00Z');
    fs.utimesSync(partial, longAgo, longAgo);
    const next = await writeOutagePack({ desk: readerOf(smallBook()), folder: out, dates: [FIXTURE_DATE], now: new Date(TEST_NOW), printer: new FakePrinter(), staleTempMs: 0 });
    expect(hidden(out)).toEqual([]);
    expect(readLatestPack(out)).toBe(next.name);
    expect(listPacks(out)).toEqual([previous.name, next.name].sort());
  }, 60_000);
});

describe('the pack writer for refresh hooks', () => {
  it('folds a burst of requests into one follow-up pack and reuses its printer', async () => {
    const out = folder();
    const printers: FakePrinter[] = [];
    let tick = 0;
    const writer = createOutagePackWriter({
      desk,
      folder: out,
      clock: () => new Date(T0.getTime() + tick++ * 1000),
      dates: () => [FIXTURE_DATE],
      launchPrinter: async () => {
        const p = new FakePrinter();
        printers.push(p);
        return p;
      },
    });
    const [a, b, c] = [writer.write(), writer.write(), writer.write()];
    const [pa, pb, pc] = await Promise.all([a, b, c]);
    expect(pa.name).not.toBe(pb.name);
    expect(pb.name).toBe(pc.name);
    expect(listPacks(out)).toHaveLength(2);
    expect(readLatestPack(out)).toBe(pb.name);
    expect(printers).toHaveLength(1);

    // A printer that has died is replaced at the next pack.
    const first = printers[0];
    if (first) first.connected = false;
    await writer.write();
    expect(printers).toHaveLength(2);
    await writer.close();
    expect(printers.every((p) => p.closed)).toBe(true);
    await expect(writer.write()).rejects.toThrow('closed');
  });
});

describe('the print and pack commands', () => {
  function cli() {
    const lines = { out: [] as string[], err: [] as string[] };
    return { lines, out: { log: (l: string) => lines.out.push(l), error: (l: string) => lines.err.push(l) } };
  }

  it('print writes one sheet as PDF, pack writes the pack, with the installed Chromium', async () => {
    // The commands read the process's clock (pinned at TEST_NOW): load the mirror by the same clock.
    const open = openTestDesk({ now: deskClock() });
    open.close();
    dirs.push(open.dataDir);
    const out = folder();
    const file = path.join(out, 'callbacks.pdf');
    const previous = process.env['STANDBY_DESK_BROWSER'];
    process.env['STANDBY_DESK_BROWSER'] = CHROMIUM;
    try {
      const printed = cli();
      expect(await main(['print', 'clinician-list', '--data', open.dataDir, '--date', FIXTURE_DATE, '--clinician', 'clin-a', '--out', file], printed.out)).toBe(0);
      expect(printed.lines.out.join('\n')).toMatch(/Printed the clinician-list for 2026-07-20: 1 page\(s\), 3 appointment\(s\)/);
      expect(pdfInfoPages(file)).toBe(1);
      const text = pdfText(file);
      expect(text).toContain("O'BRIEN, Siobhán");
      expect(text).not.toContain('SMITH-JONES');
      // The test desk's mirror was loaded now; printing it now is fresh, and says so.
      expect(text).toMatch(/Mirror as of \d\d\/\d\d\/\d{4} \d\d:\d\d \(0 min before printing\)/);

      // The rest of the day from 08:45: the 08:30 nobody marked is not printed again; 08:40 (running) and 09:00 are.
      const rest = cli();
      const restFile = path.join(out, 'rest.pdf');
      expect(await main(['print', 'clinician-list', '--data', open.dataDir, '--date', FIXTURE_DATE, '--clinician', 'clin-a', '--from', '08:45', '--out', restFile], rest.out)).toBe(
        0,
      );
      expect(rest.lines.out.join('\n')).toMatch(/Printed the clinician-list for 2026-07-20 from 08:45: 1 page\(s\)/);
      const restText = pdfText(restFile);
      expect(restText).not.toContain("O'BRIEN");
      expect(restText).toContain('MÜLLER, Zoë');
      expect(restText).toContain('SMITH, Anne');

      const packed = cli();
      expect(await main(['pack', '--data', open.dataDir, '--date', FIXTURE_DATE, '--out', path.join(out, 'packs'), '--keep', '2', '--json'], packed.out)).toBe(0);
      const result = JSON.parse(packed.lines.out[0] ?? '{}') as { name: string; files: unknown[] };
      expect(result.files).toHaveLength(SHEET_KINDS.length + 1);
      expect(readLatestPack(path.join(out, 'packs'))).toBe(result.name);
      expectComplete(path.join(out, 'packs', result.name));
    } finally {
      if (previous === undefined) delete process.env['STANDBY_DESK_BROWSER'];
      else process.env['STANDBY_DESK_BROWSER'] = previous;
    }
  }, 60_000);

  it('says what is wrong: usage (exit 2), and no browser to print with (exit 1)', async () => {
    const open = openTestDesk();
    open.close();
    dirs.push(open.dataDir);
    const out = folder();
    const cases: Array<[string[], number, RegExp]> = [
      [['print', '--data', open.dataDir, '--out', 'x.pdf'], 2, /print needs a SHEET/],
      [['print', 'rota', '--data', open.dataDir, '--out', 'x.pdf'], 2, /unknown sheet "rota"/],
      [['print', 'master-list', '--data', open.dataDir], 2, /needs --out/],
      [['print', 'master-list', '--clinician', 'clin-a', '--date', FIXTURE_DATE, '--data', open.dataDir, '--out', path.join(out, 'm.pdf')], 2, /covers the whole practice/],
      [
        ['print', 'clinician-list', '--clinician', 'clin-zz', '--date', FIXTURE_DATE, '--data', open.dataDir, '--out', path.join(out, 'c.pdf')],
        2,
        /no clinician "clin-zz".*clin-a \(Dr Asha Patel\)/,
      ],
      [['print', 'callback-list', '--from', '10:00', '--date', FIXTURE_DATE, '--data', open.dataDir, '--out', path.join(out, 'm.pdf')], 2, /prints the whole day/],
      [['print', 'clinician-list', '--from', '9am', '--date', FIXTURE_DATE, '--data', open.dataDir, '--out', path.join(out, 'c.pdf')], 2, /"9am" is not a time/],
      [['print', 'worklist', '--from', '10:00', '--data', open.dataDir, '--out', path.join(out, 'w.pdf')], 2, /covers the whole outage/],
      [['pack', '--data', open.dataDir], 2, /needs --out/],
      [['pack', '--data', open.dataDir, '--out', out, '--keep', '0'], 2, /--keep must be a whole number from 1 to 100/],
    ];
    for (const [args, code, message] of cases) {
      const run = cli();
      expect(await main(args, run.out), args.join(' ')).toBe(code);
      expect(run.lines.err.join('\n'), args.join(' ')).toMatch(message);
    }
    const previous = process.env['STANDBY_DESK_BROWSER'];
    process.env['STANDBY_DESK_BROWSER'] = path.join(out, 'no-such-browser');
    try {
      const run = cli();
      expect(await main(['print', 'master-list', '--date', FIXTURE_DATE, '--data', open.dataDir, '--out', path.join(out, 'm.pdf')], run.out)).toBe(1);
      expect(run.lines.err.join('\n')).toMatch(/No Chromium, Google Chrome or Microsoft Edge was found/);
      expect(fs.existsSync(path.join(out, 'm.pdf'))).toBe(false);
      const packRun = cli();
      expect(await main(['pack', '--date', FIXTURE_DATE, '--data', open.dataDir, '--out', path.join(out, 'packs')], packRun.out)).toBe(1);
      expect(listPacks(path.join(out, 'packs'))).toEqual([]);
      expect(hidden(path.join(out, 'packs'))).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env['STANDBY_DESK_BROWSER'];
      else process.env['STANDBY_DESK_BROWSER'] = previous;
    }
  });
});
