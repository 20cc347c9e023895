/**
 * First run (issue 20 item 1), end to end: `serve` on a new, empty data folder opens the set-up, which a practice
 * manager works through by keyboard alone: the practice, the FHIR server (tested: the test FHIR double, which wants
 * a token), the outage pack folder (checked, never made), the backup folder, the manager and a receptionist, with
 * a desk group started here (chosen first): the pairing code for the second PC is shown. The desk then pulls from
 * the double and shows the day, and the token is in no file in the clear. A second PC's set-up then joins that group
 * (address, code, name) and signs in with the coordinator's account; a wrong code and an unreachable coordinator
 * are tested under Node (tests/unit/desk/setup-group.test.ts). The first desk's serve, stopped, has backed up into
 * the folder chosen on screen.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { listBackups } from '../../electron/desk/backup';
import { CLOCK_ENV } from '../../electron/desk/clock';
import { generateDemoPractice } from '../../electron/desk/demo/generate';
import { bookToFhirResources } from '../../electron/desk/upstream';
import { FhirTestServer } from '../doubles/fhir-server';
import { E2E_CLI } from './cli-bundle';
import { collectPageProblems, expectFocus, launchBrowser, RECEPTION_VIEWPORT, REPO_ROOT, SCREENS_DIR, screenshot, TEST_DAY, TEST_NOW } from './support';

const TOKEN = 'e2e-practice-token-7f3a9c';
const root = fs.mkdtempSync(path.join(tmpdir(), 'standby-desk-setup-'));
const dataDir = path.join(root, 'data');
const packDir = path.join(root, 'pack-stick');
const backupDir = path.join(root, 'backup-share');

let fhir: FhirTestServer;
let browser: Browser;
let url = '';
let stderr = '';
const stops: Array<() => Promise<void>> = [];
/** Where the first desk's group listens and the code it showed, for the second PC's set-up. */
let started = { address: '', code: '' };

/** `serve` on a data folder, its group link on loopback (a free port); resolves with its address once it serves. */
function startServe(data: string, onStderr: (chunk: string) => void): Promise<string> {
  const child = spawn(process.execPath, [E2E_CLI, 'serve', '--data', data, '--port', '0', '--group-host', '127.0.0.1', '--group-port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, [CLOCK_ENV]: TEST_NOW },
  });
  let errors = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    errors += chunk;
    onStderr(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  stops.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start\n${errors}`)), 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^Standby Desk serving (http:\/\/\S+)$/.exec(line.trim());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].endsWith('/') ? match[1] : `${match[1]}/`);
      }
    });
  });
}

beforeAll(async () => {
  fs.mkdirSync(dataDir);
  fs.mkdirSync(packDir);
  fs.mkdirSync(backupDir);
  fhir = await FhirTestServer.start({ bearerToken: TOKEN });
  fhir.seed(bookToFhirResources(generateDemoPractice({ date: TEST_DAY, days: 1 })));
  url = await startServe(dataDir, (chunk) => (stderr += chunk));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const stop of stops) await stop();
  await fhir?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

it('sets up a new data folder on screen by keyboard, pulls from the FHIR server and shows the day', async () => {
  const context = await browser.newContext({ viewport: RECEPTION_VIEWPORT, locale: 'en-GB', timezoneId: 'America/New_York' });
  await context.clock.install({ time: TEST_NOW });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(url);
  const k = page.keyboard;

  // 1. The desk group: the cursor is on "This desk alone"; the arrow key chooses to start a group here.
  await page.getByTestId('setup-step-1').waitFor();
  await k.press('ArrowDown');
  await k.press('Tab');
  await k.type('Reception 1');
  await screenshot(page, 'setup-1-group');
  await k.press('Enter');

  // 2. The practice: the cursor is in the first box.
  await page.getByTestId('setup-step-2').waitFor();
  await screenshot(page, 'setup-2-practice');
  await k.type('Riverside Medical Practice');
  await k.press('Tab');
  await k.type('y12345');
  await k.press('Enter');

  // 3. The book: the FHIR server, tested before going on.
  await page.getByTestId('setup-step-3').waitFor();
  await k.press('Tab');
  await k.type(fhir.baseUrl);
  await k.press('Tab');
  await k.type(TOKEN);
  await k.press('Tab'); // every 5 minutes, as it is
  await k.press('Tab');
  await expectFocus(page, 'fhir-test');
  await k.press('Enter');
  const found = page.getByTestId('fhir-test-result');
  await expect.poll(() => found.getAttribute('data-state'), { timeout: 20_000 }).toBe('found');
  expect(await found.textContent()).toMatch(/^Connected\. Found Riverside Medical Practice \(Y12345\): \d+ clinicians and \d+ appointments today\.$/);
  await screenshot(page, 'setup-3-fhir-tested');
  await k.press('Shift+Tab');
  await k.press('Enter');

  // 4. The outage pack: checked (written and removed), never made.
  await page.getByTestId('setup-step-4').waitFor();
  await k.type(packDir);
  await k.press('Tab');
  await k.press('Enter');
  await expect.poll(() => page.getByTestId('check-pack-result').textContent()).toBe(`${packDir} can be written`);
  expect(fs.readdirSync(packDir)).toEqual([]);
  await screenshot(page, 'setup-4-pack-checked');
  await k.press('Shift+Tab');
  await k.press('Enter');

  // 5. Backups, 6. the accounts.
  await page.getByTestId('setup-step-5').waitFor();
  await k.type(backupDir);
  await k.press('Enter');
  await page.getByTestId('setup-step-6').waitFor();
  await k.type('pm.jones');
  await k.press('Tab');
  await k.type('Pat Jones');
  await k.press('Tab'); // a password, as it is
  await k.press('Tab');
  await k.type('correct horse battery');
  await k.press('Tab');
  await k.press('Space'); // also a receptionist
  await k.press('Tab');
  await k.type('rx.khan');
  await k.press('Tab');
  await k.type('Sam Khan');
  await k.press('Tab'); // a PIN, as a receptionist's starts
  await k.press('Tab');
  await k.type('246810');
  await screenshot(page, 'setup-6-accounts');
  await k.press('Enter');

  // The group is started: the code the second PC joins with, and where this one listens; Enter goes to the desk.
  await page.getByTestId('setup-group-outcome').waitFor({ timeout: 15_000 });
  await expect.poll(() => page.getByTestId('setup-pairing-code').textContent()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect.poll(() => page.getByTestId('setup-group-listening').textContent(), { timeout: 10_000 }).toMatch(/^The group listens on 127\.0\.0\.1:\d+/);
  await screenshot(page, 'setup-7-group-started');
  started = {
    code: (await page.getByTestId('setup-pairing-code').textContent()) ?? '',
    address: /listens on (\S+):/.exec((await page.getByTestId('setup-group-listening').textContent()) ?? '')?.[1] ?? '',
  };
  await expectFocus(page, 'setup-group-continue');
  await k.press('Enter');

  // Signed in as the manager, the desk pulls from the FHIR server and shows the day.
  await expect.poll(() => page.getByTestId('signed-in-user').textContent(), { timeout: 15_000 }).toBe('Pat Jones');
  await page.locator('[data-appointment-id]').first().waitFor({ timeout: 30_000 });
  await page.locator('.day[data-complete="true"]').waitFor({ timeout: 15_000 });
  await screenshot(page, 'setup-8-the-day');
  expect(stderr).toMatch(/keeping the mirror fresh with the new ones/);

  // The token is in no file of the data folder in the clear (the database is encrypted).
  const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) expect(fs.readFileSync(path.join(f.parentPath, f.name)).includes(TOKEN), f.name).toBe(false);

  // The manager's settings screen: what set-up saved, where each value came from, and never the token itself.
  await page.getByRole('button', { name: 'Users and audit' }).click();
  const inForce = page.getByTestId('settings-in-force');
  await expect.poll(() => inForce.locator('tr[data-field="fhir.url"]').getAttribute('data-source')).toBe('screen');
  expect(await inForce.locator('tr[data-field="fhir.token"] td').nth(1).textContent()).toBe('a token is kept');
  expect(await inForce.locator('tr[data-field="pack.dir"] td').nth(1).textContent()).toBe(packDir);
  await expect.poll(() => page.getByTestId('settings-group').textContent()).toMatch(/^This desk, Reception 1, is the coordinator of Riverside Medical Practice \(1 desk\)\./);
  expect(await page.content()).not.toContain(TOKEN);
  await page.locator('.settings-panel').screenshot({ path: path.join(SCREENS_DIR, 'setup-9-practice-settings.png') });
  expect(problems).toEqual([]);
  await context.close();
});

it("sets up a second PC by joining that group: only the address, the code and a name, then sign-in with the coordinator's account", async () => {
  expect(started.code).not.toBe('');
  const secondDir = path.join(root, 'second-pc');
  fs.mkdirSync(secondDir);
  const secondUrl = await startServe(secondDir, () => undefined);
  const context = await browser.newContext({ viewport: RECEPTION_VIEWPORT, locale: 'en-GB', timezoneId: 'America/New_York' });
  await context.clock.install({ time: TEST_NOW });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(secondUrl);
  const k = page.keyboard;
  await page.getByTestId('setup-step-1').waitFor();
  await k.press('ArrowDown');
  await k.press('ArrowDown'); // join the practice's group
  await k.press('Tab');
  await k.type(started.address);
  await k.press('Tab');
  await k.type(started.code);
  await k.press('Tab');
  await k.type('Reception 2');
  await screenshot(page, 'setup-join-1-group');
  await k.press('Enter');
  await page.getByTestId('setup-group-joined').waitFor({ timeout: 30_000 });
  expect(await page.locator('h1').textContent()).toBe('Joined the desk group: Riverside Medical Practice');
  await expectFocus(page, 'setup-joined-sign-in');
  await k.press('Enter');

  // The coordinator's manager signs in here, and the desk shows the group's day.
  await page.locator('#signin-username').waitFor();
  await k.type('pm.jones');
  await k.press('Tab');
  await k.type('correct horse battery');
  await k.press('Enter');
  await expect.poll(() => page.getByTestId('signed-in-user').textContent(), { timeout: 15_000 }).toBe('Pat Jones');
  await page.locator('[data-appointment-id]').first().waitFor({ timeout: 15_000 });
  await screenshot(page, 'setup-join-2-the-day');
  expect(problems).toEqual([]);
  await context.close();

  // serve backs up as the app does: once more as it stops, into the backup folder chosen on screen (the first desk's).
  await stops[0]?.();
  expect(listBackups(backupDir)).toHaveLength(1);
  expect(fs.existsSync(path.join(dataDir, 'backups'))).toBe(false);
});
