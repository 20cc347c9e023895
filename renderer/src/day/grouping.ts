/** The day's book arranged the way the desk reads it: one list per clinician, in time order, by session. */
import type { AppointmentRow, DayView } from '../../../shared/api';
import { CLINICIAN_ROLES, DESK_STATUSES, type Clinician, type DeskStatus, type Session } from '../../../shared/domain';

export interface SessionBlock {
  /** null for appointments outside any session the mirror knows (extras, walk-ins). */
  session: Session | null;
  appointments: AppointmentRow[];
}

export interface ClinicianDay {
  clinician: Clinician;
  /** The room for the day: a session's room overrides the clinician's usual one. */
  room: string | null;
  appointments: AppointmentRow[];
  blocks: SessionBlock[];
  counts: Record<DeskStatus, number>;
}

export function emptyCounts(): Record<DeskStatus, number> {
  return Object.fromEntries(DESK_STATUSES.map((s) => [s, 0])) as Record<DeskStatus, number>;
}

const byStart = (x: { start: string; id: string }, y: { start: string; id: string }) => x.start.localeCompare(y.start) || x.id.localeCompare(y.id);

/** GPs first, then the rest of the team in the role list's order, as the appointment book lists them. */
function clinicianOrder(x: Clinician, y: Clinician): number {
  const rank = CLINICIAN_ROLES.indexOf(x.role) - CLINICIAN_ROLES.indexOf(y.role);
  const sortName = (c: Clinician) => c.name.replace(/^(Dr|Mr|Mrs|Ms|Miss|Mx)\.?\s+/i, '');
  return rank || sortName(x).localeCompare(sortName(y), 'en-GB');
}

export function groupByClinician(day: DayView): ClinicianDay[] {
  const byClinician = new Map<string, AppointmentRow[]>();
  for (const a of day.appointments) {
    const list = byClinician.get(a.clinicianId);
    if (list) list.push(a);
    else byClinician.set(a.clinicianId, [a]);
  }
  return day.clinicians.toSorted(clinicianOrder).map((clinician) => {
    const appointments = (byClinician.get(clinician.id) ?? []).toSorted(byStart);
    const sessions = day.sessions.filter((s) => s.clinicianId === clinician.id).toSorted(byStart);
    const counts = emptyCounts();
    for (const a of appointments) counts[a.status] += 1;
    const sessionRoom = sessions.find((s) => s.room !== null)?.room ?? null;
    return { clinician, room: sessionRoom ?? clinician.room, appointments, blocks: sessionBlocks(appointments, sessions), counts };
  });
}

/** Consecutive appointments of one session together, so the morning and afternoon lists read apart. */
function sessionBlocks(appointments: readonly AppointmentRow[], sessions: readonly Session[]): SessionBlock[] {
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const blocks: SessionBlock[] = [];
  for (const a of appointments) {
    const session = a.sessionId === null ? null : (sessionById.get(a.sessionId) ?? null);
    const last = blocks.at(-1);
    if (last && last.session?.id === session?.id) last.appointments.push(a);
    else blocks.push({ session, appointments: [a] });
  }
  return blocks;
}
