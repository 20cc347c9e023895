import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { rawDatabase } from '../../support/raw-db';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseDamagedError, databasePath, openDatabase, closeDatabase } from '../../../electron/desk/store/connection';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion, SchemaTooNewError } from '../../../electron/desk/store/migrations';
import { Journal } from '../../../electron/desk/store/journal';
import { Db } from '../../../electron/desk/store/sql';
import { openDesk, JournalBrokenError } from '../../../electron/desk/open';
import { openTestDesk, tempDir } from '../../support/fixtures';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});
function open(file: string, options?: Parameters<typeof openDatabase>[1]) {
  const db = openDatabase(file, options);
  opened.push(db);
  return db;
}

describe('connection', () => {
  it('opens a real file with WAL, synchronous=FULL and foreign keys on', () => {
    const db = open(path.join(tempDir(), 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('makes every table STRICT', () => {
    const db = open(path.join(tempDir(), 'a.sqlite'));
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; strict: number }>;
    expect(tables.length).toBeGreaterThan(5);
    for (const t of tables) expect(t, t.name).toMatchObject({ strict: 1 });
    expect(() => db.prepare("INSERT INTO clinician (id, name, role, room) VALUES (1, 'x', 'gp', x'00')").run()).toThrow(/cannot store/i);
  });

  it('refuses a file that is not a database with a clear error, leaving the file as it was', () => {
    const file = path.join(tempDir(), 'standby-desk.sqlite');
    const garbage = Buffer.from('this is a spreadsheet, not a database '.repeat(200));
    fs.writeFileSync(file, garbage);
    expect(() => open(file)).toThrow(DatabaseDamagedError);
    expect(() => open(file)).toThrow(/damaged.*restore the newest good backup/s);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('finds damage inside an otherwise valid database', () => {
    const dir = tempDir();
    const file = path.join(dir, 'standby-desk.sqlite');
    const db = open(file);
    db.exec('CREATE TABLE filler (x TEXT) STRICT');
    const insert = db.prepare('INSERT INTO filler VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(200) + i);
    })();
    closeDatabase(db);
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over the middle of the file: page headers and cells that quick_check reads.
    for (let off = pageSize * 3; off < bytes.length - pageSize; off += pageSize * 2) bytes.fill(0xa5, off, off + 64);
    fs.writeFileSync(file, bytes);
    expect(() => open(file)).toThrow(DatabaseDamagedError);
  });

  it('refuses a schema newer than this version knows, changing nothing', () => {
    const file = path.join(tempDir(), 'a.sqlite');
    const raw = rawDatabase(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => open(file)).toThrow(SchemaTooNewError);
    const again = rawDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    expect(again.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    again.close();
  });

  it('checkpoints the WAL on close so the main file stands alone', () => {
    const dir = tempDir();
    const desk = openDesk({ dataDir: dir, user: 'u', desk: 'd' });
    desk.close();
    const wal = databasePath(dir) + '-wal';
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
  });
});

describe('migrations', () => {
  it('are numbered upwards from 1 (gaps only for numbers reserved by other branches)', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  // One test per migration: migrate to N-1, put data in, migrate to N, and check the data survived.
  it('0001-initial: creates the mirror and journal from an empty file, and running again changes nothing', () => {
    const file = path.join(tempDir(), 'a.sqlite');
    const db = open(file, { migrate: false });
    expect(schemaVersion(db)).toBe(0);
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    expect(tables).toEqual(['appointment', 'clinician', 'journal', 'meta', 'patient', 'practice', 'session', 'slot']);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run();
    migrate(db, 1);
    expect(db.prepare('SELECT value FROM meta').get()).toEqual({ value: 'v' });
  });

  it('0001-initial: the status CHECK refuses a status the machine does not know', () => {
    const desk = openTestDesk();
    const raw = rawDatabase(databasePath(desk.dataDir));
    opened.push(raw);
    expect(() => raw.prepare("UPDATE appointment SET status = 'teleported' WHERE id = 'appt-1'").run()).toThrow(/CHECK constraint/);
    desk.close();
  });
});

describe('journal', () => {
  it('is append-only: UPDATE and DELETE are refused by the database itself', () => {
    const desk = openTestDesk();
    const raw = rawDatabase(databasePath(desk.dataDir));
    opened.push(raw);
    expect(() => raw.prepare("UPDATE journal SET user = 'someone else'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    desk.close();
  });

  it('chains each entry to the one before, and verify() finds tampering', () => {
    const desk = openTestDesk();
    const ctx = { user: 'ann', desk: 'front-1' };
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, ctx);
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'dna' }, ctx);
    const entries = desk.service.journal.list();
    expect(entries).toHaveLength(3);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(entries[2]?.prevHash).toBe(entries[1]?.hash);
    expect(desk.service.journal.verify()).toEqual({ ok: true, entries: 3 });
    desk.close();

    // Someone with the file drops the guard and rewrites history.
    const raw = rawDatabase(databasePath(desk.dataDir));
    raw.exec('DROP TRIGGER journal_is_append_only_update');
    raw.prepare(`UPDATE journal SET after = '{"status":"seen"}' WHERE seq = 2`).run();
    raw.close();
    const journal = new Journal(new Db(open(databasePath(desk.dataDir))));
    expect(journal.verify()).toMatchObject({ ok: false, seq: 2 });
    opened.pop()?.close();
    expect(() => openDesk({ dataDir: desk.dataDir })).toThrow(JournalBrokenError);
  });
});
