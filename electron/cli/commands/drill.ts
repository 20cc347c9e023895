import type { DrillState } from '../../../shared/api';
import { dataDirOf, parseOptions, UsageError, withDesk, type Command } from '../common';

/**
 * `drill status`: whether an outage drill is running and the last one's report. Starting and ending a drill are the
 * manager's, on the screen of the desk that serves the screens (the app, or `serve`): a drill started from this
 * separate process would not reach the screens, so the CLI only reads.
 */
export const drillCommand: Command = {
  name: 'drill',
  usage: `drill status [--json]    whether an outage drill is running, and the last drill's report (start and end one on the manager's screen)`,
  async run(args, out) {
    const [sub, ...rest] = args;
    if (sub !== 'status') throw new UsageError("drill status [--json]: drills are started and ended on the manager's screen");
    const { values: v } = parseOptions(rest, {});
    return withDesk(dataDirOf(v.data), (desk) => {
      const result = desk.dispatch('getDrill', {}, desk.context);
      if (!result.ok) throw new Error(result.error.message);
      const state = result.value as DrillState;
      if (v.json) {
        out.log(JSON.stringify(state));
        return 0;
      }
      const { running, last } = state;
      out.log(running ? `A drill is running: started ${running.startedAt} by ${running.startedBy}.` : 'No drill is running.');
      if (last === null) out.log('No drill recorded.');
      else {
        const firstCheckIn = last.minutesToFirstCheckIn === null ? 'no one checked in' : `first check-in after ${last.minutesToFirstCheckIn} min`;
        out.log(
          `Last drill: ${last.startedAt} to ${last.endedAt ?? '?'} (ended by ${last.endedBy ?? '?'}); ${firstCheckIn}; pack ${last.packFound ? 'found' : 'not found'}, ${last.packPrinted ? 'printed' : 'not printed'}; ${last.sheetsPrinted ?? 0} sheet(s) printed${last.problems ? `; problems: ${last.problems}` : ''}`,
        );
      }
      return 0;
    });
  },
};
