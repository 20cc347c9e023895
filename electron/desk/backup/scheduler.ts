import { NextRun, realTimers, type Timers } from '../timers';
import type { BackupReport } from './take';

export interface BackupSchedulerOptions {
  everyMs: number;
  timers?: Timers;
  onBackup?: (report: BackupReport) => void;
  /** A failure, said once while backups keep failing for the same reason (a second disk or share not there). */
  onError?: (error: unknown) => void;
  /** The first backup that gets through after failures. */
  onRecovered?: () => void;
}

/**
 * A backup every `everyMs`, timed from the end of the previous one, and one more on demand (at exit). Runs
 * never overlap: an on-demand run waits for the one in flight and then takes its own, so the exit backup
 * holds the last change.
 */
export class BackupScheduler {
  private running: Promise<BackupReport | null> = Promise.resolve(null);
  /** Why the last backup failed, while they keep failing: the same reason every N minutes is not news. */
  private failing: string | null = null;
  private readonly next: NextRun;

  constructor(
    private readonly task: () => Promise<BackupReport>,
    private readonly options: BackupSchedulerOptions,
  ) {
    this.next = new NextRun(options.timers ?? realTimers, options.everyMs, () => {
      void this.runNow()
        .catch(() => undefined)
        .finally(() => this.next.arm());
    });
  }

  start(): void {
    if (this.next.start()) this.next.arm();
  }

  /** Takes a backup now (after any in flight); resolves with it, or rejects with why it failed. */
  runNow(): Promise<BackupReport> {
    const run = this.running.catch(() => null).then(() => this.task());
    this.running = run.then(
      (report) => {
        if (this.failing !== null) this.options.onRecovered?.();
        this.failing = null;
        this.options.onBackup?.(report);
        return report;
      },
      (error: unknown) => {
        const why = error instanceof Error ? error.message : String(error);
        if (why !== this.failing) this.options.onError?.(error);
        this.failing = why;
        return null;
      },
    );
    return run;
  }

  /** No more scheduled backups; resolves when the one in flight, if any, has finished. */
  async stop(): Promise<void> {
    this.next.stop();
    await this.running;
  }
}
