/**
 * The practice and its people and time: Organization, Practitioner (+ PractitionerRole), Schedule and Slot.
 * Read first, because patients' appointments refer to them.
 */
import type { Clinician, ClinicianRole, Practice, Session, Slot } from '../../../../shared/domain';
import { parseInstant } from '../time';
import { isSlotStatus, roleFrom } from '../vocabulary';
import type { ReadContext } from './read-context';
import { clip, displayName, firstMatch, MAX_TEXT, odsCodeOf } from './read-values';
import { FhirLocation, FhirOrganization, FhirPractitioner, FhirPractitionerRole, FhirSchedule, FhirSlot, ODS_CODE_SYSTEM, type Reference } from './resources';

/** Who an actor reference is, as the staff were read: what the appointments need to find their clinician. */
export interface Staff {
  /** The practitioner an actor reference means: directly, or through a PractitionerRole. */
  practitionerIdOf: (ref: Reference | undefined) => string | null;
  /** A PractitionerRole's practitioner, by the role's id. */
  practitionerOfRole: ReadonlyMap<string, string>;
}

export function readStaff(ctx: ReadContext): Staff {
  const { batch, index, localDate, versionOf, refKey, refType, problem, parse, item, missing } = ctx;
  // ---- the practice --------------------------------------------------------------------------------------
  const orgs = [...index.ofType('Organization')];
  const practiceOrgs = orgs.filter((o) => odsCodeOf(o.resource) !== null);
  const practiceOrg = practiceOrgs[0] ?? orgs[0];
  if (practiceOrg) {
    const org = parse(FhirOrganization, practiceOrg);
    if (org) {
      const ods = org.identifier?.find((i) => i.system === ODS_CODE_SYSTEM)?.value ?? null;
      const practice: Practice = { id: practiceOrg.id, name: clip(org.name?.trim() || 'Practice', MAX_TEXT.name), odsCode: ods ? ods.slice(0, 10) : null };
      batch.practice = item(practiceOrg, 'Organization', practice);
    }
  }

  // ---- locations and practitioner roles: read with the practitioners and sessions -------------------------
  const locationName = (ref: Reference | undefined): string | null => {
    if (!ref) return null;
    const key = refKey(ref);
    const target = key ? index.get(key) : undefined;
    if (target?.type === 'Location') {
      const loc = FhirLocation.safeParse(target.resource);
      if (loc.success && loc.data.name) return clip(loc.data.name, MAX_TEXT.room);
    }
    return ref.display ? clip(ref.display, MAX_TEXT.room) : null;
  };
  const rolesOf = new Map<string, Array<{ role: ClinicianRole | null; room: string | null; version: string }>>();
  const practitionerOfRole = new Map<string, string>();
  for (const x of index.ofType('PractitionerRole')) {
    const pr = FhirPractitionerRole.safeParse(x.resource);
    if (!pr.success || pr.data.active === false) continue;
    const practitionerKey = refKey(pr.data.practitioner);
    if (!practitionerKey?.startsWith('Practitioner/')) continue;
    const practitionerId = practitionerKey.slice('Practitioner/'.length);
    practitionerOfRole.set(x.id, practitionerId);
    const role = firstMatch(pr.data.code ?? [], roleFrom);
    const list = rolesOf.get(practitionerId) ?? [];
    list.push({ role, room: locationName(pr.data.location?.[0]), version: versionOf(x) });
    rolesOf.set(practitionerId, list);
  }
  /** The practitioner an actor reference means: directly, or through a PractitionerRole. */
  const practitionerIdOf = (ref: Reference | undefined): string | null => {
    const key = refKey(ref);
    if (key?.startsWith('Practitioner/')) return key.slice('Practitioner/'.length);
    const target = key ? index.get(key) : undefined;
    if (target?.type === 'PractitionerRole') return practitionerOfRole.get(target.id) ?? null;
    return null;
  };

  // ---- clinicians ------------------------------------------------------------------------------------------
  for (const x of index.ofType('Practitioner')) {
    const p = parse(FhirPractitioner, x);
    if (!p) continue;
    const name = displayName(p.name);
    if (!name) {
      problem(x, 'name', 'a practitioner needs a name');
      continue;
    }
    const roles = rolesOf.get(x.id) ?? [];
    const chosen = roles.find((r) => r.role !== null) ?? roles[0];
    const clinician: Clinician = { id: x.id, name: clip(name, MAX_TEXT.name), role: chosen?.role ?? 'other', room: chosen?.room ?? null };
    batch.clinicians.set(
      x.id,
      item(
        x,
        'Practitioner',
        clinician,
        roles.map((r) => r.version),
      ),
    );
  }

  // ---- schedules: sessions (with a planning horizon) and calendars (clinician only) -------------------------
  const scheduleClinician = new Map<string, string>();
  for (const x of index.ofType('Schedule')) {
    const s = parse(FhirSchedule, x);
    if (!s) continue;
    const practitionerRef = (s.actor ?? []).find((a) => practitionerIdOf(a) !== null);
    const clinicianId = practitionerIdOf(practitionerRef);
    if (clinicianId === null || !batch.clinicians.has(clinicianId)) {
      problem(x, 'actor', clinicianId === null ? 'a schedule needs a practitioner among its actors' : missing(`Practitioner/${clinicianId}`, 'practitioner'));
      continue;
    }
    scheduleClinician.set(x.id, clinicianId);
    const horizon = s.planningHorizon;
    if (!horizon?.start && !horizon?.end) continue;
    const start = horizon.start ? parseInstant(horizon.start) : null;
    const end = horizon.end ? parseInstant(horizon.end) : null;
    if (!start || !end) {
      problem(x, `planningHorizon.${start ? 'end' : 'start'}`, 'a session needs a start and an end time with a time zone');
      continue;
    }
    if (end < start) {
      problem(x, 'planningHorizon.end', 'ends before it starts');
      continue;
    }
    const roomRef = (s.actor ?? []).find((a) => refType(a) === 'Location');
    const label = s.comment ?? s.serviceType?.[0]?.text ?? null;
    const session: Session = { id: x.id, clinicianId, room: locationName(roomRef), date: localDate(start), start, end, label: label === null ? null : clip(label, MAX_TEXT.label) };
    batch.sessions.set(x.id, item(x, 'Schedule', session));
  }

  // ---- slots -----------------------------------------------------------------------------------------------
  for (const x of index.ofType('Slot')) {
    const s = parse(FhirSlot, x);
    if (!s) continue;
    const scheduleKey = refKey(s.schedule);
    const scheduleId = scheduleKey?.startsWith('Schedule/') ? scheduleKey.slice('Schedule/'.length) : null;
    const clinicianId = scheduleId === null ? null : (scheduleClinician.get(scheduleId) ?? null);
    if (clinicianId === null) {
      problem(x, 'schedule', missing(scheduleKey, 'schedule'));
      continue;
    }
    const start = s.start ? parseInstant(s.start) : null;
    const end = s.end ? parseInstant(s.end) : null;
    if (!start || !end) {
      problem(x, start ? 'end' : 'start', s[start ? 'end' : 'start'] === undefined ? 'a slot needs a start and an end' : 'is not an instant with a time zone');
      continue;
    }
    const status = s.status ?? 'free';
    if (!isSlotStatus(status)) {
      problem(x, 'status', `unknown slot status "${status}"`);
      continue;
    }
    const slot: Slot = { id: x.id, sessionId: scheduleId !== null && batch.sessions.has(scheduleId) ? scheduleId : null, clinicianId, start, end, status };
    batch.slots.set(x.id, item(x, 'Slot', slot));
  }
  return { practitionerIdOf, practitionerOfRole };
}
