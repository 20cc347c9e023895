/**
 * Backups go where the manager said on screen (issue 20), wherever the desk runs. `serve` backs up as the app does:
 * every interval of the settings in force, into the folder saved on screen from the moment it is saved, once more
 * when it stops, and a backup place that is not there is said once and again once when it is back; driven through
 * serve's own wiring (startServeUpkeep) on a real data folder, its timers fired by hand. `standby-desk backup`
 * writes to the same folder. The desk's clock is the pinned one (vitest.config.ts), as the backups' names are.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PracticeSettings } from '../../../shared/api';
import { startServeUpkeep, type ServeUpkeep } from '../../../electron/cli/serve-upkeep';
import { main } from '../../../electron/cli/main';
import { BACKUP_SETTINGS_FILE, listBackups } from '../../../electron/desk/backup';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { startUpkeep } from '../../../electron/desk/upkeep';
import { smallBook, tempDir } from '../../support/fixtures';
import { ManualTimers } from '../../support/timers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const EVERY_15_MINUTES = 15 * 60_000;

/**
 * A folder on another disk than the data folder where this machine has one (/dev/shm, memory), so readiness can call
 * the backup green; else one on the same disk, which it calls amber for that reason alone.
 */
function backupFolderOffDataDisk(dataDir: string): { dir: string; secondDisk: boolean } {
  const shm = '/dev/shm';
  const secondDisk = fs.existsSync(shm) && fs.statSync(shm).dev !== fs.statSync(dataDir).dev;
  const dir = fs.mkdtempSync(path.join(secondDisk ? shm : os.tmpdir(), 'standby-backups-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir, secondDisk };
}

function settingsWithBackup(dir: string): PracticeSettings {
  return { practice: { name: 'Riverside Medical Practice', odsCode: 'Y12345' }, book: { kind: 'none' }, pack: null, backup: { dir, everyMinutes: 20 } };
}

function serving(): { desk: OpenDesk; dataDir: string; timers: ManualTimers; logs: string[]; keeping: ServeUpkeep } {
  const dataDir = tempDir('standby-serve-');
  // The desk's clock is the process's, pinned by the environment: the one the backups are named by.
  const desk = openDesk({ dataDir });
  desk.service.loadBook(smallBook(), 'test fixture', desk.context);
  const timers = new ManualTimers();
  const logs: string[] = [];
  const log = (level: string, line: string) => logs.push(`${level}: ${line}`);
  // serve's own upkeep (its flags over the settings in force) is not what is tested here: nothing to keep fresh.
  const keeping = startServeUpkeep({ desk, dataDir, startUpkeep: () => startUpkeep(desk, { log: (line) => log('info', line) }), log, timers });
  cleanups.push(async () => {
    await keeping.stop();
    await keeping.lastBackup();
    desk.close();
  });
  return { desk, dataDir, timers, logs, keeping };
}

function backupCheck(desk: OpenDesk) {
  return desk.service.readiness(null, {}).checks.find((c) => c.id === 'backup');
}

describe('serve backs up as the app does', () => {
  it('into the folder saved on screen, from the save on, at its interval and when it stops; readiness then sees it', async () => {
    const { desk, dataDir, timers, logs, keeping } = serving();
    // Before anything is saved: every 15 minutes into the data folder's own backups folder, none taken yet.
    expect(timers.pending.map((t) => t.ms)).toEqual([EVERY_15_MINUTES]);
    expect(backupCheck(desk)).toMatchObject({ status: 'red', detail: `${path.join(dataDir, 'backups')} cannot be reached` });

    const { dir, secondDisk } = backupFolderOffDataDisk(dataDir);
    expect(desk.dispatch('saveSettings', { settings: settingsWithBackup(dir) }, desk.context)).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(timers.pending.map((t) => t.ms)).toEqual([20 * 60_000]));
    expect(logs).toContain('info: The practice settings were changed on screen: keeping the mirror fresh with the new ones, and backing up as they say');

    timers.fire();
    await timers.armed();
    expect(listBackups(dir)).toHaveLength(1);
    expect(logs.filter((l) => l.startsWith('info: backup '))).toEqual([expect.stringContaining(dir)]);
    expect(fs.existsSync(path.join(dataDir, 'backups'))).toBe(false);
    expect(backupCheck(desk)).toMatchObject(
      secondDisk
        ? { status: 'green', detail: expect.stringMatching(new RegExp(`^taken \\d+ min ago to ${dir}$`)) }
        : { status: 'amber', detail: expect.stringMatching(/^taken \d+ min ago, but on this PC's own disk$/) },
    );

    // Stopping: no more scheduled backups, then one more holding the last change.
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, desk.context);
    await keeping.stop();
    expect(timers.pending).toEqual([]);
    await keeping.lastBackup();
    expect(listBackups(dir)).toHaveLength(2);
  });

  it('says a backup place that is not there once, and once when it is back', async () => {
    const { desk, timers, logs } = serving();
    // The second disk's mount point holds a file where the folder should be: nothing can be made there.
    const mount = path.join(tempDir('standby-mount-'), 'second-disk');
    fs.writeFileSync(mount, 'not a folder');
    const dir = path.join(mount, 'backups');
    expect(desk.dispatch('saveSettings', { settings: settingsWithBackup(dir) }, desk.context)).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(timers.pending.map((t) => t.ms)).toEqual([20 * 60_000]));

    const problems = () => logs.filter((l) => l.startsWith('error: ') || l.includes('work again'));
    for (let i = 0; i < 3; i++) {
      timers.fire();
      await timers.armed();
    }
    expect(problems()).toEqual([expect.stringMatching(/^error: backup failed: .*second-disk.*\(said once until it changes or backups work again\)$/)]);
    expect(backupCheck(desk)?.status).toBe('red');

    fs.rmSync(mount);
    fs.mkdirSync(mount);
    for (let i = 0; i < 2; i++) {
      timers.fire();
      await timers.armed();
    }
    expect(problems()).toHaveLength(2);
    expect(problems()[1]).toBe(`info: backups to ${dir} work again`);
    expect(listBackups(dir)).toHaveLength(2);
  });
});

describe('standby-desk backup', () => {
  async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await main(argv, { log: (l) => stdout.push(l), error: (l) => stderr.push(l) });
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  }

  it('with no flags, writes to the folder saved on screen (backup-settings.json winning), and readiness sees it', async () => {
    const dataDir = tempDir();
    const desk = openDesk({ dataDir });
    cleanups.push(() => desk.close());
    const saved = tempDir();
    expect(desk.dispatch('saveSettings', { settings: settingsWithBackup(saved) }, desk.context)).toMatchObject({ ok: true });
    expect(backupCheck(desk)).toMatchObject({ status: 'red', detail: `no backup in ${saved}` });

    const taken = await cli('backup', '--data', dataDir, '--json');
    expect(taken).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(taken.stdout)).toMatchObject({ dir: saved });
    expect(listBackups(saved)).toHaveLength(1);
    expect(fs.existsSync(path.join(dataDir, 'backups'))).toBe(false);
    // Taken just now, where the settings say: only its being on this PC's own disk (as every temp folder is) is said.
    expect(backupCheck(desk)).toMatchObject({ status: 'amber', detail: expect.stringMatching(/^taken \d+ min ago, but on this PC's own disk$/) });

    const deployed = tempDir();
    fs.writeFileSync(path.join(dataDir, BACKUP_SETTINGS_FILE), JSON.stringify({ dir: deployed }));
    expect(await cli('backup', '--data', dataDir)).toMatchObject({ code: 0 });
    expect([listBackups(deployed).length, listBackups(saved).length]).toEqual([1, 1]);
  });
});
