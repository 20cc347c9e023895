/**
 * The desk process: runs in an Electron utilityProcess (main.ts is its entry), opens the desk, answers
 * main's calls through the contract's dispatch, forwards the desk's events, and takes the scheduled backups.
 * When the desk cannot be opened it says why and which backups are good, and waits for main to ask for one to
 * be restored. Plain Node: it never imports electron, so tests run it in-process with a fake port.
 */
import path from 'node:path';
import { DeskError, type Result } from '../../shared/api';
import { inspectBackups, readBackupSettings, restoreBackup, RestoreRefusedError, type RestoreReport } from '../desk/backup';
import { ScheduledBackups } from '../desk/backup/scheduled';
import type { Timers } from '../desk/timers';
import { DeskLog } from '../desk/log';
import { JournalBrokenError, openDesk, type OpenDesk } from '../desk/open';
import type { DocumentPrinter, OutagePack, PrintDocument } from '../desk/print';
import { requestedSheet, type SheetRequest } from '../desk/sheet-request';
import type { RequestContext } from '../desk/dispatch';
import { startUpkeep, type Upkeep } from '../desk/upkeep';
import { GroupNode } from '../desk/group/node';
import { DEFAULT_GROUP_PORT } from '../desk/group/protocol';
import { GroupStore } from '../desk/group/store';
import { readUpkeepSettings, type UpkeepSettings } from '../desk/upkeep-settings';
import { lastPulledSettings } from '../desk/upstream/settings';
import { DatabaseDamagedError } from '../desk/store/connection';
import { SchemaTooNewError } from '../desk/store/migrations';
import type { BackupCandidate, HostMessage, HostRequest, OpenFailure, OpenFailureKind } from './protocol';

export interface HostPort {
  postMessage(message: HostMessage): void;
  onMessage(listener: (message: HostRequest) => void): void;
}

export interface DeskHostOptions {
  dataDir: string;
  /** Called once the desk is closed after a 'close' request: the entry then ends the process. */
  onClosed?: () => void;
  timers?: Timers;
  /** The longest the exit backup may hold up closing; the desk is closed (and checkpointed) either way. */
  exitBackupTimeoutMs?: number;
  /** The longest main may take to answer for one PDF of the outage pack. */
  pdfTimeoutMs?: number;
  /** Tests only: the desk's clock (today, the pulls' dates). */
  clock?: () => Date;
  /** Where the desk group's TLS link binds (default all interfaces, port 4781); tests use loopback and port 0. */
  groupHost?: string;
  groupPort?: number;
}

/** A consultation-records sheet of a long day is the slowest document; a minute is many times what it takes. */
const DEFAULT_PDF_TIMEOUT_MS = 60_000;

/**
 * The outage pack's printer in the app: each sheet goes to main, which prints it with Electron's own Chromium
 * (electron/main/printing.ts) and sends the bytes back. The pack writer is the same one `serve` runs with a
 * browser of its own; only who draws the pages differs.
 */
export class MainProcessPrinter implements DocumentPrinter {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (pdf: Uint8Array) => void; reject: (error: Error) => void }>();
  private open = true;

  constructor(
    private readonly post: (message: HostMessage) => void,
    private readonly timeoutMs: number = DEFAULT_PDF_TIMEOUT_MS,
  ) {}

  get connected(): boolean {
    return this.open;
  }

  render(doc: PrintDocument): Promise<Uint8Array> {
    if (!this.open) return Promise.reject(new Error('the desk is closing'));
    const id = this.nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no PDF of "${doc.title}" within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      timer.unref();
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (pdf) => (done(), resolve(pdf)),
        reject: (error) => (done(), reject(error)),
      });
      this.post({ type: 'render-pdf', id, doc });
    });
  }

  /** Main's answer to one 'render-pdf'. */
  answer(message: Extract<HostRequest, { type: 'pdf' }>): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    if (message.result.ok) waiting.resolve(message.result.pdf);
    else waiting.reject(new Error(message.result.message));
  }

  close(): Promise<void> {
    // The pack writer closes its printer when it is done with it; a printer that is not there is launched anew.
    this.open = false;
    for (const { reject } of [...this.pending.values()]) reject(new Error('the printer was closed'));
    return Promise.resolve();
  }
}

export function classifyOpenError(error: unknown): { kind: OpenFailureKind; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DatabaseDamagedError) return { kind: 'damaged', message };
  if (error instanceof JournalBrokenError) return { kind: 'journal-broken', message };
  if (error instanceof SchemaTooNewError) return { kind: 'too-new', message };
  return { kind: 'other', message };
}

export function backupCandidates(dir: string): BackupCandidate[] {
  try {
    return inspectBackups(dir).map((b) => ({
      name: b.name,
      takenAt: b.takenAt.toISOString(),
      bytes: b.bytes,
      ok: b.verification.ok,
      problems: b.verification.problems,
      journalEntries: b.verification.journalEntries,
    }));
  } catch {
    // An unreadable backup folder (a USB stick that was unplugged) offers nothing; the screen says so.
    return [];
  }
}

const fail = (message: string): Result<never> => ({ ok: false, error: { code: 'internal', message } });

export interface DeskHost {
  /** Resolves when a 'close' request has been carried out. */
  readonly closed: Promise<void>;
}

export function startDeskHost(port: HostPort, options: DeskHostOptions): DeskHost {
  const { dataDir } = options;
  const post = (message: HostMessage) => port.postMessage(message);
  // Each line to main (its console) and to the data folder's log file, which a Windows install has nowhere else.
  const logFile = new DeskLog(dataDir, options.clock ? { clock: options.clock } : {});
  const log = (level: 'info' | 'warn' | 'error', message: string) => {
    post({ type: 'log', level, message });
    logFile.write(level, message);
  };
  log('info', `Standby Desk starting; data folder ${dataDir}`);

  // Where backups are looked for if the desk cannot be opened (the settings saved on screen are in the database).
  const { settings, problem } = readBackupSettings(dataDir);

  let desk: OpenDesk | null = null;
  let upkeep: Upkeep | null = null;
  let group: GroupNode | null = null;
  /** The pack writer's printer: it closes one (rejecting what it waits for) before it launches the next. */
  let pdfPrinter: MainProcessPrinter | null = null;
  let backups: ScheduledBackups | null = null;
  let offered: BackupCandidate[] = [];
  let restored = false;
  let closing = false;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  // Listening before the desk opens: opening is synchronous, so nothing is answered until it is done, and
  // nothing main sent early is lost.
  port.onMessage((message) => {
    switch (message.type) {
      case 'call': {
        if (closing) post({ type: 'result', id: message.id, result: fail('the desk is closing; nothing was changed') });
        else if (!desk) post({ type: 'result', id: message.id, result: fail('the desk data could not be opened; nothing was changed') });
        else if (!group) post({ type: 'result', id: message.id, result: desk.dispatch(message.name, message.input, message.ctx) });
        // In a desk group the answer may wait for the coordinator, or for a member to hold the change (ADR 0011).
        else void group.dispatch(message.name, message.input, message.ctx).then((result) => post({ type: 'result', id: message.id, result }));
        return;
      }
      case 'restore':
        post({ type: 'restored', id: message.id, result: restore(message.backup) });
        return;
      case 'sheet':
        post({ type: 'result', id: message.id, result: sheetFor(message.request, message.ctx) });
        return;
      case 'pdf':
        pdfPrinter?.answer(message);
        return;
      case 'log':
        logFile.write(message.level, `main: ${message.message}`);
        return;
      case 'close':
        if (closing) return;
        closing = true;
        void close().finally(() => {
          post({ type: 'closed' });
          resolveClosed();
          options.onClosed?.();
        });
        return;
    }
  });

  // Its merge-back writes to the server its pulls read, with the same token (upstream/settings.ts); without a "fhir"
  // part, to the server last pulled from, with the environment's token. Read again when settings are saved on screen.
  let upkeepSettings: { settings: UpkeepSettings; problems: string[] } = { settings: {}, problems: [] };

  try {
    const opening: OpenDesk = openDesk({
      dataDir,
      ...(options.clock ? { clock: options.clock } : {}),
      upstreamSettings: () => upkeepSettings.settings.fhir ?? lastPulledSettings(() => opening.service.upstream.status().fhirBaseUrl)(),
      upkeepSettings: () => upkeepSettings.settings,
      drills: true,
    });
    desk = opening;
    upkeepSettings = readAppUpkeepSettings(opening);
  } catch (error) {
    if (problem) log('warn', problem);
    const failure: OpenFailure = { ...classifyOpenError(error), dataDir, backupDir: settings.dir };
    offered = backupCandidates(settings.dir);
    log('error', `the desk could not be opened (${failure.kind}): ${failure.message}; ${offered.filter((b) => b.ok).length} good backup(s) offered`);
    post({ type: 'failed', failure, backups: offered });
  }

  if (desk) {
    desk.onEvent((event) => post({ type: 'event', event }));
    const practiceSettings = desk.service.practiceSettings;
    backups = ScheduledBackups.start({ dataDir, saved: () => practiceSettings.backupParts(), log, ...(options.timers ? { timers: options.timers } : {}) });
    log('info', 'the desk is open');
    // The desk group's link (listening only once this folder is in a group): on the practice network, all interfaces.
    const opened = desk;
    void GroupNode.start({ desk: opened, host: options.groupHost ?? '0.0.0.0', port: options.groupPort ?? DEFAULT_GROUP_PORT, log: (line) => log('info', line) }).then(
      (node) => {
        if (closing) void node.close();
        else group = node;
      },
      (error: unknown) => log('error', `the desk group link could not start: ${error instanceof Error ? error.message : String(error)}`),
    );
    post({ type: 'ready' });
    const startKeepingFresh = () => {
      try {
        upkeep = startAppUpkeep(opened, upkeepSettings);
      } catch (error) {
        // The desk works without it (the mirror as it is, imports by hand); the log says why it is not kept fresh.
        log('error', `keeping the mirror fresh could not start: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    startKeepingFresh();
    // Settings saved on screen take effect without a restart: upkeep and backups start again with the values in force.
    let restarting = Promise.resolve();
    opened.service.practiceSettings.onChange(() => {
      restarting = restarting.then(async () => {
        if (closing) return;
        await upkeep?.stop();
        upkeep = null;
        await backups?.stop();
        if (closing) return;
        log('info', 'the practice settings were changed on screen: upkeep and backups start again with them');
        upkeepSettings = readAppUpkeepSettings(opened);
        startKeepingFresh();
        await backups?.restart();
      });
    });
  }

  function readAppUpkeepSettings(open: OpenDesk): { settings: UpkeepSettings; problems: string[] } {
    try {
      return readUpkeepSettings(dataDir, process.env, open.service.practiceSettings.upkeepParts());
    } catch (error) {
      // The desk opens without upkeep rather than not at all (as when upkeep cannot start).
      return {
        settings: {},
        problems: [`upkeep-settings.json could not be read (${error instanceof Error ? error.message : String(error)}); nothing is kept fresh automatically`],
      };
    }
  }

  /** The mirror's pulls, the watched folder and the outage pack, as upkeep-settings.json asks; after 'ready'. */
  function startAppUpkeep(open: OpenDesk, { settings: configured, problems }: { settings: UpkeepSettings; problems: string[] }): Upkeep | null {
    for (const problem of problems) log('warn', problem);
    const member = new GroupStore(open.db).config()?.role === 'member';
    // A desk-group member's database follows the coordinator's and nothing else: the coordinator pulls and imports.
    if (member && (configured.fhir || configured.watch)) log('info', 'this desk is a desk-group member: the coordinator pulls and imports, so this desk does not');
    const upkeepSettings: UpkeepSettings = member ? { ...configured, fhir: undefined, watch: undefined } : configured;
    if (!upkeepSettings.fhir && !upkeepSettings.watch && !upkeepSettings.pack) return null;
    const pack = upkeepSettings.pack && {
      ...upkeepSettings.pack,
      launchPrinter: () => Promise.resolve((pdfPrinter = new MainProcessPrinter(post, options.pdfTimeoutMs))),
    };
    // A member's automatic pack is recorded in the group's audit trail by the coordinator, not written here.
    const recordPackPrint = (written: OutagePack) => {
      if (group) void group.dispatch('recordPrint', { what: 'outage-pack', pages: written.pages }, open.context);
      else log('warn', `the outage pack ${written.name} was written before the group link started; it is not in the audit trail`);
    };
    return startUpkeep(open, {
      ...upkeepSettings,
      pack,
      ...(options.timers ? { timers: options.timers } : {}),
      log: (line) => log('info', line),
      ...(member ? { member: { recordPackPrint } } : {}),
    });
  }

  function sheetFor(request: SheetRequest, ctx: RequestContext): Result<PrintDocument> {
    if (closing) return fail('the desk is closing; nothing was printed');
    if (!desk) return fail('the desk data could not be opened; nothing was printed');
    try {
      return { ok: true, value: requestedSheet(desk.service, request, ctx, desk.service.clock(), desk.serving()) };
    } catch (error) {
      if (error instanceof DeskError) return { ok: false, error: error.toShape() };
      return fail(`the sheet could not be made: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function restore(name: string): Result<RestoreReport> {
    // Only while the desk is shut: a restore under an open connection would be written over by it.
    if (desk || closing) return fail('a backup can only be restored while the desk is not open');
    if (restored) return fail('a backup has already been put in place; restart Standby Desk to open it');
    const candidate = offered.find((b) => b.name === name);
    if (!candidate?.ok) return fail(`"${name}" is not one of the good backups offered`);
    try {
      const report = restoreBackup(dataDir, path.join(settings.dir, candidate.name));
      restored = true;
      log('warn', `restored the backup ${candidate.name}; the database it replaced was kept as ${path.basename(report.keptAs ?? '(none)')}`);
      return { ok: true, value: report };
    } catch (error) {
      if (error instanceof RestoreRefusedError) return fail(error.message);
      return fail(`the backup could not be put in place (${error instanceof Error ? error.message : String(error)}); the current database was kept`);
    }
  }

  async function close(): Promise<void> {
    // Pulls and imports write to the desk: stopped (and a pack being written finished) before it closes.
    await upkeep?.stop().catch((error: unknown) => log('error', `stopping the upkeep: ${error instanceof Error ? error.message : String(error)}`));
    upkeep = null;
    await group?.close();
    group = null;
    await backups?.close(options.exitBackupTimeoutMs);
    desk?.close();
    desk = null;
    log('info', 'Standby Desk stopped; the desk is closed');
  }

  return { closed };
}
