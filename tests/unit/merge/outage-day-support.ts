/**
 * An outage day for the week-after tests (issue 21), served by the FHIR test double and pulled into a desk: three
 * clinicians (two GPs, a nurse), 30 appointments on the outage day, every one cancelled at the desk during the
 * outage, 5 of the patients in time-sensitive care; free slots on the next two days. The desk's clock is then the
 * morning after.
 */
import { addDays, localToIso, type Appointment, type Clinician, type Patient, type PracticeBook, type Session, type Slot } from '../../../shared/domain';
import { openDesk } from '../../../electron/desk/open';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { pullBook } from '../../../electron/desk/upstream/fhir/client';
import { FhirTestServer } from '../../doubles/fhir-server';
import { testAppointment, testPatient } from '../../support/builders';
import { tempDir, testNhsNumber } from '../../support/fixtures';

export const DAY = '2026-07-20';
export const NEXT = addDays(DAY, 1);
const DAYS = [DAY, NEXT, addDays(DAY, 2)];
/** 06:30 UTC, 07:30 London on the outage day: before any session, so every change can be made. */
const OUTAGE_MORNING = new Date('2026-07-20T06:30:00Z');
/** 18:00 London: the clinical system is back. */
const OUTAGE_EVENING = new Date('2026-07-20T17:00:00Z');
/** The morning after, 07:00 London: the week after's work begins. */
export const MORNING_AFTER = new Date('2026-07-21T06:00:00Z');

export const CLINICIANS: Clinician[] = [
  { id: 'clin-1', name: 'Dr Asha Patel', role: 'gp', room: 'Room 1' },
  { id: 'clin-2', name: 'Dr Tom Okafor', role: 'gp', room: 'Room 2' },
  { id: 'clin-3', name: 'Nurse Jo Hill', role: 'nurse', room: 'Room 3' },
];
/** The outage day's booked count per clinician, and each one's free slots on the next two days. */
const OUTAGE_BOOKED: Record<string, number> = { 'clin-1': 14, 'clin-2': 10, 'clin-3': 6 };
const FREE_NEXT: Record<string, number> = { 'clin-1': 9, 'clin-2': 12, 'clin-3': 3 };
/** Patients in time-sensitive care, by index: booked late in the day, so only the assistant's order puts them first. */
const TIME_SENSITIVE: Record<number, Patient['flags']> = {
  12: ['suspected_cancer'],
  13: ['anticoagulation'],
  22: ['palliative'],
  23: ['suspected_cancer'],
  29: ['anticoagulation'],
};

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function outageBook(): PracticeBook {
  const sessions: Session[] = [];
  const slots: Slot[] = [];
  const appointments: Appointment[] = [];
  const patients: Patient[] = [];
  let n = 0;
  for (const c of CLINICIANS) {
    for (const date of DAYS) {
      const sessionId = `sess-${c.id}-${date}`;
      const count = date === DAY ? (OUTAGE_BOOKED[c.id] ?? 0) : date === NEXT ? (FREE_NEXT[c.id] ?? 0) : 2;
      sessions.push({
        id: sessionId,
        clinicianId: c.id,
        room: c.room,
        date,
        start: localToIso(date, '09:00'),
        end: localToIso(date, hhmm(9 * 60 + count * 10)),
        label: c.role === 'gp' && date !== DAY ? 'Telephone and face to face' : 'Morning',
      });
      for (let k = 0; k < count; k++) {
        const start = localToIso(date, hhmm(9 * 60 + k * 10));
        const end = localToIso(date, hhmm(9 * 60 + (k + 1) * 10));
        const slotId = `slot-${c.id}-${date}-${k}`;
        // The day after's last GP slot is busy upstream with no appointment the desk can see: never offered.
        const busyUpstream = date === NEXT && c.id === 'clin-2' && k === count - 1;
        slots.push({ id: slotId, sessionId, clinicianId: c.id, start, end, status: date === DAY || busyUpstream ? 'busy' : 'free' });
        if (date !== DAY) continue;
        const i = n++;
        patients.push(
          testPatient({
            id: `pat-${i}`,
            nhsNumber: testNhsNumber(300 + i * 17),
            familyName: `Backlogperson${i}`,
            givenName: i % 2 ? 'Alex' : 'Sam',
            dateOfBirth: `19${50 + (i % 40)}-0${(i % 9) + 1}-1${i % 9}`,
            sex: i % 2 ? 'male' : 'female',
            phone: `07700 9003${String(i).padStart(2, '0')}`,
            flags: TIME_SENSITIVE[i] ?? [],
          }),
        );
        appointments.push(
          testAppointment({ id: `appt-${i}`, patientId: `pat-${i}`, clinicianId: c.id, sessionId, slotId, start, end, type: i % 5 === 0 ? 'telephone' : 'face_to_face' }),
        );
      }
    }
  }
  return { practice: { id: 'prac-1', name: 'Test Street Surgery', odsCode: 'Y99999' }, clinicians: CLINICIANS, sessions, slots, patients, appointments };
}

export async function outageDesk() {
  const server = await FhirTestServer.start();
  server.seed(bookToFhirResources(outageBook()));
  const dataDir = tempDir('standby-backlog-');
  const clock = { now: OUTAGE_MORNING };
  const desk = openDesk({ dataDir, user: 'reception-1', desk: 'front-desk', clock: () => clock.now });
  const pull = async () => {
    const batch = await pullBook({ baseUrl: server.baseUrl }, { dates: DAYS, known: desk.service.upstream.knownFingerprints() });
    desk.service.upstream.refresh(batch, desk.context, { pulledFrom: server.baseUrl });
  };
  await pull();
  // The outage: the whole day cancelled, bar the ones who came to the desk and were then sent away unseen.
  const s = desk.service;
  s.upstream.setMode('outage', desk.context, 'clinical system down');
  const h = s.handlers();
  for (let i = 0; i < 30; i++) h.setAppointmentStatus({ appointmentId: `appt-${i}`, status: 'cancelled', reason: 'Clinical system down' }, desk.context);
  clock.now = OUTAGE_EVENING;
  s.upstream.setMode('online', desk.context, 'back');
  clock.now = MORNING_AFTER;
  return {
    server,
    desk,
    dataDir,
    clock,
    pull,
    close: async () => {
      desk.close();
      await server.close();
    },
  };
}
