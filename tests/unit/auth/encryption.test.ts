import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase, restoreBackup, RestoreRefusedError, verifyDatabaseFile } from '../../../electron/desk/backup';
import type { OpenDesk } from '../../../electron/desk/open';
import { closeDatabase, databasePath, openDatabase, WrongKeyError } from '../../../electron/desk/store/connection';
import { DatabaseKeyError, KEY_ENV, keyFileFor, newDatabaseKey, resolveDatabaseKey } from '../../../electron/desk/store/key';
import { openTestDesk, tempDir, testNhsNumber } from '../../support/fixtures';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** Runs fn with STANDBY_DESK_KEY unset (the test suite sets one for everything), so key files are used. */
function withoutEnvKey<T>(fn: () => T): T {
  const saved = process.env[KEY_ENV];
  delete process.env[KEY_ENV];
  try {
    return fn();
  } finally {
    if (saved !== undefined) process.env[KEY_ENV] = saved;
  }
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Every way the fixture's identifying details could sit in a file: UTF-8, UTF-16, NHS numbers with and without spaces. */
const NEEDLES = ["O'Brien", 'Müller', 'Smith-Jones', 'Zzyzxwalkin', testNhsNumber(1), testNhsNumber(20), testNhsNumber(300), testNhsNumber(4444)].flatMap((s) => {
  const spaced = /^\d{10}$/.test(s) ? [`${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6)}`] : [];
  return [s, ...spaced].flatMap((t) => [Buffer.from(t, 'utf8'), Buffer.from(t, 'utf16le'), Buffer.from(t.toLowerCase(), 'utf8')]);
});

function plaintextIn(dir: string): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const bytes = fs.readFileSync(file);
    for (const needle of NEEDLES) if (bytes.includes(needle)) found.push(`${path.relative(dir, file)}: ${needle.toString('utf8')}`);
  }
  return found;
}

describe('encryption at rest', () => {
  it('leaves no surname or NHS number in plain bytes anywhere in the data folder, WAL and backups included', async () => {
    const desk: OpenDesk & { dataDir: string } = openTestDesk();
    let open = true;
    cleanup.push(() => open && desk.close());
    desk.service.auth.addUser({ username: 'rx', displayName: 'R', role: 'receptionist', secret: { kind: 'pin', value: '123456' } }, desk.context);
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, desk.context);
    const walkIn = desk.dispatch(
      'registerWalkIn',
      {
        patient: { kind: 'new', details: { familyName: 'Zzyzxwalkin', givenName: 'Test', dateOfBirth: '1990-01-01', nhsNumber: testNhsNumber(4444), temporaryResident: true } },
        triage: 'routine',
        assignTo: { kind: 'duty' },
      },
      desk.context,
    );
    expect(JSON.stringify(walkIn)).toMatch(/^{"ok":true/);
    // While the desk is open the latest writes are in the -wal (and the -shm beside it): scan those too.
    const files = fs.readdirSync(desk.dataDir);
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    expect(plaintextIn(desk.dataDir)).toEqual([]);

    const source = openDatabase(databasePath(desk.dataDir), { readonly: true });
    cleanup.push(() => closeDatabase(source));
    await backupDatabase(source, { dir: path.join(desk.dataDir, 'backups'), keep: 3 });
    desk.close();
    open = false;
    expect(plaintextIn(desk.dataDir)).toEqual([]);
    // The check itself can see plaintext: a plain SQLite file with the same data is caught.
    const control = path.join(tempDir(), 'plain.sqlite');
    const plain = new Database(control);
    plain.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('Zzyzxwalkin')");
    plain.close();
    expect(plaintextIn(path.dirname(control))).not.toEqual([]);
  });

  it('makes a backup that restores only with its key', async () => {
    const desk = openTestDesk();
    cleanup.push(() => desk.close());
    const source = openDatabase(databasePath(desk.dataDir), { readonly: true });
    cleanup.push(() => closeDatabase(source));
    const backupDir = tempDir();
    const report = await backupDatabase(source, { dir: backupDir, keep: 3 });
    const rightKey = process.env[KEY_ENV] ?? '';
    const wrongKey = newDatabaseKey();
    expect(verifyDatabaseFile(report.file, 'full', rightKey)).toMatchObject({ ok: true });
    expect(verifyDatabaseFile(report.file, 'full', wrongKey)).toMatchObject({ ok: false, problems: [expect.stringMatching(/cannot be read with this key/)] });
    expect(() => new Database(report.file, { readonly: true }).prepare('SELECT * FROM sqlite_master').all()).toThrow(/not a database/);

    const target = tempDir();
    expect(() => restoreBackup(target, report.file, { key: wrongKey })).toThrow(RestoreRefusedError);
    expect(fs.existsSync(databasePath(target))).toBe(false);
    expect(restoreBackup(target, report.file, { key: rightKey })).toMatchObject({ database: databasePath(target) });
    const restored = openDatabase(databasePath(target), { key: rightKey });
    cleanup.push(() => closeDatabase(restored));
    expect(restored.prepare("SELECT family_name FROM patient WHERE id = 'pat-1'").get()).toEqual({ family_name: "O'Brien" });
  });

  it('says "wrong key" clearly, changing nothing, and keeps WAL, synchronous=FULL and the integrity check', () => {
    const dir = tempDir();
    const file = databasePath(dir);
    const key = newDatabaseKey();
    const db = openDatabase(file, { key });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    closeDatabase(db);
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file, { key: newDatabaseKey() })).toThrow(WrongKeyError);
    expect(() => openDatabase(file, { key: newDatabaseKey() })).toThrow(/cannot be read with this key/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readFileSync(file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  });

  it('keeps the key in a 0600 file beside the data folder when no STANDBY_DESK_KEY is set, and refuses a readable one', () => {
    const parent = tempDir();
    const dataDir = path.join(parent, 'Standby Desk');
    const keyFile = keyFileFor(dataDir);
    withoutEnvKey(() => {
      const db = openDatabase(databasePath(dataDir));
      closeDatabase(db);
      expect(path.dirname(keyFile)).toBe(parent);
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(filesUnder(dataDir).some((f) => fs.readFileSync(f).includes(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim())))).toBe(false);
      closeDatabase(openDatabase(databasePath(dataDir)));
      fs.chmodSync(keyFile, 0o644);
      expect(() => resolveDatabaseKey(dataDir)).toThrow(DatabaseKeyError);
      expect(() => openDatabase(databasePath(dataDir))).toThrow(/chmod 600/);
      fs.chmodSync(keyFile, 0o600);
      fs.writeFileSync(keyFile, newDatabaseKey());
      expect(() => openDatabase(databasePath(dataDir))).toThrow(WrongKeyError);
    });
    expect(() => resolveDatabaseKey(dataDir, { env: { [KEY_ENV]: 'not-hex' } })).toThrow(/64 hex digits/);
  });

  it('encrypts a plaintext database from before encryption in place, keeping its rows', () => {
    const dir = tempDir();
    const file = databasePath(dir);
    const plain = new Database(file);
    plain.pragma('journal_mode = WAL');
    plain.exec("CREATE TABLE legacy (x TEXT); INSERT INTO legacy VALUES ('Zzyzxwalkin')");
    plain.close();
    const key = newDatabaseKey();
    const db = openDatabase(file, { key, migrate: false });
    expect(db.prepare('SELECT x FROM legacy').all()).toEqual([{ x: 'Zzyzxwalkin' }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    closeDatabase(db);
    expect(plaintextIn(dir)).toEqual([]);
  });
});
