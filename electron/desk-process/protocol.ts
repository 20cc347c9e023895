/**
 * The messages between Electron's main process and the desk process (electron/desk-process/host.ts, an Electron
 * utilityProcess). Main never opens the database: every SQLite call, each of which blocks the thread it runs
 * on, happens in the desk process, so a slow disk or a large day can delay an answer but never freeze a window
 * (docs/adr/0001-desk-in-utility-process.md). Messages are structured-cloned between the processes; both ends
 * are ours, so each side checks only what it needs to route a message.
 */
import type { DeskEvent, Result } from '../../shared/api';
import type { RestoreReport } from '../desk/backup';
import type { RequestContext } from '../desk/dispatch';
import type { PrintDocument } from '../desk/print';
import type { SheetRequest } from '../desk/sheet-request';

/** Why the desk could not be opened, as the recovery screen needs it (recovery.ts). */
export type OpenFailureKind = 'damaged' | 'journal-broken' | 'too-new' | 'other';

export interface OpenFailure {
  kind: OpenFailureKind;
  /** The error as the desk said it, for the details line and for IT support. */
  message: string;
  dataDir: string;
  backupDir: string;
}

/** A backup as the recovery screen offers it, with the result of its full check. */
export interface BackupCandidate {
  name: string;
  takenAt: string;
  bytes: number;
  ok: boolean;
  problems: string[];
  journalEntries: number | null;
}

/** main -> desk process */
export type HostRequest =
  | { type: 'call'; id: number; name: string; input: unknown; ctx: RequestContext }
  /** A paper sheet to print in the app (printSheet): checked against ctx and built; answered with 'result'. */
  | { type: 'sheet'; id: number; request: SheetRequest; ctx: RequestContext }
  /** Only while the desk is not open (after 'failed'): put this backup, by name, in place. */
  | { type: 'restore'; id: number; backup: string }
  /** Stop the backup schedule, take the exit backup, checkpoint and close, then say 'closed' and exit. */
  | { type: 'close' }
  /** One of main's own warnings, for the log file the desk process keeps (main writes no file of its own). */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** The answer to 'render-pdf': the PDF's bytes, or why there are none. */
  | { type: 'pdf'; id: number; result: { ok: true; pdf: Uint8Array } | { ok: false; message: string } };

/** desk process -> main */
export type HostMessage =
  | { type: 'ready' }
  | { type: 'failed'; failure: OpenFailure; backups: BackupCandidate[] }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'restored'; id: number; result: Result<RestoreReport> }
  | { type: 'event'; event: DeskEvent }
  /** Something for the log (a backup taken or failed, a settings problem); the desk carries on. */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /**
   * Make a PDF of this sheet (the outage pack, written by the desk process after each refresh). The desk process
   * has no browser of its own in the app: main prints with Electron's Chromium and answers with 'pdf'.
   */
  | { type: 'render-pdf'; id: number; doc: PrintDocument }
  | { type: 'closed' };

/** The command line main starts the desk process with. */
export function hostArgs(dataDir: string): string[] {
  return ['--data', dataDir];
}

export function dataDirFromArgs(argv: readonly string[]): string | null {
  const i = argv.indexOf('--data');
  const value = i >= 0 ? argv[i + 1] : undefined;
  return value === undefined || value === '' ? null : value;
}
