/**
 * The desk's log file, for the practice and its IT: `<data>/logs/standby-desk.log`, rotated at 1 MB with four older
 * files kept (standby-desk.log.1 the newest of them). What goes in: the desk starting and stopping, upkeep (pulls,
 * imports, backups, the outage pack) and errors. What never goes in: patient data. Callers write lines about what the
 * desk did, never about whom; and because an error's message can quote a value it was given (an import naming the
 * NHS number it refused), every line is scrubbed of anything shaped like an identifier before it is written.
 *
 * Writing is synchronous (a line is rare and small) and never throws: a full disk or a read-only share must not
 * stop the desk, so a line that cannot be written is dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { deskClock, type Clock } from './clock';

export const LOG_FOLDER = 'logs';
export const LOG_FILE = 'standby-desk.log';
export const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
/** The live file and the rotated ones: 5 MB at most. */
export const DEFAULT_LOG_FILES = 5;

export type LogLevel = 'info' | 'warn' | 'error';

/**
 * Runs of digits, spaces and dashes standing on their own (not inside a word such as a backup's timestamped name):
 * masked when they hold 6 digits or more, which NHS numbers, phone numbers and dates of birth as digits all do.
 */
const DIGIT_RUN = /(?<![A-Za-z0-9])\+?\d(?:[\d -]*\d)?(?![A-Za-z0-9])/g;
/** Values quoted in a message ("Smith", 'Jones', “Ann”): where an error names the value it refused. */
const QUOTED = /"[^"\n]*"|'[^'\n]*'|“[^”\n]*”|‘[^’\n]*’/g;
const EMAIL = /[^\s@"']+@[^\s@"']+\.[^\s@"']+/g;

/**
 * A line as it may be written: identifiers masked. Quoted values go whole (a name cannot be told from other words
 * otherwise); digit runs only when long enough to identify someone, so counts, times and sizes stay readable.
 */
export function scrubPatientData(message: string): string {
  return message
    .replace(/[\r\n]+/g, ' ')
    .replace(QUOTED, '"…"')
    .replace(EMAIL, '[e-mail]')
    .replace(DIGIT_RUN, (run) => (run.replace(/\D/g, '').length >= 6 && !/^\d{4}-\d{2}-\d{2}$/.test(run) ? '[number]' : run));
}

export interface DeskLogOptions {
  clock?: Clock;
  maxBytes?: number;
  files?: number;
}

export class DeskLog {
  readonly folder: string;
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly clock: Clock;

  constructor(dataDir: string, options: DeskLogOptions = {}) {
    this.folder = path.join(dataDir, LOG_FOLDER);
    this.file = path.join(this.folder, LOG_FILE);
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.keep = Math.max(1, options.files ?? DEFAULT_LOG_FILES);
    this.clock = options.clock ?? deskClock();
  }

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  write(level: LogLevel, message: string): void {
    const line = `${this.clock().toISOString()} ${level.toUpperCase().padEnd(5)} ${scrubPatientData(message)}\n`;
    try {
      fs.mkdirSync(this.folder, { recursive: true });
      if (this.sizeOf(this.file) + Buffer.byteLength(line) > this.maxBytes) this.rotate();
      fs.appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // Dropped: see the file comment.
    }
  }

  /** The files that exist, oldest first: standby-desk.log.4 … standby-desk.log.1, standby-desk.log. */
  files(): string[] {
    const all = [this.file, ...Array.from({ length: this.keep - 1 }, (_, i) => this.rotated(i + 1))];
    return all.filter((f) => fs.existsSync(f)).reverse();
  }

  /** Everything the log holds, oldest line first. */
  read(): string {
    return this.files()
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('');
  }

  private rotated(n: number): string {
    return `${this.file}.${n}`;
  }

  private sizeOf(file: string): number {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  }

  /** standby-desk.log.(n-1) → .n, …, standby-desk.log → .1; the oldest beyond `keep` is dropped. */
  private rotate(): void {
    fs.rmSync(this.rotated(this.keep - 1), { force: true });
    for (let n = this.keep - 2; n >= 1; n--) {
      if (fs.existsSync(this.rotated(n))) fs.renameSync(this.rotated(n), this.rotated(n + 1));
    }
    if (this.keep > 1) fs.renameSync(this.file, this.rotated(1));
    else fs.rmSync(this.file, { force: true });
  }
}
