import type BetterSqlite3 from 'better-sqlite3';

/**
 * The upstream side of the mirror (DESIGN.md property 4, "base, local, remote"):
 *
 * - upstream_record: each record as last pulled or imported, with its upstream version (FHIR versionId, or a
 *   sha256 of the content for files), the raw resource or CSV row, and (appointments) the entity it was read as.
 *   This is the base a merge-back compares against and sends in If-Match, so it is kept even after the desk
 *   changes the mirrored row.
 * - upstream_pending: an upstream change that arrived for a record the desk has changed and not yet
 *   reconciled. A refresh never overwrites such a record; it keeps the newer upstream version here, beside it,
 *   for a person (or the merge planner) to decide. One row per record: a later change replaces an earlier one.
 *
 * No foreign keys to the mirror's tables on purpose: the base must outlive the mirrored row (a removed or
 * replaced appointment is still what a merge-back must answer for), and loadBook clears the mirror wholesale.
 */
export function updateToSchemaVersion2(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE upstream_record (
      resource_type TEXT NOT NULL,
      id TEXT NOT NULL,
      version TEXT NOT NULL,
      -- what change detection compares: this record's version plus the versions of the records it was read
      -- with (a practitioner's role, a patient's flags), so an unchanged record is skipped without rewriting
      fingerprint TEXT NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('fhir', 'csv')),
      raw TEXT NOT NULL,
      -- the appointment as the desk read it (merge-back's base snapshot); other records keep only their raw form,
      -- which is what a patient or clinician is compared by, and writing it twice slows a first import
      entity TEXT,
      source TEXT NOT NULL,
      pulled_at TEXT NOT NULL,
      PRIMARY KEY (resource_type, id)
    ) STRICT;

    CREATE TABLE upstream_pending (
      resource_type TEXT NOT NULL,
      id TEXT NOT NULL,
      change TEXT NOT NULL CHECK (change IN ('changed', 'removed')),
      -- null when upstream removed the record
      version TEXT,
      fingerprint TEXT,
      format TEXT CHECK (format IS NULL OR format IN ('fhir', 'csv')),
      raw TEXT,
      entity TEXT,
      -- the upstream version the desk's change was made on, and the desk's version when this arrived
      base_version TEXT,
      local_version INTEGER NOT NULL,
      source TEXT NOT NULL,
      arrived_at TEXT NOT NULL,
      PRIMARY KEY (resource_type, id)
    ) STRICT;
  `);
}
