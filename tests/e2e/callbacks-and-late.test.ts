/**
 * A receptionist's afternoon by keyboard alone (issue 18 items 4 and 5), the clock pinned to 15:30 on a Monday:
 * the Day view opens at the time with a now line, an overdue patient says so in words, checking them in asks the
 * practice's Late question and marks them Late; on the callback list two calls are recorded (one closes its
 * patient), and the printed callback list (the PDF, through pdftotext) lists the same people with those calls.
 * Axe finds nothing serious or critical on any of these screens; screenshots at 1366x768 in test-artifacts/screens.
 */
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetInputOf } from '../../electron/desk/print';
import { localToIso } from '../../shared/domain';
import { callbackListSheet } from '../../shared/sheets';
import { chooseInSearch, collectPageProblems, expectFocus, focused, launchBrowser, newDeskContext, op, rowSelector, startServer, TEST_DAY, type RunningDesk } from './support';
import { check } from './axe';

/** 15:30 in London on the suite's Monday: the afternoon surgery under way. */
const AFTERNOON = localToIso(TEST_DAY, '15:30');

let desk: RunningDesk;
let browser: Browser;
beforeAll(async () => {
  [desk, browser] = await Promise.all([startServer({ date: TEST_DAY, now: AFTERNOON, lateRule: true }), launchBrowser()]);
});
afterAll(async () => {
  await browser.close();
  await desk.stop();
});

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });

/** Tab until a callback row has the keyboard (the view's one tab stop among its rows). */
async function toFirstCallbackRow(page: Page): Promise<string> {
  for (let i = 0; i < 30; i++) {
    const now = await focused(page);
    if (now.startsWith('callback-')) return now.slice('callback-'.length);
    await page.keyboard.press('Tab');
  }
  throw new Error('no callback row took the keyboard');
}

describe('now, overdue and late; callbacks worked (15:30)', () => {
  it('marks a late arrival Late after asking, shows the now line, and records calls the printed list shows too', async () => {
    const day = await op(desk.url, 'getDay', { date: TEST_DAY });
    const nowMs = Date.parse(AFTERNOON);
    // Someone booked face to face, due over 10 minutes ago (the default rule), not here yet.
    const overdue = day.appointments.find(
      (a) =>
        a.status === 'booked' &&
        a.type === 'face_to_face' &&
        a.desk?.origin !== 'walk_in' &&
        nowMs - Date.parse(a.start) > 11 * 60_000 &&
        nowMs - Date.parse(a.start) < 120 * 60_000,
    );
    if (!overdue) throw new Error('no overdue booked patient on the demo day at 15:30');
    const minutes = Math.floor((nowMs - Date.parse(overdue.start)) / 60_000);

    const context = await newDeskContext(browser, { desk: { ...desk, now: AFTERNOON } });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await page.goto(desk.url);
    await page.locator('.day[data-complete="true"]').waitFor({ timeout: 15_000 });

    // The day opens at the time: a now line in view, the overdue patient saying so in words.
    const nowLine = page.locator('[data-testid="now-line"]').first();
    await expect.poll(() => nowLine.isVisible()).toBe(true);
    expect(await nowLine.textContent()).toBe('Now 15:30');
    await expect
      .poll(() =>
        nowLine.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    const row = page.locator(rowSelector(overdue.id, 'booked'));
    expect(await row.getAttribute('data-due')).toBe('overdue');
    expect(await row.locator('[data-testid="due-tag"]').textContent()).toBe(`Overdue ${minutes} min`);
    // The header, the filter bar and the overdue patient's list with its now line (the whole board takes minutes).
    const section = await row.evaluate((el) => el.closest('section')?.id ?? '');
    await check(page, 'issue18-day-now-line-1366', { include: ['.app-header', '.filter-bar', `#${section}`], minPasses: 5 });

    // Found by name, checked in with A: the Late question, Enter marks them Late.
    await chooseInSearch(page, overdue.patient.familyName, overdue.patientId, overdue.id);
    await page.keyboard.press('Enter');
    await expectFocus(page, overdue.id);
    await page.keyboard.press('a');
    const prompt = page.locator('[data-testid="late-prompt"]');
    await prompt.waitFor();
    // The page's clock runs on from 15:30, so a minute or two may have passed since the row was read.
    const asked = Number(/Arrived (\d+) minutes after their time/.exec((await prompt.textContent()) ?? '')?.[1]);
    expect(asked).toBeGreaterThanOrEqual(minutes);
    expect(asked).toBeLessThan(minutes + 5);
    expect(await prompt.textContent()).toContain('mark as Late?');
    await expectFocus(page, 'mark-late');
    await check(page, 'issue18-late-prompt-1366', { include: ['dialog[open]'], minPasses: 5 });
    await page.keyboard.press('Enter');
    await page.locator(rowSelector(overdue.id, 'late')).waitFor();
    expect((await op(desk.url, 'getDay', { date: TEST_DAY })).appointments.find((a) => a.id === overdue.id)?.status).toBe('late');

    // The callback list: a call with no answer on the first patient, "no callback needed" on the second.
    await page.keyboard.press('3');
    await page.locator('[data-testid="callback-list"]').waitFor();
    const first = await toFirstCallbackRow(page);
    await page.keyboard.press('c');
    await page.locator('[data-testid="callback-attempt-dialog"]').waitFor();
    await expectFocus(page, 'outcome-called');
    await page.keyboard.press('ArrowDown');
    await expectFocus(page, 'outcome-no_answer');
    await check(page, 'issue18-callback-attempt-dialog-1366', { include: ['dialog[open]'], minPasses: 5 });
    await page.keyboard.press('Tab');
    await expectFocus(page, 'callback-note');
    await page.keyboard.type('Tried the mobile');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`[data-testid="callback-${first}"] [data-testid="callback-attempts"]`).textContent()).toContain('No answer');
    await expectFocus(page, `callback-${first}`);

    await page.keyboard.press('ArrowDown');
    const second = (await focused(page)).slice('callback-'.length);
    expect(second).not.toBe(first);
    await page.keyboard.press('c');
    await page.locator('[data-testid="callback-attempt-dialog"]').waitFor();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await expectFocus(page, 'outcome-no_callback_needed');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`[data-testid="callback-${second}"]`).getAttribute('data-done')).toBe('true');
    await check(page, 'issue18-callbacks-worked-1366', { minPasses: 5 });

    // The screen and the sheet list the same people, in the same order, the closed one under Done.
    const onScreen = await page.locator('[data-callback-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-callback-id')));
    const sheet = callbackListSheet(sheetInputOf(await op(desk.url, 'getDay', { date: TEST_DAY }), new Date(AFTERNOON)));
    const rows = sheet.sections.flatMap((s) => s.rows);
    expect(onScreen).toEqual(rows.map((r) => r.appointmentId));
    expect(sheet.sections.at(-1)?.rows.map((r) => r.appointmentId)).toEqual([second]);

    // The PDF the print menu serves says so too: every person on screen, and the calls with who made them.
    const response = await page.request.get(new URL(`sheets/callback-list.pdf?date=${TEST_DAY}`, desk.url).toString());
    expect(response.status()).toBe(200);
    const text = pdfText(await response.body()).replace(/\s+/g, ' ');
    for (const r of rows) expect(text.toLowerCase(), r.patient.name).toContain(r.patient.familyName.toLowerCase());
    // A narrow column may break the username after its hyphen.
    const user = desk.accounts.manager.username.replace(/-/g, '-\\s?');
    expect(text).toMatch(new RegExp(`15:3\\d No answer \\(${user}\\): Tried the mobile`));
    expect(text).toMatch(new RegExp(`15:3\\d No callback needed \\(${user}\\)`));
    expect(text).toContain('Done: rebooked or no callback needed');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
