import type BetterSqlite3 from 'better-sqlite3';

/**
 * A counter of writes to the base records (upstream_record), kept by triggers, so no writer can forget it:
 * refresh, merge-back settling an item, anything added later. The desk keeps the base fingerprints in memory
 * and reuses them while the counter has not moved; an unchanged scheduled pull then does not read 70,000 rows
 * back from the encrypted file every five minutes. (The journal position was the test before; merge-back
 * settles base records without a journal entry of its own, so it was not enough.)
 */
export function updateToSchemaVersion7(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE upstream_generation (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      n INTEGER NOT NULL
    ) STRICT;
    INSERT INTO upstream_generation (id, n) VALUES (1, 0);
    CREATE TRIGGER upstream_record_generation_insert AFTER INSERT ON upstream_record
      BEGIN UPDATE upstream_generation SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER upstream_record_generation_update AFTER UPDATE ON upstream_record
      BEGIN UPDATE upstream_generation SET n = n + 1 WHERE id = 1; END;
    CREATE TRIGGER upstream_record_generation_delete AFTER DELETE ON upstream_record
      BEGIN UPDATE upstream_generation SET n = n + 1 WHERE id = 1; END;
  `);
}
