import type BetterSqlite3 from 'better-sqlite3';

/**
 * Outage drills (issue 20 item 5): the report of each, kept in the real database while the drill itself runs on a
 * sandbox copy that is deleted when it ends (electron/desk/drill). At most one drill runs at a time: one row with
 * outcome 'running'.
 */
export function updateToSchemaVersion13(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE drill (
      id INTEGER PRIMARY KEY,
      started_at TEXT NOT NULL,
      started_by TEXT NOT NULL,
      ended_at TEXT,
      ended_by TEXT,
      outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ended', 'discarded')),
      minutes_to_first_check_in REAL,
      pack_found INTEGER CHECK (pack_found IN (0, 1)),
      pack_printed INTEGER CHECK (pack_printed IN (0, 1)),
      sheets_printed INTEGER,
      problems TEXT
    ) STRICT;
    CREATE UNIQUE INDEX drill_one_running ON drill (outcome) WHERE outcome = 'running';
  `);
}
