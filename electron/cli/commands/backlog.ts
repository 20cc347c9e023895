/**
 * The `backlog` command: the rebooking assistant's proposals after an outage (electron/desk/actions/backlog.ts),
 * listed, or all booked with --accept-all (each a rebooking, journalled and merged back like any).
 */
import { formatUkDate, localDateOf, localTimeOf } from '../../../shared/domain';
import type { BacklogView } from '../../../shared/api';
import { dataDirOf, intOption, noArguments, parseOptions, withDesk, type Command } from '../common';

export const backlogCommand: Command = {
  name: 'backlog',
  usage: `backlog [--days 14] [--accept-all] [--json]
                        after an outage: a free slot proposed for everyone still on the callback list (time-sensitive
                        care first; the same clinician or role within --days); --accept-all books every proposal`,
  async run(args, out) {
    const { values: v, positionals } = parseOptions(args, { days: { type: 'string' }, 'accept-all': { type: 'boolean' } }, true);
    noArguments('backlog', positionals);
    const windowDays = intOption('days', v.days, 14, 1, 90);
    return withDesk(dataDirOf(v.data), (desk) => {
      const handlers = desk.service.handlers();
      const view = handlers.getBacklog({ windowDays }, desk.context);
      if (!v['accept-all']) {
        if (v.json) out.log(JSON.stringify(view));
        else for (const line of backlogLines(view)) out.log(line);
        return 0;
      }
      const items = view.items.flatMap((i) => (i.proposal ? [{ appointmentId: i.appointment.id, expectedVersion: i.appointment.version, slotId: i.proposal.slot.id }] : []));
      if (items.length === 0) {
        out.log(v.json ? JSON.stringify({ booked: [], refused: [], unplaced: view.items.length }) : 'Nothing to book: no proposal.');
        return 0;
      }
      const outcome = handlers.acceptBacklog({ items }, desk.context);
      const unplaced = view.items.filter((i) => i.proposal === null).length;
      if (v.json) out.log(JSON.stringify({ ...outcome, unplaced }));
      else {
        out.log(`Booked ${outcome.booked.length}; refused ${outcome.refused.length}; not placed ${unplaced} (still on the callback list).`);
        for (const r of outcome.refused) out.log(`  refused ${r.appointmentId}: ${r.message}`);
      }
      return outcome.refused.length > 0 ? 1 : 0;
    });
  },
};

const when = (iso: string) => `${formatUkDate(localDateOf(iso))} ${localTimeOf(iso)}`;

function backlogLines(view: BacklogView): string[] {
  if (view.items.length === 0) return ['Nobody is waiting to be rebooked.'];
  const lines = [`${view.items.length} to rebook; free slots searched ${formatUkDate(view.from)} to ${formatUkDate(view.to)}.`];
  for (const item of view.items) {
    const p = item.appointment.patient;
    const was = `${p.familyName.toUpperCase()}, ${p.givenName}${item.timeSensitive ? ' [time-sensitive]' : ''}: was ${when(item.appointment.start)} ${item.clinicianName}`;
    const to = item.proposal
      ? `-> ${when(item.proposal.slot.start)} ${item.proposal.clinician.name}${item.sameClinician ? '' : ' (same role)'}`
      : `not placed: ${item.reason ?? 'no slot'}`;
    lines.push(`${was} ${to}`);
  }
  return lines;
}
