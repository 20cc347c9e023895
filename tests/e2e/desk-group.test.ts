/**
 * Two desks of one practice in a browser: a coordinator (`serve --demo`, made the group's coordinator) and a member
 * (`serve` on a data folder paired with it), as separate processes on loopback with their group link over TLS 1.3.
 * A receptionist at the member checks a patient in by keyboard; the coordinator holds it, and the header says
 * where the day lives. A manager opens the group screen with N.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openDesk as openFolder } from '../../electron/desk/open';
import { createGroup, joinGroup, liveStatus } from '../../electron/desk/group/admin';
import { startDeskProcess, type DeskProcess } from '../support/group-processes';
import { tempDir } from '../support/fixtures';
import { until } from '../support/group';
import { chooseInSearch, expectFocus, launchBrowser, newDeskContext, op, rowSelector, screenshot, startServer, TEST_DAY, TEST_NOW, type RunningDesk } from './support';

let coordinator: RunningDesk;
let member: DeskProcess;
let browser: Browser;
const now = () => new Date(TEST_NOW);

beforeAll(async () => {
  coordinator = await startServer({ date: TEST_DAY, serveArgs: ['--group-host', '127.0.0.1', '--group-port', '0'] });
  // A manager makes the running desk the coordinator (as `standby-desk group create` beside it does).
  const folder = openFolder({ dataDir: coordinator.dataDir, clock: now });
  const { pairing } = await createGroup(folder, { deskName: 'Reception 1' }, folder.context);
  let address: string | null = null;
  await until(() => {
    address = liveStatus(folder)?.coordinator?.address ?? null;
    return address !== null;
  }, 'the running desk to start coordinating');
  const memberDir = tempDir('standby-desk-e2e-member-');
  const joining = openFolder({ dataDir: memberDir, clock: now });
  await joinGroup(joining, { address: address ?? '', code: pairing.code, deskName: 'Reception 2' });
  joining.close();
  folder.close();
  member = await startDeskProcess(memberDir);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser.close();
  await member.kill('SIGTERM');
  await coordinator.stop();
});

describe('two desks, one day', () => {
  it('a check-in at the member is carried out by the coordinator, and the header says who holds the day', async () => {
    const desk = { url: member.url, accounts: coordinator.accounts, now: TEST_NOW };
    const context = await newDeskContext(browser, { desk, as: 'receptionist' });
    const page = await context.newPage();
    await page.goto(member.url);
    await page.locator('.day[data-complete="true"]').waitFor({ timeout: 20_000 });
    const indicator = page.locator('[data-testid="group-indicator"]');
    await indicator.waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="group-indicator"][data-state="connected"]').waitFor({ timeout: 15_000 });
    expect(await indicator.getAttribute('data-role')).toBe('member');
    expect(await page.textContent('[data-testid="group-summary"]')).toContain('Reception 1');

    const day = await op(coordinator.url, 'getDay', { date: TEST_DAY });
    const booked = day.appointments.find((a) => a.status === 'booked' && a.patient.nhsNumber !== null);
    if (!booked) throw new Error('no booked appointment on the demo day');
    await chooseInSearch(page, booked.patient.nhsNumber ?? '', booked.patientId, booked.id);
    await page.keyboard.press('Enter');
    await expectFocus(page, booked.id);
    await page.keyboard.press('a');
    await page.locator(rowSelector(booked.id, 'arrived')).waitFor({ timeout: 5000 });
    await screenshot(page, 'group-member-check-in');

    const after = await op(coordinator.url, 'getDay', { date: TEST_DAY });
    expect(after.appointments.find((a) => a.id === booked.id)?.status).toBe('arrived');
    const journal = await op(coordinator.url, 'getJournal', { afterSeq: day.journalSeq });
    expect(journal.map((e) => [e.entityId, e.desk])).toContainEqual([booked.id, 'Reception 2']);
    await context.close();
  }, 60_000);

  it('a manager opens the group screen with N: members, their seq, and what can be done', async () => {
    const desk = { url: member.url, accounts: coordinator.accounts, now: TEST_NOW };
    const context = await newDeskContext(browser, { desk, as: 'manager' });
    const page = await context.newPage();
    await page.goto(member.url);
    await page.locator('.day[data-complete="true"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="group-indicator"][data-state="connected"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('N');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('Reception 1');
    expect(text).toContain('Reception 2');
    await screenshot(page, 'group-screen-member');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await context.close();
  }, 60_000);
});
