/**
 * The waiting-room display's read: the latest calls for its waiting area, as a ticket number or a first name and
 * initial (the practice's choice) and a room, with how to sound them. Nothing more: the display is in a public room.
 */
import { firstNameInitialOf, localDateOf } from '../../../shared/domain';
import { DeskError, type DisplayBoard, type DisplayShow, type PracticeRoomSettings } from '../../../shared/api';
import type { DeskDeps } from '../deps';
import type { BoardCallRow, CallStore } from '../store/calls';

const DISPLAY_CALLS_SHOWN = 6;
/** Read before narrowing to an area, so an area's board still has its latest few when other rooms are busy. */
const CALLS_READ_FOR_AREAS = 200;

export function displayBoard(
  deps: Pick<DeskDeps, 'mirror' | 'clock'> & { calls: CallStore; settings: () => PracticeRoomSettings },
  input: { area?: string | undefined; limit?: number | undefined },
): DisplayBoard {
  const settings = deps.settings();
  const date = localDateOf(deps.clock());
  const limit = input.limit ?? DISPLAY_CALLS_SHOWN;
  const area = input.area === undefined ? null : (settings.areas.find((a) => a.id === input.area) ?? null);
  if (input.area !== undefined && area === null) {
    throw new DeskError('not_found', `no waiting area "${input.area}": a manager sets the areas under Rooms and displays`);
  }
  const rooms = area ? new Set(area.rooms.map((r) => r.toLowerCase())) : null;
  const rows = deps.calls.board(date, rooms ? CALLS_READ_FOR_AREAS : limit);
  const inArea = rooms ? rows.filter((r) => r.room !== null && rooms.has(r.room.toLowerCase())).slice(0, limit) : rows;
  const show = settings.display.show;
  return {
    practiceName: deps.mirror.practice()?.name ?? null,
    date,
    show,
    area: area ? { id: area.id, name: area.name } : null,
    sound: { chime: settings.display.chime, speak: settings.display.speak, voice: settings.display.voice, rate: settings.display.rate },
    calls: inArea.map((row) => {
      const label = labelOf(row, show);
      return { key: row.callId, label, room: row.room, calledAt: row.calledAt, spoken: row.room ? `${label}, please go to ${row.room}` : `${label}, please come through` };
    }),
  };
}

function labelOf(row: BoardCallRow, show: DisplayShow): string {
  if (show === 'first-name-initial') return firstNameInitialOf(row) || 'Next patient';
  return row.ticket !== null ? `Ticket ${row.ticket}` : 'Next patient';
}
