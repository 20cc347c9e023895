/**
 * The mirror's tables: reading the day, finding patients, and loading a whole book. Writes here run inside
 * the service's transactions; nothing outside the desk service calls the write methods.
 */
import {
  FHIR_STATUS_OF,
  fhirStatusOf,
  NEEDS_CALLBACK_STATUSES,
  NO_DESK_INFO,
  foldName,
  localDateOf,
  phoneDigits,
  type Appointment,
  type AppointmentDesk,
  type Clinician,
  type DeskStatus,
  type Patient,
  type PatientQuery,
  type PracticeBook,
  type Practice,
  type Session,
  type Slot,
  withListFacts,
} from '../../../shared/domain';
import type { AppointmentRow } from '../../../shared/api';
import { sql, type Db, type SqlValue } from './sql';

interface AppointmentDbRow {
  id: string;
  patient_id: string;
  clinician_id: string;
  session_id: string | null;
  slot_id: string | null;
  start: string;
  end: string;
  type: Appointment['type'];
  status: DeskStatus;
  fhir_status: Appointment['fhirStatus'];
  reason: string | null;
  cancel_reason: string | null;
  arrived_at: string | null;
  sent_in_at: string | null;
  seen_at: string | null;
  version: number;
  upstream_version: string | null;
  updated_at: string;
  origin: AppointmentDesk['origin'];
  triage: AppointmentDesk['triage'];
  duty_list: number;
  ticket: number | null;
  call_kind: AppointmentDesk['call'];
  rebooked_from: string | null;
  rebooked_to: string | null;
}

interface PatientDbRow {
  id: string;
  nhs_number: string | null;
  nhs_number_status: Patient['nhsNumberStatus'];
  family_name: string;
  given_name: string;
  date_of_birth: string | null;
  sex: Patient['sex'];
  phone: string | null;
  flags: string;
  local: number;
  temporary_resident: number;
  deceased: number;
  address: string | null;
}

const APPOINTMENT_COLUMNS = `a.id, a.patient_id, a.clinician_id, a.session_id, a.slot_id, a.start, a."end", a.type, a.status,
  a.fhir_status, a.reason, a.cancel_reason, a.arrived_at, a.sent_in_at, a.seen_at, a.version, a.upstream_version, a.updated_at,
  a.origin, a.triage, a.duty_list, a.ticket, a.call_kind, a.rebooked_from, a.rebooked_to`;
const PATIENT_COLUMNS = `p.id AS p_id, p.nhs_number, p.nhs_number_status, p.family_name, p.given_name, p.date_of_birth, p.sex,
  p.phone, p.flags, p.local, p.temporary_resident, p.deceased, p.address`;

function appointmentFromRow(r: AppointmentDbRow): Appointment {
  const a: Appointment = {
    id: r.id,
    patientId: r.patient_id,
    clinicianId: r.clinician_id,
    sessionId: r.session_id,
    slotId: r.slot_id,
    start: r.start,
    end: r.end,
    type: r.type,
    status: r.status,
    fhirStatus: r.fhir_status,
    reason: r.reason,
    cancelReason: r.cancel_reason,
    arrivedAt: r.arrived_at,
    sentInAt: r.sent_in_at,
    seenAt: r.seen_at,
    version: r.version,
    upstreamVersion: r.upstream_version,
    updatedAt: r.updated_at,
  };
  const desk: AppointmentDesk = {
    origin: r.origin,
    triage: r.triage,
    dutyList: r.duty_list === 1,
    ticket: r.ticket,
    call: r.call_kind,
    rebookedFrom: r.rebooked_from,
    rebookedTo: r.rebooked_to,
  };
  // Only what the desk added: a record as pulled reads exactly as upstream sent it.
  if (hasDeskInfo(desk)) a.desk = desk;
  return a;
}

export function hasDeskInfo(d: AppointmentDesk): boolean {
  return (Object.keys(NO_DESK_INFO) as Array<keyof AppointmentDesk>).some((k) => d[k] !== NO_DESK_INFO[k]);
}

/**
 * A patient's values in the column order every INSERT INTO patient names them (the mirror's load, upstream's):
 * PATIENT_INSERT_COLUMNS.
 */
export function patientColumnValues(x: Patient): SqlValue[] {
  return [
    x.id,
    x.nhsNumber,
    x.nhsNumberStatus,
    x.familyName,
    x.givenName,
    foldName(x.familyName),
    foldName(x.givenName),
    x.dateOfBirth,
    x.sex,
    x.phone,
    phoneDigits(x.phone),
    JSON.stringify(x.flags),
    x.temporaryResident ? 1 : 0,
    x.deceased ? 1 : 0,
    x.address ?? null,
  ];
}

export const PATIENT_INSERT_COLUMNS = `id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold, date_of_birth,
  sex, phone, phone_digits, flags, temporary_resident, deceased, address`;
const PATIENT_INSERT_PLACEHOLDERS = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?';

function patientFromRow(r: PatientDbRow & { p_id?: string }): Patient {
  const p: Patient = withListFacts(
    {
      id: r.p_id ?? r.id,
      nhsNumber: r.nhs_number,
      nhsNumberStatus: r.nhs_number_status,
      familyName: r.family_name,
      givenName: r.given_name,
      dateOfBirth: r.date_of_birth,
      sex: r.sex,
      phone: r.phone,
      flags: JSON.parse(r.flags) as Patient['flags'],
    },
    { deceased: r.deceased === 1, temporaryResident: r.temporary_resident === 1, address: r.address },
  );
  if (r.local === 1) p.desk = { origin: 'desk' };
  return p;
}

export class MirrorStore {
  constructor(private readonly db: Db) {}

  // ---- reading -------------------------------------------------------------------------------------------

  practice(): Practice | null {
    const row = this.db.get<{ id: string; name: string; ods_code: string | null }>(sql`SELECT * FROM practice LIMIT 1`);
    return row ? { id: row.id, name: row.name, odsCode: row.ods_code } : null;
  }

  cliniciansOn(date: string, clinicianId: string | null): Clinician[] {
    return this.db.all<Clinician>(sql`
      SELECT c.id, c.name, c.role, c.room FROM clinician c
      WHERE (${clinicianId} IS NULL OR c.id = ${clinicianId})
        AND (EXISTS (SELECT 1 FROM session s WHERE s.clinician_id = c.id AND s.date = ${date})
          OR EXISTS (SELECT 1 FROM appointment a WHERE a.clinician_id = c.id AND a.local_date = ${date}))
      ORDER BY c.name`);
  }

  sessionsOn(date: string, clinicianId: string | null): Session[] {
    return this.db.all<Session>(sql`
      SELECT id, clinician_id AS clinicianId, room, date, start, "end", label FROM session
      WHERE date = ${date} AND (${clinicianId} IS NULL OR clinician_id = ${clinicianId})
      ORDER BY clinician_id, start`);
  }

  /** The day's appointments; a walk-in registered in error (entered-in-error) is not part of the day. */
  appointmentRowsOn(date: string, clinicianId: string | null): AppointmentRow[] {
    const rows = this.db.all<AppointmentDbRow & PatientDbRow & { p_id: string }>({
      text: `SELECT ${APPOINTMENT_COLUMNS}, ${PATIENT_COLUMNS}
        FROM appointment a JOIN patient p ON p.id = a.patient_id
        WHERE a.local_date = ? AND (? IS NULL OR a.clinician_id = ?) AND a.fhir_status <> 'entered-in-error'
        ORDER BY a.clinician_id, a.start, a.id`,
      params: [date, clinicianId, clinicianId],
    });
    return rows.map((r) => ({ ...appointmentFromRow(r), patient: patientFromRow(r) }));
  }

  appointment(id: string): Appointment | null {
    const row = this.db.get<AppointmentDbRow>({ text: `SELECT ${APPOINTMENT_COLUMNS} FROM appointment a WHERE a.id = ?`, params: [id] });
    return row ? appointmentFromRow(row) : null;
  }

  appointmentsOfPatientOn(patientId: string, date: string): Appointment[] {
    return this.db
      .all<AppointmentDbRow>({
        text: `SELECT ${APPOINTMENT_COLUMNS} FROM appointment a WHERE a.patient_id = ? AND a.local_date = ?
          AND a.fhir_status <> 'entered-in-error' ORDER BY a.start`,
        params: [patientId, date],
      })
      .map(appointmentFromRow);
  }

  searchPatients(query: PatientQuery, date: string, limit: number): Patient[] {
    // Patients booked on the date come first: the person at the desk is most likely one of them.
    const bookedFirst = `(SELECT count(*) FROM appointment a WHERE a.patient_id = p.id AND a.local_date = ?) > 0 DESC,
      p.family_fold, p.given_fold, p.date_of_birth, p.id`;
    let where: string;
    let params: SqlValue[];
    switch (query.kind) {
      case 'nhs':
        where = 'p.nhs_number = ?';
        params = [query.nhsNumber];
        break;
      case 'dob':
        where = 'p.date_of_birth = ?';
        params = [query.dateOfBirth];
        break;
      case 'phone':
        where = "p.phone_digits LIKE ? ESCAPE '\\'";
        params = [`%${query.digits}%`];
        break;
      case 'name':
        // Prefix ranges use the index; the folded names contain only a-z so no LIKE escaping is needed. One
        // clause per reading of the words ("o brien": O... Brien..., or O'Brien), any of which may match.
        where = query.readings.map(() => "(p.family_fold >= ? AND p.family_fold < ? AND (? IS NULL OR p.given_fold LIKE ? || '%'))").join(' OR ') || '0';
        params = query.readings.flatMap((r) => [r.family, r.family + '{', r.given, r.given]);
        break;
    }
    const rows = this.db.all<PatientDbRow>({
      text: `SELECT p.* FROM patient p WHERE ${where} ORDER BY ${bookedFirst} LIMIT ?`,
      params: [...params, date, limit],
    });
    return rows.map(patientFromRow);
  }

  countsByDate(): Array<{ date: string; status: DeskStatus; n: number }> {
    return this.db.all(sql`SELECT local_date AS date, status, count(*) AS n FROM appointment GROUP BY local_date, status ORDER BY local_date`);
  }

  counts(): { patients: number; bookedPatients: number; clinicians: number; appointments: number } {
    return (
      this.db.get(sql`SELECT (SELECT count(*) FROM patient) AS patients,
        (SELECT count(DISTINCT patient_id) FROM appointment) AS bookedPatients,
        (SELECT count(*) FROM clinician) AS clinicians, (SELECT count(*) FROM appointment) AS appointments`) ?? {
        patients: 0,
        bookedPatients: 0,
        clinicians: 0,
        appointments: 0,
      }
    );
  }

  /** Appointments the desk has changed since they were loaded: what a reload must not throw away. */
  locallyChangedCount(): number {
    return this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM appointment WHERE version > 0`)?.n ?? 0;
  }

  getMeta(key: string): string | null {
    return this.db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${key}`)?.value ?? null;
  }

  /** Patients registered at the desk and not yet merged back: a whole-book load must not drop them. */
  localPatientCount(): number {
    return this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM patient WHERE local = 1`)?.n ?? 0;
  }

  // ---- reception reads ---------------------------------------------------------------------------------------

  patient(id: string): Patient | null {
    const row = this.db.get<PatientDbRow>(sql`SELECT * FROM patient WHERE id = ${id}`);
    return row ? patientFromRow(row) : null;
  }

  patientsByNhsNumber(nhsNumber: string): Patient[] {
    return this.db.all<PatientDbRow>(sql`SELECT * FROM patient WHERE nhs_number = ${nhsNumber} ORDER BY id`).map(patientFromRow);
  }

  appointmentRow(id: string): AppointmentRow | null {
    const row = this.db.get<AppointmentDbRow & PatientDbRow & { p_id: string }>({
      text: `SELECT ${APPOINTMENT_COLUMNS}, ${PATIENT_COLUMNS} FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE a.id = ?`,
      params: [id],
    });
    return row ? { ...appointmentFromRow(row), patient: patientFromRow(row) } : null;
  }

  clinician(id: string): Clinician | null {
    return this.db.get<Clinician>(sql`SELECT id, name, role, room FROM clinician WHERE id = ${id}`) ?? null;
  }

  session(id: string): Session | null {
    return this.db.get<Session>(sql`SELECT id, clinician_id AS clinicianId, room, date, start, "end", label FROM session WHERE id = ${id}`) ?? null;
  }

  /** The clinician's session that day running at `at`, else the one nearest to it; null when none that day. */
  sessionNearest(clinicianId: string, date: string, at: string): Session | null {
    return (
      this.db.get<Session>(sql`
        SELECT id, clinician_id AS clinicianId, room, date, start, "end", label FROM session
        WHERE clinician_id = ${clinicianId} AND date = ${date}
        ORDER BY CASE WHEN start <= ${at} AND "end" > ${at} THEN 0 ELSE 1 END,
          min(abs(julianday(start) - julianday(${at})), abs(julianday("end") - julianday(${at}))), start
        LIMIT 1`) ?? null
    );
  }

  slot(id: string): Slot | null {
    return this.db.get<Slot>(sql`SELECT id, session_id AS sessionId, clinician_id AS clinicianId, start, "end", status FROM slot WHERE id = ${id}`) ?? null;
  }

  /** Whether the desk may book this slot (see freeSlots). */
  slotBookable(slotId: string): boolean {
    return (
      this.db.get(sql`
        SELECT 1 FROM slot s WHERE s.id = ${slotId}
          AND (s.status = 'free' OR (s.status = 'busy' AND EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id)))
          AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id AND a.status <> 'cancelled')`) !== undefined
    );
  }

  /** The live appointment holding a slot, if any: cancelled ones have given theirs up. */
  slotHolder(slotId: string): Appointment | null {
    const row = this.db.get<AppointmentDbRow>({
      text: `SELECT ${APPOINTMENT_COLUMNS} FROM appointment a WHERE a.slot_id = ? AND a.status <> 'cancelled' ORDER BY a.id LIMIT 1`,
      params: [slotId],
    });
    return row ? appointmentFromRow(row) : null;
  }

  /**
   * Slots the desk may book, starting in [fromIso, toIso) and not yet started at `nowIso`, earliest first: no live
   * appointment holds them, and upstream has them free, or busy only with an appointment since cancelled (at the
   * desk or upstream). A busy slot the mirror knows no appointment for stays busy: it may be held by something the
   * mirror does not see. A slot has started once its start is `nowIso` or earlier, as rebooking checks
   * (actions/rebooking.ts): one offered here is never refused there as started.
   */
  freeSlots(fromIso: string, toIso: string, nowIso: string, clinicianId: string | null, limit: number): Array<Slot & { sessionLabel: string | null; sessionRoom: string | null }> {
    return this.db.all(sql`
      SELECT s.id, s.session_id AS sessionId, s.clinician_id AS clinicianId, s.start, s."end", s.status,
        se.label AS sessionLabel, se.room AS sessionRoom
      FROM slot s LEFT JOIN session se ON se.id = s.session_id
      WHERE s.start >= ${fromIso} AND s.start < ${toIso} AND s.start > ${nowIso}
        AND (${clinicianId} IS NULL OR s.clinician_id = ${clinicianId})
        AND (s.status = 'free' OR (s.status = 'busy' AND EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id)))
        AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id AND a.status <> 'cancelled')
      ORDER BY s.start, s.clinician_id, s.id
      LIMIT ${limit}`);
  }

  /**
   * Gives the next waiting-room ticket for a day (in the caller's transaction): from 1, never twice that day. The
   * highest given is kept apart (day_ticket, migration 11), as an undone check-in takes its ticket back; a desk
   * group replicates it, so a member that takes over carries on from it.
   */
  nextTicket(date: string): number {
    const row = this.db.get<{ n: number | null }>(sql`
      SELECT max(coalesce((SELECT last_ticket FROM day_ticket WHERE local_date = ${date}), 0),
        coalesce((SELECT max(ticket) FROM appointment WHERE local_date = ${date}), 0)) AS n`);
    const ticket = (row?.n ?? 0) + 1;
    this.db.run(sql`INSERT INTO day_ticket (local_date, last_ticket) VALUES (${date}, ${ticket}) ON CONFLICT(local_date) DO UPDATE SET last_ticket = excluded.last_ticket`);
    return ticket;
  }

  /**
   * Cancelled or missed appointments on dates in [from, to]: the candidates for the callback list, whose own
   * definition (shared/domain needsCallback) decides who is on it.
   */
  missedRows(from: string, to: string): AppointmentRow[] {
    const statuses = NEEDS_CALLBACK_STATUSES.map(() => '?').join(', ');
    const rows = this.db.all<AppointmentDbRow & PatientDbRow & { p_id: string }>({
      text: `SELECT ${APPOINTMENT_COLUMNS}, ${PATIENT_COLUMNS}
        FROM appointment a JOIN patient p ON p.id = a.patient_id
        WHERE a.local_date >= ? AND a.local_date <= ? AND a.status IN (${statuses})`,
      params: [from, to, ...NEEDS_CALLBACK_STATUSES],
    });
    return rows.map((r) => ({ ...appointmentFromRow(r), patient: patientFromRow(r) }));
  }

  /** A patient's appointments from a date on that are still to happen or happening (not cancelled or missed). */
  liveAppointmentsOfPatientFrom(patientId: string, from: string): Appointment[] {
    return this.db
      .all<AppointmentDbRow>({
        text: `SELECT ${APPOINTMENT_COLUMNS} FROM appointment a WHERE a.patient_id = ? AND a.local_date >= ?
          AND a.status NOT IN (${NEEDS_CALLBACK_STATUSES.map(() => '?').join(', ')}) ORDER BY a.start`,
        params: [patientId, from, ...NEEDS_CALLBACK_STATUSES],
      })
      .map(appointmentFromRow);
  }

  /** The latest journal entry about an appointment: what "undo its last change" would undo. */
  lastJournalEntryFor(appointmentId: string): { seq: number; id: string; op: string; at: string; user: string; desk: string; before: unknown; after: unknown } | null {
    const row = this.db.get<{ seq: number; id: string; op: string; at: string; user: string; desk: string; before: string | null; after: string | null }>(sql`
      SELECT seq, id, op, at, user, desk, before, after FROM journal
      WHERE entity = 'appointment' AND entity_id = ${appointmentId} ORDER BY seq DESC LIMIT 1`);
    if (!row) return null;
    return {
      ...row,
      before: row.before === null ? null : (JSON.parse(row.before) as unknown),
      after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    };
  }

  // ---- writing (inside the service's transaction) -------------------------------------------------------

  /** null removes the key: getMeta then answers null, as for a key never set. */
  setMeta(key: string, value: string | null): void {
    if (value === null) this.db.run(sql`DELETE FROM meta WHERE key = ${key}`);
    else this.db.run(sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  }

  updateAppointment(a: Appointment): void {
    const d = a.desk ?? NO_DESK_INFO;
    this.db.run(sql`
      UPDATE appointment SET status = ${a.status}, fhir_status = ${fhirStatusOf(a)}, cancel_reason = ${a.cancelReason},
        arrived_at = ${a.arrivedAt}, sent_in_at = ${a.sentInAt}, seen_at = ${a.seenAt}, version = ${a.version},
        updated_at = ${a.updatedAt}, origin = ${d.origin}, triage = ${d.triage}, duty_list = ${d.dutyList ? 1 : 0},
        ticket = ${d.ticket}, call_kind = ${d.call}, rebooked_from = ${d.rebookedFrom}, rebooked_to = ${d.rebookedTo}
      WHERE id = ${a.id}`);
  }

  /**
   * An appointment made at the desk (a walk-in, a rebooking). The caller gives it version >= 1 and no upstream
   * version: to a refresh that is a local change, never overwritten or removed.
   */
  insertDeskAppointment(a: Appointment): void {
    if (a.version < 1 || a.upstreamVersion !== null) throw new Error('a desk-made appointment needs version >= 1 and no upstream version');
    const d = a.desk ?? NO_DESK_INFO;
    this.db.run(sql`
      INSERT INTO appointment (id, patient_id, clinician_id, session_id, slot_id, start, "end", local_date, type, status, fhir_status,
        reason, cancel_reason, arrived_at, sent_in_at, seen_at, version, upstream_version, updated_at, origin, triage, duty_list,
        ticket, call_kind, rebooked_from, rebooked_to)
      VALUES (${a.id}, ${a.patientId}, ${a.clinicianId}, ${a.sessionId}, ${a.slotId}, ${a.start}, ${a.end}, ${localDateOf(a.start)},
        ${a.type}, ${a.status}, ${FHIR_STATUS_OF[a.status]}, ${a.reason}, ${a.cancelReason}, ${a.arrivedAt}, ${a.sentInAt},
        ${a.seenAt}, ${a.version}, ${null}, ${a.updatedAt}, ${d.origin}, ${d.triage}, ${d.dutyList ? 1 : 0}, ${d.ticket},
        ${d.call}, ${d.rebookedFrom}, ${d.rebookedTo})`);
  }

  /** A patient registered at the desk: marked local, so neither a refresh nor a bulk delete can remove it. */
  insertLocalPatient(x: Patient): void {
    this.db.run(sql`
      INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold, date_of_birth,
        sex, phone, phone_digits, flags, local, temporary_resident)
      VALUES (${x.id}, ${x.nhsNumber}, ${x.nhsNumberStatus}, ${x.familyName}, ${x.givenName}, ${foldName(x.familyName)},
        ${foldName(x.givenName)}, ${x.dateOfBirth}, ${x.sex}, ${x.phone}, ${phoneDigits(x.phone)}, ${JSON.stringify(x.flags)},
        1, ${x.temporaryResident ? 1 : 0})`);
  }

  /** Replaces the whole mirror with a book. The caller has checked there is nothing local to lose. */
  replaceBook(book: PracticeBook): void {
    for (const table of ['appointment', 'slot', 'session', 'patient', 'clinician', 'practice']) {
      this.db.prepare(`DELETE FROM ${table}`).run();
    }
    const p = book.practice;
    this.db.run(sql`INSERT INTO practice (id, name, ods_code) VALUES (${p.id}, ${p.name}, ${p.odsCode})`);
    const insertClinician = this.db.prepare('INSERT INTO clinician (id, name, role, room) VALUES (?, ?, ?, ?)');
    for (const c of book.clinicians) insertClinician.run(c.id, c.name, c.role, c.room);
    const insertSession = this.db.prepare('INSERT INTO session (id, clinician_id, room, date, start, "end", label) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const s of book.sessions) insertSession.run(s.id, s.clinicianId, s.room, s.date, s.start, s.end, s.label);
    const insertSlot = this.db.prepare('INSERT INTO slot (id, session_id, clinician_id, start, "end", status) VALUES (?, ?, ?, ?, ?, ?)');
    for (const s of book.slots) insertSlot.run(s.id, s.sessionId, s.clinicianId, s.start, s.end, s.status);
    const insertPatient = this.db.prepare(`INSERT INTO patient (${PATIENT_INSERT_COLUMNS}) VALUES (${PATIENT_INSERT_PLACEHOLDERS})`);
    for (const x of book.patients) {
      insertPatient.run(...patientColumnValues(x));
    }
    const insertAppointment = this.db.prepare(`INSERT INTO appointment (id, patient_id, clinician_id, session_id, slot_id, start,
      "end", local_date, type, status, fhir_status, reason, cancel_reason, arrived_at, sent_in_at, seen_at, version,
      upstream_version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const a of book.appointments) {
      insertAppointment.run(
        a.id,
        a.patientId,
        a.clinicianId,
        a.sessionId,
        a.slotId,
        a.start,
        a.end,
        localDateOf(a.start),
        a.type,
        a.status,
        FHIR_STATUS_OF[a.status],
        a.reason,
        a.cancelReason,
        a.arrivedAt,
        a.sentInAt,
        a.seenAt,
        a.version,
        a.upstreamVersion,
        a.updatedAt,
      );
    }
  }
}
