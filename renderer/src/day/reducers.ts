/**
 * The day on screen, changed by one appointment at a time: pure functions from the day held and what arrived (an
 * answer, an event, a fresh read) to the next day, or null when nothing on screen changes. The desk store applies
 * them; they never reach the backend.
 */
import type { DayView, DeskEvent } from '../../../shared/api';
import { localDateOf, type Appointment, type Patient } from '../../../shared/domain';

/** The day with this appointment's newer version in place; null when there is nothing newer to show. */
export function withAppointment(day: DayView, appointment: Appointment, patient?: Patient): DayView | null {
  const index = day.appointments.findIndex((a) => a.id === appointment.id);
  const existing = day.appointments[index];
  if (!existing) return patient ? nullIfUnknown(withNewAppointment(day, appointment, patient)) : null;
  if (existing.version >= appointment.version) return null;
  // A walk-in taken back as registered in error leaves the day, as a fresh read of it would show.
  if (appointment.fhirStatus === 'entered-in-error') return { ...day, appointments: day.appointments.filter((a) => a.id !== appointment.id) };
  const appointments = day.appointments.slice();
  appointments[index] = { ...appointment, patient: patient ?? existing.patient };
  return { ...day, appointments };
}

function nullIfUnknown(x: DayView | null | 'unknown'): DayView | null {
  return x === 'unknown' ? null : x;
}

/** Adds an appointment this view has not seen; 'unknown' when its clinician is not on the day (re-read instead). */
export function withNewAppointment(day: DayView, appointment: Appointment, patient: Patient): DayView | null | 'unknown' {
  if (localDateOf(appointment.start) !== day.date) return null;
  if (day.appointments.some((a) => a.id === appointment.id)) return withAppointment(day, appointment, patient);
  if (!day.clinicians.some((c) => c.id === appointment.clinicianId)) return 'unknown';
  return { ...day, appointments: [...day.appointments, { ...appointment, patient }] };
}

export function withEvent(day: DayView, event: DeskEvent): DayView | null | 'unknown' {
  if (event.kind !== 'appointment.changed') return null;
  if (!day.appointments.some((a) => a.id === event.appointment.id)) {
    return event.patient ? withNewAppointment(day, event.appointment, event.patient) : 'unknown';
  }
  return withAppointment(day, event.appointment);
}

/**
 * A fresh read of the day, keeping any row this view already holds in a newer version (from an event). Across the
 * start or end of an outage drill the two are different copies of the day: the fresh one is taken whole, or a
 * drill's check-in (a higher version in the sandbox) would stay on screen over the real day.
 */
export function mergeNewer(current: DayView, fresh: DayView): DayView {
  if ((current.mirror.drill === true) !== (fresh.mirror.drill === true)) return fresh;
  const held = new Map(current.appointments.map((a) => [a.id, a]));
  return {
    ...fresh,
    appointments: fresh.appointments.map((a) => {
      const mine = held.get(a.id);
      return mine && mine.version > a.version ? { ...mine, patient: a.patient } : a;
    }),
  };
}
