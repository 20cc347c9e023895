import { localDateOf } from '../../../shared/domain';
import { pullBook, pullDates, PullError } from '../../desk/upstream/fhir/client';
import { DEFAULT_PULL_DAYS } from '../../desk/upstream/scheduler';
import { dataDirOf, dateOption, intOption, parseOptions, UsageError, withDesk, type Command } from '../common';
import { readUpkeepSettings } from '../../desk/upkeep-settings';
import { UPSTREAM_OPTIONS, UPSTREAM_USAGE, upstreamSettingsFromFlags } from '../upstream-flags';
import { printRefresh } from './import';
import { deskNow } from '../../desk/clock';

export const pullCommand: Command = {
  name: 'pull',
  usage: `pull [--fhir URL] [--from YYYY-MM-DD] [--days N] [--ods CODE] [--list] [--timeout SECONDS] [--page-size N] [--json]
                        refresh the mirror from a FHIR R4 server: from today (or --from), N working days
                        (default ${DEFAULT_PULL_DAYS}: today and the next 3); --list also reads the whole practice
                        list (the practice's registered Patients); without --fhir, from the server and with the
                        token the practice settings name (set up on screen, or upkeep-settings.json); ${UPSTREAM_USAGE}`,
  async run(args, out) {
    const { values: v } = parseOptions(args, {
      ...UPSTREAM_OPTIONS,
      from: { type: 'string' },
      days: { type: 'string' },
      ods: { type: 'string' },
      list: { type: 'boolean' },
    });
    const from = dateOption(v.from, localDateOf(deskNow()), 'from');
    const days = intOption('days', v.days, DEFAULT_PULL_DAYS, 1, 14);
    const dataDir = dataDirOf(v.data);
    const dates = pullDates(from, days);
    return withDesk(dataDir, async (desk) => {
      // The token given on screen is kept only in the database: read with the settings in force, never from a file.
      const inForce = v.fhir === undefined ? readUpkeepSettings(dataDir, process.env, desk.service.practiceSettings.upkeepParts()).settings.fhir : undefined;
      if (v.fhir === undefined && inForce === undefined) throw new UsageError('pull needs --fhir URL (the FHIR R4 base URL): no FHIR server is set in the practice settings');
      const settings = inForce ?? upstreamSettingsFromFlags(v, v.fhir ?? '', v.ods);
      const fhir = settings.baseUrl;
      const upstream = desk.service.upstream;
      let batch;
      try {
        batch = await pullBook(settings, { dates, known: upstream.knownFingerprints(), clock: desk.service.clock, practiceList: v.list === true });
      } catch (error) {
        if (!(error instanceof PullError)) throw error;
        const switched = upstream.recordPullFailure(error.kind, error.message, desk.context);
        out.error(`standby-desk: the pull failed: ${error.message}`);
        if (switched) out.error('standby-desk: the desk is now in OUTAGE mode; the mirror was left as it was');
        else out.error('standby-desk: the mirror was left as it was');
        return 1;
      }
      printRefresh(upstream.refresh(batch, desk.context, { pulledFrom: fhir }), dataDir, out, v.json, batch.notes);
      if (upstream.mode() === 'outage' && !v.json) {
        out.log('The desk stays in OUTAGE mode until someone switches it back (setMode); nothing was merged back.');
      }
      return 0;
    });
  },
};
