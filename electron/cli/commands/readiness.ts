import { READINESS_LABEL } from '../../../shared/api/readiness';
import { readUpkeepSettings } from '../../desk/upkeep-settings';
import { dataDirOf, parseOptions, withDesk, type Command } from '../common';

/** Exit 1 only when something is red, so a scheduled outside check can alert on the exit code alone. */
export const readinessCommand: Command = {
  name: 'readiness',
  usage: `readiness [--json]    would the practice cope with an outage now: each check GREEN/AMBER/RED with its fix; exit 0 green or amber, 1 red`,
  async run(args, out) {
    const { values: v } = parseOptions(args, {});
    const dataDir = dataDirOf(v.data);
    return withDesk(dataDir, (desk) => {
      // The upkeep the practice set up for this data folder (upkeep-settings.json), as the app runs it.
      const readiness = desk.service.readiness(null, readUpkeepSettings(dataDir, process.env, desk.service.practiceSettings.upkeepParts()).settings);
      if (v.json) {
        out.log(JSON.stringify(readiness));
      } else {
        for (const c of readiness.checks) {
          out.log(`${READINESS_LABEL[c.status].padEnd(12)} ${c.title}: ${c.detail}${c.fix === '' ? '' : `; fix: ${c.fix}`}`);
        }
        out.log(`Overall: ${READINESS_LABEL[readiness.overall]} (checked at ${readiness.checkedAt})`);
      }
      return readiness.overall === 'red' ? 1 : 0;
    });
  },
};
