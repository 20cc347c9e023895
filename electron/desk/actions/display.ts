/** The waiting-room display's read: the latest calls, as a ticket number or initials and a room, nothing more. */
import { initialsOf, localDateOf } from '../../../shared/domain';
import type { DisplayBoard } from '../../../shared/api';
import type { DeskDeps } from '../deps';

const DISPLAY_CALLS_SHOWN = 6;

export function displayBoard(deps: Pick<DeskDeps, 'mirror' | 'clock'>, input: { show?: 'ticket' | 'initials' | undefined; limit?: number | undefined }): DisplayBoard {
  const { mirror } = deps;
  const show = input.show ?? 'ticket';
  const date = localDateOf(deps.clock());
  const calls = mirror.displayCalls(date, input.limit ?? DISPLAY_CALLS_SHOWN).map((c) => ({
    key: `${c.calledAt}#${c.ticket ?? 0}`,
    label: show === 'initials' ? initialsOf(c) || 'Next patient' : c.ticket !== null ? `Ticket ${c.ticket}` : 'Next patient',
    room: c.room,
    calledAt: c.calledAt,
  }));
  return { practiceName: mirror.practice()?.name ?? null, date, show, calls };
}
