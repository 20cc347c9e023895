import type BetterSqlite3 from 'better-sqlite3';

/**
 * The desk group (issue 16, ADR 0011).
 *   group_local  - this desk's own place in the group (role, epoch, its credential, the pinned certificate, a
 *                  pairing code's hash): never replicated, so a member's copy never claims to be the coordinator
 *   group_member - the desks of the group, with a hash of each one's device credential: replicated, so the desk
 *                  that takes over knows every member and can check their credentials
 *   repl_log     - every row a coordinator's transaction wrote, in commit order, at its replicated seq; written by
 *                  triggers (group/replica.ts) so no writer can forget it, and copied verbatim by members
 */
export function updateToSchemaVersion8(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE group_local (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE group_member (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      token_hash TEXT NOT NULL,
      address TEXT,
      joined_at TEXT NOT NULL,
      removed_at TEXT
    ) STRICT;
    CREATE UNIQUE INDEX group_member_current_name ON group_member(name COLLATE NOCASE) WHERE removed_at IS NULL;

    CREATE TABLE repl_log (
      seq INTEGER PRIMARY KEY,
      tbl TEXT NOT NULL,
      op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
      row_id INTEGER NOT NULL,
      image TEXT
    ) STRICT;
  `);
}
