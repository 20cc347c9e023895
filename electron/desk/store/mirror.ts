/**
 * The mirror's tables: reading the day, finding patients, and loading a whole book. Writes here run inside
 * the service's transactions; nothing outside the desk service calls the write methods.
 */
import {
  FHIR_STATUS_OF,
  foldName,
  localDateOf,
  phoneDigits,
  type Appointment,
  type Clinician,
  type DeskStatus,
  type Patient,
  type PatientQuery,
  type PracticeBook,
  type Practice,
  type Session,
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
}

const APPOINTMENT_COLUMNS = `a.id, a.patient_id, a.clinician_id, a.session_id, a.slot_id, a.start, a."end", a.type, a.status,
  a.fhir_status, a.reason, a.cancel_reason, a.arrived_at, a.sent_in_at, a.seen_at, a.version, a.upstream_version, a.updated_at`;
const PATIENT_COLUMNS = `p.id AS p_id, p.nhs_number, p.nhs_number_status, p.family_name, p.given_name, p.date_of_birth, p.sex,
  p.phone, p.flags`;

function appointmentFromRow(r: AppointmentDbRow): Appointment {
  return {
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
}

function patientFromRow(r: PatientDbRow & { p_id?: string }): Patient {
  return {
    id: r.p_id ?? r.id,
    nhsNumber: r.nhs_number,
    nhsNumberStatus: r.nhs_number_status,
    familyName: r.family_name,
    givenName: r.given_name,
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    phone: r.phone,
    flags: JSON.parse(r.flags) as Patient['flags'],
  };
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

  appointmentRowsOn(date: string, clinicianId: string | null): AppointmentRow[] {
    const rows = this.db.all<AppointmentDbRow & PatientDbRow & { p_id: string }>({
      text: `SELECT ${APPOINTMENT_COLUMNS}, ${PATIENT_COLUMNS}
        FROM appointment a JOIN patient p ON p.id = a.patient_id
        WHERE a.local_date = ? AND (? IS NULL OR a.clinician_id = ?)
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
        text: `SELECT ${APPOINTMENT_COLUMNS} FROM appointment a WHERE a.patient_id = ? AND a.local_date = ? ORDER BY a.start`,
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
        // Prefix ranges use the index; the folded names contain only a-z so no LIKE escaping is needed.
        where = "p.family_fold >= ? AND p.family_fold < ? AND (? IS NULL OR p.given_fold LIKE ? || '%')";
        params = [query.family, query.family + '{', query.given, query.given];
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

  counts(): { patients: number; clinicians: number; appointments: number } {
    return (
      this.db.get(sql`SELECT (SELECT count(*) FROM patient) AS patients, (SELECT count(*) FROM clinician) AS clinicians,
        (SELECT count(*) FROM appointment) AS appointments`) ?? { patients: 0, clinicians: 0, appointments: 0 }
    );
  }

  /** Appointments the desk has changed since they were loaded: what a reload must not throw away. */
  locallyChangedCount(): number {
    return this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM appointment WHERE version > 0`)?.n ?? 0;
  }

  getMeta(key: string): string | null {
    return this.db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${key}`)?.value ?? null;
  }

  // ---- writing (inside the service's transaction) -------------------------------------------------------

  setMeta(key: string, value: string): void {
    this.db.run(sql`INSERT INTO meta (key, value) VALUES (${key}, ${value}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
  }

  updateAppointment(a: Appointment): void {
    this.db.run(sql`
      UPDATE appointment SET status = ${a.status}, fhir_status = ${FHIR_STATUS_OF[a.status]}, cancel_reason = ${a.cancelReason},
        arrived_at = ${a.arrivedAt}, sent_in_at = ${a.sentInAt}, seen_at = ${a.seenAt}, version = ${a.version},
        updated_at = ${a.updatedAt}
      WHERE id = ${a.id}`);
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
    const insertPatient = this.db.prepare(`INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name,
      family_fold, given_fold, date_of_birth, sex, phone, phone_digits, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const x of book.patients) {
      insertPatient.run(x.id, x.nhsNumber, x.nhsNumberStatus, x.familyName, x.givenName, foldName(x.familyName),
        foldName(x.givenName), x.dateOfBirth, x.sex, x.phone, phoneDigits(x.phone), JSON.stringify(x.flags));
    }
    const insertAppointment = this.db.prepare(`INSERT INTO appointment (id, patient_id, clinician_id, session_id, slot_id, start,
      "end", local_date, type, status, fhir_status, reason, cancel_reason, arrived_at, sent_in_at, seen_at, version,
      upstream_version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const a of book.appointments) {
      insertAppointment.run(a.id, a.patientId, a.clinicianId, a.sessionId, a.slotId, a.start, a.end, localDateOf(a.start),
        a.type, a.status, FHIR_STATUS_OF[a.status], a.reason, a.cancelReason, a.arrivedAt, a.sentInAt, a.seenAt, a.version,
        a.upstreamVersion, a.updatedAt);
    }
  }
}

