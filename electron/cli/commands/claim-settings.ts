/**
 * The `claim-settings` command: the practice's minutes per task and costs per hour that price the impact report's
 * work for its claim (shared/merge/claim.ts), shown with the defaults marked, and changed through setMergeSettings
 * (audited as a settings change) when flags are given. A bad value changes nothing.
 */
import { CLAIM_STAFF, CLAIM_STAFF_LABEL, CLAIM_TASK_LABEL, CLAIM_TASKS, changedClaimSettings, DEFAULT_CLAIM_SETTINGS, type ClaimSettings } from '../../../shared/merge';
import { dataDirOf, noArguments, parseOptions, UsageError, withDesk, type Command } from '../common';

export const claimSettingsCommand: Command = {
  name: 'claim-settings',
  usage: `claim-settings [--minutes rebooking=5,keyedItem=3,...] [--staff rebooking=receptionist,...]
                        [--cost receptionist=12.50,administrator=14,clinician=none] [--json]
                        the minutes per task (${CLAIM_TASKS.join(', ')}), the staff who do each, and the
                        cost per hour of each kind of staff that price the impact report's work; flags change them`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { minutes: { type: 'string' }, staff: { type: 'string' }, cost: { type: 'string' } }, true);
    noArguments('claim-settings', positionals);
    const changes = {
      ...(v.minutes !== undefined ? { minutes: pairs('minutes', v.minutes) } : {}),
      ...(v.staff !== undefined ? { staff: pairs('staff', v.staff) } : {}),
      ...(v.cost !== undefined ? { cost: pairs('cost', v.cost) } : {}),
    };
    const changing = Object.keys(changes).length > 0;
    return withDesk(dataDirOf(v.data), (desk) => {
      let claim = desk.service.merge.claimSettings();
      if (changing) {
        const next = changedClaimSettings(claim, changes);
        if (!next.ok) throw new UsageError(`claim-settings: nothing changed: ${next.problems.map((p) => p.message).join('; ')}`);
        claim = desk.service.handlers().setMergeSettings({ claim: next.settings }, desk.context).claim;
      }
      if (v.json) out.log(JSON.stringify({ claim, defaults: DEFAULT_CLAIM_SETTINGS, changed: changing }));
      else for (const line of claimLines(claim, changing)) out.log(line);
      return 0;
    });
  },
};

/** "rebooking=5,keyedItem=3" as { rebooking: '5', keyedItem: '3' }; the values are checked by changedClaimSettings. */
function pairs(flag: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    if (at < 0 || name === '') throw new UsageError(`--${flag} takes NAME=VALUE pairs separated by commas, got "${part}"`);
    if (name in out) throw new UsageError(`--${flag} names ${name} twice`);
    out[name] = part.slice(at + 1);
  }
  return out;
}

const pounds = (n: number | null) => (n === null ? 'not given' : `£${n.toFixed(2)}`);

function claimLines(claim: ClaimSettings, changed: boolean): string[] {
  const lines = [changed ? 'Saved. The claim is now priced at:' : 'The claim is priced at:'];
  const width = Math.max(...CLAIM_TASKS.map((t) => CLAIM_TASK_LABEL[t].length));
  for (const task of CLAIM_TASKS) {
    const { minutes, staff } = claim.tasks[task];
    const plain = DEFAULT_CLAIM_SETTINGS.tasks[task];
    const isDefault = minutes === plain.minutes && staff === plain.staff;
    lines.push(`  ${CLAIM_TASK_LABEL[task].padEnd(width)}  ${minutes} min, ${CLAIM_STAFF_LABEL[staff].toLowerCase()} (${task})${isDefault ? ' [default]' : ''}`);
  }
  lines.push('Cost per hour:');
  for (const staff of CLAIM_STAFF) {
    const cost = claim.costPerHour[staff];
    lines.push(`  ${CLAIM_STAFF_LABEL[staff].padEnd(width)}  ${pounds(cost)}${cost === DEFAULT_CLAIM_SETTINGS.costPerHour[staff] ? ' [default]' : ''}`);
  }
  if (CLAIM_TASKS.some((t) => claim.costPerHour[claim.tasks[t].staff] === null))
    lines.push('The report gives no cost in pounds while the staff of a task done have no cost per hour.');
  return lines;
}
