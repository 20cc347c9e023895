import type BetterSqlite3 from 'better-sqlite3';

/**
 * Contact tracking after an outage (issue 21): what came of messaging each patient whose appointment was cancelled
 * or missed (sent, replied, rebooked, could not reach), with who, at which desk and when, beside the callback
 * attempts (migration 10) and kept like them: the practice's working record, not journalled (nothing in it goes to
 * the clinical record), in the audit trail, and replicated to the desk group with the day (not a local table).
 * Also each patient's wish not to be messaged, which batch-message lists must honour.
 */
export function updateToSchemaVersion16(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE patient_contact (
      id TEXT PRIMARY KEY,
      -- No foreign key, as for callback attempts: a refresh may replace the book, and the record of contact stays.
      appointment_id TEXT NOT NULL,
      local_date TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('sent', 'replied', 'rebooked', 'could_not_reach')),
      note TEXT,
      at TEXT NOT NULL,
      user TEXT NOT NULL,
      desk TEXT NOT NULL
    ) STRICT;
    CREATE INDEX patient_contact_by_date ON patient_contact(local_date, at);
    CREATE INDEX patient_contact_by_appointment ON patient_contact(appointment_id, at);
    -- A patient who told the practice not to message them (Accurx asks that they be left out of batch messages).
    -- Recorded at the desk; kept apart from the patient row, which every refresh rewrites from the clinical system.
    CREATE TABLE patient_message_preference (
      patient_id TEXT PRIMARY KEY,
      declines_messages INTEGER NOT NULL CHECK (declines_messages IN (0, 1)),
      at TEXT NOT NULL,
      user TEXT NOT NULL,
      desk TEXT NOT NULL
    ) STRICT;
  `);
}
