/**
 * The merge-back review screen in Chromium: an outage day with a conflict (checked in at the desk, cancelled
 * upstream) and a patient new to the practice; the receptionist reads the clinical system, decides the conflict,
 * applies after confirming, and ticks the worklist off. The desk runs in-process behind the HTTP server, with
 * the FHIR test double as the clinical system. The manager changes the claim's settings beside the impact report
 * by keyboard (axe scans that form).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer as startHttp, type RunningServer } from '../../electron/server/server';
import { mergeRig, type MergeRig } from '../unit/merge/support';
import { addTestAccounts, collectPageProblems, launchBrowser, newDeskContext, REPO_ROOT, screenshot, type RunningDesk } from './support';
import { check } from './axe';

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
    {
      patient: { kind: 'new', details: { familyName: 'Visitor', givenName: 'Vic', dateOfBirth: '1990-05-05', temporaryResident: true } },
      triage: 'same_day',
      assignTo: { kind: 'duty' },
    },
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
    // Every item names its patient, time and clinician.
    await expect(page.locator('.merge-group', { has: conflict }).locator('h3').textContent()).resolves.toMatch(/TESTPERSON4, Sam\s*NHS \d{3} \d{3} \d{4}/);
    await expect(conflict.locator('.merge-item-head').textContent()).resolves.toMatch(/^09:40 Dr Asha Patel/);
    await screenshot(page, 'merge-review-conflict');

    await conflict.getByRole('button', { name: 'Keep the desk’s' }).click();
    await page.getByText('0 to decide').waitFor();
    await page.getByRole('button', { name: /Apply all 2 ready/ }).click();
    // Nothing is written before the confirmation.
    expect(rig.server.requests.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
    await page.getByRole('button', { name: 'Yes, apply' }).click();
    await page.getByText(/finished 2 of 2/).waitFor();
    expect([rig.server.read('Appointment', 'appt-0')?.['status'], rig.server.read('Appointment', 'appt-4')?.['status']]).toEqual(['arrived', 'arrived']);

    await page
      .locator('.merge-worklist')
      .getByText(/VISITOR, Vic/)
      .waitFor();
    await page.getByRole('button', { name: 'Keyed' }).click();
    await page.getByText('Reconciliation is complete.').waitFor();
    await screenshot(page, 'merge-review-complete');
    await page.locator('[data-testid="to-desk"]').click();
    await page.locator('[data-testid="to-merge"]').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the outage impact and serves the worklist and impact report as PDF and CSV, the report to managers only', async () => {
    const context = await newDeskContext(browser, { desk: { url: http.url, accounts }, as: 'manager' });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(`${http.url}?view=merge`);
    const impact = page.locator('[data-testid="merge-impact"]');
    await impact.waitFor();
    const report = rig.desk.service.merge.impact();
    // The screen shows the service's own figures, under the printed report's labels.
    await expect(
      impact
        .getByRole('row', { name: /Walk-ins/ })
        .locator('td')
        .textContent(),
    ).resolves.toBe(String(report.walkIns));
    await expect(
      impact
        .getByRole('row', { name: /Appointments in the outage/ })
        .locator('td')
        .textContent(),
    ).resolves.toBe(String(report.appointments));
    expect(report.walkIns).toBe(1);
    // The time-sensitive patient the outage touched, by name (the screen is the manager's).
    await expect(impact.locator('[data-testid="merge-impact-patients"]').textContent()).resolves.toMatch(/TESTPERSON0, Sam.*Suspected cancer/i);
    await screenshot(page, 'merge-review-impact');

    // The claim's minutes and costs beside the figures, changed by keyboard: typed over, Enter saves (audited).
    const claim = impact.locator('[data-testid="merge-claim"]');
    await claim.getByLabel('One try at calling back: minutes').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('6');
    await claim.getByLabel('Receptionist: cost per hour in pounds').focus();
    await page.keyboard.type('12.50');
    await page.keyboard.press('Enter');
    await claim.getByText('Saved: the work is priced at these.').waitFor();
    expect(rig.desk.service.merge.claimSettings()).toMatchObject({ tasks: { callback: { minutes: 6 } }, costPerHour: { receptionist: 12.5 } });
    expect(rig.desk.service.audit.list({ kind: 'settings-changed' }).map((e) => e.user)).toEqual([accounts.manager.username]);
    await check(page, 'merge-review-claim', { include: ['[data-testid="merge-claim"]'], minPasses: 5 });

    const auditBefore = rig.desk.service.audit.list({ kind: 'print', limit: 500 }).length;
    const get = async (link: string) => {
      const href = await page.getAttribute(`[data-testid="${link}"]`, 'href');
      if (href === null) throw new Error(`no link ${link}`);
      return page.request.get(new URL(href, http.url).toString());
    };
    const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
    const worklistPdf = await get('merge-worklist-pdf');
    expect([worklistPdf.status(), worklistPdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect(pdfText(await worklistPdf.body())).toMatch(/Merge-back worklist[\s\S]*Page 1 of \d+/i);
    const impactPdf = await get('merge-impact-report-pdf');
    expect(impactPdf.status()).toBe(200);
    const impactText = pdfText(await impactPdf.body());
    expect(impactText).toMatch(new RegExp(`Walk-ins\\s+${report.walkIns}`));
    expect(impactText).not.toMatch(/TESTPERSON0/);
    const namedPdf = await get('merge-impact-report-patients-pdf');
    expect(namedPdf.status()).toBe(200);
    expect(pdfText(await namedPdf.body())).toMatch(/TESTPERSON0, Sam/);
    const impactCsv = await get('merge-impact-report-csv');
    expect([impactCsv.status(), impactCsv.headers()['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(await impactCsv.text()).toMatch(/walk/i);
    // Each PDF is a print in the audit trail, under the manager who asked; the CSV is recorded too.
    const prints = rig.desk.service.audit.list({ kind: 'print', limit: 500 }).slice(auditBefore);
    expect(prints.map((e) => e.user)).toEqual([accounts.manager.username, accounts.manager.username, accounts.manager.username, accounts.manager.username]);
    expect(problems).toEqual([]);
    await context.close();

    // A receptionist keys the worklist, so may print it; the impact report is the manager's.
    const desk = await newDeskContext(browser, { desk: { url: http.url, accounts }, as: 'receptionist' });
    const deskPage = await desk.newPage();
    await deskPage.goto(http.url);
    expect((await deskPage.request.get(new URL('sheets/worklist.csv', http.url).toString())).status()).toBe(200);
    const refused = await deskPage.request.get(new URL('sheets/impact-report.pdf', http.url).toString());
    expect(refused.status()).toBe(403);
    expect(await refused.text()).not.toMatch(/Walk-ins/);
    // Day sheets have no CSV form.
    expect((await deskPage.request.get(new URL('sheets/master-list.csv?date=2026-07-20', http.url).toString())).status()).toBe(404);
    await desk.close();
  });
});
