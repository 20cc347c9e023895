import { realTimers, type Timers } from '../timers';
import type { BackupReport } from './take';

export interface BackupSchedulerOptions {
  everyMs: number;
  timers?: Timers;
  onBackup?: (report: BackupReport) => void;
  onError?: (error: unknown) => void;
}

/**
 * A backup every `everyMs`, timed from the end of the previous one, and one more on demand (at exit). Runs
 * never overlap: an on-demand run waits for the one in flight and then takes its own, so the exit backup
 * holds the last change.
 */
export class BackupScheduler {
  private timer: unknown = null;
  private running: Promise<BackupReport | null> = Promise.resolve(null);
  private stopped = true;
  private readonly timers: Timers;

  constructor(
    private readonly task: () => Promise<BackupReport>,
    private readonly options: BackupSchedulerOptions,
  ) {
    this.timers = options.timers ?? realTimers;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Takes a backup now (after any in flight); resolves with it, or rejects with why it failed. */
  runNow(): Promise<BackupReport> {
    const run = this.running.catch(() => null).then(() => this.task());
    this.running = run.then(
      (report) => {
        this.options.onBackup?.(report);
        return report;
      },
      (error: unknown) => {
        this.options.onError?.(error);
        return null;
      },
    );
    return run;
  }

  /** No more scheduled backups; resolves when the one in flight, if any, has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.runNow()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.options.everyMs);
  }
}
