import type BetterSqlite3 from 'better-sqlite3';

/**
 * Clinicians in their rooms and the waiting-room displays (issue 17).
 *
 * - account: a third role, clinician, linked to the clinician in the book whose list they work (clinician_id).
 *   SQLite cannot alter a CHECK, so the table is rebuilt with the same rows; nothing references it by key (the
 *   journal and the audit trail name people by username).
 * - display_call: every call put on the displays, a recall included, so a recall is a new call on the board
 *   (and sounds again) without touching the appointment or its journal. A quiet send in is never written here.
 *   Backfilled from the calls already made today and before, so a desk upgraded mid-day keeps its board.
 */
export function updateToSchemaVersion9(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE account_v9 (
      username TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('receptionist', 'manager', 'clinician')),
      clinician_id TEXT CHECK ((role = 'clinician') = (clinician_id IS NOT NULL)),
      secret_kind TEXT NOT NULL CHECK (secret_kind IN ('password', 'pin')),
      secret_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      created_at TEXT NOT NULL,
      last_sign_in_at TEXT
    ) STRICT;
    INSERT INTO account_v9 (username, display_name, role, clinician_id, secret_kind, secret_hash, disabled, created_at, last_sign_in_at)
      SELECT username, display_name, role, NULL, secret_kind, secret_hash, disabled, created_at, last_sign_in_at FROM account;
    DROP TABLE account;
    ALTER TABLE account_v9 RENAME TO account;

    CREATE TABLE display_call (
      id TEXT PRIMARY KEY,
      -- No foreign key: the board joins appointment, so calls of a replaced book simply stop showing.
      appointment_id TEXT NOT NULL,
      local_date TEXT NOT NULL,
      called_at TEXT NOT NULL,
      recall INTEGER NOT NULL CHECK (recall IN (0, 1)),
      user TEXT NOT NULL,
      desk TEXT NOT NULL
    ) STRICT;
    CREATE INDEX display_call_by_date ON display_call(local_date, called_at);
    CREATE INDEX display_call_by_appointment ON display_call(appointment_id);
    INSERT INTO display_call (id, appointment_id, local_date, called_at, recall, user, desk)
      SELECT 'call-' || id, id, local_date, sent_in_at, 0, 'upgrade', 'upgrade' FROM appointment
      WHERE call_kind = 'display' AND sent_in_at IS NOT NULL;
  `);
}
