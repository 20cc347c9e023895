import type BetterSqlite3 from 'better-sqlite3';

/**
 * The highest waiting-room ticket given each day (issue 18 item 8), so a number is never handed out twice in a
 * day: an undone check-in puts its appointment's ticket back to null, and the appointment table alone would then
 * offer that number again, to a patient who would answer to someone else's call. A desk group replicates it with
 * the rest (not a local table), so a member that takes over carries on from the coordinator's number.
 *
 * Backfilled from the tickets appointments hold and from those the journal recorded (a check-in undone before this
 * migration left its ticket only there), so a desk upgraded mid-day does not start again below a number given.
 */
export function updateToSchemaVersion11(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE day_ticket (
      local_date TEXT PRIMARY KEY,
      last_ticket INTEGER NOT NULL CHECK (last_ticket > 0)
    ) STRICT;
    INSERT INTO day_ticket (local_date, last_ticket)
      SELECT local_date, max(ticket) FROM (
        SELECT local_date, ticket FROM appointment WHERE ticket IS NOT NULL
        UNION ALL
        SELECT a.local_date, CAST(json_extract(j.after, '$.ticket') AS INTEGER)
          FROM journal j JOIN appointment a ON a.id = j.entity_id
          WHERE j.entity = 'appointment' AND json_valid(j.after) AND json_type(j.after, '$.ticket') = 'integer'
        UNION ALL
        SELECT a.local_date, CAST(json_extract(j.before, '$.ticket') AS INTEGER)
          FROM journal j JOIN appointment a ON a.id = j.entity_id
          WHERE j.entity = 'appointment' AND json_valid(j.before) AND json_type(j.before, '$.ticket') = 'integer'
      ) WHERE ticket > 0 GROUP BY local_date;
  `);
}
