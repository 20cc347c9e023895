/**
 * Appointment: each one in the day's book, its desk status from its FHIR status (deskStatusFromFhir), with its
 * patient, clinician, slot and session as read before it. Returns the London dates the appointments fall on.
 */
import { deskStatusFromFhir, FHIR_APPOINTMENT_STATUSES, FHIR_STATUS_OF, type Appointment } from '../../../../shared/domain';
import { parseInstant } from '../time';
import { isFhirAppointmentStatus } from '../vocabulary';
import { LazyItem, NO_DEPENDENCIES, type LazyReader, type ReadContext } from './read-context';
import { REF_RE, type Indexed } from './read-index';
import type { Staff } from './read-staff';
import { appointmentTypeOf, clip, conceptText, extensionInstant, MAX_TEXT } from './read-values';
import { EXT_ARRIVED_AT, EXT_SEEN_AT, EXT_SENT_IN_AT, FhirAppointment, type Reference } from './resources';

export function readAppointments(ctx: ReadContext, { practitionerIdOf, practitionerOfRole }: Staff): Set<string> {
  const { batch, index, file, localDate, versionOf, refKey, refType, problem, parse, item, knownFingerprint, missing } = ctx;
  const slotOf = (ref: Reference | undefined): string | null => {
    const key = refKey(ref);
    return key?.startsWith('Slot/') && batch.slots.has(key.slice(5)) ? key.slice(5) : null;
  };
  const slotDependencies = (slotId: string | null) => (slotId !== null ? [batch.slots.get(slotId)?.version ?? ''] : NO_DEPENDENCIES);
  function readAppointment(x: Indexed): Appointment | null {
    const a = parse(FhirAppointment, x);
    if (!a) return null;
    if (a.status === undefined) {
      problem(x, 'status', 'an appointment needs a status');
      return null;
    }
    if (!isFhirAppointmentStatus(a.status)) {
      problem(x, 'status', `unknown status "${a.status}" (FHIR R4 has ${FHIR_APPOINTMENT_STATUSES.join(', ')})`);
      return null;
    }
    const status = deskStatusFromFhir(a.status);
    // entered-in-error and waitlist are not in the day's book; a mirrored copy goes as "removed upstream".
    if (status === null) return null;
    if (a.start === undefined) {
      problem(x, 'start', 'an appointment needs a start time');
      return null;
    }
    const start = parseInstant(a.start);
    if (start === null) {
      problem(x, 'start', `"${a.start}" is not a date and time`);
      return null;
    }
    let end: string | null;
    if (a.end !== undefined) {
      end = parseInstant(a.end);
      if (end === null) {
        problem(x, 'end', `"${a.end}" is not a date and time`);
        return null;
      }
    } else if (a.minutesDuration !== undefined && a.minutesDuration > 0) {
      end = new Date(Date.parse(start) + a.minutesDuration * 60000).toISOString();
    } else {
      problem(x, 'end', 'an appointment needs an end time or minutesDuration');
      return null;
    }
    if (end < start) {
      problem(x, 'end', 'ends before it starts');
      return null;
    }
    const actors = (a.participant ?? []).map((p) => p.actor).filter((r): r is Reference => r !== undefined);
    const patientRef = actors.find((r) => refType(r) === 'Patient');
    const patientKey = refKey(patientRef);
    const patientId = patientKey?.startsWith('Patient/') ? patientKey.slice('Patient/'.length) : null;
    if (patientId === null || !batch.patients.has(patientId)) {
      problem(x, 'participant.actor', patientId === null ? 'no patient among the participants' : missing(patientKey, 'patient'));
      return null;
    }
    const clinicianRef = actors.find((r) => practitionerIdOf(r) !== null);
    const clinicianId = practitionerIdOf(clinicianRef);
    if (clinicianId === null || !batch.clinicians.has(clinicianId)) {
      problem(x, 'participant.actor', clinicianId === null ? 'no practitioner among the participants' : missing(`Practitioner/${clinicianId}`, 'practitioner'));
      return null;
    }
    const slotId = slotOf(a.slot?.[0]);
    const sessionKey = (a.supportingInformation ?? []).map(refKey).find((k) => k?.startsWith('Schedule/'));
    const sessionId = sessionKey && batch.sessions.has(sessionKey.slice(9)) ? sessionKey.slice(9) : slotId !== null ? (batch.slots.get(slotId)?.entity.sessionId ?? null) : null;
    const reason = a.description ?? a.reasonCode?.[0]?.text ?? null;
    const cancelReason = a.cancelationReason ? conceptText(a.cancelationReason) : null;
    const version = versionOf(x);
    return {
      id: x.id,
      patientId,
      clinicianId,
      sessionId,
      slotId,
      start,
      end,
      type: appointmentTypeOf(a.appointmentType, a.serviceType, a.extension),
      status,
      fhirStatus: FHIR_STATUS_OF[status],
      reason: reason === null ? null : clip(reason, MAX_TEXT.reason),
      cancelReason: cancelReason === null ? null : clip(cancelReason, MAX_TEXT.reason),
      arrivedAt: extensionInstant(a.extension, EXT_ARRIVED_AT),
      sentInAt: extensionInstant(a.extension, EXT_SENT_IN_AT),
      seenAt: extensionInstant(a.extension, EXT_SEEN_AT),
      version: 0,
      upstreamVersion: version.length <= 200 ? version : version.slice(0, 200),
      // The refresh stamps the time it writes the record.
      updatedAt: start,
    };
  }
  /**
   * For a record the mirror already holds at this version: only what the rest of the batch depends on (it is in
   * the book, its patient and clinician are here, its date). Anything unusual goes the full way, which says what
   * is wrong with it.
   */
  function quickDate(x: Indexed): string | null {
    const r = x.resource as { status?: unknown; start?: unknown; participant?: unknown };
    if (typeof r.status !== 'string' || !isFhirAppointmentStatus(r.status) || deskStatusFromFhir(r.status) === null) return null;
    if (typeof r.start !== 'string' || !Array.isArray(r.participant)) return null;
    let patientId: string | null = null;
    let clinicianId: string | null = null;
    for (const p of r.participant as Array<{ actor?: unknown } | null>) {
      const actor = p?.actor;
      if (actor === undefined) continue;
      const person = personOf(actor);
      if (person === null) return null;
      if (person === OTHER) continue;
      if (person.type === 'Patient') patientId ??= person.id;
      else if (person.type === 'Practitioner') clinicianId ??= person.id;
      else clinicianId ??= practitionerOfRole.get(person.id) ?? null;
    }
    // Only read patients and clinicians are in the batch, so these say the references lead somewhere good.
    if (patientId === null || !batch.patients.has(patientId)) return null;
    if (clinicianId === null || !batch.clinicians.has(clinicianId)) return null;
    return dateOfStart(r.start);
  }
  /**
   * Which patient, practitioner or role an appointment's actor is, as the full read would resolve it; OTHER for
   * anything else (a location, a device), null when only the full read can tell. The usual "Patient/<id>" is
   * taken apart without a regular expression, and its id looked up once, in the batch: 34,000 times over.
   */
  const personOf = (actor: unknown): { type: PersonType; id: string } | typeof OTHER | null => {
    if (actor === null || typeof actor !== 'object') return null;
    const { reference, type } = actor as Reference;
    if (typeof reference !== 'string') return type === undefined || !isPersonType(type) ? OTHER : null;
    // By fullUrl (a transaction's urn:uuid): rare, and the full read has its own rules for it.
    const byUrl = index.byUrl(reference);
    if (byUrl !== undefined) return type === undefined && !isPersonType(byUrl.type) ? OTHER : null;
    for (const prefix of PERSON_PREFIXES) {
      if (!reference.startsWith(prefix.path) || reference.includes('/', prefix.path.length)) continue;
      if (type !== undefined && type !== prefix.type) return null;
      return { type: prefix.type, id: reference.slice(prefix.path.length) };
    }
    // An absolute URL, or a versioned reference: what refKey makes of it.
    const m = REF_RE.exec(reference);
    if (m === null) return type === undefined || !isPersonType(type) ? OTHER : null;
    const [, claimed = '', id = ''] = m;
    if (type !== undefined && type !== claimed) return null;
    return isPersonType(claimed) ? { type: claimed, id } : OTHER;
  };
  /** The London date of an appointment's start as written: a day's 34,000 share a few hundred start times. */
  const startDates = new Map<string, string | null>();
  const dateOfStart = (text: string): string | null => {
    let date = startDates.get(text);
    if (date === undefined) {
      const start = parseInstant(text);
      date = start === null ? null : localDate(start);
      startDates.set(text, date);
    }
    return date;
  };
  const dates = new Set<string>();
  const unchangedAppointment: LazyReader<Appointment> = { resourceType: 'Appointment', file, read: readAppointment };
  for (const x of index.ofType('Appointment')) {
    const slots = (x.resource as { slot?: unknown }).slot;
    const firstSlot = Array.isArray(slots) ? (slots[0] as Reference | undefined) : undefined;
    const dependencies = slotDependencies(slotOf(typeof firstSlot?.reference === 'string' ? firstSlot : undefined));
    const known = knownFingerprint(x, 'Appointment', dependencies);
    if (known !== undefined) {
      const date = quickDate(x);
      if (date !== null) {
        batch.appointments.set(x.id, new LazyItem(unchangedAppointment, x, known));
        dates.add(date);
        continue;
      }
    }
    const appointment = readAppointment(x);
    if (!appointment) continue;
    batch.appointments.set(x.id, item(x, 'Appointment', appointment, slotDependencies(appointment.slotId)));
    dates.add(localDate(appointment.start));
  }
  return dates;
}

/** What an appointment's actor must be to be its patient or its clinician. */
type PersonType = 'Patient' | 'Practitioner' | 'PractitionerRole';
const isPersonType = (type: string): type is PersonType => type === 'Patient' || type === 'Practitioner' || type === 'PractitionerRole';
const PERSON_PREFIXES = [
  { path: 'Patient/', type: 'Patient' },
  { path: 'Practitioner/', type: 'Practitioner' },
  { path: 'PractitionerRole/', type: 'PractitionerRole' },
] as const;
/** An appointment's actor that is neither its patient nor its clinician. */
const OTHER = Symbol('other');
