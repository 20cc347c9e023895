/**
 * Master list: the whole practice's day on one time-ordered list, with rooms, for the front desk to direct
 * people ("Dr Patel, room 1, take a seat") when the screens are dark.
 */
import { sessionGroups, roomsByAppointment } from './day';
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput } from './input';
import { appointmentLine, type AppointmentLine } from './clinician-list';

export interface MasterListRow extends AppointmentLine {
  clinicianName: string;
  roleLabel: string;
  room: string | null;
}

export interface MasterListSheet {
  kind: 'master-list';
  frame: SheetFrame;
  rows: MasterListRow[];
  clinicians: number;
  expected: number;
}

export function masterListSheet(input: SheetInput): MasterListSheet {
  const groups = sessionGroups(input);
  const rooms = roomsByAppointment(groups);
  const rows: MasterListRow[] = groups
    .flatMap((g) =>
      g.appointments.map((a) => ({
        ...appointmentLine(a, input.date),
        clinicianName: g.clinician.name,
        roleLabel: g.clinician.roleLabel,
        room: rooms.get(a.id) ?? null,
        sortKey: a.start,
      })),
    )
    // Same time: alphabetical by clinician, as the groups already are, so the sort is stable and predictable.
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map(({ sortKey: _sortKey, ...row }) => row);
  return {
    kind: 'master-list',
    frame: sheetFrame(input, 'Master list'),
    rows,
    clinicians: new Set(groups.map((g) => g.clinician.id)).size,
    expected: rows.filter((r) => !r.cancelled).length,
  };
}
