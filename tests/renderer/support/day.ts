/**
 * The day the renderer tests put on screen: the shared small book (tests/support/fixtures.ts) as the desk would
 * answer getDay and getMirrorStatus, parsed with the contract's schemas so a change to the contract shows here.
 */
import { DayView, MirrorStatus, type AppointmentRow } from '../../../shared/api';
import type { Appointment, PracticeBook } from '../../../shared/domain';
import { FIXTURE_DATE, smallBook } from '../../support/fixtures';
import { TEST_NOW } from '../../support/clock';

export function dayViewOf(book: PracticeBook = smallBook(), date = FIXTURE_DATE): DayView {
  const patients = new Map(book.patients.map((p) => [p.id, p]));
  const appointments: AppointmentRow[] = book.appointments.map((a) => {
    const patient = patients.get(a.patientId);
    if (!patient) throw new Error(`fixture: ${a.id} names no patient`);
    return { ...a, patient };
  });
  return DayView.parse({
    practice: book.practice,
    date,
    clinicians: book.clinicians,
    sessions: book.sessions,
    appointments,
    dutyClinicianId: book.clinicians[0]?.id ?? null,
    mirror: { asOf: TEST_NOW, loadedAt: TEST_NOW, source: 'test fixture', mode: 'outage' },
    journalSeq: 0,
  });
}

export function mirrorStatusOf(day: DayView): MirrorStatus {
  return MirrorStatus.parse({
    practice: day.practice,
    mirror: day.mirror,
    upstream: {
      fhirBaseUrl: null,
      reachable: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastError: null,
      lastErrorAt: null,
      asOf: TEST_NOW,
      ageMinutes: 0,
      stale: false,
      staleAfterMinutes: 30,
      dates: [day.date],
      heldChanges: 0,
      localChanges: 0,
    },
    dates: [{ date: day.date, total: day.appointments.length, byStatus: { booked: day.appointments.length } }],
    patients: new Set(day.appointments.map((a) => a.patientId)).size,
    bookedPatients: new Set(day.appointments.map((a) => a.patientId)).size,
    clinicians: day.clinicians.length,
    journal: { entries: 0, lastSeq: 0, lastAt: null, deskChanges: 0 },
  });
}

/** The appointment as the desk holds it after a change: the row without its patient, one version on. */
export function changed(row: AppointmentRow, patch: Partial<Appointment>): Appointment {
  const { patient: _patient, ...appointment } = row;
  return { ...appointment, version: row.version + 1, ...patch };
}

export function rowOf(day: DayView, id: string): AppointmentRow {
  const row = day.appointments.find((a) => a.id === id);
  if (!row) throw new Error(`fixture: no appointment ${id}`);
  return row;
}
