/**
 * Keeping the mirror and the paper fresh while the clinical system is up, in whatever process holds the desk
 * (`serve`, and the app's desk process as upkeep-settings.json asks): scheduled FHIR pulls, a watched folder whose newest
 * export is imported by itself, and a fresh outage pack written after every successful refresh, so that if
 * this PC fails too another device can print the day from the pack folder.
 *
 * Plain Node with injectable timers and printer: tests drive it by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { localDateOf, missingCaseError } from '../../shared/domain';
import type { WatchFeed } from '../../shared/api';
import { extractFactsOf } from './extract-facts';
import type { OpenDesk } from './open';
import { createOutagePackWriter, type DocumentPrinter, type OutagePack, type OutagePackWriter } from './print';
import { describeAsOf, type RefreshReport } from './refresh';
import { ImportError } from './upstream/batch';
import { pullDates } from './upstream/fhir/client';
import type { ResolvedMapping } from './upstream/csv/mapping';
import { readImportFiles, type ImportFilesOptions } from './upstream/files';
import { PullScheduler, startScheduledPulls, type ScheduledPullSettings, type TickOutcome } from './upstream/scheduler';
import type { Timers } from './timers';

export const DEFAULT_WATCH_EVERY_MS = 30_000;

/**
 * What a watched folder holds that we read, by its feed: exports are the import command's formats by extension;
 * an extract set comes as one zip (a set's files refer to each other, so a file on its own is no book).
 */
const IMPORTABLE: Record<WatchFeed, RegExp> = { export: /\.(json|csv)$/i, 'emis-extract': /\.zip$/i, 'systmone-extract': /\.zip$/i };

export type WatchOutcome =
  | { kind: 'empty' }
  /**
   * The folder cannot be read (a share that is down, a USB stick unplugged): said once (`first`), then looked
   * at again quietly every time until it can be read (WatchedFolder.cameBack says when).
   */
  | { kind: 'unreadable'; message: string; first: boolean }
  /** The newest file is new or still growing; it is taken once it has held still for one look. */
  | { kind: 'waiting'; file: string }
  /** The newest file was imported (or failed) already and has not changed since. */
  | { kind: 'unchanged'; file: string }
  | { kind: 'outage'; file: string }
  | { kind: 'imported'; file: string; report: RefreshReport }
  | { kind: 'failed'; file: string; error: ImportError };

/** How a watched folder is read; by default it is given exports. */
export interface WatchedFolderOptions {
  feed?: WatchFeed | undefined;
  /**
   * How the practice's CSV exports are laid out (docs/csv-import.md): a mapping file's. Without one, the mapping
   * a manager saved on screen (actions/feed-mapping.ts), read at each import so a new save counts at once; else
   * the default. Not for extracts: they are read by their published column names.
   */
  mapping?: ResolvedMapping | undefined;
  /** The practice an extract must be for, from upkeep-settings.json (fhir.ods); else as extract-facts.ts says. */
  practiceOds?: string | null | undefined;
}

/**
 * The watched folder. An export job writes files into it; the newest (by modification time) is the book: the
 * newest .json or .csv for exports, the newest .zip for an EMIS or SystmOne extract (read as `standby-desk import
 * --format` reads it, so with the same checks). A file
 * is imported only after its size and time have held still between two looks, so one still being written is
 * never read half-way, and a file that was imported or failed is not tried again until it changes: a bad
 * export gives one clear error, not one every 30 seconds. Nothing is imported in outage mode: the desk is
 * working on the mirror then, and leaving outage mode is a person's decision.
 */
export class WatchedFolder {
  private lastLook: string | null = null;
  private settled: string | null = null;
  /** Why the folder could not be read at the last look, while it still cannot. */
  private unreadable: string | null = null;
  /** Whether the last look found the folder readable again after it was not (for the log line). */
  cameBack = false;

  readonly feed: WatchFeed;

  constructor(
    readonly folder: string,
    private readonly desk: OpenDesk,
    private readonly options: WatchedFolderOptions = {},
  ) {
    this.feed = options.feed ?? 'export';
  }

  check(): WatchOutcome {
    let newest: ReturnType<typeof newestImportable>;
    try {
      newest = newestImportable(this.folder, IMPORTABLE[this.feed]);
    } catch (error) {
      const message = `${this.folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))})`;
      const first = this.unreadable === null;
      this.unreadable = message;
      return { kind: 'unreadable', message, first };
    }
    this.cameBack = this.unreadable !== null;
    this.unreadable = null;
    if (newest === null) return { kind: 'empty' };
    const signature = `${newest.name}\n${newest.size}\n${newest.mtimeMs}`;
    if (signature === this.settled) return { kind: 'unchanged', file: newest.name };
    if (signature !== this.lastLook) {
      this.lastLook = signature;
      return { kind: 'waiting', file: newest.name };
    }
    const upstream = this.desk.service.upstream;
    if (upstream.mode() === 'outage') return { kind: 'outage', file: newest.name };
    const file = path.join(this.folder, newest.name);
    try {
      const report = upstream.refresh(readImportFiles([file], this.readOptions()), this.desk.context);
      this.settled = signature;
      this.desk.service.recordAudit('import', { file: newest.name, watched: true, appointments: report.appointments }, this.desk.context);
      return { kind: 'imported', file: newest.name, report };
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      this.settled = signature;
      return { kind: 'failed', file: newest.name, error };
    }
  }

  private readOptions(): ImportFilesOptions {
    if (this.feed === 'export') return { mapping: this.options.mapping ?? this.desk.service.feedMapping.resolvedSaved() ?? undefined };
    return { format: this.feed, ...extractFactsOf(this.desk, this.options.practiceOds ?? null) };
  }
}

function newestImportable(folder: string, importable: RegExp): { name: string; size: number; mtimeMs: number } | null {
  let best: { name: string; size: number; mtimeMs: number } | null = null;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    // Hidden files are an exporter's work in progress (and editors' scratch files).
    if (!entry.isFile() || entry.name.startsWith('.') || !importable.test(entry.name)) continue;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.join(folder, entry.name));
    } catch {
      continue; // removed between the listing and the look
    }
    if (best === null || stat.mtimeMs > best.mtimeMs || (stat.mtimeMs === best.mtimeMs && entry.name > best.name)) {
      best = { name: entry.name, size: stat.size, mtimeMs: stat.mtimeMs };
    }
  }
  return best;
}

export interface UpkeepOptions {
  /** everyMs: how often to pull while online (default every 5 minutes). */
  fhir?: (ScheduledPullSettings & { everyMs?: number }) | undefined;
  /** mappingFile: where `mapping` came from, for the mapping screen's "in force" line. */
  /** feed: what the folder is given (default exports); mapping is for exports only. */
  watch?: { folder: string; feed?: WatchFeed; mapping?: ResolvedMapping; mappingFile?: string; intervalMs?: number } | undefined;
  /** The outage pack: today and the next days-1 working days (1 or 2: "and tomorrow"), the newest `keep` kept. */
  pack?: { folder: string; days: number; keep?: number; browserPath?: string; launchPrinter?: () => Promise<DocumentPrinter> } | undefined;
  /** One line for each thing worth knowing (stderr for `serve`). */
  log: (line: string) => void;
  timers?: Timers;
  clock?: () => Date;
  /**
   * A desk-group member (ADR 0011): it neither pulls nor imports, so its pack is written again when a refresh of the
   * coordinator's reaches it (a relayed mirror.replaced), and recorded in the audit trail by the coordinator (its
   * own database follows the coordinator's and nothing else).
   */
  member?: { recordPackPrint: (pack: OutagePack) => void };
}

export interface Upkeep {
  /** The pack writer's latest run (for tests and a status line); null before the first. */
  lastPack(): Promise<OutagePack | null>;
  stop(): Promise<void>;
}

export function startUpkeep(desk: OpenDesk, options: UpkeepOptions): Upkeep {
  const { log } = options;
  const clock = options.clock ?? desk.service.clock;
  const packOptions = options.pack;
  const packs: OutagePackWriter | null = packOptions
    ? createOutagePackWriter({
        desk: desk.service,
        folder: packOptions.folder,
        keep: packOptions.keep ?? 5,
        createFolder: false,
        dates: (now) => pullDates(localDateOf(now), packOptions.days),
        clock,
        ...(packOptions.browserPath === undefined ? {} : { browserPath: packOptions.browserPath }),
        ...(packOptions.launchPrinter === undefined ? {} : { launchPrinter: packOptions.launchPrinter }),
      })
    : null;
  let lastPack: Promise<OutagePack | null> = Promise.resolve(null);
  /**
   * Why the last pack failed, while packs keep failing: a stick left out or a share down is said once (and again if
   * the reason changes), not after every refresh, and said again when a pack gets through.
   */
  let packFailing: string | null = null;

  const writePack = (): void => {
    if (!packs || !packOptions) return;
    lastPack = packs.write().then(
      (pack) => {
        if (options.member) options.member.recordPackPrint(pack);
        else desk.service.recordAudit('print', { sheet: 'outage-pack', dates: pack.dates, pages: pack.pages, files: pack.files.length, automatic: true }, desk.context);
        if (packFailing !== null) log(`The outage pack can be written to ${packOptions.folder} again`);
        packFailing = null;
        log(`Wrote the outage pack ${pack.name}: ${pack.files.length} PDFs, ${pack.pages} pages, in ${(pack.ms / 1000).toFixed(1)} s, to ${packOptions.folder}`);
        return pack;
      },
      (error: unknown) => {
        const why = error instanceof Error ? error.message : String(error);
        if (why !== packFailing) log(`The outage pack could not be written to ${packOptions.folder}: ${why}; the previous pack is still there`);
        packFailing = why;
        return null;
      },
    );
  };

  const fhir = options.fhir;
  const pulls = fhir
    ? startScheduledPulls(desk.service, desk.context, fhir, {
        ...(options.timers === undefined ? {} : { timers: options.timers }),
        ...(fhir.everyMs === undefined ? {} : { intervalMs: fhir.everyMs }),
        onTick: (outcome) => {
          const line = tickLine(outcome, fhir.baseUrl);
          if (line !== null) log(line);
          if (outcome.kind === 'refreshed') writePack();
        },
        onError: (error) => log(`Scheduled pull failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`),
      })
    : null;
  if (pulls && fhir) log(`Pulling from ${fhir.baseUrl} every ${pulls.intervalMs / 60_000} minutes while online`);

  const watch = options.watch;
  let watcher: PullScheduler | null = null;
  if (watch) {
    const folder = new WatchedFolder(watch.folder, desk, { feed: watch.feed, mapping: watch.mapping, practiceOds: options.fhir?.odsCode ?? null });
    // The mapping screen says which mapping the folder is read with: a mapping file's wins over the saved one.
    const mappingFile = folder.feed === 'export' && watch.mapping !== undefined ? (watch.mappingFile ?? 'a mapping file given to serve') : null;
    desk.service.feedMapping.useWatchFile(mappingFile);
    watcher = new PullScheduler(
      async () => {
        const outcome = folder.check();
        if (folder.cameBack) log(`${watch.folder} can be read again; watching it for exports`);
        const line = watchLine(outcome);
        if (line !== null) log(line);
        if (outcome.kind === 'imported') writePack();
      },
      {
        intervalMs: watch.intervalMs ?? DEFAULT_WATCH_EVERY_MS,
        ...(options.timers === undefined ? {} : { timers: options.timers }),
        onError: (error) => log(`Watching ${watch.folder} failed: ${error instanceof Error ? error.message : String(error)}`),
      },
    );
    watcher.start();
    const what = folder.feed === 'export' ? 'exports (the newest .json or .csv' : `${folder.feed === 'emis-extract' ? 'EMIS' : 'SystmOne'} extracts (the newest .zip`;
    log(`Watching ${watch.folder} for ${what} is imported once it stops changing)`);
  }

  // A pack at once: the folder holds the mirror as it is now (its age on every page) before the first refresh.
  if (packs && !pulls) writePack();
  const unfollow =
    packs && options.member
      ? desk.onEvent((event) => {
          if (event.kind === 'mirror.replaced') void lastPack.then(() => writePack());
        })
      : null;

  return {
    lastPack: () => lastPack,
    async stop() {
      unfollow?.();
      if (watch) desk.service.feedMapping.useWatchFile(null);
      await Promise.all([pulls?.stop(), watcher?.stop()]);
      await lastPack;
      await packs?.close();
    },
  };
}

/** The log line for a scheduled pull, or null when nothing worth a line happened. */
export function tickLine(o: TickOutcome, baseUrl: string): string | null {
  switch (o.kind) {
    case 'refreshed': {
      const a = o.report.appointments;
      return a.added + a.changed + a.removed + a.skipped > 0
        ? `Pulled from ${baseUrl}: appointments ${a.added} added, ${a.changed} changed, ${a.removed} removed, ${a.skipped} skipped`
        : null;
    }
    case 'failed':
      return `Pull from ${baseUrl} failed: ${o.error.message}${o.switchedToOutage ? ' (the desk is now in OUTAGE mode)' : ''}`;
    case 'probed':
      return o.reachable ? `${baseUrl} answers again; the desk stays in outage mode until someone switches it back` : null;
    case 'not-applied':
      return `Pull from ${baseUrl} not applied: ${o.reason}`;
    default:
      throw missingCaseError(o);
  }
}

function watchLine(o: WatchOutcome): string | null {
  switch (o.kind) {
    // Nothing happened; in outage mode the desk's own banner says so, and a line every look would drown the log.
    case 'empty':
    case 'waiting':
    case 'unchanged':
    case 'outage':
      return null;
    case 'unreadable':
      return o.first ? `Watching for exports: ${o.message}; looking again every half minute, the mirror is as it was` : null;
    case 'imported': {
      const a = o.report.appointments;
      return `Imported ${o.file}: appointments ${a.added} added, ${a.changed} changed, ${a.removed} removed, ${a.skipped} skipped; the mirror is ${describeAsOf(o.report.asOf)}`;
    }
    case 'failed':
      return `${o.error.message}; the mirror was left as it was, and ${o.file} will be tried again when it changes`;
    default:
      throw missingCaseError(o);
  }
}
