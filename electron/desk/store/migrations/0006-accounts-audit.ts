import type BetterSqlite3 from 'better-sqlite3';

/**
 * Local accounts and the audit trail (issue 8).
 *
 * - account: one row per person; never deleted (the audit trail and the journal name them), only disabled.
 *   secret_hash is an scrypt hash with its own salt and cost ("scrypt$N$r$p$salt$hash"), never the secret.
 * - sign_in_throttle: failed attempts per username (also for names that do not exist, so a guesser learns
 *   nothing), kept apart from account so a refused sign-in touches nothing but this and the audit trail.
 * - audit: append-only (triggers refuse UPDATE and DELETE) and hash-chained like the journal: each entry's hash
 *   covers its content and the previous hash, so a lost or altered entry shows when the chain is verified.
 */
export function updateToSchemaVersion6(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE account (
      username TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('receptionist', 'manager')),
      secret_kind TEXT NOT NULL CHECK (secret_kind IN ('password', 'pin')),
      secret_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
      created_at TEXT NOT NULL,
      last_sign_in_at TEXT
    ) STRICT;

    CREATE TABLE sign_in_throttle (
      username TEXT PRIMARY KEY,
      failures INTEGER NOT NULL CHECK (failures >= 0),
      locked_until TEXT
    ) STRICT;

    CREATE TABLE audit (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      at TEXT NOT NULL,
      user TEXT NOT NULL,
      desk TEXT NOT NULL,
      kind TEXT NOT NULL,
      detail TEXT,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_by_user ON audit(user, seq);
    CREATE INDEX audit_by_at ON audit(at);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  `);
}
