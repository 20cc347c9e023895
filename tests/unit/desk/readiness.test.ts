/**
 * Readiness (issue 20, item 3): the checks over pinned facts, and `standby-desk readiness --json` over a real data
 * folder, turning red for a missing pack folder, a stale mirror and a backup that is too old, and not red once each
 * is fixed (other checks, such as the recovery sheet and the drill that are not built yet, stay amber).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { backupFileName } from '../../../electron/desk/backup/names';
import { LATEST_FILE, MANIFEST_FILE } from '../../../electron/desk/print/pack';
import { checkBackup, checkGroup, checkLastPull, checkMirrorAge, checkPack, checkPrinter, readinessOf, type ReadinessFacts } from '../../../electron/desk/readiness';
import { openDesk } from '../../../electron/desk/open';
import type { Readiness, ReadinessCheckId } from '../../../shared/api/readiness';
import { deskWithAccounts, MANAGER, RECEPTIONIST } from '../auth/support';
import { openTestDesk, smallBook, tempDir } from '../../support/fixtures';

const NOW = '2026-07-20T09:30:00.000Z';
const minutesBefore = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();

const dirs: string[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Facts of a practice that is ready, each test breaking one thing. */
function readyFacts(): ReadinessFacts {
  const folder = (p: string) => ({ path: p, exists: true, writable: true, sameDiskAsData: false });
  return {
    now: NOW,
    mirror: { asOf: minutesBefore(4), loadedAt: minutesBefore(3), source: 'fhir', staleAfterMinutes: 30 },
    upstream: { lastAttemptAt: minutesBefore(3), lastSuccessAt: minutesBefore(3), lastError: null, lastErrorAt: null, fhirBaseUrl: 'https://gp.example/fhir' },
    pack: { folder: folder('/mnt/usb/pack'), lateAfterMinutes: 10, latest: { name: 'pack-20260720-102500', printedAt: minutesBefore(5), complete: true, missing: [] } },
    backup: { folder: folder('/mnt/share/backups'), lateAfterMinutes: 30, newestAt: minutesBefore(12), settingsProblem: null },
    recoverySheetPrintedAt: minutesBefore(60 * 24 * 30),
    printers: ['Reception HP'],
    group: { role: 'coordinator', state: 'connected', heldOnTwoPcs: true, groupName: 'Reception', members: [] },
    lastDrillAt: minutesBefore(60 * 24 * 20),
  };
}

describe('the readiness checks, over pinned facts', () => {
  it('are all green for a ready practice, and overall green', () => {
    const r = readinessOf(readyFacts());
    expect(r.checks.map((c) => [c.id, c.status])).toEqual((['mirror-age', 'last-pull', 'pack', 'backup', 'key', 'printer', 'group', 'drill'] as const).map((id) => [id, 'green']));
    expect(r.overall).toBe('green');
    expect(r.checkedAt).toBe(NOW);
  });

  it("judges the mirror by the practice's own stale limit, and a mirror never loaded as red", () => {
    const f = readyFacts();
    expect(checkMirrorAge({ now: NOW, mirror: { ...f.mirror, asOf: minutesBefore(31) } }).status).toBe('red');
    expect(checkMirrorAge({ now: NOW, mirror: { ...f.mirror, asOf: minutesBefore(31), staleAfterMinutes: 60 } }).status).toBe('green');
    expect(checkMirrorAge({ now: NOW, mirror: { ...f.mirror, asOf: null, loadedAt: null } }).detail).toBe('the mirror has never been loaded');
  });

  it('turns red with the error when the last pull failed, and green again once a pull succeeds after it', () => {
    const f = readyFacts();
    const failed = checkLastPull({ mirror: f.mirror, upstream: { ...f.upstream, lastError: 'HTTP 401 from the FHIR server', lastErrorAt: minutesBefore(1) } });
    expect(failed.status).toBe('red');
    expect(failed.detail).toContain('HTTP 401 from the FHIR server');
    expect(checkLastPull({ mirror: f.mirror, upstream: { ...f.upstream, lastError: 'old', lastErrorAt: minutesBefore(60) } }).status).toBe('green');
  });

  it('wants a complete, recent pack on a folder that can be written, and says when it is on this PC’s own disk', () => {
    const f = readyFacts();
    const latest = f.pack.latest;
    expect(checkPack({ now: NOW, pack: { ...f.pack, folder: null } }).status).toBe('red');
    expect(checkPack({ now: NOW, pack: { ...f.pack, latest: latest && { ...latest, printedAt: minutesBefore(11) } } }).status).toBe('red');
    expect(checkPack({ now: NOW, pack: { ...f.pack, latest: latest && { ...latest, complete: false, missing: ['x.pdf'] } } }).status).toBe('red');
    const own = checkPack({ now: NOW, pack: { ...f.pack, folder: { path: '/p', exists: true, writable: true, sameDiskAsData: true } } });
    expect([own.status, own.detail]).toEqual(['amber', "written 5 min ago, but to this PC's own disk"]);
    expect(checkPack({ now: NOW, pack: { ...f.pack, folder: { path: '/p', exists: true, writable: false, sameDiskAsData: null } } }).fix).toBe(
      'give this PC write access to the pack folder',
    );
  });

  it('wants a backup within its limit, off this disk', () => {
    const f = readyFacts();
    expect(checkBackup({ now: NOW, backup: { ...f.backup, newestAt: minutesBefore(31) } }).status).toBe('red');
    expect(checkBackup({ now: NOW, backup: { ...f.backup, newestAt: null } }).status).toBe('red');
    expect(checkBackup({ now: NOW, backup: { ...f.backup, folder: { ...f.backup.folder, sameDiskAsData: true } } }).status).toBe('amber');
  });

  it('never calls a printer it could not look for green, and counts it in the overall as nothing', () => {
    expect(checkPrinter({ printers: null }).status).toBe('not-checked');
    expect(checkPrinter({ printers: [] }).status).toBe('red');
    expect(readinessOf({ ...readyFacts(), printers: null }).overall).toBe('green');
  });

  it("reads the desk group's health: alone is amber, a lost coordinator red", () => {
    const g = readyFacts().group;
    expect(checkGroup({ group: { ...g, role: 'standalone', state: 'alone', heldOnTwoPcs: false } }).status).toBe('amber');
    expect(checkGroup({ group: { ...g, state: 'connected', heldOnTwoPcs: false } }).status).toBe('amber');
    expect(checkGroup({ group: { ...g, role: 'member', state: 'coordinator-lost' } }).status).toBe('red');
    // The CLI on a grouped folder runs no group link: it cannot tell, and says so rather than green.
    expect(checkGroup({ group: { ...g, state: 'not-running' } })).toMatchObject({ status: 'not-checked', detail: 'in group "Reception", but no group link runs in this process' });
    expect(readinessOf({ ...readyFacts(), group: { ...g, state: 'fenced' } }).overall).toBe('red');
  });
});

// ---- the command over a real data folder ----------------------------------------------------------------------

function cli() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, out: { log: (l: string) => lines.out.push(l), error: (l: string) => lines.err.push(l) } };
}

async function readinessJson(dataDir: string): Promise<{ code: number; readiness: Readiness; status: (id: ReadinessCheckId) => string | undefined }> {
  const run = cli();
  const code = await main(['readiness', '--data', dataDir, '--json'], run.out);
  const readiness = JSON.parse(run.lines.out[0] ?? '{}') as Readiness;
  return { code, readiness, status: (id) => readiness.checks.find((c) => c.id === id)?.status };
}

/** A test double of a written pack: a manifest listing one file that is there at its size, and `latest` naming it. */
function writeFakePack(folder: string, printedAt: string): void {
  const name = 'pack-20260720-102800';
  fs.mkdirSync(path.join(folder, name), { recursive: true });
  const pdf = Buffer.from('%PDF-1.7 test double\n');
  fs.writeFileSync(path.join(folder, name, 'day.pdf'), pdf);
  fs.writeFileSync(path.join(folder, name, MANIFEST_FILE), JSON.stringify({ printedAt, files: [{ file: 'day.pdf', bytes: pdf.length }] }));
  fs.writeFileSync(path.join(folder, LATEST_FILE), name);
}

describe('standby-desk readiness', () => {
  it('turns red for a missing pack folder, a stale mirror and an old backup, and not red once each is fixed', async () => {
    process.env['STANDBY_DESK_CLOCK'] = NOW;
    cleanups.push(() => {
      delete process.env['STANDBY_DESK_CLOCK'];
    });
    // The book was loaded an hour ago: over the 30-minute default limit.
    const desk = openTestDesk({ now: () => new Date(minutesBefore(60)) });
    desk.close();
    const dataDir = desk.dataDir;
    const elsewhere = tempDir();
    dirs.push(dataDir, elsewhere);
    const packDir = path.join(elsewhere, 'usb-stick');
    const backupDir = path.join(elsewhere, 'backups');
    fs.mkdirSync(backupDir);
    fs.writeFileSync(path.join(dataDir, 'upkeep-settings.json'), JSON.stringify({ pack: { dir: packDir } }));
    fs.writeFileSync(path.join(dataDir, 'backup-settings.json'), JSON.stringify({ dir: backupDir, everyMinutes: 15 }));
    fs.writeFileSync(path.join(backupDir, backupFileName(new Date(minutesBefore(45)))), 'a backup');

    const red = await readinessJson(dataDir);
    expect(red.code).toBe(1);
    expect(red.readiness.overall).toBe('red');
    // The pinned clock runs on from NOW (electron/desk/clock.ts).
    expect(red.readiness.checkedAt).toMatch(/^2026-07-20T09:30:0\d\.\d{3}Z$/);
    expect(red.status('pack')).toBe('red');
    expect(red.readiness.checks.find((c) => c.id === 'pack')?.detail).toBe(`${packDir} cannot be reached`);
    expect(red.status('mirror-age')).toBe('red');
    expect(red.status('backup')).toBe('red');
    expect(red.readiness.checks.find((c) => c.id === 'backup')?.detail).toBe('the newest backup is 45 min old (limit 30 min)');
    // What cannot be known or is not built yet is said, never claimed.
    expect(red.status('printer')).toBe('not-checked');
    expect(red.readiness.checks.find((c) => c.id === 'key')?.detail).toBe('no recovery sheet has been printed for this database key');
    expect(red.readiness.checks.find((c) => c.id === 'drill')?.detail).toBe('no drill recorded');

    // Fixed: the stick plugged in with a complete pack on it, a fresh book, a fresh backup.
    fs.mkdirSync(packDir);
    writeFakePack(packDir, minutesBefore(2));
    const fresh = openDesk({ dataDir, clock: () => new Date(minutesBefore(1)) });
    fresh.service.loadBook(smallBook(), 'test fixture', fresh.context);
    fresh.close();
    fs.writeFileSync(path.join(backupDir, backupFileName(new Date(minutesBefore(5)))), 'a backup');

    const fixed = await readinessJson(dataDir);
    expect(fixed.status('mirror-age')).toBe('green');
    expect(fixed.status('last-pull')).toBe('green');
    // On this test machine every temp folder is on one disk: said as amber, never as red or green.
    expect(fixed.status('pack')).toBe('amber');
    expect(fixed.readiness.checks.find((c) => c.id === 'pack')?.detail).toBe("written 2 min ago, but to this PC's own disk");
    expect(fixed.status('backup')).toBe('amber');
    expect(fixed.readiness.overall).toBe('amber');
    expect(fixed.code).toBe(0);

    // A pack whose manifest lists a file that is not there is not a pack.
    fs.rmSync(path.join(packDir, 'pack-20260720-102800', 'day.pdf'));
    const broken = await readinessJson(dataDir);
    expect([broken.status('pack'), broken.code]).toEqual(['red', 1]);
  });

  it('prints one line a check and the overall, and says in its usage what the exit code means', async () => {
    process.env['STANDBY_DESK_CLOCK'] = NOW;
    cleanups.push(() => {
      delete process.env['STANDBY_DESK_CLOCK'];
    });
    const desk = openTestDesk({ now: () => new Date(minutesBefore(60)) });
    desk.close();
    dirs.push(desk.dataDir);
    const run = cli();
    expect(await main(['readiness', '--data', desk.dataDir], run.out)).toBe(1);
    expect(run.lines.out).toHaveLength(9);
    expect(run.lines.out[0]).toMatch(/^RED {10}The mirror's age: 60 min old, over the practice's 30 min limit; fix: /);
    expect(run.lines.out[5]).toMatch(/^NOT CHECKED {2}A printer: /);
    expect(run.lines.out[8]).toMatch(/^Overall: RED \(checked at 2026-07-20T09:30:0\d\.\d{3}Z\)$/);
    const help = cli();
    expect(await main(['--help'], help.out)).toBe(0);
    expect(help.lines.out.join('\n')).toMatch(/readiness \[--json\].*exit 0 green or amber, 1 red/);
  });
});

describe('getReadiness through dispatch', () => {
  it('answers a manager and refuses a receptionist', () => {
    const { desk } = deskWithAccounts();
    cleanups.push(() => desk.close());
    dirs.push(desk.dataDir);
    const as = (account: { username: string; secret: string }, sessionId: string) => {
      const ctx = { user: 'anonymous', desk: 'front-1', sessionId };
      expect(desk.dispatch('signIn', { username: account.username, secret: account.secret }, ctx).ok).toBe(true);
      return desk.dispatch('getReadiness', {}, ctx);
    };
    const refused = as({ username: RECEPTIONIST.username, secret: RECEPTIONIST.pin }, 'session-rx');
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
    const answered = as(MANAGER, 'session-pm');
    expect(answered.ok && (answered.value as Readiness).checks).toHaveLength(8);
  });
});
