/**
 * Sign-in in the browser against a real `serve --demo`: nothing of the day shows before sign-in or while
 * locked; a receptionist sees no managers' panel; a manager sees the audit trail.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectPageProblems, op, screenshot, useDemoDeskAndBrowser } from './support';

const DAY = '2026-07-20';
const demo = useDemoDeskAndBrowser({ date: DAY, closeAfterEach: true });

async function page(as: 'manager' | 'receptionist' | 'nobody') {
  const context = await demo.newContext({ as });
  const p = await context.newPage();
  const problems = collectPageProblems(p);
  await p.goto(new URL(`?date=${DAY}`, demo.desk.url).toString());
  return { page: p, problems };
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

  it("shows a manager the users and the audit trail, with everyone's sign-ins", async () => {
    const { page: p } = await page('manager');
    await p.getByRole('button', { name: 'Users and audit' }).click();
    await p.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await p.locator('td', { hasText: 'sign-in' }).first().waitFor();
    expect(await p.locator('td', { hasText: demo.desk.accounts.receptionist.username }).count()).toBeGreaterThan(0);
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
