/**
 * Main's client and the desk process, end to end in one Node process: the host runs on a real data folder and
 * the channel between them structured-clones every message and delivers it later, as the process boundary
 * does. Electron's utilityProcess is the only part not here (main.ts wires it; it is type-checked).
 */
import { TEST_CHROMIUM } from '../../support/chromium';
import { rawDatabase } from '../../support/raw-db';
import { TEST_DAY } from '../../support/clock';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backupDatabase, listBackups } from '../../../electron/desk/backup';
import type { Timers } from '../../../electron/desk/timers';
import { openDesk } from '../../../electron/desk/open';
import { closeDatabase, databasePath, openDatabase } from '../../../electron/desk/store/connection';
import { LATEST_SCHEMA_VERSION } from '../../../electron/desk/store/migrations';
import { LATEST_FILE, MANIFEST_FILE, PdfPrinter } from '../../../electron/desk/print';
import { UPKEEP_SETTINGS_FILE } from '../../../electron/desk/upkeep-settings';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { pullBook } from '../../../electron/desk/upstream/fhir/client';
import { FHIR_TOKEN_ENV } from '../../../electron/desk/upstream/settings';
import { FhirTestServer } from '../../doubles/fhir-server';
import { DeskClient, HOST_GONE_MESSAGE, type HostChannel } from '../../../electron/main/desk-client';
import { startDeskHost, type DeskHost, type DeskHostOptions } from '../../../electron/desk-process/host';
import { dataDirFromArgs, hostArgs, type HostMessage, type HostRequest } from '../../../electron/desk-process/protocol';
import type { DeskEvent } from '../../../shared/api';
import { addTestAccounts, FIXTURE_DATE, smallBook, tempDir } from '../../support/fixtures';

const CTX = { user: 'reception1', desk: 'FRONT-DESK' };
const tick = () => new Promise((resolve) => setImmediate(resolve));

interface Harness {
  client: DeskClient;
  host: DeskHost;
  kill: ReturnType<typeof vi.fn>;
  /** Makes the fake process exit, as a crash would. */
  crash(code: number): void;
  logs: string[];
  timers: { fire(): Promise<void>; pending: number };
}

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function fakeTimers() {
  const pending: Array<() => void> = [];
  const timers: Timers = {
    setTimeout: (fn) => {
      pending.push(fn);
      return fn;
    },
    clearTimeout: (handle) => {
      const i = pending.indexOf(handle as () => void);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  return {
    timers,
    control: {
      async fire() {
        pending.shift()?.();
        for (let i = 0; i < 50 && pending.length === 0; i++) await tick();
      },
      get pending() {
        return pending.length;
      },
    },
  };
}

/** Host and client joined by a channel that clones each message and delivers it on a later turn. */
function connect(dataDir: string, options: Pick<DeskHostOptions, 'clock'> = {}): Harness {
  const toHost: Array<(m: HostRequest) => void> = [];
  const toMain: Array<(m: HostMessage) => void> = [];
  const exits: Array<(code: number) => void> = [];
  let alive = true;
  const deliver = <T>(listeners: Array<(m: T) => void>, message: T) => {
    const copy = structuredClone(message);
    setImmediate(() => {
      if (alive) for (const l of listeners) l(copy);
    });
  };
  const crash = (code: number) => {
    if (!alive) return;
    alive = false;
    setImmediate(() => exits.forEach((l) => l(code)));
  };
  const kill = vi.fn(() => crash(-9));
  const channel: HostChannel = {
    postMessage: (m) => deliver(toHost, m),
    onMessage: (l) => toMain.push(l),
    onExit: (l) => exits.push(l),
    kill,
  };
  const logs: string[] = [];
  const client = new DeskClient(channel, (level, message) => logs.push(`${level}: ${message}`));
  const { timers, control } = fakeTimers();
  const host = startDeskHost({ postMessage: (m) => deliver(toMain, m), onMessage: (l) => toHost.push(l) }, { dataDir, timers, onClosed: () => crash(0), ...options });
  stops.push(async () => {
    if (alive) await client.close(5000);
  });
  return { client, host, kill, crash, logs, timers: control };
}

function deskWithBook(): string {
  const dataDir = tempDir('standby-host-');
  const desk = openDesk({ dataDir });
  desk.service.loadBook(smallBook(), 'test', desk.context);
  desk.close();
  return dataDir;
}

describe('the desk process, opened', () => {
  it('answers calls through the contract, refuses bad input, and forwards change events', async () => {
    const h = connect(deskWithBook());
    expect(await h.client.whenOpen()).toEqual({ ok: true });
    expect(h.client.state).toBe('ready');

    const day = await h.client.call('getDay', { date: FIXTURE_DATE }, CTX);
    expect(day).toMatchObject({ ok: true, value: { date: FIXTURE_DATE, appointments: expect.any(Array) } });

    const events: DeskEvent[] = [];
    h.client.onEvent((e) => events.push(e));
    const changed = await h.client.call('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, CTX);
    expect(changed).toMatchObject({ ok: true, value: { id: 'appt-1', status: 'arrived', version: 1 } });
    await tick();
    expect(events).toMatchObject([{ kind: 'appointment.changed', user: 'reception1', desk: 'FRONT-DESK' }]);

    expect(await h.client.call('getDay', { date: 'Monday' }, CTX)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await h.client.call('dropTables', {}, CTX)).toMatchObject({ ok: false, error: { code: 'unknown_operation' } });
  });

  it('answers calls sent before it has opened, in order', async () => {
    const h = connect(deskWithBook());
    const early = [
      h.client.call('setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived' }, CTX),
      h.client.call('setAppointmentStatus', { appointmentId: 'appt-2', status: 'sent_in' }, CTX),
    ];
    expect(await Promise.all(early)).toMatchObject([
      { ok: true, value: { version: 1 } },
      { ok: true, value: { version: 2 } },
    ]);
  });

  it('takes a backup every interval, and one at exit, then checkpoints and closes', async () => {
    const dataDir = deskWithBook();
    const h = connect(dataDir);
    await h.client.whenOpen();
    expect(h.timers.pending).toBe(1);
    await h.timers.fire();
    await vi.waitFor(() => expect(h.logs.some((l) => /^info: backup .*standby-desk-\d{8}T\d{6}Z\.sqlite/.test(l))).toBe(true));
    expect(listBackups(path.join(dataDir, 'backups'))).toHaveLength(1);

    await h.client.call('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, CTX);
    await h.client.close(5000);
    await h.host.closed;
    expect(h.client.state).toBe('closed');
    expect(h.kill).not.toHaveBeenCalled();

    // The exit backup holds the last change; the WAL has been folded into the main file.
    const backups = listBackups(path.join(dataDir, 'backups'));
    expect(backups).toHaveLength(2);
    const newest = rawDatabase(backups[0]?.file ?? '', { readonly: true });
    expect(newest.prepare("SELECT status FROM appointment WHERE id = 'appt-1'").pluck().get()).toBe('arrived');
    newest.close();
    const wal = `${databasePath(dataDir)}-wal`;
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);

    expect(await h.client.call('getDay', { date: FIXTURE_DATE }, CTX)).toMatchObject({ ok: false, error: { message: /closing/ } });
  });
});

describe('the desk process, when the data cannot be opened', () => {
  async function withBackups(): Promise<{ dataDir: string; good: string[] }> {
    const dataDir = deskWithBook();
    const source = openDatabase(databasePath(dataDir), { readonly: true });
    const dir = path.join(dataDir, 'backups');
    const a = await backupDatabase(source, { dir, keep: 10, now: () => new Date('2026-07-20T08:00:00Z') });
    const b = await backupDatabase(source, { dir, keep: 10, now: () => new Date('2026-07-20T08:15:00Z') });
    closeDatabase(source);
    // The newest backup is damaged: the screen must skip it and recommend the one before.
    fs.writeFileSync(path.join(dir, 'standby-desk-20260720T083000Z.sqlite'), 'not a database'.repeat(300));
    return { dataDir, good: [b.name, a.name] };
  }

  it('says the database is damaged, offers the checked backups, and refuses desk calls', async () => {
    const { dataDir, good } = await withBackups();
    fs.writeFileSync(databasePath(dataDir), 'scribbled over'.repeat(1000));
    const h = connect(dataDir);
    const opened = await h.client.whenOpen();
    expect(opened).toMatchObject({ ok: false, failure: { kind: 'damaged', dataDir, backupDir: path.join(dataDir, 'backups') } });
    if (opened.ok || !('backups' in opened)) throw new Error('expected a failed open');
    expect(opened.backups.map((b) => [b.name, b.ok])).toEqual([
      ['standby-desk-20260720T083000Z.sqlite', false],
      [good[0], true],
      [good[1], true],
    ]);
    expect(h.client.state).toBe('failed');
    expect(await h.client.call('getDay', { date: FIXTURE_DATE }, CTX)).toMatchObject({ ok: false, error: { message: /could not be opened/ } });
  });

  it('restores only a good backup it offered, once, keeping the damaged file aside', async () => {
    const { dataDir, good } = await withBackups();
    const damaged = Buffer.from('scribbled over'.repeat(1000));
    fs.writeFileSync(databasePath(dataDir), damaged);
    const h = connect(dataDir);
    await h.client.whenOpen();

    expect(await h.client.restore('standby-desk-20260720T083000Z.sqlite')).toMatchObject({ ok: false, error: { message: /not one of the good backups/ } });
    expect(await h.client.restore('../../etc/passwd')).toMatchObject({ ok: false });
    const restored = await h.client.restore(good[0] ?? '');
    expect(restored).toMatchObject({ ok: true, value: { database: databasePath(dataDir), journalEntries: 1 } });
    if (!restored.ok) throw new Error('restore failed');
    expect(fs.readFileSync(restored.value.keptAs ?? '').equals(damaged)).toBe(true);
    expect(await h.client.restore(good[1] ?? '')).toMatchObject({ ok: false, error: { message: /already been put in place/ } });

    await h.client.close(5000);
    const reopened = openDesk({ dataDir });
    expect(reopened.service.getDay(FIXTURE_DATE, null).appointments.length).toBeGreaterThan(0);
    reopened.close();
  });

  it('tells a broken journal and a newer schema apart from damage', async () => {
    const broken = deskWithBook();
    const db = rawDatabase(databasePath(broken));
    db.exec('DROP TRIGGER journal_is_append_only_update');
    db.prepare("UPDATE journal SET user = 'someone else'").run();
    db.close();
    expect(await connect(broken).client.whenOpen()).toMatchObject({ ok: false, failure: { kind: 'journal-broken' } });

    const newer = deskWithBook();
    const raw = rawDatabase(databasePath(newer));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(await connect(newer).client.whenOpen()).toMatchObject({ ok: false, failure: { kind: 'too-new' }, backups: [] });
  });
});

describe('DeskClient when the process goes away', () => {
  it('answers calls in flight with a clear message, refuses new ones, and reports an unexpected exit', async () => {
    const h = connect(deskWithBook());
    await h.client.whenOpen();
    const exits: Array<[number, boolean]> = [];
    h.client.onExit((code, expected) => exits.push([code, expected]));
    const inFlight = h.client.call('getDay', { date: FIXTURE_DATE }, CTX);
    h.crash(3);
    expect(await inFlight).toEqual({ ok: false, error: { code: 'internal', message: HOST_GONE_MESSAGE } });
    expect(exits).toEqual([[3, false]]);
    expect(h.client.state).toBe('exited');
    expect(await h.client.call('getDay', { date: FIXTURE_DATE }, CTX)).toMatchObject({ ok: false, error: { message: /has stopped; nothing was changed/ } });
  });

  it('stops a process that does not close in time', async () => {
    const channel: HostChannel & { sent: HostRequest[] } = {
      sent: [],
      postMessage(m) {
        this.sent.push(m);
      },
      onMessage: () => undefined,
      onExit: () => undefined,
      kill: vi.fn(),
    };
    const client = new DeskClient(channel);
    await client.close(20);
    expect(channel.sent).toEqual([{ type: 'close' }]);
    expect(channel.kill).toHaveBeenCalledOnce();
  });

  it('passes the data folder on the command line', () => {
    expect(dataDirFromArgs(['node', 'desk-host.cjs', ...hostArgs('C:\\Users\\r\\AppData\\Roaming\\Standby Desk')])).toBe('C:\\Users\\r\\AppData\\Roaming\\Standby Desk');
    expect(dataDirFromArgs(['node', 'desk-host.cjs'])).toBeNull();
    expect(dataDirFromArgs(['--data'])).toBeNull();
  });
});

describe('the desk process keeps the mirror and the pack fresh (upkeep-settings.json)', () => {
  /** Main's part, as main.ts wires it (before the desk can ask), with Chromium standing in for Electron's printToPDF. */
  async function connectWithChromium(dataDir: string): Promise<Harness> {
    const printer = await PdfPrinter.launch(TEST_CHROMIUM);
    stops.push(() => printer.close());
    const h = connect(dataDir);
    h.client.setPdfRenderer((doc) => printer.render(doc));
    return h;
  }

  function dataDirWith(settings: unknown): string {
    const dataDir = tempDir('standby-host-');
    fs.writeFileSync(path.join(dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify(settings));
    return dataDir;
  }

  it('pulls the book from FHIR as it opens and writes the pack with PDFs drawn by main', async () => {
    // The desk process's clock is pinned by the environment (vitest.config.ts): its today is TEST_DAY.
    const today = TEST_DAY;
    const server = await FhirTestServer.start();
    stops.push(() => server.close());
    server.seed(bookToFhirResources(smallBook(today)));
    const packDir = tempDir('standby-pack-');
    const dataDir = dataDirWith({ fhir: { url: server.baseUrl, everyMinutes: 15 }, pack: { dir: packDir } });
    const h = await connectWithChromium(dataDir);
    expect(await h.client.whenOpen()).toEqual({ ok: true });

    await vi.waitFor(() => expect(h.logs.join('\n')).toContain('info: Wrote the outage pack'), { timeout: 30_000, interval: 100 });
    expect(h.logs).toContain(`info: Pulling from ${server.baseUrl} every 15 minutes while online`);
    const day = await h.client.call('getDay', { date: today }, CTX);
    expect(day.ok && (day.value as { appointments: unknown[] }).appointments).toHaveLength(5);

    const dir = path.join(packDir, fs.readFileSync(path.join(packDir, LATEST_FILE), 'utf8').trim());
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as { files: Array<{ file: string; sheet: string }> };
    const masterList = manifest.files.find((f) => f.sheet === 'master-list');
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, masterList?.file ?? ''), '-'], { encoding: 'utf8' });
    for (const p of smallBook(today).patients) expect(text).toContain(p.familyName.toUpperCase());

    // Closing waits for the upkeep: nothing is left writing to a closed desk.
    await h.client.close(10_000);
    expect(h.kill).not.toHaveBeenCalled();
  }, 60_000);

  it('starts pulling and backs up where the settings saved on screen say, without a restart', async () => {
    const server = await FhirTestServer.start();
    stops.push(() => server.close());
    server.seed(bookToFhirResources(smallBook(TEST_DAY)));
    const backupDir = tempDir('standby-backup-');
    const h = connect(tempDir('standby-host-'));
    expect(await h.client.whenOpen()).toEqual({ ok: true });
    expect(h.logs.some((l) => l.includes('Pulling from'))).toBe(false);
    const settings = {
      practice: { name: 'Riverside', odsCode: 'Y12345' },
      book: { kind: 'fhir', url: server.baseUrl, everyMinutes: 7 },
      pack: null,
      backup: { dir: backupDir, everyMinutes: 20 },
    };
    expect(await h.client.call('saveSettings', { settings }, CTX)).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(h.logs).toContain(`info: Pulling from ${server.baseUrl} every 7 minutes while online`), { timeout: 10_000 });
    await vi.waitFor(
      async () => {
        const day = await h.client.call('getDay', { date: TEST_DAY }, CTX);
        expect(day.ok && (day.value as { appointments: unknown[] }).appointments).toHaveLength(5);
      },
      { timeout: 10_000 },
    );
    // The exit backup goes to the folder saved on screen, not the data folder's own.
    await h.client.close(10_000);
    expect(listBackups(backupDir)).toHaveLength(1);
  }, 30_000);

  it('says which part of a wrong settings file it left off, and runs the rest', async () => {
    const packDir = tempDir('standby-pack-');
    const dataDir = dataDirWith({ fhir: { url: 'ftp://gp.example/fhir' }, watch: { dir: 'exports', mapping: 'missing.json' }, pack: { dir: packDir, days: 3 } });
    const h = connect(dataDir);
    expect(await h.client.whenOpen()).toEqual({ ok: true });
    await vi.waitFor(() => expect(h.logs.filter((l) => l.startsWith('warn:'))).toHaveLength(3));
    const warnings = h.logs.filter((l) => l.startsWith('warn:')).join('\n');
    expect(warnings).toMatch(/upkeep-settings\.json: fhir\.url: .*; not pulling from FHIR/);
    expect(warnings).toMatch(/upkeep-settings\.json: watch\.mapping: missing\.json: cannot be read \(ENOENT\); not watching for exports/);
    expect(warnings).toMatch(/upkeep-settings\.json: pack\.days: .*; no outage pack is written/);
    // Nothing was started, and the desk works.
    expect(h.logs.some((l) => /Pulling|Watching|outage pack/.test(l.replace(/^warn:.*/, '')))).toBe(false);
    expect(await h.client.call('getMirrorStatus', {}, CTX)).toMatchObject({ ok: true });
  });

  it('keeps the previous pack when main cannot draw PDFs, and says so', async () => {
    const packDir = tempDir('standby-pack-');
    const dataDir = dataDirWith({ pack: { dir: packDir } });
    const h = connect(dataDir);
    h.client.setPdfRenderer(() => Promise.reject(new Error('printToPDF failed: out of memory')));
    expect(await h.client.whenOpen()).toEqual({ ok: true });
    await vi.waitFor(() => expect(h.logs.some((l) => l.includes('could not be written'))).toBe(true), { timeout: 10_000 });
    expect(h.logs.find((l) => l.includes('could not be written'))).toMatch(/printToPDF failed: out of memory; the previous pack is still there/);
    expect(fs.readdirSync(packDir).filter((f) => !f.startsWith('.'))).toEqual([]);
  });
});

describe('the desk process merges back with the upstream settings its pulls use (upkeep-settings.json)', () => {
  it('sends the token from upkeep-settings.json with every merge-back request, as with its pulls', async () => {
    vi.stubEnv(FHIR_TOKEN_ENV, '');
    stops.push(() => Promise.resolve(void vi.unstubAllEnvs()));
    const server = await FhirTestServer.start({ bearerToken: 'practice-token' });
    stops.push(() => server.close());
    server.seed(bookToFhirResources(smallBook()));
    const clock = () => new Date(`${FIXTURE_DATE}T07:00:00Z`);

    // The day as pulled, then a check-in at the desk during the outage.
    const dataDir = tempDir('standby-host-');
    const setup = openDesk({ dataDir, clock });
    setup.service.upstream.refresh(await pullBook({ baseUrl: server.baseUrl, bearerToken: 'practice-token' }, { dates: [FIXTURE_DATE] }), setup.context);
    setup.service.upstream.setMode('outage', setup.context, 'clinical system down');
    setup.service.setAppointmentStatus({ appointmentId: 'appt-1', status: 'arrived' }, setup.context);
    setup.service.upstream.setMode('online', setup.context, 'clinical system back');
    setup.close();
    fs.writeFileSync(path.join(dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify({ fhir: { url: server.baseUrl, token: 'practice-token', everyMinutes: 60 } }));

    const h = connect(dataDir, { clock });
    expect(await h.client.whenOpen()).toEqual({ ok: true });
    // The first scheduled pull, with the token from the file.
    await vi.waitFor(async () => {
      const status = await h.client.call('getMirrorStatus', {}, CTX);
      expect(status).toMatchObject({ ok: true, value: { upstream: { lastSuccessAt: expect.any(String) } } });
    });
    const events: DeskEvent[] = [];
    h.client.onEvent((e) => events.push(e));
    const started = await h.client.call('startMergeApply', { confirmed: true }, CTX);
    expect(started).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(events.some((e) => e.kind === 'merge.progress' && (e.phase === 'finished' || e.phase === 'failed'))).toBe(true), { timeout: 10_000 });

    expect(events.filter((e) => e.kind === 'merge.progress' && e.phase === 'failed')).toEqual([]);
    expect(server.read('Appointment', 'appt-1')).toMatchObject({ status: 'arrived', meta: { versionId: '2' } });
    const writes = server.requests.filter((r) => r.method === 'PUT' || r.method === 'POST');
    expect(writes.map((r) => r.url)).toEqual(['/fhir/Appointment/appt-1']);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer practice-token')).toBe(true);
    await h.client.close(10_000);
  }, 30_000);
});

describe('the desk process builds the sheets the app prints (printSheet)', () => {
  it('for a signed-in user: the sheet as it prints; refused signed out, or past the user’s role; the day and clinician checked', async () => {
    const dataDir = deskWithBook();
    const setup = openDesk({ dataDir });
    const accounts = addTestAccounts(setup);
    setup.close();
    const h = connect(dataDir);
    expect(await h.client.whenOpen()).toEqual({ ok: true });
    const window = { user: 'anonymous', desk: 'FRONT-DESK', sessionId: 'window-1' };

    expect(await h.client.sheet({ sheet: 'master-list', date: FIXTURE_DATE }, window)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await h.client.call('signIn', { username: accounts.receptionist.username, secret: accounts.receptionist.secret }, window)).toMatchObject({ ok: true });

    const list = await h.client.sheet({ sheet: 'clinician-list', date: FIXTURE_DATE, clinicianId: 'clin-a' }, window);
    expect(list.ok).toBe(true);
    const doc = list.ok ? list.value : null;
    expect(doc?.title).toMatch(/Clinician list/);
    const booked = smallBook()
      .appointments.filter((a) => a.clinicianId === 'clin-a')
      .map((a) =>
        smallBook()
          .patients.find((p) => p.id === a.patientId)
          ?.familyName.toUpperCase(),
      );
    expect(booked.length).toBeGreaterThan(0);
    // As the HTML writes them (O'BRIEN -> O&#39;BRIEN).
    for (const name of booked) expect(doc?.html).toContain(name?.replace(/'/g, '&#39;'));

    expect(await h.client.sheet({ sheet: 'impact-report' }, window)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await h.client.sheet({ sheet: 'worklist' }, window)).toMatchObject({ ok: true, value: { title: expect.stringMatching(/worklist/i) } });
    expect(await h.client.sheet({ sheet: 'master-list' }, window)).toMatchObject({ ok: false, error: { code: 'invalid_input', message: /say which day/ } });
    expect(await h.client.sheet({ sheet: 'clinician-list', date: FIXTURE_DATE, clinicianId: 'clin-zz' }, window)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: /no clinician "clin-zz" works on 2026-07-20/ },
    });
  });
});
