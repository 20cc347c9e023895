/**
 * Test data builders: an appointment, a patient, an upstream appointment as merge-back compares it, each with
 * plain defaults and only what a test cares about given. Synthetic people only (NHS numbers from testNhsNumber).
 */
import { FHIR_STATUS_OF, withNhsNumberStatus, type Appointment, type Patient } from '../../shared/domain';
import type { UpstreamAppointment } from '../../shared/merge';

/** When the book was pulled, the evening before the test day. */
export const PULLED_AT = '2026-07-19T16:00:00.000Z';

/** A booked face-to-face appointment as a fresh pull leaves it (upstream version 1, no desk times). */
export function testAppointment(a: Pick<Appointment, 'id' | 'patientId' | 'clinicianId' | 'start' | 'end'> & Partial<Appointment>): Appointment {
  const status = a.status ?? 'booked';
  return {
    sessionId: null,
    slotId: null,
    type: 'face_to_face',
    status,
    fhirStatus: FHIR_STATUS_OF[status],
    reason: null,
    cancelReason: null,
    arrivedAt: null,
    sentInAt: null,
    seenAt: null,
    version: 0,
    upstreamVersion: '1',
    updatedAt: PULLED_AT,
    ...a,
  };
}

/** A patient with no flags, phone or NHS number unless given; the NHS number's status follows from it. */
export function testPatient(p: Pick<Patient, 'id' | 'familyName' | 'givenName'> & Partial<Omit<Patient, 'nhsNumberStatus'>>): Patient {
  return withNhsNumberStatus({ nhsNumber: null, dateOfBirth: null, sex: 'unknown', phone: null, flags: [], ...p });
}

/** Upstream's booked appointment `id` in its own slot, for its own patient, with Dr clin-1 at 09:00 London. */
export function upstreamAppointment(id: string, over: Partial<UpstreamAppointment> = {}): UpstreamAppointment {
  return {
    id,
    version: '1',
    status: 'booked',
    start: '2026-07-20T08:00:00.000Z',
    end: '2026-07-20T08:10:00.000Z',
    slotId: `slot-${id}`,
    patientId: `pat-${id}`,
    clinicianId: 'clin-1',
    deskIdentifier: null,
    ...over,
  };
}
