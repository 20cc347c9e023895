import type BetterSqlite3 from 'better-sqlite3';

/**
 * Working the callback list (issue 18): every try at phoning a patient back about an appointment they missed or
 * that was cancelled, with who, at which desk and when. Append-only, like the audit trail it is also written to.
 * Not journalled: it is the practice's own working record, not a change to the clinical record, so merge-back has
 * nothing to write upstream for it. A desk group replicates it with the rest of the day (not a local table).
 */
export function updateToSchemaVersion10(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE callback_attempt (
      id TEXT PRIMARY KEY,
      -- No foreign key: a refresh may replace the book, and the practice's record of its calls stays.
      appointment_id TEXT NOT NULL,
      local_date TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('called', 'no_answer', 'message_left', 'rebooked', 'no_callback_needed')),
      note TEXT,
      at TEXT NOT NULL,
      user TEXT NOT NULL,
      desk TEXT NOT NULL
    ) STRICT;
    CREATE INDEX callback_attempt_by_date ON callback_attempt(local_date, at);
    CREATE INDEX callback_attempt_by_appointment ON callback_attempt(appointment_id, at);
  `);
}
