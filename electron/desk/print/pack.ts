/**
 * The outage pack: every sheet for today (and the next days if asked) as PDFs in one folder, ready to print
 * the moment the clinical system goes down. Cegedim's advice is a local copy refreshed every few minutes near
 * a printer; this is that copy on paper-ready form.
 *
 * Crash safety: a pack is rendered into a hidden temporary folder and renamed to `pack-YYYYMMDD-HHMMSS` only
 * when every file in it is written and flushed, so a folder with that name is always complete. The `latest`
 * file (written to a temporary name, then renamed) names the newest complete pack. A writer killed at any
 * moment leaves the previous pack and `latest` as they were, plus an incomplete folder the next run removes.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localDateOf, localTimeOf } from '../../../shared/domain';
import { sessionGroups, SHEET_CATALOGUE, SHEET_KINDS, type SheetInput, type SheetKind } from '../../../shared/sheets';
import { readSheetInput, sheetDocument, type DayReader } from './documents';
import { isTempName, renameRetrying, syncDir, writeDurable, writeFileAtomic } from '../durable-files';
import type { PrintDocument } from './html';
import { countPdfPages, PdfPrinter, type DocumentPrinter } from './pdf';
import { deskClock, deskNow } from '../clock';

export const LATEST_FILE = 'latest';
export const MANIFEST_FILE = 'manifest.json';
const PACK_NAME = /^pack-\d{8}-\d{6}(?:-\d+)?$/;
const INCOMPLETE_PREFIX = '.incomplete-';
/** An incomplete folder older than this belongs to a writer that died, not to one still running. */
const DEFAULT_STALE_TEMP_MS = 10 * 60_000;

export interface PackFile {
  file: string;
  date: string;
  sheet: SheetKind;
  /** Set for the per-clinician files (the catalogue's pack: 'per-clinician'); null for whole-practice sheets. */
  clinicianId: string | null;
  pages: number;
  bytes: number;
  sha256: string;
}

export interface OutagePack {
  /** The pack's folder name (`pack-20260720-081400`) and full path. */
  name: string;
  dir: string;
  printedAt: string;
  mirrorAsOf: string | null;
  dates: string[];
  /** Appointments per date: a 0 means that day's sheets say the mirror holds none. */
  appointments: Record<string, number>;
  files: PackFile[];
  pages: number;
  /** Older packs removed to keep `keep`. */
  pruned: string[];
  ms: number;
}

export interface OutagePackOptions {
  /** The open desk (its service is read) or anything with getDay. */
  desk: DayReader | { service: DayReader };
  folder: string;
  /** London dates to include, today first. */
  dates: readonly string[];
  /** How many complete packs to keep (the newest); at least 1. */
  keep?: number;
  now?: Date;
  /** Reuse a running printer (a long-lived writer does); otherwise one is launched and closed. */
  printer?: DocumentPrinter;
  browserPath?: string;
  /** Documents rendered at once; each is one browser page. */
  concurrency?: number;
  staleTempMs?: number;
  /**
   * Make the folder if it is missing (the `pack` command). The automatic pack does not: its folder is on a
   * stick or a share, and when that is not there the folder must be missing, not made on this PC's own disk,
   * which is the one that may fail.
   */
  createFolder?: boolean;
  /** Test seam: runs after each PDF is flushed inside the incomplete folder. */
  afterFile?: (file: string) => void | Promise<void>;
}

interface PackJob {
  file: string;
  date: string;
  sheet: SheetKind;
  clinicianId: string | null;
  doc: PrintDocument;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The files for one day, as the catalogue files them. Consultation records come one file per clinician: each
 * clinician's pile prints (and is numbered "Page X of Y") on its own, and separate documents render in
 * parallel, which matters because a day of records is most of the pack's pages.
 */
export function packJobs(input: SheetInput): PackJob[] {
  const jobs: PackJob[] = [];
  SHEET_KINDS.filter((sheet) => SHEET_CATALOGUE[sheet].pack !== null).forEach((sheet, i) => {
    const stem = `${input.date}-${i + 1}-${sheet}`;
    if (SHEET_CATALOGUE[sheet].pack !== 'per-clinician') {
      jobs.push({ file: `${stem}.pdf`, date: input.date, sheet, clinicianId: null, doc: sheetDocument(sheet, input) });
      return;
    }
    const clinicians = [
      ...new Map(
        sessionGroups(input)
          .filter((g) => g.appointments.some((a) => a.status !== 'cancelled'))
          .map((g) => [g.clinician.id, g.clinician]),
      ).values(),
    ];
    if (clinicians.length === 0) {
      jobs.push({ file: `${stem}.pdf`, date: input.date, sheet, clinicianId: null, doc: sheetDocument(sheet, input) });
      return;
    }
    const used = new Set<string>();
    for (const c of clinicians) {
      let name = slug(c.name) || slug(c.id) || 'clinician';
      if (used.has(name)) name = `${name}-${slug(c.id)}`;
      used.add(name);
      jobs.push({ file: `${stem}-${name}.pdf`, date: input.date, sheet, clinicianId: c.id, doc: sheetDocument(sheet, input, { clinicianId: c.id }) });
    }
  });
  return jobs;
}

function readerOf(desk: OutagePackOptions['desk']): DayReader {
  return 'service' in desk ? desk.service : desk;
}

/** `pack-20260720-081400` from London local time: the name a receptionist reads in the folder. */
export function packName(now: Date): string {
  return `pack-${localDateOf(now).replaceAll('-', '')}-${localTimeOf(now).replace(':', '')}${String(londonSeconds(now)).padStart(2, '0')}`;
}

function londonSeconds(now: Date): number {
  // London's offset is whole minutes, so the seconds are the UTC seconds.
  return now.getUTCSeconds();
}

/** The newest complete pack named by `latest`, or null when there is none (or it was removed by hand). */
export function readLatestPack(folder: string): string | null {
  try {
    const name = fs.readFileSync(path.join(folder, LATEST_FILE), 'utf8').trim();
    return PACK_NAME.test(name) && fs.existsSync(path.join(folder, name, MANIFEST_FILE)) ? name : null;
  } catch {
    return null;
  }
}

export function listPacks(folder: string): string[] {
  try {
    return fs
      .readdirSync(folder, { withFileTypes: true })
      .filter((e) => e.isDirectory() && PACK_NAME.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * Runs fn over items, `limit` at a time. After a failure no new item starts, and it waits for those in flight
 * before rejecting: the caller then removes the incomplete folder with nothing still writing into it.
 */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results;
}

/**
 * Documents in flight at once. One more than the cores: a print is split across Chromium's renderer and its
 * PDF compositor, so with as many documents as cores a core sits idle (measured on 2 cores: 2 at once
 * ~9.5 s for the 600-appointment pack, 3 at once ~6.3 s).
 */
export function defaultConcurrency(): number {
  return Math.max(2, Math.min(4, os.availableParallelism() + 1));
}

async function isDirectory(folder: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

/** Renders the whole pack; see the module comment for what a crash at any point leaves behind. */
export async function writeOutagePack(options: OutagePackOptions): Promise<OutagePack> {
  const started = performance.now();
  const keep = Math.max(1, Math.floor(options.keep ?? 5));
  const now = options.now ?? deskNow();
  if (options.dates.length === 0) throw new Error('an outage pack needs at least one date');
  const reader = readerOf(options.desk);
  if (options.createFolder ?? true) await fs.promises.mkdir(options.folder, { recursive: true });
  else if (!(await isDirectory(options.folder))) {
    throw new Error(
      `${options.folder} is not there: is the drive or share connected? (the pack folder is never made by itself, so the pack cannot end up on this PC's own disk instead)`,
    );
  }
  await removeLeftovers(options.folder, options.staleTempMs ?? DEFAULT_STALE_TEMP_MS);

  // Read every day before rendering: the pack is one picture of the mirror, not a mix of before and after.
  const inputs = options.dates.map((date) => readSheetInput(reader, date, now));
  const jobs = inputs.flatMap(packJobs);

  const appointments = Object.fromEntries(inputs.map((input) => [input.date, input.appointments.length]));
  const base = packName(now);
  // The browser first: with none installed the command fails before it leaves anything on disk.
  const printer = options.printer ?? (await PdfPrinter.launch(options.browserPath));
  const temp = path.join(options.folder, `${INCOMPLETE_PREFIX}${base}-${randomBytes(4).toString('hex')}`);
  let name: string;
  let files: PackFile[];
  try {
    await fs.promises.mkdir(temp);
    // The biggest documents first, so the longest render is not the last to start.
    const order = [...jobs].sort((a, b) => b.doc.html.length - a.doc.html.length);
    const written = await mapLimit(order, options.concurrency ?? defaultConcurrency(), async (job) => {
      const pdf = await printer.render(job.doc);
      const target = path.join(temp, job.file);
      await writeDurable(target, pdf);
      await options.afterFile?.(target);
      return {
        file: job.file,
        date: job.date,
        sheet: job.sheet,
        clinicianId: job.clinicianId,
        pages: countPdfPages(pdf),
        bytes: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      };
    });
    files = jobs.map((job) => written.find((w) => w.file === job.file)).filter((f): f is PackFile => f !== undefined);
    const manifest = {
      printedAt: now.toISOString(),
      mirrorAsOf: inputs[0]?.mirror.asOf ?? null,
      practice: inputs[0]?.practice?.name ?? null,
      dates: [...options.dates],
      appointments,
      files,
    };
    // The manifest goes in last: a pack folder with a manifest lists exactly what it holds.
    await writeDurable(path.join(temp, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    await syncDir(temp);
    name = await renameIntoPlace(options.folder, temp, base);
  } catch (error) {
    await fs.promises.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  } finally {
    if (!options.printer) await printer.close();
  }
  await syncDir(options.folder);
  await writeFileAtomic(path.join(options.folder, LATEST_FILE), `${name}\n`);
  const pruned = await prune(options.folder, keep, name);
  return {
    name,
    dir: path.join(options.folder, name),
    printedAt: now.toISOString(),
    mirrorAsOf: inputs[0]?.mirror.asOf ?? null,
    dates: [...options.dates],
    appointments,
    files,
    pages: files.reduce((n, f) => n + f.pages, 0),
    pruned,
    ms: performance.now() - started,
  };
}

async function renameIntoPlace(folder: string, temp: string, base: string): Promise<string> {
  // Two packs in one second (a refresh right after a manual run) get -2, -3: never overwrite a complete pack.
  for (let n = 1; n < 100; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    const target = path.join(folder, name);
    if (fs.existsSync(target)) continue;
    try {
      await renameRetrying(temp, target);
      return name;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw error;
    }
  }
  throw new Error(`could not find a free name for the pack ${base} in ${folder}`);
}

/** Keeps the newest `keep` complete packs; never removes the one `latest` names. */
async function prune(folder: string, keep: number, latest: string): Promise<string[]> {
  const packs = listPacks(folder).reverse();
  const doomed = packs.slice(keep).filter((name) => name !== latest);
  for (const name of doomed) await fs.promises.rm(path.join(folder, name), { recursive: true, force: true });
  return doomed;
}

/** Incomplete folders and temporary `latest` files left by a writer that was killed. */
async function removeLeftovers(folder: string, staleMs: number): Promise<void> {
  // A file's age is on the file system's clock, not the desk's (which a drill may have set to another day).
  const fsNow = Date.now();
  for (const entry of await fs.promises.readdir(folder, { withFileTypes: true })) {
    const leftover = (entry.isDirectory() && entry.name.startsWith(INCOMPLETE_PREFIX)) || (entry.isFile() && isTempName(entry.name));
    if (!leftover) continue;
    const full = path.join(folder, entry.name);
    try {
      const stat = await fs.promises.stat(full);
      if (fsNow - stat.mtimeMs >= staleMs) await fs.promises.rm(full, { recursive: true, force: true });
    } catch {
      // Gone already (another writer tidied it): nothing to do.
    }
  }
}

export interface OutagePackWriterOptions extends Omit<OutagePackOptions, 'dates' | 'now' | 'printer'> {
  /** The dates a pack written at `now` covers: by default today only. */
  dates?: (now: Date) => string[];
  clock?: () => Date;
  /** How to get a printer when there is none (or it died); by default, launch the installed browser. */
  launchPrinter?: () => Promise<DocumentPrinter>;
}

export interface OutagePackWriter {
  /**
   * Writes a fresh pack. Calls while one is being written are folded into a single follow-up run, which reads
   * the mirror after the running one: a burst of refreshes costs at most two packs, and the last is current.
   */
  write(): Promise<OutagePack>;
  close(): Promise<void>;
}

/**
 * For whoever runs mirror refreshes: call `write()` after each successful refresh. Keeps one browser open
 * between packs (launching is most of a small pack's time) and relaunches it if it has died.
 */
export function createOutagePackWriter(options: OutagePackWriterOptions): OutagePackWriter {
  const clock = options.clock ?? deskClock();
  const datesFor = options.dates ?? ((now: Date) => [localDateOf(now)]);
  let printer: DocumentPrinter | null = null;
  const launch = options.launchPrinter ?? (() => PdfPrinter.launch(options.browserPath));
  let running: Promise<OutagePack> | null = null;
  let queued: Promise<OutagePack> | null = null;
  let closed = false;

  const once = async (): Promise<OutagePack> => {
    if (closed) throw new Error('the outage pack writer is closed');
    if (printer === null || !printer.connected) {
      await printer?.close().catch(() => undefined);
      printer = await launch();
    }
    const now = clock();
    const { dates: _dates, clock: _clock, launchPrinter: _launch, ...rest } = options;
    return writeOutagePack({ ...rest, dates: datesFor(now), now, printer });
  };

  const write = (): Promise<OutagePack> => {
    if (running === null) {
      running = once().finally(() => {
        running = null;
      });
      return running;
    }
    if (queued === null) {
      queued = running
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return write();
        });
    }
    return queued;
  };

  return {
    write,
    async close() {
      closed = true;
      await running?.catch(() => undefined);
      await queued?.catch(() => undefined);
      await printer?.close();
      printer = null;
    },
  };
}
