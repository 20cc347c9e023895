/**
 * Outage drills (issue 20 item 5), over real HTTP against the server as `serve` runs it: a manager starts a drill, a
 * receptionist works it (outage mode, a check-in, a walk-in, a printed sheet), the manager ends it with the report.
 * Afterwards the real desk's merge plan and impact report hold nothing from the drill, every printed page said DRILL,
 * and the sandbox is gone. A drill the desk stopped during is discarded when it opens again.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { checkDrill, DRILL_DUE_AFTER_DAYS } from '../../../electron/desk/readiness';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { sandboxDir } from '../../../electron/desk/drill/sandbox';
import { BROWSER_ENV } from '../../../electron/desk/print/browser';
import { startServer, type RunningServer } from '../../../electron/server/server';
import type { DrillState } from '../../../shared/api';
import { TEST_CHROMIUM } from '../../support/chromium';
import { TEST_NOW } from '../../support/clock';
import { addTestAccounts, bulkBook, FIXTURE_DATE, TEST_SCRYPT_COST, tempDir, type TestAccounts } from '../../support/fixtures';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The desk's clock, moved by the test: the drill's report measures minutes from its start. */
let now = new Date(TEST_NOW);

function open(dataDir: string): OpenDesk {
  return openDesk({ dataDir, user: 'test-user', desk: 'test-desk', clock: () => now, scryptCost: { ...TEST_SCRYPT_COST }, idleLockMinutes: 120, drills: true });
}

async function rig() {
  now = new Date(TEST_NOW);
  const dataDir = tempDir();
  const desk = open(dataDir);
  // 120 appointments: the clinician list runs to several pages.
  desk.service.loadBook(bulkBook(120, FIXTURE_DATE), 'test fixture', desk.context);
  const accounts = addTestAccounts(desk);
  const staticDir = tempDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
  const server: RunningServer = await startServer({ desk, staticDir, port: 0, user: 'http-user', browserPath: TEST_CHROMIUM });
  cleanups.push(
    () => desk.close(),
    () => server.close(),
  );
  const base = server.url.replace(/\/$/, '');
  const signIn = async (who: TestAccounts['manager']) => {
    const res = await fetch(`${base}/api/op/signIn`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: who.username, secret: who.secret }),
    });
    return /sd_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
  };
  const manager = await signIn(accounts.manager);
  const reception = await signIn(accounts.receptionist);
  const call = async <T>(cookie: string, op: string, input: unknown = {}): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> => {
    const res = await fetch(`${base}/api/op/${op}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(input) });
    return (await res.json()) as { ok: true; value: T };
  };
  const ok = async <T>(cookie: string, op: string, input: unknown = {}): Promise<T> => {
    const result = await call<T>(cookie, op, input);
    if (!result.ok) throw new Error(`${op}: ${result.error.message}`);
    return result.value;
  };
  return { dataDir, desk, base, manager, reception, call, ok };
}

const dayOf = (desk: OpenDesk) => desk.service.getDay(FIXTURE_DATE, null);
const statusOf = (desk: OpenDesk, id: string) => dayOf(desk).appointments.find((a) => a.id === id)?.status;

describe('an outage drill', () => {
  it('runs on a sandbox: nothing merged back or counted, every printed page says DRILL, the report kept', { timeout: 60_000 }, async () => {
    process.env[BROWSER_ENV] ??= TEST_CHROMIUM;
    const { dataDir, desk, base, manager, reception, call, ok } = await rig();
    const journalBefore = desk.service.journal.lastSeq();
    const dayBefore = dayOf(desk).appointments.map((a) => [a.id, a.status, a.version]);

    expect((await call(reception, 'startDrill')).ok).toBe(false); // the manager's
    const started = await ok<DrillState>(manager, 'startDrill');
    expect(started.running).toMatchObject({ outcome: 'running', startedBy: 'test.manager', startedAt: now.toISOString() });
    expect(fs.existsSync(sandboxDir(dataDir))).toBe(true);
    expect((await ok<DrillState>(reception, 'getDrill')).running).not.toBeNull();
    expect((await call(manager, 'startDrill')).ok).toBe(false); // one at a time

    // Reception works the drill by the same operations as any day.
    now = new Date(now.getTime() + 7 * 60_000);
    await ok(reception, 'setMode', { mode: 'outage', reason: 'drill' });
    const day = await ok<{ mirror: { drill?: boolean }; appointments: Array<{ id: string; version: number }> }>(reception, 'getDay', { date: FIXTURE_DATE });
    expect(day.mirror.drill).toBe(true);
    await ok(reception, 'setAppointmentStatus', { appointmentId: 'appt-0', status: 'arrived' });
    await ok(reception, 'registerWalkIn', {
      patient: { kind: 'new', details: { familyName: 'Drill', givenName: 'Walk', dateOfBirth: '1990-01-01', temporaryResident: false } },
      triage: 'routine',
      reason: 'cough',
      assignTo: { kind: 'clinician', clinicianId: 'clin-0' },
    });
    expect(statusOf(desk, 'appt-0')).toBe('booked'); // the real desk has not seen it
    expect(desk.serving().merge.plan().items.length).toBeGreaterThan(0); // the sandbox has: so the checks below can fail
    expect(desk.serving().merge.impact().outages).toHaveLength(1);
    expect((await call(manager, 'startMergeApply', {})).ok).toBe(false);
    const board = await ok<{ drill?: boolean }>('', 'getDisplayBoard', {});
    expect(board.drill).toBe(true);

    // A multi-page sheet printed in the drill says DRILL on every page.
    const pdf = await fetch(`${base}/sheets/clinician-list.pdf?date=${FIXTURE_DATE}`, { headers: { Cookie: reception } });
    expect(pdf.status).toBe(200);
    const file = path.join(tempDir(), 'drill.pdf');
    fs.writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(1);
    for (let page = 1; page <= pages; page++) {
      expect(execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-'], { encoding: 'utf8' }), `page ${page}`).toContain('DRILL');
    }

    now = new Date(now.getTime() + 30 * 60_000);
    const ended = await ok<DrillState>(manager, 'endDrill', { packFound: true, packPrinted: false, problems: '  The pack folder was not where the sheet said.  ' });
    expect(ended.running).toBeNull();
    expect(ended.last).toMatchObject({
      outcome: 'ended',
      endedBy: 'test.manager',
      minutesToFirstCheckIn: 7,
      packFound: true,
      packPrinted: false,
      sheetsPrinted: 1,
      problems: 'The pack folder was not where the sheet said.',
    });
    expect(fs.existsSync(sandboxDir(dataDir))).toBe(false);

    // The real desk: the day as before, nothing in the journal, the merge plan or the impact report.
    expect(dayOf(desk).appointments.map((a) => [a.id, a.status, a.version])).toEqual(dayBefore);
    expect(desk.service.journal.lastSeq()).toBe(journalBefore);
    expect(desk.service.merge.plan().items).toEqual([]);
    expect(desk.service.merge.impact().outages).toEqual([]);
    expect(desk.service.mirrorInfo().drill).toBeUndefined();
    // The sheets printed now are the real day's, without the mark.
    const html = await (await fetch(`${base}/sheets/clinician-list.html?date=${FIXTURE_DATE}`, { headers: { Cookie: reception } })).text();
    expect(html).not.toContain('DRILL');

    // The CLI reads the same report.
    const lines: string[] = [];
    expect(await main(['drill', 'status', '--data', dataDir, '--json'], { log: (l: string) => lines.push(l), error: () => undefined })).toBe(0);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual(ended);

    const readiness = desk.service.readiness().checks.find((c) => c.id === 'drill');
    expect(readiness).toMatchObject({ status: 'green', detail: expect.stringContaining(FIXTURE_DATE) as string });
  });

  it('discards a drill the desk stopped during, when it opens again', async () => {
    now = new Date(TEST_NOW);
    const dataDir = tempDir();
    const first = open(dataDir);
    first.service.loadBook(bulkBook(10, FIXTURE_DATE), 'test fixture', first.context);
    first.dispatch('startDrill', {}, first.context);
    expect(first.dispatch('setAppointmentStatus', { appointmentId: 'appt-0', status: 'arrived' }, first.context)).toMatchObject({ ok: true });
    first.close();
    expect(fs.existsSync(sandboxDir(dataDir))).toBe(true);

    // The CLI's commands open the folder without drills: a drill running beside them is left alone.
    const cli = openDesk({ dataDir, clock: () => now });
    expect(cli.dispatch('getDrill', {}, cli.context)).toMatchObject({ ok: true, value: { running: { outcome: 'running' } } });
    cli.close();
    expect(fs.existsSync(sandboxDir(dataDir))).toBe(true);

    const again = open(dataDir);
    cleanups.push(() => again.close());
    expect(fs.existsSync(sandboxDir(dataDir))).toBe(false);
    expect(again.dispatch('getDrill', {}, again.context)).toEqual({ ok: true, value: { running: null, last: null } });
    expect(statusOf(again, 'appt-0')).toBe('booked');
    expect(again.service.readiness().checks.find((c) => c.id === 'drill')).toMatchObject({ status: 'amber', detail: 'no drill recorded' });
  });

  it('is due on the readiness panel after DRILL_DUE_AFTER_DAYS, and when none was ever recorded', () => {
    const daysBefore = (days: number) => new Date(Date.parse(TEST_NOW) - days * 86_400_000).toISOString();
    expect(checkDrill({ now: TEST_NOW, lastDrillAt: null })).toMatchObject({
      status: 'amber',
      detail: 'no drill recorded',
      fix: expect.stringContaining('Start a drill') as string,
    });
    expect(checkDrill({ now: TEST_NOW, lastDrillAt: daysBefore(DRILL_DUE_AFTER_DAYS) })).toMatchObject({ status: 'green', fix: '' });
    expect(checkDrill({ now: TEST_NOW, lastDrillAt: daysBefore(DRILL_DUE_AFTER_DAYS + 1) })).toMatchObject({
      status: 'amber',
      detail: `last drill ended 2026-04-20 (${DRILL_DUE_AFTER_DAYS + 1} days ago): more than ${DRILL_DUE_AFTER_DAYS} days ago`,
    });
  });
});
