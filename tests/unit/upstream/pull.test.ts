import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PracticeBook } from '../../../shared/domain';
import { generateDemoPractice } from '../../../electron/desk/demo/generate';
import { openDesk } from '../../../electron/desk/open';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { FhirClient, pullBook, pullDates, PullError } from '../../../electron/desk/upstream/fhir/client';
import { PullScheduler, scheduledPull, startScheduledPulls } from '../../../electron/desk/upstream/scheduler';
import { FhirTestServer } from '../../doubles/fhir-server';
import { tempDir } from '../../support/fixtures';
import { ManualTimers } from '../../support/timers';
import { cli, dayOf, mirrorBook, snapshot } from './support';

const MON = '2026-07-20';
const TUE = '2026-07-21';
const ctx = { user: 'scheduler', desk: 'front-desk-1' };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let demo: PracticeBook | null = null;
function demoBook(): PracticeBook {
  demo ??= generateDemoPractice({ date: MON, days: 2 });
  return demo;
}

async function serverWithBook(book: PracticeBook = demoBook()) {
  const server = await FhirTestServer.start();
  cleanups.push(() => server.close());
  server.seed(bookToFhirResources(book));
  return server;
}

function desk(now = new Date(`${MON}T06:00:00Z`)) {
  const dataDir = tempDir();
  const clock = { now };
  const d = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => clock.now });
  cleanups.push(() => d.close());
  return Object.assign(d, { dataDir, clock });
}

const mirrorTables = (dataDir: string) => {
  const all = JSON.parse(snapshot(dataDir)) as Record<string, unknown>;
  return ['practice', 'clinician', 'session', 'slot', 'patient', 'appointment', 'upstream_record', 'upstream_pending'].map((t) => all[t]);
};

describe('pull from a FHIR server', () => {
  it('reads every page, with patients and practitioners included, and mirrors the book as it is upstream', async () => {
    const server = await serverWithBook();
    const d = desk();
    const batch = await pullBook({ baseUrl: server.baseUrl, bearerToken: 'test-token', pageSize: 40 }, { dates: [MON, TUE] });
    const report = d.service.upstream.refresh(batch, ctx, { pulledFrom: server.baseUrl });
    const expected = dayOf(demoBook(), MON, TUE);
    expect(report.appointments.added).toBe(expected.appointments.length);
    expect(report.invalid).toEqual([]);

    const appointmentPages = server.requests.filter((r) => r.url.includes('/fhir/Appointment?'));
    expect(appointmentPages.length).toBe(Math.ceil(expected.appointments.length / 40));
    expect(appointmentPages[0]?.url).toContain('_include=Appointment%3Apatient');
    expect(appointmentPages.slice(1).every((r) => /_offset=\d+/.test(r.url))).toBe(true);
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer test-token')).toBe(true);

    const viaLoad = tempDir();
    const loaded = openDesk({ dataDir: viaLoad, user: 'test', desk: 'test' });
    loaded.service.loadBook(expected, 'book', loaded.context);
    loaded.close();
    expect(mirrorBook(d.dataDir)).toEqual(mirrorBook(viaLoad));
    expect(d.service.getMirrorStatus().upstream).toMatchObject({ reachable: true, lastSuccessAt: '2026-07-20T06:00:00.000Z', fhirBaseUrl: server.baseUrl, dates: [MON, TUE] });
    // Free slots are known, for rebooking.
    expect(d.service.mirror.counts().appointments).toBe(expected.appointments.length);
  });

  it('a pull failing half way (page 2 answers 500) leaves the old book intact and switches to outage mode', async () => {
    const server = await serverWithBook();
    const d = desk();
    const tick = scheduledPull(d.service, ctx, { baseUrl: server.baseUrl, pageSize: 100, days: 2 });
    expect(await tick()).toMatchObject({ kind: 'refreshed' });
    const before = mirrorTables(d.dataDir);
    const first = demoBook().appointments[0];
    if (!first) throw new Error('demo has appointments');
    server.update('Appointment', first.id, (r) => ({ ...r, status: 'cancelled' }));
    server.inject({ match: (r) => r.type === 'Appointment' && r.query.get('_offset') === '100', status: 500, times: 1 });
    expect(await tick()).toMatchObject({ kind: 'failed', switchedToOutage: true, error: { kind: 'server', status: 500 } });
    expect(server.requests.filter((r) => r.type === 'Appointment').map((r) => new URL(r.url, 'http://x').searchParams.get('_offset'))).toEqual([
      null,
      '100',
      '200',
      '300',
      null,
      '100',
    ]);
    expect(mirrorTables(d.dataDir)).toEqual(before);
    expect(d.service.getMirrorStatus()).toMatchObject({ mirror: { mode: 'outage' }, upstream: { reachable: false, lastError: expect.stringMatching(/answered 500/) } });
  });

  it('through the CLI, a failed pull exits 1, says so, and leaves the mirror as it was', async () => {
    const server = await serverWithBook();
    const dataDir = tempDir();
    expect((await cli('pull', '--fhir', server.baseUrl, '--from', MON, '--days', '1', '--data', dataDir)).code).toBe(0);
    const before = mirrorTables(dataDir);
    server.inject({ status: 503 });
    const result = await cli('pull', '--fhir', server.baseUrl, '--from', MON, '--days', '1', '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the pull failed: .* answered 503/);
    expect(result.stderr).toMatch(/now in OUTAGE mode; the mirror was left as it was/);
    expect(mirrorTables(dataDir)).toEqual(before);
    const status = await cli('status', '--data', dataDir);
    expect(status.stdout).toMatch(/Mode:\s+OUTAGE/);
  });

  it('never overwrites an appointment changed at the desk', async () => {
    const server = await serverWithBook();
    const d = desk();
    const settings = { baseUrl: server.baseUrl, pageSize: 500 };
    d.service.upstream.refresh(await pullBook(settings, { dates: [MON] }), ctx);
    const first = demoBook().appointments.find((a) => a.status === 'booked');
    if (!first) throw new Error('demo has booked appointments');
    expect(d.dispatch('setAppointmentStatus', { appointmentId: first.id, status: 'arrived' }, ctx).ok).toBe(true);
    server.update('Appointment', first.id, (r) => ({ ...r, status: 'cancelled', cancelationReason: { text: 'Cancelled by the practice' } }));
    const report = d.service.upstream.refresh(await pullBook(settings, { dates: [MON] }), ctx);
    expect(report.held).toEqual([{ resourceType: 'Appointment', id: first.id, change: 'changed' }]);
    expect(d.service.mirror.appointment(first.id)).toMatchObject({ status: 'arrived', version: 1 });
    expect(d.service.upstream.heldChanges()).toEqual([expect.objectContaining({ id: first.id, change: 'changed', version: '2', baseVersion: '1' })]);
  });

  it('through the CLI: pull --fhir URL --from --days, reporting what changed', async () => {
    const server = await serverWithBook();
    const dataDir = tempDir();
    const result = await cli('pull', '--fhir', server.baseUrl, '--from', MON, '--days', '1', '--data', dataDir, '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { dates: string[]; appointments: { added: number } };
    expect(report.dates).toEqual([MON]);
    expect(report.appointments.added).toBe(dayOf(demoBook(), MON).appointments.length);
    const text = await cli('pull', '--fhir', server.baseUrl, '--from', MON, '--days', '1', '--data', dataDir);
    expect(text.stdout).toMatch(/appointments\s+0 added, 0 changed, 0 removed, \d+ unchanged, 0 skipped/);
    expect(await cli('pull', '--data', dataDir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/pull needs --fhir URL/) });
  });
});

describe('pull failures', () => {
  it('a timeout is an outage: no answer within the limit', async () => {
    const server = await serverWithBook();
    server.inject({ match: (r) => r.type === 'Appointment', hang: true });
    const error = await pullBook({ baseUrl: server.baseUrl, timeoutMs: 300 }, { dates: [MON] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PullError);
    expect(error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no answer within 0\.3 s/) });
  });

  it('a slow server inside the limit is fine', async () => {
    const server = await serverWithBook();
    server.inject({ delayMs: 50 });
    const batch = await pullBook({ baseUrl: server.baseUrl, timeoutMs: 5_000 }, { dates: [MON] });
    expect(batch.appointments.size).toBe(dayOf(demoBook(), MON).appointments.length);
  });

  it('a refusal (401) is not an outage: it is reported, and the desk stays online', async () => {
    const server = await serverWithBook();
    server.inject({ status: 401 });
    const d = desk();
    const tick = scheduledPull(d.service, ctx, { baseUrl: server.baseUrl });
    const outcome = await tick();
    expect(outcome).toMatchObject({ kind: 'failed', switchedToOutage: false, error: { kind: 'client', status: 401 } });
    expect(d.service.getMirrorStatus()).toMatchObject({
      mirror: { mode: 'online' },
      upstream: { reachable: true, lastError: expect.stringMatching(/401.*check the access token/) },
    });
  });

  it('does not follow a next link to another origin (it would carry the token there)', async () => {
    const other = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [], link: [{ relation: 'next', url: 'http://127.0.0.2:9/fhir/Appointment?page=2' }] }));
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => other.close(() => r())));
    const base = `http://127.0.0.1:${(other.address() as AddressInfo).port}/fhir`;
    await expect(new FhirClient({ baseUrl: base }).searchAll('Appointment', [])).rejects.toMatchObject({ kind: 'bad-response', message: expect.stringMatching(/another origin/) });
  });
});

describe('scheduled pulls and the outage switch', () => {
  it('switches to outage when upstream goes away, records it coming back, and stays in outage until a person decides', async () => {
    const server = await serverWithBook();
    const d = desk();
    const timers = new ManualTimers();
    const outcomes: string[] = [];
    let settle: () => void = () => {};
    const scheduler = startScheduledPulls(
      d.service,
      ctx,
      { baseUrl: server.baseUrl, days: 1 },
      {
        intervalMs: 5 * 60_000,
        timers,
        onTick: (o) => {
          outcomes.push(o.kind === 'failed' ? `failed:${o.error.kind}:${String(o.switchedToOutage)}` : o.kind === 'probed' ? `probed:${String(o.reachable)}` : o.kind);
          settle();
        },
      },
    );
    cleanups.push(() => scheduler.stop());
    // A tick's outcome is reported from inside the run; the next timer is set as the run ends, a turn later.
    const afterRun = () => new Promise<void>((r) => setImmediate(r));
    const nextTick = async () => {
      await new Promise<void>((resolve) => {
        settle = resolve;
        timers.fire();
      });
      await afterRun();
    };
    await new Promise<void>((resolve) => (outcomes.length ? resolve() : (settle = resolve)));
    await afterRun();
    expect(outcomes).toEqual(['refreshed']);
    expect(timers.pending.map((t) => t.ms)).toEqual([300_000]);

    await server.goDown();
    await nextTick();
    expect(outcomes.at(-1)).toBe('failed:unreachable:true');
    expect(d.service.getMirrorStatus()).toMatchObject({ mirror: { mode: 'outage' }, upstream: { reachable: false } });

    await server.comeBack();
    const requestsBefore = server.requests.length;
    await nextTick();
    expect(outcomes.at(-1)).toBe('probed:true');
    expect(d.service.getMirrorStatus()).toMatchObject({ mirror: { mode: 'outage' }, upstream: { reachable: true } });
    // While in outage mode it only asks whether upstream answers: no pull, no refresh, no merge.
    expect(server.requests.slice(requestsBefore).map((r) => r.url)).toEqual(['/fhir/metadata']);
    expect(d.service.journal.list().filter((e) => e.op === 'mirror.refresh')).toHaveLength(1);

    expect(d.dispatch('setMode', { mode: 'online' }, { user: 'practice.manager', desk: 'office' }).ok).toBe(true);
    await nextTick();
    expect(outcomes.at(-1)).toBe('refreshed');
    expect(d.service.journal.list().map((e) => e.op)).toEqual([
      'upstream.reachability',
      'mirror.refresh',
      'upstream.reachability',
      'desk.setMode',
      'upstream.reachability',
      'desk.setMode',
      'mirror.refresh',
    ]);
  });

  it('never runs two pulls at once, and stop() waits for the one under way', async () => {
    const timers = new ManualTimers();
    let running = 0;
    let most = 0;
    let release: () => void = () => {};
    const scheduler = new PullScheduler(
      async () => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => (release = r));
        running--;
      },
      { timers, intervalMs: 1000 },
    );
    scheduler.start();
    const again = scheduler.runNow();
    expect(timers.pending).toEqual([]);
    release();
    await again;
    expect(most).toBe(1);
    expect(timers.pending.map((t) => t.ms)).toEqual([1000]);
    timers.fire();
    const stopping = scheduler.stop();
    release();
    await stopping;
    expect(timers.pending).toEqual([]);
  });
});

describe('pull dates', () => {
  it('are today and the next 3 working days by default, weekends between included', () => {
    expect(pullDates('2026-07-20', 4)).toEqual(['2026-07-20', '2026-07-21', '2026-07-22', '2026-07-23']);
    expect(pullDates('2026-07-24', 4)).toEqual(['2026-07-24', '2026-07-25', '2026-07-26', '2026-07-27', '2026-07-28', '2026-07-29']);
    expect(pullDates('2026-07-25', 2)).toEqual(['2026-07-25', '2026-07-26', '2026-07-27']);
    expect(pullDates('2026-07-20', 1)).toEqual(['2026-07-20']);
  });
});
