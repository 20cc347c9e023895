import type BetterSqlite3 from 'better-sqlite3';

/**
 * What the practice list says of a patient beyond who they are (issue 19), on the patient row the desk reads, so
 * the day, search results and sheets carry it: `deceased` (a date of death upstream) and `address` (one line).
 * `temporary_resident` (migration 0003, then only for walk-ins registered at the desk) now holds every temporary
 * resident, the list's as well: one notion, Patient.temporaryResident.
 *
 * Backfilled from where the list's facts were kept until now, the patient's base record (upstream_record.entity:
 * electron/desk/upstream/practice-list.ts), so a desk upgraded between refreshes shows them at once; a refresh of
 * an unchanged list skips every record and would never write them.
 */
export function updateToSchemaVersion12(db: BetterSqlite3.Database): void {
  db.exec(`
    ALTER TABLE patient ADD COLUMN deceased INTEGER NOT NULL DEFAULT 0 CHECK (deceased IN (0, 1));
    ALTER TABLE patient ADD COLUMN address TEXT;
    UPDATE patient SET
      deceased = CASE WHEN json_extract(u.entity, '$.deceased') = 1 THEN 1 ELSE 0 END,
      temporary_resident = CASE WHEN json_extract(u.entity, '$.temporaryResident') = 1 THEN 1 ELSE 0 END,
      address = nullif(trim(substr(CAST(json_extract(u.entity, '$.address') AS TEXT), 1, 300)), '')
    FROM upstream_record u
    WHERE u.resource_type = 'Patient' AND u.id = patient.id AND patient.local = 0 AND json_valid(u.entity);
  `);
}
