import type BetterSqlite3 from 'better-sqlite3';
import { DESK_STATUSES, FHIR_APPOINTMENT_STATUSES } from '../../../../shared/domain/status';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/**
 * The mirror (practice, clinicians, sessions, slots, patients, appointments), its metadata, and the journal.
 * CHECK constraints repeat the domain's enums so that no code path, however buggy, can store a status the
 * status machine does not know. The journal refuses UPDATE and DELETE: it is the record of the outage.
 */
export function updateToSchemaVersion1(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE practice (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      ods_code TEXT
    ) STRICT;

    CREATE TABLE clinician (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      room TEXT
    ) STRICT;

    CREATE TABLE session (
      id TEXT PRIMARY KEY,
      clinician_id TEXT NOT NULL REFERENCES clinician(id),
      room TEXT,
      date TEXT NOT NULL,
      start TEXT NOT NULL,
      "end" TEXT NOT NULL,
      label TEXT
    ) STRICT;
    CREATE INDEX session_by_date ON session(date, clinician_id);

    CREATE TABLE slot (
      id TEXT PRIMARY KEY,
      session_id TEXT REFERENCES session(id),
      clinician_id TEXT NOT NULL REFERENCES clinician(id),
      start TEXT NOT NULL,
      "end" TEXT NOT NULL,
      status TEXT NOT NULL
    ) STRICT;
    CREATE INDEX slot_by_clinician ON slot(clinician_id, start);

    CREATE TABLE patient (
      id TEXT PRIMARY KEY,
      nhs_number TEXT,
      nhs_number_status TEXT NOT NULL CHECK (nhs_number_status IN ('valid', 'invalid', 'missing')),
      family_name TEXT NOT NULL,
      given_name TEXT NOT NULL,
      -- accent-, case- and punctuation-folded family name, for prefix search ("obri" finds O'Brien)
      family_fold TEXT NOT NULL,
      given_fold TEXT NOT NULL,
      date_of_birth TEXT,
      sex TEXT NOT NULL,
      phone TEXT,
      phone_digits TEXT,
      flags TEXT NOT NULL DEFAULT '[]'
    ) STRICT;
    CREATE INDEX patient_by_family ON patient(family_fold, given_fold);
    CREATE INDEX patient_by_nhs ON patient(nhs_number);
    CREATE INDEX patient_by_dob ON patient(date_of_birth);
    CREATE INDEX patient_by_phone ON patient(phone_digits);

    CREATE TABLE appointment (
      id TEXT PRIMARY KEY,
      patient_id TEXT NOT NULL REFERENCES patient(id),
      clinician_id TEXT NOT NULL REFERENCES clinician(id),
      session_id TEXT REFERENCES session(id),
      slot_id TEXT REFERENCES slot(id),
      start TEXT NOT NULL,
      "end" TEXT NOT NULL,
      local_date TEXT NOT NULL,
      type TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN (${list(DESK_STATUSES)})),
      fhir_status TEXT NOT NULL CHECK (fhir_status IN (${list(FHIR_APPOINTMENT_STATUSES)})),
      reason TEXT,
      cancel_reason TEXT,
      arrived_at TEXT,
      sent_in_at TEXT,
      seen_at TEXT,
      version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0),
      upstream_version TEXT,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX appointment_by_day ON appointment(local_date, clinician_id, start);
    CREATE INDEX appointment_by_patient ON appointment(patient_id, start);

    CREATE TABLE journal (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      at TEXT NOT NULL,
      user TEXT NOT NULL,
      desk TEXT NOT NULL,
      op TEXT NOT NULL,
      entity TEXT NOT NULL,
      entity_id TEXT,
      before TEXT,
      after TEXT,
      base_version TEXT,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX journal_by_entity ON journal(entity, entity_id);
    CREATE TRIGGER journal_is_append_only_update BEFORE UPDATE ON journal
      BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
      BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
  `);
}
