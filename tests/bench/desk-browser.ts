/**
 * The reception desk in browser mode, in Debian's Chromium against a real `serve` of a 600-appointment day:
 *
 * - desk-browser-interactive-600: from navigation to the first appointment row's button in the page (React
 *   attaches its handlers in the same commit, so it is clickable from then on), median of fresh contexts (no
 *   cache). Baseline: the same browser loading a static HTML table of the same 600 rows, one button each, from
 *   a plain Node HTTP server, timed the same way.
 * - desk-browser-live-update: a status change made at one desk (a click on "Arrived") until the second desk's
 *   row shows it, median of 100. Baseline: the transport alone between the same two pages: a fetch() of the
 *   same operation on one, a bare EventSource on the other, no React and no store.
 *
 * Times are taken inside the pages (performance.timeOrigin + now: one clock on one machine), so Playwright's
 * own polling is not in them. Not a test: nothing here asserts a time.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import buildRenderer from '../e2e/global-setup';
import { addTestAccounts, launchBrowser, newDeskContext, REPO_ROOT, type RunningDesk } from '../e2e/support';
import { openDesk } from '../../electron/desk/open';
import { startServer } from '../../electron/server/server';
import { bulkBook, FIXTURE_DATE, tempDir } from '../support/fixtures';
import { median } from './median';

type Report = (m: { name: string; n: number; ms: number; baseline_ms: number }) => void;

const DAY_SIZE = 600;
const LOAD_RUNS = 7;
const LIVE_RUNS = 100;

/** Runs in every page before its own scripts (through the DevTools protocol, so the CSP does not apply). */
const FIRST_ROW_PROBE = `
  (() => {
    const done = () => document.querySelector('[data-appointment-id] button') !== null;
    const record = () => { if (window.__firstRowAt === undefined && done()) window.__firstRowAt = performance.now(); };
    new MutationObserver(record).observe(document, { childList: true, subtree: true });
  })();
`;

type SignInTo = Pick<RunningDesk, 'url' | 'accounts'>;

/** ms from navigation start until the first row's button exists, in a fresh context (signed in, if a desk). */
async function timeFirstRow(browser: Browser, url: string, signInTo?: SignInTo): Promise<number> {
  const context = await newDeskContext(browser, signInTo ? { desk: signInTo, as: 'receptionist', clock: 'real' } : { as: 'nobody', clock: 'real' });
  try {
    await context.addInitScript(FIRST_ROW_PROBE);
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as { __firstRowAt?: number }).__firstRowAt !== undefined, undefined, { timeout: 30_000 });
    return Number(await page.evaluate('window.__firstRowAt'));
  } finally {
    await context.close();
  }
}

function staticTable(rows: number): string {
  const body = Array.from(
    { length: rows },
    (_v, i) =>
      `<tr data-appointment-id="appt-${i}"><th>${String(8 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}</th>` +
      `<td>BENCH${i}, Pat</td><td>46y 01/01/1980</td><td>999 000 00${String(i % 100).padStart(2, '0')}</td><td>Face to face</td><td>Booked</td>` +
      `<td><button type="button">Arrived</button></td></tr>`,
  ).join('');
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Baseline</title></head><body><table><tbody>${body}</tbody></table></body></html>`;
}

async function withStaticServer<T>(html: string, run: (url: string) => Promise<T>): Promise<T> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function openDeskPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-appointment-id] button').first().waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 10_000 });
  return page;
}

// The in-page halves are mostly strings run through the DevTools protocol (not eval, so the CSP allows them):
// this file is type-checked without the DOM library. Ids go in through JSON.stringify.

/** Polled in the page (a function, not a string: the desk's CSP forbids eval). */
const seen = (key: string) => (globalThis as unknown as { __seen?: Record<string, number> }).__seen?.[key] !== undefined;

/** One change at desk one, seen at desk two: ms between the click and the second desk's row changing. */
async function timeLiveUpdate(one: Page, two: Page, appointmentId: string): Promise<number> {
  const id = JSON.stringify(appointmentId);
  await two.evaluate(`(() => {
    window.__seen ??= {};
    const row = document.querySelector('tr[data-appointment-id=' + JSON.stringify(${id}) + ']');
    if (!row) throw new Error('no row ' + ${id});
    const observer = new MutationObserver(() => {
      if (row.getAttribute('data-status') === 'arrived') {
        window.__seen[${id}] = performance.timeOrigin + performance.now();
        observer.disconnect();
      }
    });
    observer.observe(row, { attributes: true, attributeFilter: ['data-status'] });
  })()`);
  const clickedAt = Number(
    await one.evaluate(`(() => {
      const button = document.querySelector('tr[data-appointment-id=' + JSON.stringify(${id}) + '] [data-testid="action-arrived"]');
      if (!button) throw new Error('no Arrived button on ' + ${id});
      const at = performance.timeOrigin + performance.now();
      button.click();
      return at;
    })()`),
  );
  await two.waitForFunction(seen, appointmentId, { timeout: 10_000 });
  const seenAt = Number(await two.evaluate(`window.__seen[${id}]`));
  // Let desk one's own answer land before the next click, as a receptionist's next action would.
  await one.locator(`tr[data-appointment-id=${id}][data-status="arrived"]`).waitFor({ timeout: 10_000 });
  return seenAt - clickedAt;
}

/** The floor: fetch() of the same operation from page one, a bare EventSource on page two. */
async function timeRawRoundTrip(one: Page, two: Page, appointmentId: string): Promise<number> {
  const id = JSON.stringify(appointmentId);
  const key = JSON.stringify(`raw:${appointmentId}`);
  await two.evaluate(`(async () => {
    window.__seen ??= {};
    if (!window.__raw) {
      window.__raw = new EventSource('/api/events');
      window.__raw.addEventListener('desk', (message) => {
        const event = JSON.parse(message.data);
        const k = 'raw:' + (event.appointment ? event.appointment.id : '');
        if (window.__seen[k] === undefined) window.__seen[k] = performance.timeOrigin + performance.now();
      });
      // Listening before the first change is sent, or its event would be missed.
      await new Promise((resolve) => window.__raw.addEventListener('open', resolve, { once: true }));
    }
    delete window.__seen[${key}];
  })()`);
  const sentAt = Number(
    await one.evaluate(`(async () => {
      const at = performance.timeOrigin + performance.now();
      const response = await fetch('/api/op/setAppointmentStatus', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Standby-Desk': 'bench-raw' },
        body: JSON.stringify({ appointmentId: ${id}, status: 'arrived' }),
      });
      if (!response.ok) throw new Error('raw op failed: ' + response.status);
      return at;
    })()`),
  );
  await two.waitForFunction(seen, `raw:${appointmentId}`, { timeout: 10_000 });
  const seenAt = Number(await two.evaluate(`window.__seen[${key}]`));
  return seenAt - sentAt;
}

export async function benchDeskBrowser(report: Report): Promise<void> {
  await buildRenderer();
  const dataDir = tempDir('bench-desk-browser-');
  const desk = openDesk({ dataDir, user: 'bench', desk: 'bench' });
  desk.service.loadBook(bulkBook(DAY_SIZE), 'bench', desk.context);
  // An outage day: while online the practice's rule would first ask before the change being timed.
  desk.service.upstream.setMode('outage', desk.context, 'bench: the clinical system is down');
  const accounts = addTestAccounts(desk);
  const server = await startServer({ desk, staticDir: path.join(REPO_ROOT, 'dist', 'renderer'), port: 0, user: 'bench' });
  const signInTo: SignInTo = { url: server.url, accounts };
  const browser = await launchBrowser();
  try {
    const deskUrl = new URL(`?date=${FIXTURE_DATE}`, server.url.endsWith('/') ? server.url : `${server.url}/`).toString();

    // Warm the disk cache and the browser binary once, for both sides alike.
    await timeFirstRow(browser, deskUrl, signInTo);
    const desk600: number[] = [];
    for (let i = 0; i < LOAD_RUNS; i++) desk600.push(await timeFirstRow(browser, deskUrl, signInTo));
    const table600 = await withStaticServer(staticTable(DAY_SIZE), async (url) => {
      await timeFirstRow(browser, url);
      const runs: number[] = [];
      for (let i = 0; i < LOAD_RUNS; i++) runs.push(await timeFirstRow(browser, url));
      return runs;
    });
    report({ name: `desk-browser-interactive-${DAY_SIZE}`, n: LOAD_RUNS, ms: median(desk600), baseline_ms: median(table600) });

    const contextOne = await newDeskContext(browser, { desk: signInTo, as: 'receptionist', clock: 'real' });
    const contextTwo = await newDeskContext(browser, { desk: signInTo, as: 'receptionist', clock: 'real' });
    try {
      const one = await openDeskPage(contextOne, deskUrl);
      const two = await openDeskPage(contextTwo, deskUrl);
      const ids = Array.from({ length: DAY_SIZE }, (_v, i) => `appt-${i}`);
      const live: number[] = [];
      for (const id of ids.slice(0, LIVE_RUNS)) live.push(await timeLiveUpdate(one, two, id));
      const raw: number[] = [];
      for (const id of ids.slice(LIVE_RUNS, 2 * LIVE_RUNS)) raw.push(await timeRawRoundTrip(one, two, id));
      report({ name: 'desk-browser-live-update', n: LIVE_RUNS, ms: median(live), baseline_ms: median(raw) });
    } finally {
      await contextOne.close();
      await contextTwo.close();
    }
  } finally {
    await browser.close();
    await server.close();
    desk.close();
  }
}
