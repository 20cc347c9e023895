/**
 * What every e2e test needs: a real `standby-desk serve` on a fresh data folder, Debian's Chromium through
 * playwright-core, the contract over HTTP for checking what the screen shows, and screenshots kept as
 * artefacts (test-artifacts/ is git-ignored: never committed).
 */
import { TEST_CHROMIUM } from '../support/chromium';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { contract, DeskErrorShape, type DeskErrorShape as DeskErrorShapeType, type OperationInput, type OperationName, type OperationOutput } from '../../shared/api';
import { CLOCK_ENV } from '../../electron/desk/clock';
import { E2E_CLI } from './cli-bundle';
import { TEST_DAY, TEST_NOW } from '../support/clock';
import { LAYOUT_CHOICE_KEY } from '../../renderer/src/state/layout-choice';

export { addTestAccounts } from '../support/fixtures';
export { TEST_DAY, TEST_NOW } from '../support/clock';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');
export const SCREENS_DIR = path.join(ARTIFACTS_DIR, 'screens');
export const CHROMIUM_PATH = TEST_CHROMIUM;

const SERVING_LINE = /^Standby Desk serving (http:\/\/\S+)$/;
const DEMO_ACCOUNT_LINE = /^Demo account \(demo data only\): (\S+) PIN (\d+) \((manager|receptionist)\)$/;
const SERVER_START_TIMEOUT_MS = 60_000;
const SERVER_STOP_TIMEOUT_MS = 10_000;

export interface RunningDesk {
  /** Base URL with a trailing slash, as the server printed it. */
  url: string;
  /** The demo accounts `serve --demo` created and printed (random PINs). */
  accounts: { manager: DemoCredentials; receptionist: DemoCredentials };
  dataDir: string;
  /** The instant the server's clock started at (and every page's clock opened on it). */
  now: string;
  /** Everything the server wrote to stderr so far, for failure messages. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface DemoCredentials {
  username: string;
  secret: string;
}

/**
 * Sign-in for every e2e test in one place: startServer remembers the demo accounts per URL, callOp/op send a
 * manager's session cookie (a manager may call every operation), and newDeskContext starts each browser
 * context signed in (as the manager unless asked otherwise), so tests written before sign-in keep working.
 */
const accountsByUrl = new Map<string, RunningDesk['accounts']>();
const cookieByUrlAndRole = new Map<string, string>();
let lastStarted: RunningDesk | null = null;

/** Signs in over HTTP and returns the session cookie's value. */
export async function signInCookie(baseUrl: string, credentials: DemoCredentials): Promise<string> {
  const response = await fetch(new URL('api/op/signIn', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Standby-Desk': 'e2e-test' },
    body: JSON.stringify({ username: credentials.username, secret: credentials.secret }),
  });
  const cookie = /sd_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  if (response.status !== 200 || cookie === undefined) throw new Error(`sign-in as ${credentials.username} failed: HTTP ${response.status} ${await response.text()}`);
  return cookie;
}

async function cookieFor(baseUrl: string, role: 'manager' | 'receptionist'): Promise<string | null> {
  const key = `${baseUrl} ${role}`;
  const cached = cookieByUrlAndRole.get(key);
  if (cached !== undefined) return cached;
  const accounts = accountsByUrl.get(new URL('/', baseUrl).href);
  if (!accounts) return null;
  const cookie = await signInCookie(baseUrl, accounts[role]);
  cookieByUrlAndRole.set(key, cookie);
  return cookie;
}

/** `serve --demo` for `date`, its clock started at `now` (TEST_NOW unless a test pins another instant). */
/** `serveArgs`: more of serve's options, after the demo's (e.g. `--fhir URL`). */
/**
 * The demo desk, switched to outage mode by its manager unless `online`: the desk's day is an outage day, and while
 * online the practice's rule first asks before a change (shared/api/desk-settings.ts), which the tests of that rule
 * and of the switch itself meet on purpose. Likewise without the practice's Late rule unless `lateRule`: checking in
 * a morning patient at the pinned 10:30 would otherwise ask whether they are Late, which the Late tests meet.
 */
export async function startServer({
  date,
  now = TEST_NOW,
  serveArgs = [],
  online = false,
  lateRule = false,
}: {
  date: string;
  now?: string;
  serveArgs?: readonly string[];
  online?: boolean;
  lateRule?: boolean;
}): Promise<RunningDesk> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'standby-desk-e2e-'));
  const child = spawn(process.execPath, [E2E_CLI, 'serve', '--data', dataDir, '--demo', '--date', date, '--port', '0', ...serveArgs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, [CLOCK_ENV]: now },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const demo: Partial<Record<'manager' | 'receptionist', DemoCredentials>> = {};
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not print its URL within ${SERVER_START_TIMEOUT_MS} ms\n${stderr}`));
    }, SERVER_START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const account = DEMO_ACCOUNT_LINE.exec(line.trim());
      if (account?.[1] && account[2] && (account[3] === 'manager' || account[3] === 'receptionist')) {
        demo[account[3]] = { username: account[1], secret: account[2] };
      }
      const match = SERVING_LINE.exec(line.trim());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].endsWith('/') ? match[1] : `${match[1]}/`);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (code ${String(code)}) before it was listening\n${stderr}`));
    });
  });

  if (!demo.manager || !demo.receptionist) throw new Error(`serve --demo printed no demo accounts\n${stderr}`);
  const accounts = { manager: demo.manager, receptionist: demo.receptionist };
  accountsByUrl.set(new URL('/', url).href, accounts);
  const running: RunningDesk = {
    url,
    accounts,
    dataDir,
    now,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  lastStarted = running;
  if (!online) await op(url, 'setMode', { mode: 'outage', reason: 'e2e: the clinical system is down' });
  if (!lateRule) await op(url, 'setDaySettings', { lateAfterMinutes: null });
  return running;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const RECEPTION_VIEWPORT = { width: 1366, height: 768 } as const;

/**
 * A desk is a browser context of its own (its own sessionStorage, so its own desk id). The clock's zone is
 * deliberately not London: the screen must show London time whatever the PC is set to. Its clock starts where
 * the server's did (TEST_NOW by default) and runs on: the page never reads the real clock either.
 */
export async function newDeskContext(
  browser: Browser,
  options: {
    desk?: Pick<RunningDesk, 'url' | 'accounts'> & { now?: string };
    as?: 'manager' | 'receptionist' | 'nobody';
    now?: string;
    /** 'real' for the benches alone: they time the page with its own clock, which a pinned clock would stop. */
    clock?: 'pinned' | 'real';
    /**
     * 'columns' (the default): the day side by side, as if a person had chosen it (the tests written for that
     * layout); 'fit': what the window's width calls for (one at a time when the columns do not fit), as a desk
     * opens for the first time.
     */
    layout?: 'columns' | 'fit';
  } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: RECEPTION_VIEWPORT, locale: 'en-GB', timezoneId: 'America/New_York' });
  if (options.layout !== 'fit') await context.addInitScript(`sessionStorage.setItem(${JSON.stringify(LAYOUT_CHOICE_KEY)}, 'columns')`);
  const desk = options.desk ?? lastStarted;
  if (options.clock !== 'real') await context.clock.install({ time: options.now ?? desk?.now ?? TEST_NOW });
  const as = options.as ?? 'manager';
  if (desk && as !== 'nobody') {
    // A session of its own per context (not the cached one): signing out in one desk must not sign out another.
    const value = await signInCookie(desk.url, desk.accounts[as]);
    await context.addCookies([{ name: 'sd_session', value, url: desk.url, httpOnly: true, sameSite: 'Strict' }]);
  }
  return context;
}

/** Console errors and uncaught page errors, gathered so a test can insist there were none. */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export type HttpResult<N extends OperationName> = { status: number; ok: true; value: OperationOutput<N> } | { status: number; ok: false; error: DeskErrorShapeType };

/** Calls an operation the way the browser does (signed in as the demo manager, or `as` another), and checks the answer against the contract. */
export async function callOp<N extends OperationName>(
  baseUrl: string,
  name: N,
  input: OperationInput<N>,
  deskId = 'e2e-test',
  as: 'manager' | 'receptionist' = 'manager',
): Promise<HttpResult<N>> {
  const cookie = await cookieFor(baseUrl, as);
  const response = await fetch(new URL(`api/op/${name}`, baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Standby-Desk': deskId, ...(cookie === null ? {} : { Cookie: `sd_session=${cookie}` }) },
    body: JSON.stringify(input),
  });
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || !('ok' in body)) throw new Error(`${name}: not a Result: ${JSON.stringify(body)}`);
  if (body.ok === true && 'value' in body) {
    if (response.status !== 200) throw new Error(`${name}: ok:true with HTTP ${response.status}`);
    return { status: response.status, ok: true, value: contract[name].output.parse(body.value) as OperationOutput<N> };
  }
  if (body.ok === false && 'error' in body) {
    return { status: response.status, ok: false, error: DeskErrorShape.parse(body.error) };
  }
  throw new Error(`${name}: not a Result: ${JSON.stringify(body)}`);
}

/** The value of an operation that must succeed. */
export async function op<N extends OperationName>(baseUrl: string, name: N, input: OperationInput<N>, as: 'manager' | 'receptionist' = 'manager'): Promise<OperationOutput<N>> {
  const result = await callOp(baseUrl, name, input, 'e2e-test', as);
  if (!result.ok) throw new Error(`${name} failed: HTTP ${result.status} ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A CSS selector for an appointment's row (ids are quoted, so any id is safe). */
export function rowSelector(appointmentId: string, status?: string): string {
  const id = `[data-appointment-id=${JSON.stringify(appointmentId)}]`;
  return `tr${id}${status === undefined ? '' : `[data-status=${JSON.stringify(status)}]`}`;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/**
 * A receptionist's desk window in a context of its own (its own desk id), opened at `path` on the server.
 * Every e2e page is opened here or in openDisplay: sign-in, when it comes, goes in one place.
 */
export async function openDesk(browser: Browser, baseUrl: string, path = ''): Promise<OpenedPage> {
  const context = await newDeskContext(browser);
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(new URL(path, baseUrl).toString());
  await page.locator('[data-appointment-id]').first().waitFor({ timeout: 15_000 });
  // The day is drawn in two passes (the rows on screen first): wait for the second.
  await page.locator('.day[data-complete="true"]').waitFor({ timeout: 15_000 });
  return { context, page, problems };
}

/** The waiting-room display, as the shell opens it (`?view=waiting-room`). */
export async function openDisplay(browser: Browser, baseUrl: string, query = '?view=waiting-room'): Promise<OpenedPage> {
  const context = await newDeskContext(browser);
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(new URL(query, baseUrl).toString());
  await page.locator('[data-testid="display"]').waitFor({ timeout: 15_000 });
  return { context, page, problems };
}

/** What has focus: an appointment's id for a row or queue item, else its data-testid, else its tag. */
export async function focused(page: Page): Promise<string> {
  // A string, not a function: this file is also compiled without the DOM's types (the benches import it).
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    return el.getAttribute('data-appointment-id') ?? el.getAttribute('data-testid') ?? el.tagName.toLowerCase();
  })()`);
}

/**
 * `/`, the query, arrows down to one choice: a patient's appointment on the day, or the patient when not booked
 * (`appointmentId` null); selected, ready for Enter. Returns the choices offered, as "patientId/appointmentId".
 */
export async function chooseInSearch(page: Page, query: string, patientId: string, appointmentId: string | null): Promise<string[]> {
  await page.keyboard.press('/');
  await expectFocus(page, 'search-input');
  await page.keyboard.type(query);
  await page.locator(`[data-testid="search-results"][data-query=${JSON.stringify(query)}]`).waitFor({ timeout: 5000 });
  // Through the locator API, not evaluateAll: this file is also compiled without the DOM's types (the benches import it).
  const hits = await page.locator('[data-testid="search-hit"]').all();
  const options = await Promise.all(hits.map(async (h) => `${(await h.getAttribute('data-patient-id')) ?? ''}/${(await h.getAttribute('data-appointment-ref')) ?? ''}`));
  const index = options.indexOf(`${patientId}/${appointmentId ?? ''}`);
  expect(index, `${query} finds ${appointmentId ?? patientId}`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await expect.poll(() => page.locator('[data-testid="search-hit"]').nth(index).getAttribute('aria-selected')).toBe('true');
  return options;
}

/** In the walk-in dialog as it opens (on its first triage choice): same day, the clinician offered, `reason`, Enter. */
export async function fillWalkIn(page: Page, reason: string): Promise<void> {
  // Arrow keys move through a radio group: down once to "same day".
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, 'triage-same_day');
  await page.keyboard.press('Tab');
  await expectFocus(page, 'walk-in-assign');
  await page.keyboard.press('Tab');
  await expectFocus(page, 'walk-in-reason');
  await page.keyboard.type(reason);
  await page.keyboard.press('Enter');
}

/** Waits for the keyboard to be on `what` (an appointment id or a data-testid), as a receptionist would see. */
export async function expectFocus(page: Page, what: string): Promise<void> {
  await expect.poll(() => focused(page), { timeout: 5000 }).toBe(what);
}

export interface DemoDeskAndBrowser {
  /** The file's `serve --demo`: read it in tests and hooks (it starts in the file's first beforeAll). */
  readonly desk: RunningDesk;
  readonly browser: Browser;
  /** A desk window (openDesk) that closes with the others. */
  openDesk(path?: string): Promise<OpenedPage>;
  /** The waiting-room display (openDisplay) that closes with the others. */
  openDisplay(query?: string): Promise<OpenedPage>;
  /** A browser context (newDeskContext, on this desk) that closes with the others. */
  newContext(options?: Omit<NonNullable<Parameters<typeof newDeskContext>[1]>, 'desk'>): Promise<BrowserContext>;
}

/**
 * What most e2e files share: one `serve --demo` for `date` and one Chromium for the whole file, started together
 * before its tests; the pages opened through it closed after each test (closeAfterEach) or after the last, then
 * the browser, then the server. Call it at the top of the file, before the file's own hooks.
 */
export function useDemoDeskAndBrowser(options: { date?: string; closeAfterEach?: boolean; serveArgs?: readonly string[]; online?: boolean } = {}): DemoDeskAndBrowser {
  let desk: RunningDesk | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const closeContexts = async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  };
  beforeAll(async () => {
    [desk, browser] = await Promise.all([
      startServer({ date: options.date ?? TEST_DAY, ...(options.serveArgs ? { serveArgs: options.serveArgs } : {}), ...(options.online ? { online: true } : {}) }),
      launchBrowser(),
    ]);
  });
  if (options.closeAfterEach) afterEach(closeContexts);
  afterAll(async () => {
    await closeContexts();
    await browser?.close();
    await desk?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the demo desk and browser start in beforeAll: use them in a test or a later hook');
    return value;
  };
  const kept = (opened: OpenedPage): OpenedPage => {
    contexts.push(opened.context);
    return opened;
  };
  return {
    get desk() {
      return started(desk);
    },
    get browser() {
      return started(browser);
    },
    openDesk: async (path) => kept(await openDesk(started(browser), started(desk).url, path)),
    openDisplay: async (query) => kept(await openDisplay(started(browser), started(desk).url, query)),
    async newContext(contextOptions = {}) {
      const context = await newDeskContext(started(browser), { ...contextOptions, desk: started(desk) });
      contexts.push(context);
      return context;
    },
  };
}
