/**
 * The scheduled backups of an open desk, the same wherever the desk runs (the app's desk process, `serve`): every
 * interval of the settings in force (backup-settings.json over those saved on screen, read again at each start),
 * from a read-only connection of their own, and one last backup when the desk closes.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Timers } from '../timers';
import { closeDatabase, databasePath, openDatabase } from '../store/connection';
import { BackupScheduler } from './scheduler';
import { readBackupSettings } from './settings';
import { backupDatabase } from './take';

export type BackupLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** The longest the exit backup may hold up closing; the desk is closed (and checkpointed) either way. */
export const DEFAULT_EXIT_BACKUP_TIMEOUT_MS = 15_000;

export interface ScheduledBackupsOptions {
  dataDir: string;
  /** The backup folder and interval saved on screen (PracticeSettingsStore.backupParts), asked at each start. */
  saved: () => { dir?: string; everyMinutes?: number };
  timers?: Timers;
  log: BackupLog;
}

export class ScheduledBackups {
  private running: { source: BetterSqlite3.Database; scheduler: BackupScheduler } | null = null;
  private closing = false;

  private constructor(private readonly options: ScheduledBackupsOptions) {}

  static start(options: ScheduledBackupsOptions): ScheduledBackups {
    const backups = new ScheduledBackups(options);
    backups.begin();
    return backups;
  }

  /** Again with the settings in force now (a manager saved new ones); nothing once closing. */
  async restart(): Promise<void> {
    const previous = this.running;
    if (previous) await previous.scheduler.stop();
    // Closing meanwhile: its exit backup uses the connection it found, which is closed there.
    if (this.closing) return;
    if (previous) closeDatabase(previous.source);
    this.begin();
  }

  /** No more scheduled backups; one in flight finishes first. The exit backup is close()'s. */
  async stop(): Promise<void> {
    await this.running?.scheduler.stop();
  }

  /**
   * Stopped, then one last backup holding the last change, waited for at most `timeoutMs`. A backup still running
   * then holds the read connection: the process is about to end, which closes it.
   */
  async close(timeoutMs = DEFAULT_EXIT_BACKUP_TIMEOUT_MS): Promise<void> {
    this.closing = true;
    const current = this.running;
    this.running = null;
    if (!current) return;
    await current.scheduler.stop();
    let finished = false;
    const exitBackup = current.scheduler.runNow().then(
      () => (finished = true),
      () => (finished = true),
    );
    await Promise.race([exitBackup, delay(timeoutMs)]);
    if (finished) closeDatabase(current.source);
    else this.options.log('warn', 'the exit backup did not finish in time; the desk closed without it');
  }

  private begin(): void {
    const { dataDir, saved, timers, log } = this.options;
    const { settings, problem } = readBackupSettings(dataDir, saved());
    if (problem) log('warn', problem);
    let source: BetterSqlite3.Database;
    try {
      // A connection of its own, read-only: a backup never takes the writer's transaction or lock.
      source = openDatabase(databasePath(dataDir), { readonly: true });
    } catch (error) {
      log('error', `backups are off: the database could not be opened for reading (${error instanceof Error ? error.message : String(error)})`);
      this.running = null;
      return;
    }
    // A folder that is not there (a second disk unplugged, a share down) is said once, and again when it is back.
    const scheduler = new BackupScheduler(() => backupDatabase(source, { dir: settings.dir, keep: settings.keep }), {
      everyMs: settings.everyMinutes * 60_000,
      ...(timers ? { timers } : {}),
      onBackup: (r) => log('info', `backup ${r.file} (${Math.ceil(r.bytes / 1024)} KiB, ${r.ms} ms)${r.pruned.length ? `; removed ${r.pruned.join(', ')}` : ''}`),
      onError: (error) => log('error', `backup failed: ${error instanceof Error ? error.message : String(error)} (said once until it changes or backups work again)`),
      onRecovered: () => log('info', `backups to ${settings.dir} work again`),
    });
    scheduler.start();
    this.running = { source, scheduler };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
  });
}
