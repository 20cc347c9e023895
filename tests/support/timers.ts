import type { Timers } from '../../electron/desk/timers';

/** Timers the test fires by hand, in the order they were set. */
export class ManualTimers implements Timers {
  pending: Array<{ fn: () => void; ms: number }> = [];
  private waiting: Array<() => void> = [];
  setTimeout(fn: () => void, ms: number) {
    const t = { fn, ms };
    this.pending.push(t);
    for (const wake of this.waiting.splice(0)) wake();
    return t;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((t) => t !== handle);
  }
  fire(): void {
    const t = this.pending.shift();
    if (!t) throw new Error('no timer pending');
    t.fn();
  }
  /**
   * Resolves once a timer is pending: for a scheduler that sets its next timer when a run ends, the run has
   * ended. Awaited instead of sleeping for a guessed while.
   */
  armed(): Promise<void> {
    if (this.pending.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
