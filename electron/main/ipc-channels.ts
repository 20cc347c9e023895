/**
 * The IPC channel names, shared by main (which registers them) and the preload (which is bundled with this
 * file). Kept free of imports so the sandboxed preload bundle stays small and cannot pull in main's code.
 */

/** One channel per contract operation: main binds the operation name, so the page cannot choose it. */
export const OPERATION_CHANNEL_PREFIX = 'desk:op:';

/** Change events, main -> renderer only. */
export const EVENT_CHANNEL = 'desk:event';

export function operationChannel(name: string): string {
  return OPERATION_CHANNEL_PREFIX + name;
}

/**
 * The recovery page's buttons (recovery.ts), main <- recovery preload only. Each carries at most the name of
 * a backup main offered; main checks it against its own list.
 */
export const RECOVERY_CHANNELS = {
  restore: 'recovery:restore',
  retry: 'recovery:retry',
  quit: 'recovery:quit',
} as const;
