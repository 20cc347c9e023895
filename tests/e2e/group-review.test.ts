/**
 * After a partition, in a browser: a member cut off by a blocked port carries on alone, checks a patient in, the group
 * cancels the same appointment meanwhile, and the member rejoins. A manager at the member opens the group screen
 * (N) and finds the change in front of them as a conflict, with the group's status beside it, and decides it.
 * The desks run in this process on loopback over real TLS; the browser reaches the member's own HTTP server.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { joinGroup } from '../../electron/desk/group/admin';
import { GroupNode } from '../../electron/desk/group/node';
import { GroupStore } from '../../electron/desk/group/store';
import { splitAddress } from '../../electron/desk/group/requests';
import { openDesk as openFolder, type OpenDesk } from '../../electron/desk/open';
import { startServer as startDeskServer, type RunningServer } from '../../electron/server/server';
import { TcpProxy } from '../doubles/tcp-proxy';
import { TEST_SCRYPT_COST, tempDir, type TestAccounts } from '../support/fixtures';
import { signInAt, startCoordinator, until, type GroupDesk } from '../support/group';
import { launchBrowser, newDeskContext, REPO_ROOT, screenshot, TEST_NOW } from './support';

const now = () => new Date(TEST_NOW);
let coordinator: GroupDesk;
let member: GroupDesk;
let memberDesk: OpenDesk;
let accounts: TestAccounts;
let proxy: TcpProxy;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  const started = await startCoordinator(now);
  coordinator = started.coordinator;
  accounts = started.accounts;
  proxy = await new TcpProxy(splitAddress(coordinator.node.address() ?? '')).start();
  const store = new GroupStore(coordinator.desk.db);
  store.setAddress(store.config()?.memberId ?? '', proxy.address);
  memberDesk = openFolder({ dataDir: tempDir(), clock: now, scryptCost: { ...TEST_SCRYPT_COST }, user: 'test', desk: 'test' });
  const { code } = coordinator.node.createPairingCode(coordinator.desk.context);
  await joinGroup(memberDesk, { address: proxy.address, code, deskName: 'Reception 2' });
  member = { desk: Object.assign(memberDesk, { dataDir: '' }), node: await GroupNode.start({ desk: memberDesk, host: '127.0.0.1', port: 0 }) };
  await until(() => member.node.status().state === 'connected', 'the member to follow');
  server = await startDeskServer({
    desk: memberDesk,
    staticDir: path.join(REPO_ROOT, 'dist/renderer'),
    port: 0,
    user: 'browser',
    dispatch: (name, input, ctx) => member.node.dispatch(name, input, ctx),
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser.close();
  await server.close();
  await member.node.close();
  memberDesk.close();
  await coordinator.node.close();
  coordinator.desk.close();
  await proxy.close();
});

describe('rejoining after a partition', () => {
  it('puts the appointment changed on both sides in front of a manager, who decides it on the group screen', async () => {
    const manager = await signInAt(member.node, accounts.manager);
    const atCoordinator = await signInAt(coordinator.node, accounts.receptionist);
    proxy.block();
    await until(() => member.node.status().state === 'coordinator-lost', 'the member to miss its coordinator', 15_000);
    const alone = await member.node.dispatch('carryOnAlone', { confirm: true }, manager);
    expect(alone.ok).toBe(true);
    expect((await member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, manager)).ok).toBe(true);
    expect((await coordinator.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'cancelled', reason: 'Patient phoned' }, atCoordinator)).ok).toBe(true);
    proxy.unblock();
    const started = performance.now();
    while (!(await member.node.dispatch('rejoinGroup', { confirm: true }, manager)).ok) {
      if (performance.now() - started > 15_000) throw new Error('the coordinator was not heard again');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await until(() => member.node.status().state === 'connected' && member.node.status().lag === 0, 'the member to follow again', 15_000);

    const context = await newDeskContext(browser, {
      desk: { url: server.url, accounts: { manager: accounts.manager, receptionist: accounts.receptionist }, now: TEST_NOW },
      as: 'manager',
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('.day[data-complete="true"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="group-indicator"]').waitFor({ timeout: 15_000 });
    expect(await page.textContent('[data-testid="group-indicator"]')).toContain('1 change to review');
    await page.keyboard.press('N');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByText('Changed on both sides').waitFor({ timeout: 10_000 });
    await screenshot(page, 'group-review-conflict');
    await dialog
      .getByRole('button', { name: /Keep the group/ })
      .first()
      .click();
    await until(() => member.node.status().reviewOpen === 0, 'the decision to be kept');
    expect(coordinator.desk.service.mirror.appointment('appt-1')?.status).toBe('cancelled');
    await context.close();
  }, 90_000);
});
