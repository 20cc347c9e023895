import type { Timers } from '../../electron/desk/upstream/scheduler';

/** Timers the test fires by hand, in the order they were set. */
export class ManualTimers implements Timers {
  pending: Array<{ fn: () => void; ms: number }> = [];
  setTimeout(fn: () => void, ms: number) {
    const t = { fn, ms };
    this.pending.push(t);
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
}
