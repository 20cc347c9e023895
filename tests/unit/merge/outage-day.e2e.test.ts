/**
 * End to end, at the Node level (no Electron): an outage day at the desk, then merge-back through the HTTP
 * server (review, decide, apply, tick off the worklist) and the CLI (reconcile, worklist CSV and PDF, impact
 * report PDF and CSV), against the FHIR test double. PDFs are read back with pdftotext.
 */
import { TEST_CHROMIUM } from '../../support/chromium';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../../shared/api';
import type { MergePlanView, WorklistView } from '../../../shared/merge';
import { startServer, type RunningServer } from '../../../electron/server/server';
import { BROWSER_ENV } from '../../../electron/desk/print';
import { DESK_ENTRY_SYSTEM } from '../../../electron/desk/upstream/fhir/write';
import { addTestAccounts, tempDir } from '../../support/fixtures';
import { cli } from '../upstream/support';
import { DAY, mergeRig, pull, type MergeRig } from './support';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

describe('an outage day, merged back', () => {
  it('walks review, apply, worklist and report', { timeout: 90_000 }, async () => {
    process.env[BROWSER_ENV] ??= TEST_CHROMIUM;
    const rig: MergeRig = await mergeRig();
    cleanups.push(() => rig.close());
    const { server: fhir, desk } = rig;
    const s = desk.service;
    const ctx = desk.context;
    const tick = () => (desk.clock.now = new Date(desk.clock.now.getTime() + 5 * 60_000));

    // ---- the outage day
    s.upstream.setMode('outage', ctx, 'EMIS down');
    for (const st of ['arrived', 'sent_in', 'seen'] as const) {
      tick();
      s.setAppointmentStatus({ appointmentId: 'appt-0', status: st }, ctx);
    }
    s.setAppointmentStatus({ appointmentId: 'appt-1', status: 'dna' }, ctx);
    s.setAppointmentStatus({ appointmentId: 'appt-2', status: 'cancelled', reason: 'Patient phoned, feeling better' }, ctx);
    s.reception.rebook({ appointmentId: 'appt-3', expectedVersion: 0, slotId: 'slot-9' }, ctx);
    s.setAppointmentStatus({ appointmentId: 'appt-4', status: 'arrived' }, ctx);
    tick();
    s.reception.registerWalkIn({ patient: { kind: 'existing', patientId: 'pat-7' }, triage: 'same_day', assignTo: { kind: 'duty' }, despiteAppointmentToday: true }, ctx);
    s.reception.registerWalkIn(
      {
        patient: { kind: 'new', details: { familyName: 'Visitor', givenName: 'Vic', dateOfBirth: '1990-05-05', temporaryResident: true } },
        triage: 'urgent_today',
        assignTo: { kind: 'duty' },
      },
      ctx,
    );
    s.records.addNote({ appointmentId: 'appt-5', text: 'BP 128/82, review in 2 weeks' }, ctx);
    s.records.updateContact({ patientId: 'pat-6', phone: '07700 900999' }, ctx);
    // Meanwhile the patient cancelled appt-4 in the NHS App.
    fhir.update('Appointment', 'appt-4', (r) => ({ ...r, status: 'cancelled', cancelationReason: { text: 'Cancelled in the NHS App' } }));
    s.upstream.setMode('online', ctx, 'EMIS back');

    // ---- review over HTTP
    const http: RunningServer = await startServer({ desk, staticDir: tempDir(), port: 0, user: 'practice-manager' });
    cleanups.push(() => http.close());
    const base = http.url.replace(/\/$/, '');
    // Reconciling is a manager's job (shared/api/roles.ts); the receptionist only re-keys the worklist.
    const accounts = addTestAccounts(desk);
    const cookieOf = async (who: { username: string; secret: string }) => {
      const res = await fetch(`${base}/api/op/signIn`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(who) });
      expect(res.status).toBe(200);
      return /sd_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    };
    const manager = await cookieOf(accounts.manager);
    const reception = await cookieOf(accounts.receptionist);
    const call = (name: string, body: unknown, cookie: string) =>
      fetch(`${base}/api/op/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) });
    expect((await call('getMergePlan', {}, reception)).status).toBe(403);
    expect((await call('startMergeApply', { confirmed: true }, reception)).status).toBe(403);
    expect((await call('getMergePlan', {}, '')).status).toBe(401);
    const op = async <T>(name: string, body: unknown = {}): Promise<T> => {
      const res = await call(name, body, manager);
      const json = (await res.json()) as { ok: boolean; value: T; error?: unknown };
      if (!json.ok) throw new Error(`${name}: ${JSON.stringify(json.error)}`);
      return json.value;
    };
    const finished = (runId: string) =>
      new Promise<DeskEvent>((resolve) => {
        const off = desk.onEvent((e) => {
          if (e.kind === 'merge.progress' && e.runId === runId && (e.phase === 'finished' || e.phase === 'failed')) {
            off();
            resolve(e);
          }
        });
      });
    // Apply refuses without the confirmation.
    const refused = await call('startMergeApply', {}, manager);
    expect(refused.status).toBe(400);

    const dry = await op<{ runId: string }>('startMergeApply', { confirmed: true, dryRun: true });
    expect(await finished(dry.runId)).toMatchObject({ phase: 'finished' });
    expect(fhir.requests.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
    const plan = await op<MergePlanView>('getMergePlan');
    expect(plan.counts).toMatchObject({ conflict: 1, manual: 3 });
    const first = plan.groups[0];
    expect(first?.patientId).toBe('pat-4');
    expect(first?.items[0]).toMatchObject({
      class: 'conflict',
      conflict: 'cancelled_upstream',
      base: { status: 'booked' },
      upstream: { status: 'cancelled' },
      desk: { status: 'arrived' },
    });
    // The patient did come: the desk's record stands.
    await op('resolveMergeConflict', { itemKey: 'status:appt-4', choice: 'keep_desk' });

    const progress: Array<{ done: number; total: number }> = [];
    const off = desk.onEvent((e) => {
      if (e.kind === 'merge.progress' && e.phase === 'applying') progress.push({ done: e.done, total: e.total });
    });
    const run = await op<{ runId: string }>('startMergeApply', { confirmed: true });
    expect(await finished(run.runId)).toMatchObject({ phase: 'finished' });
    off();
    expect(progress.at(-1)).toEqual({ done: 7, total: 7 });
    const status = (id: string) => fhir.read('Appointment', id)?.['status'];
    expect([status('appt-0'), status('appt-1'), status('appt-2'), status('appt-3'), status('appt-4')]).toEqual(['fulfilled', 'noshow', 'cancelled', 'cancelled', 'arrived']);
    const created = fhir.all('Appointment').filter((a) => JSON.stringify(a['identifier'] ?? []).includes(DESK_ENTRY_SYSTEM));
    expect(created.map((a) => [a['status'], (a['slot'] as Array<{ reference: string }> | undefined)?.[0]?.reference ?? null]).sort()).toEqual([
      ['arrived', null],
      ['booked', 'Slot/slot-9'],
    ]);

    // ---- worklist: the new patient is keyed by hand
    const dataDir = desk.dataDir;
    const csvFile = path.join(tempDir(), 'worklist.csv');
    expect((await cli('worklist', '--out', csvFile, '--data', dataDir)).code).toBe(0);
    const csv = fs.readFileSync(csvFile, 'utf8');
    expect(csv).toMatch(/VISITOR, Vic/);
    expect(csv).toMatch(/Register the patient/);
    expect(csv).toMatch(/BP 128\/82, review in 2 weeks/);
    expect(csv).toMatch(/phone: 07700 900999/);
    // Keying order: the outage day's attendance first (the walk-in seen that day), routine last.
    expect(csv.split('\r\n')[1]).toMatch(/attendance first/);
    const pdfFile = path.join(tempDir(), 'worklist.pdf');
    const printed = await cli('print', 'worklist', '--out', pdfFile, '--data', dataDir);
    expect(printed.code, printed.stderr).toBe(0);
    const worklistText = pdfText(pdfFile);
    expect(worklistText).toMatch(/MERGE-BACK WORKLIST/i);
    expect(worklistText).toMatch(/VISITOR, Vic/);
    expect(worklistText).toMatch(/Test Street Surgery/);

    const list = await op<WorklistView>('getWorklist');
    expect(list.complete).toBe(false);
    for (const p of list.patients) for (const i of p.items) await op('tickWorklistItem', { itemKey: i.key, state: 'keyed' });
    expect((await op<WorklistView>('getWorklist')).complete).toBe(true);

    // ---- reconcile again from the CLI: nothing left, complete, retention scheduled
    const again = await cli('reconcile', '--fhir', fhir.baseUrl, '--json', '--data', dataDir);
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as { complete: boolean; applied: { total: number }; retention: { purgeAfter: string | null } };
    expect(result).toMatchObject({ complete: true, applied: { total: 0 } });
    expect(result.retention.purgeAfter).not.toBeNull();

    // ---- the impact report
    const reportPdf = path.join(tempDir(), 'impact.pdf');
    expect((await cli('print', 'impact-report', '--out', reportPdf, '--data', dataDir)).code).toBe(0);
    const reportText = pdfText(reportPdf);
    expect(reportText).toMatch(/OUTAGE IMPACT REPORT/i);
    expect(reportText).toMatch(/Walk-ins\s+2/);
    expect(reportText).toMatch(/Applied to the clinical system automatically\s+\d+/);
    const reportCsv = path.join(tempDir(), 'impact.csv');
    expect((await cli('impact-report', '--out', reportCsv, '--data', dataDir)).code).toBe(0);
    // One line per outage, then the total.
    const [columns = '', ...lines] = fs
      .readFileSync(reportCsv, 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['1', 'total']);
    const figures = Object.fromEntries(columns.split(',').map((k, i) => [k, lines[1]?.split(',')[i]]));
    expect(figures).toMatchObject({
      seen: '1',
      dna: '1',
      rebooked: '1',
      walk_ins: '2',
      entries_keyed_by_hand: '3',
      entries_in_conflict: '0',
      time_sensitive_patients_affected: '1',
    });

    // ---- a fresh pull: the mirror is upstream again (the hand-keyed new patient aside, who upstream has not got)
    await pull(desk, fhir);
    const mirror = s
      .getDay(DAY, null)
      .appointments.map((a) => `${a.id}:${a.fhirStatus}`)
      .sort();
    const upstream = fhir
      .all('Appointment')
      .map((a) => `${String(a.id)}:${String(a['status'])}`)
      .sort();
    expect(mirror).toEqual(upstream);
  });
});
