/**
 * The screen's idle lock: after `timeoutMs` without a key press, pointer or touch, onIdle runs once (the gate
 * then locks the session and hides patient data). The desk also locks an idle session itself (auth/auth.ts),
 * so a page that stops running its timers cannot keep a session open; this one is for hiding the screen.
 */
export interface IdleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface IdleTimer {
  /** Call on every sign of a person at the desk. */
  activity(): void;
  stop(): void;
}

const realTimers: IdleTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export function createIdleTimer(timeoutMs: number, onIdle: () => void, timers: IdleTimers = realTimers): IdleTimer {
  let handle: unknown = null;
  let stopped = false;
  const arm = () => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = timers.setTimeout(() => {
      handle = null;
      if (!stopped) onIdle();
    }, timeoutMs);
  };
  arm();
  return {
    activity() {
      if (!stopped) arm();
    },
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
  };
}

export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
