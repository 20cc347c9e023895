import type BetterSqlite3 from 'better-sqlite3';
import { ATTEMPT_RESULTS, OUTCOMES, RESOLUTION_CHOICES } from '../../../../shared/merge';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/**
 * Merge-back's own records (docs/merge-back.md):
 *
 * - merge_outcome: how each (journal entry, plan item) step ended, recorded in the same transaction as what
 *   follows from it and before any step that depends on it runs. At most one per step (the primary key), so a
 *   replayed apply can only find it done. An entry with no outcome is still pending, and shows as such.
 * - merge_attempt: the last try at an item that did not end it (422 rejected, 5xx/timeout failed, 412 that
 *   re-classified as a conflict), for the review screen and the worklist.
 * - merge_resolution: a person's decision on a conflict (keep the desk's, keep upstream's, rebook, manual).
 * - merge_upstream: upstream as last read for planning (appointments and slots, as the planner reads them), so
 *   the plan can be shown and re-shown without going back to the network each time.
 * - merge_summary: the anonymous counts of a completed reconciliation; they stay after the purge.
 *
 * The journal's delete trigger is replaced by one that lets through only rows at or below a purge mark set in
 * meta within the purging transaction (retention: patient-identifiable outage data goes once reconciled and
 * the retention period has passed). Any other DELETE is still refused, and UPDATE is still refused outright.
 */
export function updateToSchemaVersion5(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE merge_outcome (
      entry_id TEXT NOT NULL,
      item_key TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN (${list(OUTCOMES)})),
      upstream_id TEXT,
      upstream_version TEXT,
      detail TEXT,
      user TEXT NOT NULL,
      at TEXT NOT NULL,
      PRIMARY KEY (entry_id, item_key)
    ) STRICT;
    CREATE INDEX merge_outcome_by_item ON merge_outcome(item_key);

    CREATE TABLE merge_attempt (
      item_key TEXT PRIMARY KEY,
      result TEXT NOT NULL CHECK (result IN (${list(ATTEMPT_RESULTS)})),
      detail TEXT NOT NULL,
      tries INTEGER NOT NULL CHECK (tries >= 1),
      at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE merge_resolution (
      item_key TEXT PRIMARY KEY,
      choice TEXT NOT NULL CHECK (choice IN (${list(RESOLUTION_CHOICES)})),
      slot_id TEXT,
      user TEXT NOT NULL,
      at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE merge_upstream (
      kind TEXT NOT NULL CHECK (kind IN ('appointment', 'slot')),
      id TEXT NOT NULL,
      data TEXT NOT NULL,
      read_at TEXT NOT NULL,
      PRIMARY KEY (kind, id)
    ) STRICT;

    CREATE TABLE merge_summary (
      id INTEGER PRIMARY KEY,
      completed_at TEXT NOT NULL,
      purge_after TEXT NOT NULL,
      purged_at TEXT,
      counts TEXT NOT NULL
    ) STRICT;

    DROP TRIGGER journal_is_append_only_delete;
    CREATE TRIGGER journal_is_append_only_delete BEFORE DELETE ON journal
      WHEN OLD.seq > coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'journal.purgeThrough'), 0)
      BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
  `);
}
