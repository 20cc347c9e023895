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
