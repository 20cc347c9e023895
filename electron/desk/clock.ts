/**
 * The desk's one idea of "now". Every process (serve, the CLI, the app's desk process) takes its clock from
 * here, so a drill, a demo or a test can start the whole desk at a chosen instant and see the same day that
 * the receptionist would see then: the queue's waits, "late", the mirror's age, the day the demo loads.
 */
import { performance } from 'node:perf_hooks';

export type Clock = () => Date;

/**
 * `STANDBY_DESK_CLOCK=2026-07-20T09:30:00Z` starts this process's clock at that instant; it then runs on at
 * the real rate (monotonic, so a change of the PC's clock does not move it). Unset: the system clock.
 */
export const CLOCK_ENV = 'STANDBY_DESK_CLOCK';

export const systemClock: Clock = () => new Date();

/** A clock that reads `start` now and runs on from there. */
export function clockStartingAt(start: Date): Clock {
  const startMs = start.getTime();
  const origin = performance.now();
  return () => new Date(startMs + Math.floor(performance.now() - origin));
}

/** Parses the environment's pin into a clock; unset, the system clock. */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const pinned = env[CLOCK_ENV];
  if (pinned === undefined || pinned === '') return systemClock;
  // An offset is required: a bare local time would mean different instants on PCs in different zones.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(pinned)) {
    throw new RangeError(`${CLOCK_ENV}=${pinned}: not an instant (want e.g. 2026-07-20T09:30:00Z)`);
  }
  const start = new Date(pinned);
  if (Number.isNaN(start.getTime())) throw new RangeError(`${CLOCK_ENV}=${pinned}: not a real instant`);
  return clockStartingAt(start);
}

let processClock: { pin: string | undefined; clock: Clock } | null = null;

/**
 * The process's clock: pinned by the environment when asked, else the system clock. One per process, so the
 * service, the sheets, the pack and the CLI all read the same pinned clock rather than each starting their own.
 */
export function deskClock(): Clock {
  const pin = process.env[CLOCK_ENV];
  if (processClock === null || processClock.pin !== pin) processClock = { pin, clock: clockFromEnv(process.env) };
  return processClock.clock;
}

/** Now, by the process's clock. */
export function deskNow(): Date {
  return deskClock()();
}
