import { isLocalDate, localDateOf, missingCaseError } from '../../../shared/domain';
import type { OpenDesk } from '../../desk/open';
import { pullBook, pullDates, PullError } from '../../desk/upstream/fhir/client';
import { DEFAULT_PULL_DAYS, startScheduledPulls } from '../../desk/upstream/scheduler';
import { dataDirOf, intOption, parseOptions, UsageError, withDesk, type Command, type Out } from '../common';
import { printRefresh } from './import';

/** The access token comes from the environment, never the command line (where other users can see it). */
export const FHIR_TOKEN_ENV = 'STANDBY_DESK_FHIR_TOKEN';

export const pullCommand: Command = {
  name: 'pull',
  usage: `pull --fhir URL [--from YYYY-MM-DD] [--days N] [--ods CODE] [--timeout SECONDS] [--json]
                        refresh the mirror from a FHIR R4 server: from today (or --from), N working days
                        (default ${DEFAULT_PULL_DAYS}: today and the next 3); token in $${FHIR_TOKEN_ENV}`,
  async run(args, out) {
    const { values: v } = parseOptions(args, {
      fhir: { type: 'string' },
      from: { type: 'string' },
      days: { type: 'string' },
      ods: { type: 'string' },
      timeout: { type: 'string' },
    });
    if (v.fhir === undefined) throw new UsageError('pull needs --fhir URL (the FHIR R4 base URL)');
    if (v.from !== undefined && !isLocalDate(v.from)) throw new UsageError(`--from must be a real date as YYYY-MM-DD, got "${v.from}"`);
    const days = intOption('days', v.days, DEFAULT_PULL_DAYS, 1, 14);
    const timeoutMs = intOption('timeout', v.timeout, 20, 1, 600) * 1000;
    const dataDir = dataDirOf(v.data);
    const dates = pullDates(v.from ?? localDateOf(new Date()), days);
    return withDesk(dataDir, async (desk) => {
      const upstream = desk.service.upstream;
      let batch;
      try {
        const settings = { baseUrl: v.fhir ?? '', bearerToken: process.env[FHIR_TOKEN_ENV], timeoutMs, odsCode: v.ods };
        batch = await pullBook(settings, { dates, known: upstream.knownFingerprints() });
      } catch (error) {
        if (!(error instanceof PullError)) throw error;
        const switched = upstream.recordPullFailure(error.kind, error.message, desk.context);
        out.error(`standby-desk: the pull failed: ${error.message}`);
        if (switched) out.error('standby-desk: the desk is now in OUTAGE mode; the mirror was left as it was');
        else out.error('standby-desk: the mirror was left as it was');
        return 1;
      }
      printRefresh(upstream.refresh(batch, desk.context, { pulledFrom: v.fhir ?? '' }), dataDir, out, v.json);
      if (upstream.mode() === 'outage' && !v.json) {
        out.log('The desk stays in OUTAGE mode until someone switches it back (setMode); nothing was merged back.');
      }
      return 0;
    });
  },
};

/**
 * `serve --fhir URL`: scheduled pulls while online, probes while in outage mode, a line on stderr for each
 * tick that did something worth knowing. Returns the function that stops them.
 */
export function startFhirSchedule(desk: OpenDesk, baseUrl: string, out: Out): () => Promise<void> {
  const scheduler = startScheduledPulls(desk.service, desk.context, { baseUrl, bearerToken: process.env[FHIR_TOKEN_ENV] }, {
    onTick: (o) => {
      switch (o.kind) {
        case 'refreshed': {
          const a = o.report.appointments;
          if (a.added + a.changed + a.removed + a.skipped > 0) {
            out.error(`Pulled from ${baseUrl}: appointments ${a.added} added, ${a.changed} changed, ${a.removed} removed, ${a.skipped} skipped`);
          }
          return;
        }
        case 'failed':
          out.error(`Pull from ${baseUrl} failed: ${o.error.message}${o.switchedToOutage ? ' (the desk is now in OUTAGE mode)' : ''}`);
          return;
        case 'probed':
          if (o.reachable) out.error(`${baseUrl} answers again; the desk stays in outage mode until someone switches it back`);
          return;
        case 'not-applied':
          out.error(`Pull from ${baseUrl} not applied: ${o.reason}`);
          return;
        default:
          throw missingCaseError(o);
      }
    },
    onError: (error) => out.error(`Scheduled pull failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`),
  });
  out.error(`Pulling from ${baseUrl} every ${scheduler.intervalMs / 60_000} minutes while online`);
  return () => scheduler.stop();
}
