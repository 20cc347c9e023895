/**
 * The day arranged the way the desk hands it out: one group per clinician session, each clinician's sessions
 * together, appointments in time order. Appointments outside every session of their clinician (or of a
 * clinician with no sessions in the mirror) still get a group: a list must never drop a booked patient.
 */
import { CLINICIAN_ROLE_LABEL, localToIso, type Clinician, type DeskStatus, type Session } from '../domain';
import type { AppointmentRow } from '../api/contract';
import type { SheetInput } from './input';
import { time } from './format';

export interface ClinicianInfo {
  id: string;
  name: string;
  roleLabel: string;
  room: string | null;
}

export interface SessionGroup {
  key: string;
  clinician: ClinicianInfo;
  session: Session | null;
  /** "Morning", "Outside booked sessions", "Day list". */
  label: string;
  start: string | null;
  end: string | null;
  room: string | null;
  appointments: AppointmentRow[];
}

export function clinicianInfo(input: Pick<SheetInput, 'clinicians'>, clinicianId: string): ClinicianInfo {
  const c: Clinician | undefined = input.clinicians.find((x) => x.id === clinicianId);
  // An appointment naming a clinician the mirror does not hold is still printed, under a name that says so.
  if (!c) return { id: clinicianId, name: `Unknown clinician (${clinicianId})`, roleLabel: 'Clinician', room: null };
  return { id: c.id, name: c.name, roleLabel: CLINICIAN_ROLE_LABEL[c.role], room: c.room };
}

const byStart = (a: AppointmentRow, b: AppointmentRow) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The instant a rest-of-the-day sheet runs from (its London time on its day), or null for the whole day. */
export function restOfDayFrom(input: Pick<SheetInput, 'date' | 'from'>): number | null {
  return input.from === undefined ? null : Date.parse(localToIso(input.date, input.from));
}

/** At the practice and not yet done with: still on a rest-of-the-day sheet, however early they were booked. */
const HERE: readonly DeskStatus[] = ['arrived', 'late', 'sent_in', 'quiet_sent_in'];

/**
 * What is left of the day at `from`: appointments starting then or later, the one running then, and patients
 * already here but not yet seen whatever their time. A morning appointment nobody marked is not left: reprinting
 * the morning is what a rest-of-the-day sheet is for avoiding.
 */
export function isLeftAt(a: Pick<AppointmentRow, 'start' | 'end' | 'status'>, from: number): boolean {
  return Date.parse(a.start) >= from || Date.parse(a.end) > from || HERE.includes(a.status);
}

export function sessionGroups(input: SheetInput, clinicianId: string | null = null): SessionGroup[] {
  const from = restOfDayFrom(input);
  const appointments = input.appointments.filter((a) => (clinicianId === null || a.clinicianId === clinicianId) && (from === null || isLeftAt(a, from)));
  const sessions = input.sessions.filter((s) => clinicianId === null || s.clinicianId === clinicianId);
  const clinicianIds = new Set<string>([...sessions.map((s) => s.clinicianId), ...appointments.map((a) => a.clinicianId)]);
  if (clinicianId !== null && input.clinicians.some((c) => c.id === clinicianId)) clinicianIds.add(clinicianId);

  const groups: SessionGroup[] = [];
  const clinicians = [...clinicianIds].map((id) => clinicianInfo(input, id)).sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || (a.id < b.id ? -1 : 1));
  for (const clinician of clinicians) {
    const own = sessions.filter((s) => s.clinicianId === clinician.id).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const bySession = new Map<string, AppointmentRow[]>(own.map((s) => [s.id, []]));
    const outside: AppointmentRow[] = [];
    for (const a of appointments.filter((x) => x.clinicianId === clinician.id)) {
      const session =
        own.find((s) => s.id === a.sessionId) ??
        // Some sources do not link appointments to sessions; the time says which session it belongs to.
        own.find((s) => a.start >= s.start && a.start < s.end);
      if (session) bySession.get(session.id)?.push(a);
      else outside.push(a);
    }
    for (const s of own) {
      groups.push({
        key: s.id,
        clinician,
        session: s,
        label: s.label ?? 'Session',
        start: time(s.start),
        end: time(s.end),
        room: s.room ?? clinician.room,
        appointments: (bySession.get(s.id) ?? []).sort(byStart),
      });
    }
    if (outside.length > 0) {
      outside.sort(byStart);
      const first = outside[0];
      const last = outside[outside.length - 1];
      groups.push({
        key: `${clinician.id}:outside`,
        clinician,
        session: null,
        label: own.length > 0 ? 'Outside booked sessions' : 'Day list',
        start: first ? time(first.start) : null,
        end: last ? time(last.end) : null,
        room: clinician.room,
        appointments: outside,
      });
    }
  }
  // A session over by then, with nobody left in it, is not part of the rest of the day.
  return from === null ? groups : groups.filter((g) => g.appointments.length > 0 || g.session === null || Date.parse(g.session.end) > from);
}

/** The room each appointment's patient goes to, as the session groups resolved it. */
export function roomsByAppointment(groups: readonly SessionGroup[]): Map<string, string | null> {
  const rooms = new Map<string, string | null>();
  for (const g of groups) for (const a of g.appointments) rooms.set(a.id, g.room);
  return rooms;
}
