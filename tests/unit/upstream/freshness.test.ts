/**
 * Hazard H1, a stale mirror shown as current: the mirror's "as of" is when its data was true upstream, never the
 * moment it was imported. Real files with pinned modification times, a real FHIR server, pinned clocks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOCK_ENV } from '../../../electron/desk/clock';
import { openDesk } from '../../../electron/desk/open';
import { sheetInputOf } from '../../../electron/desk/print';
import { WatchedFolder } from '../../../electron/desk/upkeep';
import { bookToCsv, bookToFhirBundle, bookToFhirResources, Problems, readFhirBundleDocument } from '../../../electron/desk/upstream';
import { pullBook } from '../../../electron/desk/upstream/fhir/client';
import { scheduledPull } from '../../../electron/desk/upstream/scheduler';
import { sheetFrame } from '../../../shared/sheets';
import { FhirTestServer } from '../../doubles/fhir-server';
import { FIXTURE_DATE, smallBook, tempDir } from '../../support/fixtures';
import { cli, snapshot } from './support';

/** The moment of every import here: 08:30 in London. */
const NOW = new Date('2026-07-20T07:30:00Z');
const SIX_HOURS_AGO = '2026-07-20T01:30:00.000Z';
const ctx = { user: 'test', desk: 'front-desk-1' };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Writes a real file and sets its modification time to a pinned instant. */
function fileAt(dir: string, name: string, text: string, modified: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  fs.utimesSync(file, new Date(modified), new Date(modified));
  return file;
}

function deskAt(now: Date = NOW) {
  const dataDir = tempDir('standby-fresh-');
  const clock = { now };
  const d = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => clock.now });
  cleanups.push(() => d.close());
  return Object.assign(d, { dataDir, clock });
}

const bundleText = (extra: Record<string, unknown> = {}) => JSON.stringify({ ...bookToFhirBundle(smallBook()), ...extra });

describe('import through the command line: the mirror is as old as its data', () => {
  // The commands read the process's clock (electron/desk/clock.ts): started at NOW here, running on from there.
  let suiteClock: string | undefined;
  beforeEach(() => {
    suiteClock = process.env[CLOCK_ENV];
    process.env[CLOCK_ENV] = NOW.toISOString();
  });
  afterEach(() => {
    if (suiteClock === undefined) delete process.env[CLOCK_ENV];
    else process.env[CLOCK_ENV] = suiteClock;
  });
  /** Read by the running clock: NOW, give or take the seconds these tests take. */
  const nearNow = (iso: string | null) => iso !== null && Math.abs(Date.parse(iso) - NOW.getTime()) < 60_000;

  async function importAndStatus(...files: string[]) {
    const dataDir = tempDir('standby-fresh-');
    const imported = await cli('import', ...files, '--data', dataDir, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const status = await cli('status', '--data', dataDir, '--json');
    const text = await cli('status', '--data', dataDir);
    return { report: JSON.parse(imported.stdout) as { asOf: string | null }, status: JSON.parse(status.stdout) as StatusJson, text: text.stdout, dataDir };
  }
  interface StatusJson {
    mirror: { asOf: string | null; loadedAt: string | null };
    upstream: { asOf: string | null; ageMinutes: number | null; stale: boolean };
    ageMinutes: number | null;
  }

  it('a Bundle file written six hours ago is six hours old and stale, not "just now"', async () => {
    const files = tempDir('standby-files-');
    const { report, status, text } = await importAndStatus(fileAt(files, 'day.json', bundleText(), SIX_HOURS_AGO));
    expect(report.asOf).toBe(SIX_HOURS_AGO);
    expect(status.mirror.asOf).toBe(SIX_HOURS_AGO);
    expect(nearNow(status.mirror.loadedAt), String(status.mirror.loadedAt)).toBe(true);
    expect(status.upstream).toMatchObject({ asOf: SIX_HOURS_AGO, ageMinutes: 360, stale: true });
    expect(status.ageMinutes).toBe(360);
    expect(text).toContain(`Mirror:      as of ${SIX_HOURS_AGO} (360 min ago, STALE), from file day.json`);
  });

  it.each([
    ['Bundle.timestamp', { timestamp: '2026-07-20T05:00:00+01:00' }, '2026-07-20T07:20:00Z', '2026-07-20T04:00:00.000Z'],
    ['Bundle.meta.lastUpdated', { timestamp: '2026-07-20T06:00:00Z', meta: { lastUpdated: '2026-07-20T05:45:00Z' } }, '2026-07-20T07:20:00Z', '2026-07-20T05:45:00.000Z'],
    ["the file's modification time", { timestamp: '2026-07-20T06:00:00Z' }, '2026-07-20T02:00:00Z', '2026-07-20T02:00:00.000Z'],
  ])('takes the earliest known time: here %s', async (_what, bundle, modified, asOf) => {
    const files = tempDir('standby-files-');
    const { status } = await importAndStatus(fileAt(files, 'day.json', bundleText(bundle), modified));
    expect(status.mirror.asOf).toBe(asOf);
  });

  it("never later than the import itself (an exporter's clock running ahead)", async () => {
    const files = tempDir('standby-files-');
    const ahead = '2026-07-20T09:00:00.000Z';
    const { status } = await importAndStatus(fileAt(files, 'day.json', bundleText({ timestamp: ahead }), ahead));
    expect(status.upstream).toMatchObject({ ageMinutes: 0, stale: false });
    expect(nearNow(status.upstream.asOf), String(status.upstream.asOf)).toBe(true);
  });

  it('a CSV file is as of its earliest extracted_at, or its modification time when that is earlier', async () => {
    const files = tempDir('standby-files-');
    const csv = bookToCsv(smallBook(), undefined, { extractedAt: '20/07/2026 07:10' });
    // One row extracted earlier than the rest: the earliest counts.
    const lines = csv.split('\r\n');
    lines[2] = lines[2]?.replace('20/07/2026 07:10', '2026-07-20T05:55:00Z') ?? '';
    const extracted = await importAndStatus(fileAt(files, 'day.csv', lines.join('\r\n'), '2026-07-20T07:25:00Z'));
    expect(extracted.status.mirror.asOf).toBe('2026-07-20T05:55:00.000Z');
    const copiedEarlier = await importAndStatus(fileAt(files, 'copy.csv', csv, '2026-07-20T05:00:00Z'));
    expect(copiedEarlier.status.mirror.asOf).toBe('2026-07-20T05:00:00.000Z');
    const noColumn = await importAndStatus(fileAt(files, 'plain.csv', bookToCsv(smallBook()), SIX_HOURS_AGO));
    expect(noColumn.status.upstream).toMatchObject({ asOf: SIX_HOURS_AGO, stale: true });
  });

  it('several files together are as old as the oldest', async () => {
    const files = tempDir('standby-files-');
    const monday = fileAt(files, 'mon.json', bundleText({ timestamp: '2026-07-20T07:00:00Z' }), '2026-07-20T07:00:00Z');
    const tuesday = fileAt(files, 'tue.json', JSON.stringify({ ...bookToFhirBundle(smallBook('2026-07-21')), timestamp: '2026-07-20T03:00:00Z' }), '2026-07-20T07:00:00Z');
    const { status } = await importAndStatus(monday, tuesday);
    expect(status.mirror.asOf).toBe('2026-07-20T03:00:00.000Z');
  });

  it('a Bundle.timestamp that is not an instant is refused, naming it, and changes nothing', async () => {
    const files = tempDir('standby-files-');
    const dataDir = tempDir('standby-fresh-');
    await cli('import', fileAt(files, 'good.json', bundleText(), SIX_HOURS_AGO), '--data', dataDir);
    const before = snapshot(dataDir);
    const result = await cli('import', fileAt(files, 'bad.json', bundleText({ timestamp: 'yesterday' }), SIX_HOURS_AGO), '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.json: the file: Bundle.timestamp: is "yesterday", not an instant');
    expect(snapshot(dataDir)).toBe(before);
  });
});

describe('a book whose time is unknown', () => {
  it('is "age unknown" and stale in the status, the day and on paper', async () => {
    const d = deskAt();
    // No Bundle.timestamp and no file (nothing else says when it was read).
    const batch = readFhirBundleDocument(bookToFhirBundle(smallBook()), { file: 'piped', source: 'piped Bundle', problems: new Problems(false) });
    expect(batch.asOf).toBeNull();
    expect(d.service.upstream.refresh(batch, ctx).asOf).toBeNull();

    expect(d.service.mirrorInfo()).toMatchObject({ asOf: null, loadedAt: NOW.toISOString() });
    expect(d.service.getMirrorStatus().upstream).toMatchObject({ asOf: null, ageMinutes: null, stale: true });
    expect(d.service.journal.list().at(-1)).toMatchObject({ op: 'mirror.refresh', after: { asOf: null } });

    const frame = sheetFrame(sheetInputOf(d.service.getDay(FIXTURE_DATE, null), NOW), 'Master list');
    expect(frame.stale).toBe(true);
    expect(frame.mirrorAsOfShort).toBe('Mirror loaded 20/07/2026 08:30, age unknown');
    expect(frame.staleWarning).toContain("the mirror's age is unknown");

    // A later refresh that does know its time makes it known again.
    d.service.upstream.refresh(
      readFhirBundleDocument({ ...bookToFhirBundle(smallBook()), timestamp: '2026-07-20T07:29:00Z' }, { file: 'x', source: 'x', problems: new Problems(false) }),
      ctx,
    );
    expect(d.service.getMirrorStatus().upstream).toMatchObject({ asOf: '2026-07-20T07:29:00.000Z', ageMinutes: 1, stale: false });
  });

  it('is printed by `status` as age unknown and STALE, not as never loaded', async () => {
    const d = deskAt();
    d.service.upstream.refresh(readFhirBundleDocument(bookToFhirBundle(smallBook()), { file: 'piped', source: 'piped Bundle', problems: new Problems(false) }), ctx);
    d.close();
    const text = await cli('status', '--data', d.dataDir);
    expect(text.stdout).toContain(`Mirror:      age unknown (loaded ${NOW.toISOString()}; no time came with the data), STALE, from piped Bundle`);
  });
});

describe("the desk's stale limit", () => {
  it('is one rule for the status, the day the screens show and the paper', () => {
    const d = deskAt();
    d.service.upstream.setStaleAfterMinutes(45);
    const refreshAsOf = (minutesAgo: number) =>
      d.service.upstream.refresh(
        readFhirBundleDocument(
          { ...bookToFhirBundle(smallBook()), timestamp: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString() },
          { file: 'x', source: 'x', problems: new Problems(false) },
        ),
        ctx,
      );
    const everywhere = () => {
      const day = d.service.getDay(FIXTURE_DATE, null);
      return { status: d.service.getMirrorStatus().upstream.stale, limitOnScreen: day.mirror.staleAfterMinutes, paper: sheetFrame(sheetInputOf(day, NOW), 'Master list').stale };
    };
    refreshAsOf(44);
    expect(everywhere()).toEqual({ status: false, limitOnScreen: 45, paper: false });
    refreshAsOf(45);
    expect(everywhere()).toEqual({ status: true, limitOnScreen: 45, paper: true });
  });
});

describe('the watched folder', () => {
  it('imports an export written six hours ago as six hours old', () => {
    const d = deskAt();
    const folder = tempDir('standby-watch-');
    fileAt(folder, 'book.json', bundleText(), SIX_HOURS_AGO);
    const watched = new WatchedFolder(folder, d);
    expect(watched.check()).toMatchObject({ kind: 'waiting' });
    expect(watched.check()).toMatchObject({ kind: 'imported', report: { asOf: SIX_HOURS_AGO } });
    expect(d.service.getMirrorStatus().upstream).toMatchObject({ asOf: SIX_HOURS_AGO, ageMinutes: 360, stale: true });
  });
});

describe('a pull', () => {
  async function slowServer(clock: { now: Date }) {
    const server = await FhirTestServer.start();
    cleanups.push(() => server.close());
    server.seed(bookToFhirResources(smallBook()));
    // Every request takes the desk's clock a minute on: the pull ends well after it began.
    server.inject({
      match: () => {
        clock.now = new Date(clock.now.getTime() + 60_000);
        return false;
      },
    });
    return server;
  }

  it('is as of its first request, not of when its last page came in', async () => {
    const d = deskAt();
    const server = await slowServer(d.clock);
    const batch = await pullBook({ baseUrl: server.baseUrl }, { dates: [FIXTURE_DATE], clock: () => d.clock.now });
    expect(server.requests.length).toBeGreaterThan(3);
    expect(batch.asOf).toBe(NOW.toISOString());
  });

  it('scheduled: the mirror is as of the start of the pull', async () => {
    const d = deskAt();
    const server = await slowServer(d.clock);
    const outcome = await scheduledPull(d.service, ctx, { baseUrl: server.baseUrl, days: 1 })();
    expect(outcome).toMatchObject({ kind: 'refreshed', report: { asOf: NOW.toISOString() } });
    expect(d.clock.now.getTime()).toBeGreaterThan(NOW.getTime() + 3 * 60_000);
    expect(d.service.mirrorInfo()).toMatchObject({ asOf: NOW.toISOString(), loadedAt: d.clock.now.toISOString() });
  });
});
