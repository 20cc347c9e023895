/**
 * The SQL of a refresh: upserting mirrored entities, the upstream base records and the upstream changes held
 * beside local ones. Runs only inside the refresh's transaction (electron/desk/refresh.ts). Bulk writes use
 * prepared statements with ? parameters (cached by Db), since a first import writes tens of thousands of rows.
 */
import { FHIR_STATUS_OF, type Appointment, type Clinician, type Patient, type Practice, type Session, type Slot } from '../../../shared/domain';
import { PATIENT_INSERT_COLUMNS, patientColumnValues } from '../store/mirror';
import { sql, type Db } from '../store/sql';
import type { ListedPatient, ResourceType, UpstreamItem } from './batch';

/** Every type a base record can have (upstream_record.resource_type is written only as one of these); a Record so none is left out. */
const RESOURCE_TYPES = Object.keys({ Organization: 1, Practitioner: 1, Schedule: 1, Slot: 1, Patient: 1, Appointment: 1 } satisfies Record<ResourceType, 1>) as ResourceType[];

export class UpstreamStore {
  constructor(private readonly db: Db) {}

  /** How many writes the base records have had (triggers of migration 0007): equal counts, same records. */
  generation(): number {
    return this.db.prepare('SELECT n FROM upstream_generation WHERE id = 1').pluck().get() as number;
  }

  /** Every base record's fingerprint, by type then id: what "unchanged" is judged against. */
  fingerprints(): Map<ResourceType, Map<string, string>> {
    const out = new Map<ResourceType, Map<string, string>>();
    // Two single-column reads in the same (primary key) order, zipped, rather than one read of rows: better-sqlite3
    // makes an array per row of a multi-column read, which for 70,000 rows costs more than both columns together.
    // Callers read inside a transaction (knownFingerprints, the refresh), so both reads see the same rows.
    const ids = this.db.prepare('SELECT id FROM upstream_record WHERE resource_type = ? ORDER BY id').pluck();
    const fingerprints = this.db.prepare('SELECT fingerprint FROM upstream_record WHERE resource_type = ? ORDER BY id').pluck();
    for (const type of RESOURCE_TYPES) {
      const idList = ids.all(type) as string[];
      if (idList.length === 0) continue;
      const fingerprintList = fingerprints.all(type) as string[];
      const byId = new Map<string, string>();
      idList.forEach((id, i) => byId.set(id, fingerprintList[i] ?? ''));
      out.set(type, byId);
    }
    return out;
  }

  /**
   * Phone numbers the desk has changed and merge-back has not yet settled (a patient.contact journal entry with
   * no outcome), latest per patient: a refresh keeps these over upstream's until the change is keyed in.
   */
  pendingContactChanges(): Map<string, string | null> {
    const rows = this.db
      .prepare(
        `SELECT j.entity_id, j.after FROM journal j
         WHERE j.entity = 'patient' AND j.op = 'patient.contact' AND j.entity_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM merge_outcome o WHERE o.entry_id = j.id)
         ORDER BY j.seq`,
      )
      .raw()
      .all() as Array<[string, string | null]>;
    const out = new Map<string, string | null>();
    for (const [patientId, after] of rows) {
      const phone = (JSON.parse(after ?? 'null') as { phone?: unknown } | null)?.phone;
      out.set(patientId, typeof phone === 'string' ? phone : null);
    }
    return out;
  }

  ids(table: 'clinician' | 'session' | 'slot' | 'patient' | 'appointment'): Set<string> {
    return new Set(this.db.prepare(`SELECT id FROM ${table}`).pluck().all() as string[]);
  }

  /**
   * The appointments as a refresh needs them: which exist, which fall on the refreshed dates, and which the desk
   * has changed and not yet reconciled (version > 0), with the upstream version the change was made on.
   * Narrow reads: those on the dates and those not (together, each appointment once) rather than one pass over
   * four columns, since better-sqlite3 makes an array per row of a multi-column read, which for 34,000 rows
   * costs several times what single-column reads do.
   */
  appointmentState(dates: readonly string[]): {
    existing: { has(id: string): boolean };
    onDates: ReadonlySet<string>;
    local: Map<string, { version: number; upstreamVersion: string | null }>;
  } {
    const datesJson = JSON.stringify(dates);
    // appointment_by_day answers both without touching the table.
    const onDates = new Set(this.db.prepare('SELECT id FROM appointment WHERE local_date IN (SELECT value FROM json_each(?))').pluck().all(datesJson) as string[]);
    const otherDays = new Set(this.db.prepare('SELECT id FROM appointment WHERE local_date NOT IN (SELECT value FROM json_each(?))').pluck().all(datesJson) as string[]);
    const local = new Map<string, { version: number; upstreamVersion: string | null }>();
    const changed = this.db.prepare('SELECT id, version, upstream_version FROM appointment WHERE version > 0').raw().all() as Array<[string, number, string | null]>;
    for (const [id, version, upstreamVersion] of changed) local.set(id, { version, upstreamVersion });
    return { existing: { has: (id) => onDates.has(id) || otherDays.has(id) }, onDates, local };
  }

  sessionsOn(dates: readonly string[]): string[] {
    return this.db.prepare('SELECT id FROM session WHERE date IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(dates)) as string[];
  }

  slotsWithStart(): Array<{ id: string; start: string }> {
    return this.db.all(sql`SELECT id, start FROM slot`);
  }

  clearBase(): void {
    this.db.run(sql`DELETE FROM upstream_record`);
    this.db.run(sql`DELETE FROM upstream_pending`);
  }

  // ---- the mirrored entities ------------------------------------------------------------------------------

  setPractice(p: Practice): void {
    this.db.run(sql`DELETE FROM practice`);
    this.db.run(sql`INSERT INTO practice (id, name, ods_code) VALUES (${p.id}, ${p.name}, ${p.odsCode})`);
  }

  upsertClinician(c: Clinician): void {
    this.db
      .prepare(
        `INSERT INTO clinician (id, name, role, room) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, room = excluded.room`,
      )
      .run(c.id, c.name, c.role, c.room);
  }

  upsertSession(s: Session): void {
    this.db
      .prepare(
        `INSERT INTO session (id, clinician_id, room, date, start, "end", label) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET clinician_id = excluded.clinician_id, room = excluded.room, date = excluded.date,
           start = excluded.start, "end" = excluded."end", label = excluded.label`,
      )
      .run(s.id, s.clinicianId, s.room, s.date, s.start, s.end, s.label);
  }

  upsertSlot(s: Slot): void {
    this.db
      .prepare(
        `INSERT INTO slot (id, session_id, clinician_id, start, "end", status) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET session_id = excluded.session_id, clinician_id = excluded.clinician_id,
           start = excluded.start, "end" = excluded."end", status = excluded.status`,
      )
      .run(s.id, s.sessionId, s.clinicianId, s.start, s.end, s.status);
  }

  upsertPatient(x: Patient): void {
    this.db
      .prepare(
        `INSERT INTO patient (${PATIENT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET nhs_number = excluded.nhs_number, nhs_number_status = excluded.nhs_number_status,
           family_name = excluded.family_name, given_name = excluded.given_name, family_fold = excluded.family_fold,
           given_fold = excluded.given_fold, date_of_birth = excluded.date_of_birth, sex = excluded.sex, phone = excluded.phone,
           phone_digits = excluded.phone_digits, flags = excluded.flags, temporary_resident = excluded.temporary_resident,
           deceased = excluded.deceased, address = excluded.address`,
      )
      .run(...patientColumnValues(x));
  }

  /** Only for appointments without unreconciled local changes: the caller has checked. */
  upsertAppointment(a: Appointment, localDate: string): void {
    this.db
      .prepare(
        `INSERT INTO appointment (id, patient_id, clinician_id, session_id, slot_id, start, "end", local_date, type, status,
           fhir_status, reason, cancel_reason, arrived_at, sent_in_at, seen_at, version, upstream_version, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
         ON CONFLICT(id) DO UPDATE SET patient_id = excluded.patient_id, clinician_id = excluded.clinician_id,
           session_id = excluded.session_id, slot_id = excluded.slot_id, start = excluded.start, "end" = excluded."end",
           local_date = excluded.local_date, type = excluded.type, status = excluded.status, fhir_status = excluded.fhir_status,
           reason = excluded.reason, cancel_reason = excluded.cancel_reason, arrived_at = excluded.arrived_at,
           sent_in_at = excluded.sent_in_at, seen_at = excluded.seen_at, version = 0,
           upstream_version = excluded.upstream_version, updated_at = excluded.updated_at
         WHERE appointment.version = 0`,
      )
      .run(
        a.id,
        a.patientId,
        a.clinicianId,
        a.sessionId,
        a.slotId,
        a.start,
        a.end,
        localDate,
        a.type,
        a.status,
        FHIR_STATUS_OF[a.status],
        a.reason,
        a.cancelReason,
        a.arrivedAt,
        a.sentInAt,
        a.seenAt,
        a.upstreamVersion,
        a.updatedAt,
      );
  }

  deleteAppointment(id: string): void {
    // The WHERE is a second guard: a row the desk changed is never deleted by a refresh.
    this.db.prepare('DELETE FROM appointment WHERE id = ? AND version = 0').run(id);
  }

  /**
   * What the mirror's rows still refer to, read once after the appointments are settled: one scan each instead
   * of a NOT EXISTS per candidate (the appointment table has no index on slot or session).
   */
  referenced(): { slots: Set<string>; sessions: Set<string>; patients: Set<string>; clinicians: Set<string> } {
    const out = { slots: new Set<string>(), sessions: new Set<string>(), patients: new Set<string>(), clinicians: new Set<string>() };
    for (const r of this.db.prepare('SELECT slot_id, session_id, patient_id, clinician_id FROM appointment').raw().iterate() as IterableIterator<
      [string | null, string | null, string, string]
    >) {
      if (r[0] !== null) out.slots.add(r[0]);
      if (r[1] !== null) out.sessions.add(r[1]);
      out.patients.add(r[2]);
      out.clinicians.add(r[3]);
    }
    for (const r of this.db.prepare('SELECT session_id, clinician_id FROM slot').raw().iterate() as IterableIterator<[string | null, string]>) {
      if (r[0] !== null) out.sessions.add(r[0]);
      out.clinicians.add(r[1]);
    }
    for (const id of this.db.prepare('SELECT clinician_id FROM session').pluck().iterate() as IterableIterator<string>) out.clinicians.add(id);
    return out;
  }

  deleteRow(table: 'slot' | 'session' | 'patient' | 'clinician', id: string): void {
    this.db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }

  // ---- base records and held upstream changes -------------------------------------------------------------

  /**
   * The patients the last whole practice list delivered (their base record says onList), whom a batch that does
   * not carry the list must never remove.
   */
  listedPatientIds(): Set<string> {
    return new Set(
      this.db.prepare("SELECT id FROM upstream_record WHERE resource_type = 'Patient' AND entity IS NOT NULL AND json_extract(entity, '$.onList') = 1").pluck().all() as string[],
    );
  }

  /** What the list said of a patient (deceased, temporary resident, address), or null when it has nothing on them. */
  listingOf(patientId: string): ListedPatient | null {
    const json = this.db.prepare("SELECT entity FROM upstream_record WHERE resource_type = 'Patient' AND id = ?").pluck().get(patientId) as string | null | undefined;
    return json ? (JSON.parse(json) as ListedPatient) : null;
  }

  /** Rewrites only the list part of a patient's base record (on or off the list), leaving its version as it is. */
  setListing(patientId: string, listed: ListedPatient): void {
    this.db.prepare("UPDATE upstream_record SET entity = ? WHERE resource_type = 'Patient' AND id = ?").run(JSON.stringify(listed), patientId);
  }

  /**
   * `entity` is kept for appointments (merge-back's base snapshot) and, as `listed`, for patients (what the practice
   * list says of them); other records keep only their raw form.
   */
  putBase(item: UpstreamItem<unknown>, entity: unknown, source: string, pulledAt: string, listed: ListedPatient | null = null): void {
    this.db
      .prepare(
        `INSERT INTO upstream_record (resource_type, id, version, fingerprint, format, raw, entity, source, pulled_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(resource_type, id) DO UPDATE SET version = excluded.version, fingerprint = excluded.fingerprint,
           format = excluded.format, raw = excluded.raw, entity = excluded.entity, source = excluded.source,
           pulled_at = excluded.pulled_at`,
      )
      .run(
        item.resourceType,
        item.id,
        item.version,
        item.fingerprint,
        item.format,
        JSON.stringify(item.raw),
        item.resourceType === 'Appointment' ? JSON.stringify(entity) : listed === null ? null : JSON.stringify(listed),
        source,
        pulledAt,
      );
  }

  hasBase(resourceType: ResourceType, id: string): boolean {
    return this.db.prepare('SELECT 1 FROM upstream_record WHERE resource_type = ? AND id = ?').get(resourceType, id) !== undefined;
  }

  deleteBase(resourceType: ResourceType, id: string): void {
    this.db.prepare('DELETE FROM upstream_record WHERE resource_type = ? AND id = ?').run(resourceType, id);
    this.db.prepare('DELETE FROM upstream_pending WHERE resource_type = ? AND id = ?').run(resourceType, id);
  }

  hold(
    change: { resourceType: ResourceType; id: string; change: 'changed' | 'removed'; item: UpstreamItem<unknown> | null },
    local: { version: number; upstreamVersion: string | null },
    source: string,
    at: string,
  ): void {
    const it = change.item;
    this.db
      .prepare(
        `INSERT INTO upstream_pending (resource_type, id, change, version, fingerprint, format, raw, entity, base_version,
           local_version, source, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(resource_type, id) DO UPDATE SET change = excluded.change, version = excluded.version,
           fingerprint = excluded.fingerprint, format = excluded.format, raw = excluded.raw, entity = excluded.entity,
           base_version = excluded.base_version, local_version = excluded.local_version, source = excluded.source,
           arrived_at = excluded.arrived_at`,
      )
      .run(
        change.resourceType,
        change.id,
        change.change,
        it?.version ?? null,
        it?.fingerprint ?? null,
        it?.format ?? null,
        it ? JSON.stringify(it.raw) : null,
        it ? JSON.stringify(it.entity) : null,
        local.upstreamVersion,
        local.version,
        source,
        at,
      );
  }

  /** Upstream went back to the base (or the desk's change was undone upstream-side): nothing is held any more. */
  release(resourceType: ResourceType, id: string): void {
    this.db.prepare('DELETE FROM upstream_pending WHERE resource_type = ? AND id = ?').run(resourceType, id);
  }

  pendingCount(): number {
    return this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM upstream_pending`)?.n ?? 0;
  }

  pending(): Array<{ resourceType: ResourceType; id: string; change: 'changed' | 'removed'; version: string | null; baseVersion: string | null; arrivedAt: string }> {
    return this.db.all(sql`SELECT resource_type AS resourceType, id, change, version, base_version AS baseVersion, arrived_at AS arrivedAt
      FROM upstream_pending ORDER BY resource_type, id`);
  }
}
