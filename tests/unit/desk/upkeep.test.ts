/**
 * Upkeep (electron/desk/upkeep.ts): the watched folder imports the newest export by itself, once it has stopped
 * changing, and a fresh outage pack follows every successful refresh, printed by the installed Chromium.
 */
import { TEST_CHROMIUM } from '../../support/chromium';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { LATEST_FILE, MANIFEST_FILE } from '../../../electron/desk/print';
import { startUpkeep, WatchedFolder } from '../../../electron/desk/upkeep';
import { readUpkeepSettings, UPKEEP_SETTINGS_FILE } from '../../../electron/desk/upkeep-settings';
import { bookToFhirBundle } from '../../../electron/desk/upstream';
import { FIXTURE_DATE, smallBook, tempDir } from '../../support/fixtures';
import { ManualTimers } from '../../support/timers';
import { TEST_NOW } from '../../support/clock';
import { snapshot } from '../upstream/support';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function desk(): OpenDesk & { dataDir: string } {
  const dataDir = tempDir('standby-upkeep-');
  const d = openDesk({ dataDir, user: 'test', desk: 'test' });
  cleanups.push(() => d.close());
  return Object.assign(d, { dataDir });
}

/**
 * Writes a file with a modification time of its own (counted back from the suite's instant, never the real
 * clock), so "newest" does not depend on the clock's resolution.
 */
function drop(folder: string, name: string, text: string, secondsAgo = 0): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  const t = new Date(Date.parse(TEST_NOW) - secondsAgo * 1000);
  fs.utimesSync(file, t, t);
  return file;
}

const bundle = (book = smallBook(FIXTURE_DATE)) => JSON.stringify(bookToFhirBundle(book));

describe('the watched folder', () => {
  it('imports the newest export once it has held still, and only once', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    const watched = new WatchedFolder(folder, d);
    expect(watched.check()).toEqual({ kind: 'empty' });

    drop(folder, 'older.json', bundle(smallBook('2026-07-21')), 120);
    drop(folder, 'notes.txt', 'not an export');
    drop(folder, '.partial.json', '{"resourceType": "Bund');
    drop(folder, 'book.json', bundle(), 10);
    // First look: new, so perhaps still being written.
    expect(watched.check()).toEqual({ kind: 'waiting', file: 'book.json' });
    expect(d.service.upstream.status().asOf).toBeNull();
    const imported = watched.check();
    expect(imported).toMatchObject({ kind: 'imported', file: 'book.json', report: { appointments: { added: 5 } } });
    expect(d.service.mirrorDates()).toEqual([FIXTURE_DATE]);
    expect(watched.check()).toEqual({ kind: 'unchanged', file: 'book.json' });
    expect(d.service.audit.list({}).some((e) => e.kind === 'import' && JSON.stringify(e.detail).includes('book.json'))).toBe(true);
  });

  it('waits while the newest file is still growing', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    const watched = new WatchedFolder(folder, d);
    const text = bundle();
    drop(folder, 'book.json', text.slice(0, 1000), 5);
    expect(watched.check().kind).toBe('waiting');
    drop(folder, 'book.json', text, 2);
    expect(watched.check().kind).toBe('waiting');
    expect(watched.check().kind).toBe('imported');
  });

  it('reports a bad export once, naming the file, and leaves the mirror as it was', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    const watched = new WatchedFolder(folder, d);
    drop(folder, 'good.json', bundle(), 60);
    watched.check();
    expect(watched.check().kind).toBe('imported');
    const before = snapshot(d.dataDir);

    drop(folder, 'later.json', bundle().slice(0, 5000));
    expect(watched.check().kind).toBe('waiting');
    const failed = watched.check();
    expect(failed.kind).toBe('failed');
    expect(failed.kind === 'failed' && failed.error.message).toMatch(/later\.json.*not valid JSON.*truncated/);
    expect(watched.check()).toEqual({ kind: 'unchanged', file: 'later.json' });
    expect(snapshot(d.dataDir)).toBe(before);
  });

  it('imports nothing in outage mode', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    const watched = new WatchedFolder(folder, d);
    d.dispatch('setMode', { mode: 'outage' }, d.context);
    drop(folder, 'book.json', bundle(), 10);
    watched.check();
    expect(watched.check()).toEqual({ kind: 'outage', file: 'book.json' });
    expect(d.service.mirrorDates()).toEqual([]);
  });
});

describe('the outage pack after every refresh', () => {
  it('writes the pack at start and again after the watched folder brings a new book, in Chromium', async () => {
    const d = desk();
    const watch = tempDir('standby-watch-');
    const packs = tempDir('standby-packs-');
    const lines: string[] = [];
    const timers = new ManualTimers();
    const upkeep = startUpkeep(d, {
      watch: { folder: watch, intervalMs: 30_000 },
      pack: { folder: packs, days: 1, browserPath: TEST_CHROMIUM },
      log: (line) => lines.push(line),
      timers,
      clock: () => new Date(`${FIXTURE_DATE}T08:00:00Z`),
    });
    cleanups.push(() => upkeep.stop());

    // At start: a pack of the mirror as it is (empty), so the folder is never without one.
    const first = await upkeep.lastPack();
    expect(first).not.toBeNull();
    expect(fs.readFileSync(path.join(packs, LATEST_FILE), 'utf8').trim()).toBe(first?.name);

    drop(watch, 'book.json', bundle(), 10);
    await timers.armed();
    timers.fire(); // first look: waiting
    await timers.armed();
    timers.fire(); // second look: imported, and a pack follows
    await timers.armed();
    const second = await upkeep.lastPack();
    expect(second?.name).not.toBe(first?.name);
    expect(second?.appointments).toEqual({ [FIXTURE_DATE]: 5 });
    const dir = path.join(packs, fs.readFileSync(path.join(packs, LATEST_FILE), 'utf8').trim());
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { files: Array<{ file: string; sheet: string }> };
    const masterList = manifest.files.find((f) => f.sheet === 'master-list');
    expect(masterList).toBeDefined();
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, masterList?.file ?? ''), '-'], { encoding: 'utf8' });
    for (const p of smallBook(FIXTURE_DATE).patients) expect(text).toContain(p.familyName.toUpperCase());
    expect(lines.some((l) => /^Imported book\.json: appointments 5 added/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('Wrote the outage pack'))).toHaveLength(2);
    expect(d.service.audit.list({}).filter((e) => e.kind === 'print' && JSON.stringify(e.detail).includes('outage-pack'))).toHaveLength(2);
  }, 60_000);
});

describe('upkeep-settings.json', () => {
  const write = (dataDir: string, settings: unknown) => fs.writeFileSync(path.join(dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify(settings));

  it('is optional: without it nothing is pulled, watched or packed', () => {
    expect(readUpkeepSettings(tempDir())).toEqual({ settings: {}, problems: [], sources: {} });
  });

  it('fills in the defaults, resolves folders from the data folder, and reads a CSV mapping', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'mapping.json'), JSON.stringify({ delimiter: ';' }));
    write(dataDir, {
      fhir: { url: 'https://gp.example/fhir/R4', token: 'secret-token', ods: 'A12345', timeoutSeconds: 30 },
      watch: { dir: 'exports', mapping: 'mapping.json' },
      pack: { dir: '/mnt/usb/pack', days: 2 },
    });
    const { settings, problems } = readUpkeepSettings(dataDir);
    expect(problems).toEqual([]);
    expect(settings.fhir).toEqual({ baseUrl: 'https://gp.example/fhir/R4', bearerToken: 'secret-token', odsCode: 'A12345', timeoutMs: 30_000, days: 4, everyMs: 5 * 60_000 });
    expect(settings.watch?.folder).toBe(path.join(dataDir, 'exports'));
    expect(settings.watch?.mapping?.delimiter).toBe(';');
    expect(settings.pack).toEqual({ folder: '/mnt/usb/pack', days: 2, keep: 5 });
  });

  it('takes how often the scheduled pull reads the practice list, and refuses a negative one', () => {
    const dataDir = tempDir();
    write(dataDir, { fhir: { url: 'https://gp.example/fhir/R4', ods: 'A12345', listEveryHours: 6 } });
    expect(readUpkeepSettings(dataDir).settings.fhir).toMatchObject({ odsCode: 'A12345', listEveryHours: 6 });
    write(dataDir, { fhir: { url: 'https://gp.example/fhir/R4', listEveryHours: -1 } });
    expect(readUpkeepSettings(dataDir).problems[0]).toMatch(/fhir\.listEveryHours: .*; not pulling from FHIR$/);
  });

  it('leaves off only the part that is wrong, naming the field', () => {
    const dataDir = tempDir();
    write(dataDir, { fhir: { url: 'https://gp.example/fhir', everyMinutes: 0 }, pack: { dir: 'pack' } });
    const { settings, problems } = readUpkeepSettings(dataDir);
    expect(settings.fhir).toBeUndefined();
    expect(settings.pack?.folder).toBe(path.join(dataDir, 'pack'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/upkeep-settings\.json: fhir\.everyMinutes: .*; not pulling from FHIR$/);
  });

  it('uses none of a file that is not JSON or has a field it does not know, and says so', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, UPKEEP_SETTINGS_FILE), '{"pack": {"dir": "pack"}');
    expect(readUpkeepSettings(dataDir)).toEqual({
      settings: {},
      problems: [expect.stringMatching(/upkeep-settings\.json is not JSON .*; nothing is pulled, watched or packed automatically/)],
      sources: {},
    });
    write(dataDir, { pack: { dir: 'pack' }, backups: {} });
    expect(readUpkeepSettings(dataDir).problems).toEqual([expect.stringMatching(/upkeep-settings\.json: \(file\): .*backups/)]);
  });
});

describe('a watched folder that cannot be read', () => {
  it('says so once, keeps looking quietly, and says when it can be read again', async () => {
    const d = desk();
    const folder = path.join(tempDir('standby-watch-'), 'share');
    const lines: string[] = [];
    const timers = new ManualTimers();
    const upkeep = startUpkeep(d, { watch: { folder, intervalMs: 30_000 }, log: (line) => lines.push(line), timers });
    cleanups.push(() => upkeep.stop());
    await timers.armed();
    for (let i = 0; i < 3; i++) {
      timers.fire();
      await timers.armed();
    }
    const problems = lines.filter((l) => l.includes('cannot be read'));
    expect(problems).toEqual([`Watching for exports: ${folder} cannot be read (ENOENT); looking again every half minute, the mirror is as it was`]);
    expect(lines.some((l) => l.includes('failed'))).toBe(false);

    fs.mkdirSync(folder);
    drop(folder, 'book.json', bundle(), 10);
    timers.fire();
    await timers.armed();
    expect(lines).toContain(`${folder} can be read again; watching it for exports`);
    timers.fire(); // the file has held still since the last look
    await timers.armed();
    expect(lines.some((l) => /^Imported book\.json: appointments 5 added/.test(l))).toBe(true);
  });
});

describe('a pack folder that is not there', () => {
  it('is not made on this PC’s disk: the pack fails with a clear line', async () => {
    const d = desk();
    const stick = path.join(tempDir('standby-media-'), 'usb', 'Outage pack');
    const lines: string[] = [];
    const upkeep = startUpkeep(d, { pack: { folder: stick, days: 1, browserPath: TEST_CHROMIUM }, log: (line) => lines.push(line), timers: new ManualTimers() });
    cleanups.push(() => upkeep.stop());
    expect(await upkeep.lastPack()).toBeNull();
    expect(lines).toEqual([
      `The outage pack could not be written to ${stick}: ${stick} is not there: is the drive or share connected? (the pack folder is never made by itself, so the pack cannot end up on this PC's own disk instead); the previous pack is still there`,
    ]);
    expect(fs.existsSync(path.dirname(stick))).toBe(false);
  });

  it('is said once while packs keep failing, and said again when the stick is back', async () => {
    const d = desk();
    const stick = path.join(tempDir('standby-media-'), 'Outage pack');
    const watch = tempDir('standby-watch-');
    const lines: string[] = [];
    const timers = new ManualTimers();
    const upkeep = startUpkeep(d, {
      watch: { folder: watch, intervalMs: 30_000 },
      pack: { folder: stick, days: 1, browserPath: TEST_CHROMIUM },
      log: (line) => lines.push(line),
      timers,
    });
    cleanups.push(() => upkeep.stop());
    expect(await upkeep.lastPack()).toBeNull();
    // Two refreshes with the stick still out: each is followed by a pack that fails, neither said again.
    const importThenPack = async (name: string, date: string) => {
      drop(watch, name, bundle(smallBook(date)), 0);
      for (let look = 0; look < 2; look++) {
        await timers.armed();
        timers.fire();
      }
      await timers.armed();
      return upkeep.lastPack();
    };
    expect(await importThenPack('monday.json', '2026-07-20')).toBeNull();
    expect(await importThenPack('tuesday.json', '2026-07-21')).toBeNull();
    expect(lines.filter((l) => l.startsWith('Imported '))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('The outage pack could not be written'))).toHaveLength(1);

    fs.mkdirSync(stick, { recursive: true });
    expect(await importThenPack('wednesday.json', '2026-07-22')).not.toBeNull();
    expect(lines.filter((l) => l.startsWith('The outage pack could not be written'))).toHaveLength(1);
    const back = lines.indexOf(`The outage pack can be written to ${stick} again`);
    expect(back).toBeGreaterThan(0);
    expect(lines[back + 1]).toMatch(/^Wrote the outage pack pack-/);
  }, 60_000);
});
