/**
 * Scheduled pulls while online (every 5 minutes by default; Cegedim's advice is 5-15), and probes while in
 * outage mode. Timers are injectable so tests drive time by hand. Runs never overlap: the next one is timed
 * from the end of the last, so a slow server cannot pile requests up.
 */
import type { RequestContext } from '../dispatch';
import type { RefreshReport } from '../refresh';
import type { DeskService } from '../service';
import { NextRun, realTimers, type Timers } from '../timers';
import { FhirClient, PullError, pullBook, pullDates, type FhirSettings } from './fhir/client';

export const DEFAULT_PULL_EVERY_MS = 5 * 60_000;
export const DEFAULT_PULL_DAYS = 4;
/**
 * How often a scheduled pull also reads the whole practice list. The list changes slowly (registrations, deaths,
 * moves), and 30,000 Patients every five minutes is a load no server should be asked for: once a day.
 */
export const DEFAULT_LIST_EVERY_HOURS = 24;

export class PullScheduler {
  private inFlight: Promise<void> | null = null;
  private readonly next: NextRun;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly options: { intervalMs?: number; timers?: Timers; onError?: (error: unknown) => void } = {},
  ) {
    this.next = new NextRun(options.timers ?? realTimers, this.intervalMs, () => void this.runNow());
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? DEFAULT_PULL_EVERY_MS;
  }

  /** Runs the task now, then every interval after each run ends. */
  start(): void {
    if (this.next.start()) void this.runNow();
  }

  /** Runs the task at once (unless a run is under way, which is awaited instead) and times the next one from its end. */
  runNow(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.next.cancel();
    const run = (async () => {
      try {
        await this.task();
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.inFlight = null;
        this.next.arm();
      }
    })();
    this.inFlight = run;
    return run;
  }

  /** No more runs; resolves when a run under way has finished. */
  async stop(): Promise<void> {
    this.next.stop();
    await this.inFlight;
  }
}

export type TickOutcome =
  | { kind: 'refreshed'; report: RefreshReport }
  | { kind: 'failed'; error: PullError; switchedToOutage: boolean }
  | { kind: 'probed'; reachable: boolean }
  | { kind: 'not-applied'; reason: string };

export interface ScheduledPullSettings extends FhirSettings {
  /** Today and the next days-1 working days. */
  days?: number;
  /**
   * Hours between the scheduled pulls that also read the practice list (DEFAULT_LIST_EVERY_HOURS; 0: never). Only
   * with the practice's ODS code set: whose list it is is never guessed on a schedule.
   */
  listEveryHours?: number;
}

/** Whether this scheduled pull should read the practice list too: it has an ODS code, and the last list read is old enough. */
export function practiceListDue(settings: ScheduledPullSettings, lastListAt: string | null, now: Date): boolean {
  const every = settings.listEveryHours ?? DEFAULT_LIST_EVERY_HOURS;
  if (!settings.odsCode || every <= 0) return false;
  if (lastListAt === null) return true;
  const last = Date.parse(lastListAt);
  // A time ahead of the clock (the clock was put back) is treated as due rather than never.
  return !Number.isFinite(last) || last > now.getTime() || now.getTime() - last >= every * 3_600_000;
}

/**
 * One scheduled tick. Online: pull and refresh; a pull that gets no answer switches the desk to outage mode.
 * Outage: only ask whether upstream answers, and record it; leaving outage mode is a person's decision.
 */
export function scheduledPull(service: DeskService, ctx: RequestContext, settings: ScheduledPullSettings): () => Promise<TickOutcome> {
  const upstream = service.upstream;
  return async () => {
    if (upstream.mode() === 'outage') {
      try {
        await new FhirClient(settings).probe();
        upstream.recordReachable(ctx);
        return { kind: 'probed', reachable: true };
      } catch (error) {
        if (!(error instanceof PullError)) throw error;
        upstream.recordPullFailure(error.kind, error.message, ctx);
        return { kind: 'probed', reachable: false };
      }
    }
    let batch;
    try {
      batch = await pullBook(settings, {
        dates: pullDates(service.today(), settings.days ?? DEFAULT_PULL_DAYS),
        known: upstream.knownFingerprints(),
        clock: service.clock,
        practiceList: practiceListDue(settings, upstream.listPulledAt(), service.clock()),
      });
    } catch (error) {
      if (!(error instanceof PullError)) throw error;
      const switchedToOutage = upstream.recordPullFailure(error.kind, error.message, ctx);
      return { kind: 'failed', error, switchedToOutage };
    }
    // Someone switched to outage mode while the pages were coming in: the desk is working on the mirror now.
    if (upstream.mode() === 'outage') return { kind: 'not-applied', reason: 'the desk switched to outage mode during the pull' };
    return { kind: 'refreshed', report: upstream.refresh(batch, ctx, { pulledFrom: settings.baseUrl }) };
  };
}

export interface ScheduleOptions {
  intervalMs?: number;
  timers?: Timers;
  /** Each tick's outcome, for a log line. */
  onTick?: (outcome: TickOutcome) => void;
  /** A tick that failed for a reason that is not upstream's (a bug, a full disk). */
  onError?: (error: unknown) => void;
}

/** What `serve --fhir URL` runs: pulls while online, probes while in outage mode, until stopped. */
export function startScheduledPulls(service: DeskService, ctx: RequestContext, settings: ScheduledPullSettings, options: ScheduleOptions = {}): PullScheduler {
  service.upstream.setFhirBaseUrl(settings.baseUrl);
  const tick = scheduledPull(service, ctx, settings);
  const scheduler = new PullScheduler(
    async () => {
      const outcome = await tick();
      options.onTick?.(outcome);
    },
    {
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    },
  );
  scheduler.start();
  return scheduler;
}
