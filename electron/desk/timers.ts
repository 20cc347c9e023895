/**
 * The timers the desk's background jobs (scheduled pulls, backups) wait on, injectable so tests drive time by hand
 * (tests/support/timers.ts). The real ones are unref'd: a pending pull or backup must not keep a process (the CLI,
 * `serve` on its way out) alive on its own; what must run at exit (the last backup) is run explicitly.
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The next run of a repeating job (a pull, a look at the watched folder, a backup), timed from the end of the last
 * run rather than on a fixed beat, so a slow server or disk can never pile runs up. The job says when a run ends
 * by calling arm(); stop() cancels what is timed and arms nothing more.
 */
export class NextRun {
  private handle: unknown = null;
  private stopped = true;

  constructor(
    private readonly timers: Timers,
    private readonly everyMs: number,
    private readonly run: () => void,
  ) {}

  /** False when it was started already. */
  start(): boolean {
    if (!this.stopped) return false;
    this.stopped = false;
    return true;
  }

  /** Times the next run `everyMs` from now, replacing one already timed; nothing once stopped. */
  arm(): void {
    this.cancel();
    if (this.stopped) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.run();
    }, this.everyMs);
  }

  cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }
}
