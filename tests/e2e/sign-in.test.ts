/**
 * Sign-in in the browser against a real `serve --demo`: nothing of the day shows before sign-in or while
 * locked; the cursor starts in the username, and the desk remembers who last signed in at it (never their PIN);
 * a receptionist sees no managers' panel; a manager sees the audit trail, in words.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localTimeOf } from '../../shared/domain';
import { collectPageProblems, expectFocus, op, screenshot, signInCookie, useDemoDeskAndBrowser } from './support';

const DAY = '2026-07-20';
const demo = useDemoDeskAndBrowser({ date: DAY, closeAfterEach: true });

async function page(as: 'manager' | 'receptionist' | 'nobody') {
  const context = await demo.newContext({ as });
  const p = await context.newPage();
  const problems = collectPageProblems(p);
  await p.goto(new URL(`?date=${DAY}`, demo.desk.url).toString());
  return { page: p, problems };
}

/** The id of the element with the keyboard (the sign-in form's inputs have ids, not test ids). */
async function focusedId(p: Page): Promise<string> {
  return p.evaluate(() => document.activeElement?.id ?? '');
}

/** Everything this page's origin keeps in localStorage, as one string. */
async function storedText(p: Page): Promise<string> {
  return p.evaluate(() => JSON.stringify(Object.entries(window.localStorage)));
}

describe('sign-in in the browser', () => {
  it('shows no patient data before sign-in, refuses a wrong PIN, and shows the day after the right one', async () => {
    const { page: p, problems } = await page('nobody');
    await p.locator('#signin-username').waitFor();
    expect(await p.locator('tr[data-appointment-id]').count()).toBe(0);
    await p.fill('#signin-username', demo.desk.accounts.receptionist.username);
    await p.fill('#signin-secret', '000000');
    await p.click('button[type="submit"]');
    await p.locator('[role="alert"]').waitFor();
    expect(await p.textContent('[role="alert"]')).toContain('wrong username, password or PIN');
    await screenshot(p, 'sign-in-refused');
    await p.fill('#signin-secret', demo.desk.accounts.receptionist.secret);
    await p.click('button[type="submit"]');
    await p.locator('tr[data-appointment-id]').first().waitFor({ timeout: 15_000 });
    expect(await p.textContent('[data-testid="signed-in-user"]')).toBe('Demo Receptionist');
    expect(await p.getByRole('button', { name: 'Users and audit' }).count()).toBe(0);
    expect(problems.filter((m) => !m.includes('401'))).toEqual([]);
  });

  it('starts in the username, remembers the last user here (not the PIN) after a reload, and forgets them on "Not you?"', async () => {
    const { page: p, problems } = await page('nobody');
    const { username, secret } = demo.desk.accounts.receptionist;
    await p.locator('#signin-username').waitFor();
    await expect.poll(() => focusedId(p)).toBe('signin-username');
    expect(await p.locator('[data-testid="signin-not-you"]').count()).toBe(0);
    await p.keyboard.type(username);
    await p.keyboard.press('Tab');
    await expect.poll(() => focusedId(p)).toBe('signin-secret');
    await p.keyboard.type(secret);
    await p.keyboard.press('Enter');
    await p.locator('tr[data-appointment-id]').first().waitFor({ timeout: 15_000 });
    const stored = await storedText(p);
    expect(stored).toContain(username);
    expect(stored).not.toContain(secret);

    // Signed out, then the page loaded again: their username is there, the cursor in the PIN.
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.locator('#signin-username').waitFor();
    await p.reload();
    await p.locator('#signin-username').waitFor();
    expect(await p.inputValue('#signin-username')).toBe(username);
    await expect.poll(() => focusedId(p)).toBe('signin-secret');
    await screenshot(p, 'sign-in-remembered');

    // "Not you?": one Shift+Tab back from the PIN, Enter; the username empties and takes the cursor, for good.
    await p.keyboard.press('Shift+Tab');
    await expectFocus(p, 'signin-not-you');
    await p.keyboard.press('Enter');
    await expect.poll(() => focusedId(p)).toBe('signin-username');
    expect(await p.inputValue('#signin-username')).toBe('');
    expect(await storedText(p)).not.toContain(username);
    await p.reload();
    await p.locator('#signin-username').waitFor();
    expect(await p.inputValue('#signin-username')).toBe('');
    await expect.poll(() => focusedId(p)).toBe('signin-username');
    expect(problems.filter((m) => !m.includes('401'))).toEqual([]);
  });

  it('hides the day when the screen is locked, and brings it back with the PIN', async () => {
    const { page: p } = await page('receptionist');
    await p.locator('tr[data-appointment-id]').first().waitFor({ timeout: 15_000 });
    await p.getByRole('button', { name: 'Lock screen' }).click();
    await p.getByRole('heading', { name: 'The desk is locked' }).waitFor();
    expect(await p.locator('tr[data-appointment-id]').count()).toBe(0);
    expect(await p.content()).not.toContain("O'Brien");
    await screenshot(p, 'locked');
    await p.fill('#signin-secret', demo.desk.accounts.receptionist.secret);
    await p.click('button[type="submit"]');
    await p.locator('tr[data-appointment-id]').first().waitFor({ timeout: 15_000 });
  });

  it("shows a manager the users and the audit trail in words, with everyone's sign-ins", async () => {
    // A receptionist's sign-in, and a check-in made by the manager from desk e2e-test (op's desk), for the trail to name.
    await signInCookie(demo.desk.url, demo.desk.accounts.receptionist);
    const day = await op(demo.desk.url, 'getDay', { date: DAY });
    const appointment = day.appointments.find((a) => a.status === 'booked');
    if (!appointment) throw new Error('the demo day has no booked appointment');
    await op(demo.desk.url, 'setAppointmentStatus', { appointmentId: appointment.id, status: 'arrived' });
    const clinician = day.clinicians.find((c) => c.id === appointment.clinicianId)?.name ?? '';
    const { page: p } = await page('manager');
    // The demo desk writes no outage pack (no pack folder is set): a manager signing in is told the practice is not ready.
    const alert = p.locator('[data-testid="readiness-alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^RED: the practice is not ready for an outage\..*The outage pack/);
    await alert.getByRole('button').click();
    // It opens the manager's screen, readiness first; the banner gives way to it.
    await p.locator('[data-testid="readiness-overall"]').waitFor();
    expect(await p.textContent('[data-testid="readiness-overall"]')).toContain('RED');
    await alert.waitFor({ state: 'detached' });
    await p.getByRole('heading', { name: 'Audit trail' }).waitFor();
    const entries = p.locator('[data-testid="audit-entry"]');
    await entries
      .filter({ hasText: /Demo Receptionist \(receptionist, desk [^)]+\) signed in$/ })
      .first()
      .waitFor();
    const checkedIn = `Demo Manager (practice manager, desk e2e-test) checked in ${appointment.patient.givenName} ${appointment.patient.familyName}'s ${localTimeOf(appointment.start)} with ${clinician}`;
    await entries.filter({ hasText: checkedIn }).first().waitFor();
    expect(await entries.filter({ hasText: checkedIn }).first().textContent()).toMatch(/^\d+\d{2}\/\d{2}\/\d{4}\d{2}:\d{2}:\d{2} Demo Manager/);
    // Words, not JSON.
    expect(await p.locator('.admin-panel table').last().textContent()).not.toMatch(/[{}"]/);
    await screenshot(p, 'audit');

    // The practice's screen-lock time, set here, is what every desk's session now reports.
    await p.locator('[data-testid="idle-lock-minutes"]').fill('7');
    await p.getByRole('form', { name: 'Screen lock' }).getByRole('button', { name: 'Save' }).click();
    await p.getByText('Desks now lock after 7 idle minutes.').waitFor();
    expect((await op(demo.desk.url, 'getSession', {})).idleLockMinutes).toBe(7);
    const idleLockChanges = (await op(demo.desk.url, 'getAudit', { kind: 'settings-changed' })).filter((e) => (e.detail as { setting?: string }).setting === 'idleLockMinutes');
    expect(idleLockChanges.map((e) => e.user)).toEqual([demo.desk.accounts.manager.username]);
    await op(demo.desk.url, 'setIdleLock', { minutes: 5 });

    // The desk's log for IT, written by serve itself: one file, its export on the audit trail.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Export the log' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^standby-desk-log-\d{8}T\d{6}Z\.txt$/);
    expect(readFileSync(await download.path(), 'utf8')).toContain('INFO  Standby Desk serving');
    expect((await op(demo.desk.url, 'getAudit', { kind: 'export' })).map((e) => (e.detail as { what?: string }).what)).toContain('log');
  });
});
