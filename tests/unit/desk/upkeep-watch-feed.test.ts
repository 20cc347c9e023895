/**
 * A watched folder given EMIS or SystmOne extracts (issue 20 item 1: "which feed"): the newest zip, once it has held
 * still, read as `standby-desk import --format …-extract` reads it, once per new zip; and the feed as saved on
 * screen (settings saved before there was a choice read as exports) and as upkeep-settings.json says it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { sql } from '../../../electron/desk/store/sql';
import { startUpkeep, WatchedFolder } from '../../../electron/desk/upkeep';
import { readUpkeepSettings, UPKEEP_SETTINGS_FILE } from '../../../electron/desk/upkeep-settings';
import { TEST_SCRYPT_COST, tempDir } from '../../support/fixtures';
import { TEST_NOW } from '../../support/clock';
import { ManualTimers } from '../../support/timers';
import { emisExtract, EXTRACT_DAY, EXTRACT_ODS, extractDayBook, systmOneExtract, toCp1252 } from '../../fixtures/feeds/extracts';
import { zipOf } from '../../fixtures/feeds/zip-writer';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function desk(): OpenDesk & { dataDir: string } {
  const dataDir = tempDir('standby-watch-feed-');
  const d = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => new Date(TEST_NOW), scryptCost: { ...TEST_SCRYPT_COST } });
  cleanups.push(() => d.close());
  return Object.assign(d, { dataDir });
}

/** Writes a file with its own modification time, counted back from the suite's instant (never the real clock). */
function drop(folder: string, name: string, bytes: Buffer | string, secondsAgo = 0): void {
  const file = path.join(folder, name);
  fs.writeFileSync(file, bytes);
  const t = new Date(Date.parse(TEST_NOW) - secondsAgo * 1000);
  fs.utimesSync(file, t, t);
}

const emisZip = () => zipOf(emisExtract(extractDayBook()));

describe('a watched folder given EMIS extracts', () => {
  it('imports the newest zip once it has held still, once, and leaves CSV and JSON files alone', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    const watched = new WatchedFolder(folder, d, { feed: 'emis-extract' });
    drop(folder, 'export.csv', 'not read here', 5);
    expect(watched.check()).toEqual({ kind: 'empty' });
    drop(folder, 'older.zip', 'not a zip at all', 600);
    drop(folder, 'emis-day.zip', emisZip(), 10);
    expect(watched.check()).toEqual({ kind: 'waiting', file: 'emis-day.zip' });
    expect(d.service.mirrorDates()).toEqual([]);
    expect(watched.check()).toMatchObject({ kind: 'imported', file: 'emis-day.zip', report: { source: 'EMIS extract emis-day.zip', appointments: { added: 6 } } });
    expect(d.service.mirrorDates()).toEqual([EXTRACT_DAY]);
    expect(watched.check()).toEqual({ kind: 'unchanged', file: 'emis-day.zip' });
    const watchedImports = d.service.audit.list({ kind: 'import' }).filter((e) => (e.detail as { watched?: boolean }).watched === true);
    expect(watchedImports.map((e) => e.detail)).toEqual([expect.objectContaining({ file: 'emis-day.zip', watched: true })]);
  });

  it('refuses an extract for another practice than the one saved on screen, once, naming the file', () => {
    const d = desk();
    d.db.run(
      sql`INSERT INTO meta (key, value) VALUES ('practice.settings', ${JSON.stringify({ practice: { name: 'Other Practice', odsCode: 'A12345' }, book: { kind: 'watch', dir: 'x', feed: 'emis-extract' }, pack: null, backup: null })})`,
    );
    const folder = tempDir('standby-watch-');
    const watched = new WatchedFolder(folder, d, { feed: 'emis-extract' });
    drop(folder, 'emis-day.zip', emisZip(), 10);
    watched.check();
    const failed = watched.check();
    expect(failed.kind).toBe('failed');
    expect(failed.kind === 'failed' && failed.error.message).toMatch(/is Y99999, but this desk is for the practice A12345: the extract is from another practice/);
    expect(watched.check()).toEqual({ kind: 'unchanged', file: 'emis-day.zip' });
    expect(d.service.mirrorDates()).toEqual([]);
  });
});

describe('a watched folder given SystmOne extracts, as upkeep runs it', () => {
  it('imports the zip with the practice from upkeep-settings.json, and says what it watches for', async () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    const lines: string[] = [];
    const timers = new ManualTimers();
    const s1 = systmOneExtract(extractDayBook());
    drop(folder, 's1-day.zip', zipOf(new Map([...s1].map(([n, t]) => [n, toCp1252(t)])), { date: EXTRACT_DAY, time: '07:00' }), 30);
    fs.writeFileSync(path.join(d.dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify({ watch: { dir: folder, feed: 'systmone-extract' } }));
    const read = readUpkeepSettings(d.dataDir, {}, d.service.practiceSettings.upkeepParts());
    expect(read.problems).toEqual([]);
    const upkeep = startUpkeep(d, { ...read.settings, log: (line) => lines.push(line), timers });
    cleanups.push(() => upkeep.stop());
    expect(lines).toContain(`Watching ${folder} for SystmOne extracts (the newest .zip is imported once it stops changing)`);
    await timers.armed();
    timers.fire(); // first look: waiting
    await timers.armed();
    timers.fire(); // held still: imported
    await timers.armed();
    expect(lines.some((l) => l.startsWith('Imported s1-day.zip: appointments 6 added'))).toBe(true);
    expect(d.service.mirror.practice()?.odsCode).toBe(EXTRACT_ODS);
  });
});

describe('which feed the settings say', () => {
  it('reads settings saved before there was a choice as exports', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    d.db.run(
      sql`INSERT INTO meta (key, value) VALUES ('practice.settings', ${JSON.stringify({ practice: { name: 'Riverside', odsCode: 'Y12345' }, book: { kind: 'watch', dir: folder }, pack: null, backup: null })})`,
    );
    expect(d.service.practiceSettings.read()?.book).toEqual({ kind: 'watch', dir: folder, feed: 'export' });
    expect(readUpkeepSettings(d.dataDir, {}, d.service.practiceSettings.upkeepParts()).settings.watch).toEqual({ folder, feed: 'export' });
  });

  it('takes upkeep-settings.json’s feed over the one saved on screen, shows it as the file’s, and refuses a mapping for an extract', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    d.db.run(
      sql`INSERT INTO meta (key, value) VALUES ('practice.settings', ${JSON.stringify({ practice: { name: 'Riverside', odsCode: 'Y12345' }, book: { kind: 'watch', dir: folder, feed: 'export' }, pack: null, backup: null })})`,
    );
    const file = path.join(d.dataDir, UPKEEP_SETTINGS_FILE);
    fs.writeFileSync(file, JSON.stringify({ watch: { feed: 'emis-extract' } }));
    expect(readUpkeepSettings(d.dataDir, {}, d.service.practiceSettings.upkeepParts()).settings.watch).toEqual({ folder, feed: 'emis-extract' });
    const view = d.dispatch('getSettings', {}, d.context);
    const inForce = view.ok ? (view.value as { inForce: Array<{ field: string }> }).inForce : [];
    expect(inForce.filter((f) => f.field.startsWith('watch.'))).toEqual([
      { field: 'watch.dir', value: folder, source: 'screen', file: null },
      { field: 'watch.feed', value: 'emis-extract', source: 'file', file: UPKEEP_SETTINGS_FILE },
    ]);

    fs.writeFileSync(file, JSON.stringify({ watch: { feed: 'systmone-extract', mapping: 'm.json' } }));
    const read = readUpkeepSettings(d.dataDir, {}, d.service.practiceSettings.upkeepParts());
    expect(read.settings.watch).toBeUndefined();
    expect(read.problems).toEqual([`${file}: watch.mapping: a mapping is for CSV exports; an extract is read by its published column names; not watching for exports`]);
  });
});
