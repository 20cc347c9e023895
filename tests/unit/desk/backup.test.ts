import type Database from 'better-sqlite3';
import { rawDatabase } from '../../support/raw-db';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../electron/cli/main';
import {
  BACKUP_SETTINGS_FILE,
  BackupError,
  backupDatabase,
  backupFileName,
  BackupScheduler,
  backupTakenAt,
  inspectBackups,
  listBackups,
  readBackupSettings,
  restoreBackup,
  RestoreRefusedError,
  verifyDatabaseFile,
  type BackupReport,
} from '../../../electron/desk/backup';
import type { Timers } from '../../../electron/desk/timers';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { closeDatabase, databasePath, openDatabase } from '../../../electron/desk/store/connection';
import { Journal } from '../../../electron/desk/store/journal';
import { LATEST_SCHEMA_VERSION } from '../../../electron/desk/store/migrations';
import { Db } from '../../../electron/desk/store/sql';
import { openTestDesk, tempDir } from '../../support/fixtures';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

function testDesk(): OpenDesk & { dataDir: string } {
  const desk = openTestDesk();
  cleanup.push(() => desk.close());
  return desk;
}

/** A second, read-only connection to the desk's file: what the app and the CLI back up from. */
function readOnly(dataDir: string): Database.Database {
  const db = openDatabase(databasePath(dataDir), { readonly: true });
  cleanup.push(() => closeDatabase(db));
  return db;
}

function setStatus(desk: OpenDesk, appointmentId: string, status: string): void {
  const result = desk.dispatch('setAppointmentStatus', { appointmentId, status }, desk.context);
  if (!result.ok) throw new Error(result.error.message);
}

function statusIn(file: string, appointmentId: string): string | undefined {
  const db = rawDatabase(file, { readonly: true });
  try {
    return (db.prepare('SELECT status FROM appointment WHERE id = ?').get(appointmentId) as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
}

const at = (iso: string) => () => new Date(iso);

/** Commits `statement` in WAL mode in a child process that is then killed, so nothing checkpoints it. */
function killedAfterWriting(file: string, statement: string): void {
  const script = `const Database = require('better-sqlite3-multiple-ciphers');
const db = new Database(${JSON.stringify(file)});
db.pragma("cipher = 'sqlcipher'");
db.pragma('legacy = 4');
db.pragma(\`key = "x'\${process.env.STANDBY_DESK_KEY}'"\`);
db.pragma('journal_mode = WAL');
db.pragma('wal_autocheckpoint = 0');
db.prepare(${JSON.stringify(statement)}).run();
process.kill(process.pid, 'SIGKILL');`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' });
  if (child.signal !== 'SIGKILL') throw new Error(`the writer was meant to be killed: ${child.stderr}`);
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('backup names', () => {
  it('carry the UTC time, sort by age, and count up within one second', () => {
    const t = new Date('2026-07-20T08:14:00.250Z');
    expect(backupFileName(t)).toBe('standby-desk-20260720T081400Z.sqlite');
    expect(backupFileName(t, new Set(['standby-desk-20260720T081400Z.sqlite']))).toBe('standby-desk-20260720T081400Z-2.sqlite');
    expect(backupTakenAt('standby-desk-20260720T081400Z-2.sqlite')?.toISOString()).toBe('2026-07-20T08:14:00.000Z');
    // Summer time in London is still UTC in the name: no hour jumps twice a year.
    expect(backupFileName(new Date('2026-10-25T00:30:00Z'))).toBe('standby-desk-20261025T003000Z.sqlite');
  });

  it('lists only our backups, newest first, the same-second counter included', () => {
    const dir = tempDir();
    for (const name of [
      'standby-desk-20260720T081400Z.sqlite',
      'standby-desk-20260720T091400Z.sqlite',
      'standby-desk-20260720T081400Z-2.sqlite',
      'standby-desk-20260720T081400Z-10.sqlite',
      'notes.txt',
      'standby-desk.sqlite',
      '.standby-desk-20260720T101400Z.sqlite.tmp-1-abcdef01',
    ]) {
      fs.writeFileSync(path.join(dir, name), 'x');
    }
    expect(listBackups(dir).map((b) => b.name)).toEqual([
      'standby-desk-20260720T091400Z.sqlite',
      'standby-desk-20260720T081400Z-10.sqlite',
      'standby-desk-20260720T081400Z-2.sqlite',
      'standby-desk-20260720T081400Z.sqlite',
    ]);
    expect(listBackups(path.join(dir, 'missing'))).toEqual([]);
  });
});

describe('backupDatabase', () => {
  it('writes a checked, self-contained copy with everything committed so far', async () => {
    const desk = testDesk();
    setStatus(desk, 'appt-1', 'arrived');
    const dir = path.join(tempDir(), 'backups');
    const report = await backupDatabase(readOnly(desk.dataDir), { dir, keep: 10, now: at('2026-07-20T08:14:00Z') });

    expect(report).toMatchObject({ name: 'standby-desk-20260720T081400Z.sqlite', dir, pruned: [], schemaVersion: LATEST_SCHEMA_VERSION });
    expect(fs.readdirSync(dir)).toEqual([report.name]);
    expect(statusIn(report.file, 'appt-1')).toBe('arrived');
    // One file, no -wal needed: it can be copied to a USB stick or mailed to support as it is.
    const copy = rawDatabase(report.file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(verifyDatabaseFile(report.file, 'full')).toMatchObject({ ok: true, journalEntries: 2 });
  });

  it('keeps the newest K and prunes only after the new one is written', async () => {
    const desk = testDesk();
    const source = readOnly(desk.dataDir);
    const dir = tempDir();
    const reports: BackupReport[] = [];
    for (let i = 0; i < 5; i++) {
      const when = new Date(Date.parse('2026-07-20T08:00:00Z') + i * 15 * 60_000);
      reports.push(await backupDatabase(source, { dir, keep: 3, now: () => when }));
    }
    expect(listBackups(dir).map((b) => b.name)).toEqual(['standby-desk-20260720T090000Z.sqlite', 'standby-desk-20260720T084500Z.sqlite', 'standby-desk-20260720T083000Z.sqlite']);
    expect(reports[3]?.pruned).toEqual(['standby-desk-20260720T080000Z.sqlite']);
    expect(reports[4]?.pruned).toEqual(['standby-desk-20260720T081500Z.sqlite']);
  });

  it('gives two backups in the same second their own names', async () => {
    const desk = testDesk();
    const source = readOnly(desk.dataDir);
    const dir = tempDir();
    const first = await backupDatabase(source, { dir, keep: 10, now: at('2026-07-20T08:14:00Z') });
    const second = await backupDatabase(source, { dir, keep: 10, now: at('2026-07-20T08:14:00Z') });
    expect([first.name, second.name]).toEqual(['standby-desk-20260720T081400Z.sqlite', 'standby-desk-20260720T081400Z-2.sqlite']);
  });

  it('keeps every older backup, and leaves no temporary file, when the new copy fails its check', async () => {
    const desk = testDesk();
    const dir = tempDir();
    await backupDatabase(readOnly(desk.dataDir), { dir, keep: 1, now: at('2026-07-20T08:00:00Z') });
    // A source this version cannot vouch for (written by a newer Standby Desk) makes a copy that fails the check.
    const alien = path.join(tempDir(), 'alien.sqlite');
    const raw = rawDatabase(alien);
    raw.exec('CREATE TABLE t (x)');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    cleanup.push(() => raw.close());

    await expect(backupDatabase(raw, { dir, keep: 1, now: at('2026-07-20T08:15:00Z') })).rejects.toThrow(BackupError);
    expect(fs.readdirSync(dir)).toEqual(['standby-desk-20260720T080000Z.sqlite']);
  });

  it('takes a consistent copy while the desk keeps writing', async () => {
    const desk = testDesk();
    const dir = tempDir();
    // Enough rows that the online backup needs several turns of the event loop, with writes in between.
    desk.service.loadBook((await import('../../support/fixtures')).bulkBook(600), 'bench', desk.context);
    const ids = Array.from({ length: 600 }, (_v, i) => `appt-${i}`);
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing && written < ids.length) {
        setStatus(desk, ids[written] ?? '', 'arrived');
        written++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const report = await backupDatabase(readOnly(desk.dataDir), { dir, keep: 10 });
    writing = false;
    await writer;
    expect(written).toBeGreaterThan(0);
    const verification = verifyDatabaseFile(report.file, 'full');
    expect(verification).toMatchObject({ ok: true });
    // The copy is one moment of the desk: every change in it has its journal entry, none without.
    const copy = rawDatabase(report.file, { readonly: true });
    const arrived = (copy.prepare("SELECT count(*) AS n FROM appointment WHERE status = 'arrived'").get() as { n: number }).n;
    const entries = (copy.prepare("SELECT count(*) AS n FROM journal WHERE op = 'appointment.setStatus'").get() as { n: number }).n;
    copy.close();
    expect(arrived).toBe(entries);
  });

  it('tidies temporary files a killed backup left behind, but not one that may still be running', async () => {
    const desk = testDesk();
    const dir = tempDir();
    const stale = path.join(dir, '.standby-desk-20260720T080000Z.sqlite.tmp-999-0123abcd');
    const fresh = path.join(dir, '.standby-desk-20260720T080100Z.sqlite.tmp-998-0123abcd');
    fs.writeFileSync(stale, 'half a backup');
    fs.writeFileSync(fresh, 'a backup in flight');
    // File ages are the file system's time, which no test clock moves (tests/clock runs the suite with the
    // process's clock moved): so both times are set, one long past, one that no clock here has reached yet.
    const longAgo = new Date('2026-01-05T08:00:00Z');
    fs.utimesSync(stale, longAgo, longAgo);
    const inFlight = new Date('2099-01-05T08:00:00Z');
    fs.utimesSync(fresh, inFlight, inFlight);
    await backupDatabase(readOnly(desk.dataDir), { dir, keep: 10 });
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
  });
});

describe('verifyDatabaseFile and inspectBackups', () => {
  it('refuses a file that is not a database, and one whose journal was altered', async () => {
    const dir = tempDir();
    const garbage = path.join(dir, 'standby-desk-20260720T070000Z.sqlite');
    fs.writeFileSync(garbage, 'not a database '.repeat(500));
    expect(verifyDatabaseFile(garbage, 'quick')).toMatchObject({ ok: false });

    const desk = testDesk();
    setStatus(desk, 'appt-1', 'arrived');
    const good = await backupDatabase(readOnly(desk.dataDir), { dir, keep: 10, now: at('2026-07-20T08:00:00Z') });
    const tampered = path.join(dir, 'standby-desk-20260720T090000Z.sqlite');
    fs.copyFileSync(good.file, tampered);
    const db = rawDatabase(tampered);
    db.exec('DROP TRIGGER journal_is_append_only_update');
    db.prepare("UPDATE journal SET user = 'someone else' WHERE seq = 2").run();
    db.close();
    // quick_check looks at the pages, not at what they say: only the full check sees the broken chain.
    expect(verifyDatabaseFile(tampered, 'quick')).toMatchObject({ ok: true });
    expect(verifyDatabaseFile(tampered, 'full')).toMatchObject({ ok: false, problems: [expect.stringMatching(/journal is broken at entry 2/)] });

    expect(inspectBackups(dir).map((b) => [b.name, b.verification.ok])).toEqual([
      ['standby-desk-20260720T090000Z.sqlite', false],
      ['standby-desk-20260720T080000Z.sqlite', true],
      ['standby-desk-20260720T070000Z.sqlite', false],
    ]);
  });
});

describe('restoreBackup', () => {
  it('puts the backup in place and keeps the database it replaces, with its WAL', async () => {
    const dataDir = tempDir();
    const desk = openDesk({ dataDir });
    desk.service.loadBook((await import('../../support/fixtures')).smallBook(), 'test', desk.context);
    setStatus(desk, 'appt-1', 'arrived');
    const backup = await backupDatabase(readOnly(dataDir), { dir: path.join(dataDir, 'backups'), keep: 10 });
    setStatus(desk, 'appt-2', 'arrived');
    desk.close();
    // A process that dies after committing leaves its last changes in the WAL, not yet in the main file.
    killedAfterWriting(databasePath(dataDir), "UPDATE appointment SET status = 'arrived' WHERE id = 'appt-3'");
    expect(fs.statSync(`${databasePath(dataDir)}-wal`).size).toBeGreaterThan(0);

    const report = restoreBackup(dataDir, backup.file, { now: at('2026-07-20T12:00:00Z') });
    expect(report).toMatchObject({ database: databasePath(dataDir), keptAs: `${databasePath(dataDir)}.before-restore-20260720T120000Z`, journalEntries: 2 });
    expect(statusIn(databasePath(dataDir), 'appt-1')).toBe('arrived');
    expect(statusIn(databasePath(dataDir), 'appt-2')).toBe('booked');
    // Nothing is lost: the kept file, read with its WAL, still has both later changes.
    expect(report.keptAs && fs.existsSync(`${report.keptAs}-wal`)).toBe(true);
    expect(statusIn(report.keptAs ?? '', 'appt-3')).toBe('arrived');

    const reopened = openDesk({ dataDir });
    expect(reopened.service.journal.verify()).toEqual({ ok: true, entries: 2 });
    reopened.close();
  });

  it('refuses a damaged file, a broken journal or a live database, and leaves the current one untouched', async () => {
    const desk = testDesk();
    const target = tempDir();
    const live = databasePath(target);
    fs.writeFileSync(live, 'the current database, whatever it is');
    const before = fs.readFileSync(live);

    const garbage = path.join(tempDir(), 'garbage.sqlite');
    fs.writeFileSync(garbage, 'x'.repeat(10_000));
    expect(() => restoreBackup(target, garbage)).toThrow(RestoreRefusedError);

    setStatus(desk, 'appt-2', 'arrived');
    const good = await backupDatabase(readOnly(desk.dataDir), { dir: tempDir(), keep: 10 });
    const tampered = path.join(tempDir(), 'tampered.sqlite');
    fs.copyFileSync(good.file, tampered);
    const db = rawDatabase(tampered);
    db.exec('DROP TRIGGER journal_is_append_only_delete');
    db.prepare('DELETE FROM journal WHERE seq = 1').run();
    db.close();
    expect(() => restoreBackup(target, tampered)).toThrow(/journal is broken/);

    // The desk's own live file, WAL and all, is not a backup.
    setStatus(desk, 'appt-1', 'arrived');
    expect(fs.statSync(`${databasePath(desk.dataDir)}-wal`).size).toBeGreaterThan(0);
    expect(() => restoreBackup(target, databasePath(desk.dataDir))).toThrow(/write-ahead log/);

    expect(() => restoreBackup(target, path.join(target, 'missing.sqlite'))).toThrow(/does not exist/);
    expect(fs.readFileSync(live).equals(before)).toBe(true);
    expect(fs.readdirSync(target)).toEqual(['standby-desk.sqlite']);
  });
});

describe('readBackupSettings', () => {
  it('defaults to <data>/backups every 15 minutes keeping 10', () => {
    const dataDir = tempDir();
    expect(readBackupSettings(dataDir)).toEqual({
      settings: { dir: path.join(dataDir, 'backups'), everyMinutes: 15, keep: 10 },
      problem: null,
      sources: { dir: 'default', everyMinutes: 'default', keep: 'default' },
    });
  });

  it('reads the settings file, a relative folder taken from the data folder', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), JSON.stringify({ dir: '../second-disk', everyMinutes: 5, keep: 30 }));
    expect(readBackupSettings(dataDir).settings).toEqual({ dir: path.resolve(dataDir, '../second-disk'), everyMinutes: 5, keep: 30 });
  });

  it('falls back to the defaults, saying why, on a broken file', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), JSON.stringify({ everyMinutes: 0, kep: 3 }));
    const read = readBackupSettings(dataDir);
    expect(read.settings).toEqual({ dir: path.join(dataDir, 'backups'), everyMinutes: 15, keep: 10 });
    expect(read.problem).toMatch(/everyMinutes.*using the defaults/);
    fs.writeFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), '{ not json');
    expect(readBackupSettings(dataDir).problem).toMatch(/is not JSON/);
  });
});

describe('BackupScheduler', () => {
  function fakeTimers() {
    const pending: Array<{ fn: () => void; ms: number }> = [];
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        const t = { fn, ms };
        pending.push(t);
        return t;
      },
      clearTimeout: (handle) => {
        const i = pending.indexOf(handle as { fn: () => void; ms: number });
        if (i >= 0) pending.splice(i, 1);
      },
    };
    const fire = async () => {
      const t = pending.shift();
      t?.fn();
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { timers, pending, fire };
  }
  const report = (name: string): BackupReport => ({ name, file: name, dir: '/b', bytes: 1, takenAt: '', schemaVersion: 1, pruned: [], ms: 1 });

  it('backs up every N ms, timed from the end of the last, and reports failures without stopping', async () => {
    const { timers, pending, fire } = fakeTimers();
    let n = 0;
    const task = vi.fn(async () => {
      n++;
      if (n === 2) throw new Error('disk full');
      return report(`b${n}`);
    });
    const onBackup = vi.fn();
    const onError = vi.fn();
    const scheduler = new BackupScheduler(task, { everyMs: 900_000, timers, onBackup, onError });
    scheduler.start();
    expect(pending.map((p) => p.ms)).toEqual([900_000]);
    await fire();
    await fire();
    await fire();
    expect(task).toHaveBeenCalledTimes(3);
    expect(onBackup.mock.calls.map((c) => (c[0] as BackupReport).name)).toEqual(['b1', 'b3']);
    expect(onError).toHaveBeenCalledOnce();
    expect(pending).toHaveLength(1);
    await scheduler.stop();
    expect(pending).toHaveLength(0);
  });

  it('says a backup place that is not there once while it stays away, and says when backups work again', async () => {
    const { timers, fire } = fakeTimers();
    let n = 0;
    const task = vi.fn(async () => {
      n++;
      if (n >= 2 && n <= 4) throw new Error('E:\\Backups is not there: is the second disk connected?');
      if (n === 5) throw new Error('disk full');
      return report(`b${n}`);
    });
    const onError = vi.fn();
    const onRecovered = vi.fn();
    const scheduler = new BackupScheduler(task, { everyMs: 900_000, timers, onError, onRecovered });
    scheduler.start();
    for (let i = 0; i < 6; i++) await fire();
    expect(task).toHaveBeenCalledTimes(6);
    // Three failures for the same reason said once; a new reason said; back at the sixth, said once.
    expect(onError.mock.calls.map((c) => (c[0] as Error).message)).toEqual(['E:\\Backups is not there: is the second disk connected?', 'disk full']);
    expect(onRecovered).toHaveBeenCalledOnce();
    await scheduler.stop();
  });

  it('runs an exit backup after the one in flight, never beside it', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const task = vi
      .fn<() => Promise<BackupReport>>()
      .mockImplementationOnce(async () => {
        events.push('scheduled:start');
        await new Promise<void>((resolve) => (release = resolve));
        events.push('scheduled:end');
        return report('scheduled');
      })
      .mockImplementationOnce(async () => {
        events.push('exit:start');
        return report('exit');
      });
    const { timers, fire } = fakeTimers();
    const scheduler = new BackupScheduler(task, { everyMs: 1000, timers });
    scheduler.start();
    await fire();
    const exit = scheduler.runNow();
    const stopped = scheduler.stop();
    release();
    await expect(exit).resolves.toMatchObject({ name: 'exit' });
    await stopped;
    expect(events).toEqual(['scheduled:start', 'scheduled:end', 'exit:start']);
  });
});

describe('standby-desk backup / restore', () => {
  it('backs up with --to and --keep, reports with --json, and restores a file', async () => {
    const desk = testDesk();
    setStatus(desk, 'appt-1', 'arrived');
    const to = tempDir();
    const one = await cli('backup', '--data', desk.dataDir, '--to', to, '--keep', '1', '--json');
    expect(one).toMatchObject({ code: 0, stderr: '' });
    const first = JSON.parse(one.stdout) as BackupReport;
    expect(first).toMatchObject({ dataDir: desk.dataDir, dir: to, pruned: [] });

    const text = await cli('backup', '--data', desk.dataDir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Backed up .*\n\s+to .*backups.*checked/);
    expect(listBackups(path.join(desk.dataDir, 'backups'))).toHaveLength(1);

    const target = tempDir();
    const restored = await cli('restore', first.file, '--data', target, '--json');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ keptAs: null, journalEntries: 2 });
    expect(statusIn(databasePath(target), 'appt-1')).toBe('arrived');
    const journal = rawDatabase(databasePath(target), { readonly: true });
    expect(new Journal(new Db(journal)).verify()).toEqual({ ok: true, entries: 2 });
    journal.close();
  });

  it('says what is wrong: no FILE (exit 2), a refused file (exit 1), no database to back up (exit 1)', async () => {
    expect((await cli('restore', '--data', tempDir())).code).toBe(2);
    expect((await cli('restore', 'a', 'b', '--data', tempDir())).code).toBe(2);
    const garbage = path.join(tempDir(), 'g.sqlite');
    fs.writeFileSync(garbage, 'nope'.repeat(1000));
    const refused = await cli('restore', garbage, '--data', tempDir(), '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ restored: null, refused: [expect.any(String)] });
    expect(refused.stderr).toMatch(/was not restored.*not touched/);
    const empty = await cli('backup', '--data', tempDir());
    expect(empty).toMatchObject({ code: 1, stderr: expect.stringMatching(/no desk database/) });
  });
});
