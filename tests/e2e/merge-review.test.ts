/**
 * The merge-back review screen in Chromium: an outage day with a conflict (checked in at the desk, cancelled
 * upstream) and a patient new to the practice; the receptionist reads the clinical system, decides the conflict,
 * applies after confirming, and ticks the worklist off. The desk runs in-process behind the HTTP server, with
 * the FHIR test double as the clinical system.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer as startHttp, type RunningServer } from '../../electron/server/server';
import { mergeRig, type MergeRig } from '../unit/merge/support';
import { addTestAccounts, collectPageProblems, launchBrowser, newDeskContext, REPO_ROOT, screenshot, type RunningDesk } from './support';

let rig: MergeRig;
let http: RunningServer;
let browser: Browser;
let accounts: RunningDesk['accounts'];

beforeAll(async () => {
  rig = await mergeRig();
  const s = rig.desk.service;
  const ctx = rig.desk.context;
  s.upstream.setMode('outage', ctx, 'EMIS down');
  s.setAppointmentStatus({ appointmentId: 'appt-0', status: 'arrived' }, ctx);
  s.setAppointmentStatus({ appointmentId: 'appt-4', status: 'arrived' }, ctx);
  s.reception.registerWalkIn(
    { patient: { kind: 'new', details: { familyName: 'Visitor', givenName: 'Vic', dateOfBirth: '1990-05-05', temporaryResident: true } }, triage: 'same_day', assignTo: { kind: 'duty' } },
    ctx,
  );
  rig.server.update('Appointment', 'appt-4', (r) => ({ ...r, status: 'cancelled' }));
  s.upstream.setMode('online', ctx, 'EMIS back');
  accounts = addTestAccounts(rig.desk);
  http = await startHttp({ desk: rig.desk, staticDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0, user: 'practice-manager' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await http.close();
  await rig.close();
});

describe('merge-back review screen', () => {
  it('reads upstream, shows the conflict with its three sides, applies after confirming, and ticks the worklist off', async () => {
    // Reconciling is a manager's job (shared/api/roles.ts).
    const context = await newDeskContext(browser, { desk: { url: http.url, accounts }, as: 'manager' });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    // A manager reaches the review from the desk's session bar.
    await page.goto(http.url);
    await page.locator('[data-testid="to-merge"]').click();
    await page.waitForURL(/\?view=merge$/);
    await page.getByRole('button', { name: 'Check the clinical system again' }).click();
    await page.getByText('1 to decide').waitFor();
    const conflict = page.locator('.merge-conflict');
    await expect(conflict.textContent()).resolves.toMatch(/cancelled upstream meanwhile/);
    await expect(conflict.locator('.merge-side-value').allTextContents()).resolves.toEqual(['booked', 'cancelled', 'arrived']);
    await screenshot(page, 'merge-review-conflict');

    await conflict.getByRole('button', { name: 'Keep the desk’s' }).click();
    await page.getByText('0 to decide').waitFor();
    await page.getByRole('button', { name: /Apply all 2 ready/ }).click();
    // Nothing is written before the confirmation.
    expect(rig.server.requests.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
    await page.getByRole('button', { name: 'Yes, apply' }).click();
    await page.getByText(/finished 2 of 2/).waitFor();
    expect([rig.server.read('Appointment', 'appt-0')?.['status'], rig.server.read('Appointment', 'appt-4')?.['status']]).toEqual(['arrived', 'arrived']);

    await page.locator('.merge-worklist').getByText(/VISITOR, Vic/).waitFor();
    await page.getByRole('button', { name: 'Keyed' }).click();
    await page.getByText('Reconciliation is complete.').waitFor();
    await screenshot(page, 'merge-review-complete');
    await page.locator('[data-testid="to-desk"]').click();
    await page.locator('[data-testid="to-merge"]').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
