/**
 * Numbered migrations, one per file (NNNN-name.ts exporting updateToSchemaVersionN), the schema version in
 * PRAGMA user_version. Each runs in its own transaction with the version bump, so a crash mid-migration
 * leaves the previous version intact.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { updateToSchemaVersion1 } from './0001-initial';
import { updateToSchemaVersion2 } from './0002-upstream';
import { updateToSchemaVersion3 } from './0003-reception';
import { updateToSchemaVersion5 } from './0005-merge';
import { updateToSchemaVersion6 } from './0006-accounts-audit';
import { updateToSchemaVersion7 } from './0007-upstream-generation';
import { updateToSchemaVersion8 } from './0008-group';
import { updateToSchemaVersion9 } from './0009-rooms';
import { updateToSchemaVersion10 } from './0010-callbacks';
import { updateToSchemaVersion11 } from './0011-day-tickets';
import { updateToSchemaVersion12 } from './0012-patient-list-facts';
import { updateToSchemaVersion13 } from './0013-drills';
import { updateToSchemaVersion16 } from './0016-patient-contacts';

export interface Migration {
  version: number;
  name: string;
  up: (db: BetterSqlite3.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: updateToSchemaVersion1 },
  { version: 2, name: 'upstream', up: updateToSchemaVersion2 },
  { version: 3, name: 'reception', up: updateToSchemaVersion3 },
  // 4 was reserved for performance work that needed no schema change; numbers are never reused or renumbered,
  // so a database that has run 5 or 6 is never asked to run a different 5 or 6.
  { version: 5, name: 'merge', up: updateToSchemaVersion5 },
  { version: 6, name: 'accounts-audit', up: updateToSchemaVersion6 },
  { version: 7, name: 'upstream-generation', up: updateToSchemaVersion7 },
  { version: 8, name: 'group', up: updateToSchemaVersion8 },
  { version: 9, name: 'rooms', up: updateToSchemaVersion9 },
  { version: 10, name: 'callbacks', up: updateToSchemaVersion10 },
  { version: 11, name: 'day-tickets', up: updateToSchemaVersion11 },
  { version: 12, name: 'patient-list-facts', up: updateToSchemaVersion12 },
  { version: 13, name: 'drills', up: updateToSchemaVersion13 },
  // 14 and 15 were set aside for work done alongside that needed no schema change; a number is never reused, so
  // they stay a gap, like 4.
  { version: 16, name: 'patient-contacts', up: updateToSchemaVersion16 },
];

/** The highest version, not the count: 4 is skipped (see above). */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export class SchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `this data folder was written by a newer Standby Desk (schema ${found}; this version knows up to ` +
        `${LATEST_SCHEMA_VERSION}). Install the newer version; nothing was changed.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

export function migrate(db: BetterSqlite3.Database, target: number = LATEST_SCHEMA_VERSION): number {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) throw new SchemaTooNewError(current);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      // A desk group's capture triggers (group/replica.ts) name every column: a migration that drops or renames
      // one would fail on them. They go first; opening a coordinator's desk installs them again for the new schema.
      for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'repl\\_capture\\_%' ESCAPE '\\'").all() as Array<{ name: string }>) {
        db.exec(`DROP TRIGGER "${name.replace(/"/g, '""')}"`);
      }
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
