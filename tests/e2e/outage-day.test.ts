/**
 * Issue 18's two whole-day scenarios: a receptionist's outage by keyboard alone, in Chromium, with the clock pinned
 * to 08:30 (the first patients due, the morning starting) and to 15:30 (the afternoon under way, the morning
 * behind). Each: outage on (M), a phone booking, a note, a phone number, a late arrival marked Late after the
 * practice's question, a session's no-shows marked DNA and undone as one, callback attempts, the rest of the day
 * printed (the PDF read back through pdftotext), and outage off. Every screen is kept at 1366x768 and 1920x1080
 * (test-artifacts/screens, CI artefacts) and axe finds nothing serious or critical on it at 1366x768.
 */
import { execFileSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { localTimeOf, localToIso } from '../../shared/domain';
import { isLeftAt } from '../../shared/sheets';
import {
  chooseInSearch,
  collectPageProblems,
  expectFocus,
  focused,
  launchBrowser,
  newDeskContext,
  op,
  RECEPTION_VIEWPORT,
  rowSelector,
  screenshot,
  startServer,
  TEST_DAY,
  type RunningDesk,
} from './support';
import { check, switchMode } from './axe';

const WIDE = { width: 1920, height: 1080 } as const;
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });

/**
 * The screen as it is, kept at the reception PC's size and the wide one, and checked by axe at the reception PC's:
 * the same elements at 1920x1080, wider, with more room (tests/e2e/layout.test.ts measures the day at both sizes).
 * A dialog is scanned alone (what changed); the day behind it was scanned on its own screen. `include` narrows a
 * scan of the whole board (hundreds of rows, minutes for nothing new) to its parts.
 */
async function keep(page: Page, name: string, include: readonly string[]): Promise<void> {
  await check(page, `${name}-${RECEPTION_VIEWPORT.width}`, { include, minPasses: 3 });
  await page.setViewportSize(WIDE);
  await screenshot(page, `${name}-${WIDE.width}`);
  await page.setViewportSize(RECEPTION_VIEWPORT);
}

/** The parts of the day screen a scan covers: the header, the filter bar, the message, one clinician's list. */
async function dayParts(page: Page, appointmentId: string): Promise<string[]> {
  const section = await page.locator(rowSelector(appointmentId)).evaluate((el) => el.closest('section')?.id ?? '');
  return ['.app-header', '.filter-bar', '#message', ...(section ? [`#${section}`] : [])];
}

/** Tab until a callback row has the keyboard (the view's one tab stop among its rows). */
async function toFirstCallbackRow(page: Page): Promise<string> {
  for (let i = 0; i < 30; i++) {
    const now = await focused(page);
    if (now.startsWith('callback-')) return now.slice('callback-'.length);
    await page.keyboard.press('Tab');
  }
  throw new Error('no callback row took the keyboard');
}

const dayOf = async (desk: RunningDesk) => (await op(desk.url, 'getDay', { date: TEST_DAY })).appointments;
const statusOf = async (desk: RunningDesk, id: string) => (await dayOf(desk)).find((a) => a.id === id)?.status;

/** Booked, face to face, not a walk-in, not yet here: someone who could walk in late or not come at all. */
const awaited = (a: AppointmentRow) => a.status === 'booked' && a.type === 'face_to_face' && a.desk?.origin !== 'walk_in';

describe.each([['08:30'], ['15:30']])("a receptionist's outage day by keyboard at %s", (time) => {
  const now = localToIso(TEST_DAY, time);
  const nowMs = Date.parse(now);
  const tag = `outage-day-${time.replace(':', '')}`;
  let desk: RunningDesk;
  let browser: Browser;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    // Online, with the practice's Late rule: the day starts as it would, and the desk is switched on screen.
    [desk, browser] = await Promise.all([startServer({ date: TEST_DAY, now, online: true, lateRule: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await context?.close();
    await browser.close();
    await desk.stop();
  });

  it('outage on, a booking, a note, a phone, a late arrival, no-shows undone, callbacks, the rest of the day, outage off', { timeout: 420_000 }, async () => {
    const day = await dayOf(desk);
    // Someone due over 10 minutes ago (the practice's default Late rule) and not here: they turn up late.
    const lateOne = day.find((a) => awaited(a) && nowMs - Date.parse(a.start) > 11 * 60_000 && nowMs - Date.parse(a.start) < 120 * 60_000);
    if (!lateOne) throw new Error(`no overdue booked patient on the demo day at ${time}`);
    // A session under way with no-shows due other than the late one: its no-shows are marked DNA in one go.
    const noShows = (sessionId: string) => day.filter((a) => a.sessionId === sessionId && a.id !== lateOne.id && awaited(a) && Date.parse(a.start) <= nowMs);
    const sessions = [...new Set(day.map((a) => a.sessionId))].filter((s): s is string => s !== null);
    const dnaSession = sessions.map((s) => ({ s, due: noShows(s) })).find(({ due }) => due.length >= 2);
    if (!dnaSession) throw new Error(`no session with two due no-shows on the demo day at ${time}`);
    // A caller: booked later today (so the search finds them), with a phone number and a surname few share.
    const caller = day.find(
      (a) => a.start > now && a.patient.phone !== null && a.patient.familyName.length >= 5 && day.filter((o) => o.patient.familyName === a.patient.familyName).length === 1,
    );
    if (!caller) throw new Error('the demo day has no suitable caller');

    context = await newDeskContext(browser, { desk: { ...desk, now } });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    // A step that does not come fails in seconds, not at the test's own limit.
    page.setDefaultTimeout(10_000);
    await page.goto(desk.url);
    await page.locator('.day[data-complete="true"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="connection"][data-connection="live"]').waitFor();
    expect(await page.locator('[data-testid="outage-band"]').count()).toBe(0);
    // The day opens at the time, with its now line.
    await expect.poll(() => page.locator('[data-testid="now-line"]').first().textContent()).toBe(`Now ${time}`);

    // ---- Outage on: M, a reason, a confirmation; the whole screen says so --------------------------------
    await switchMode(page, `EMIS down since ${time}`, () => keep(page, `${tag}-1-outage-confirm`, ['dialog[open]']));
    const band = page.locator('[data-testid="outage-band"]');
    await band.waitFor();
    const { mirror } = await op(desk.url, 'getMirrorStatus', {});
    if (!mirror.outageSince || !mirror.asOf) throw new Error('outage mode without its time or the copy’s');
    expect(await band.locator('.outage-band__text').textContent()).toBe(`OUTAGE since ${localTimeOf(mirror.outageSince)}, working from the copy as of ${localTimeOf(mirror.asOf)}`);
    await keep(page, `${tag}-2-outage-day`, await dayParts(page, lateOne.id));

    // ---- A phone booking: Find (/), the caller's surname, Ctrl+Enter; a telephone slot, Enter ------------
    await chooseInSearch(page, caller.patient.familyName.toLowerCase(), caller.patientId, caller.id);
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="book-dialog"]').waitFor();
    await expectFocus(page, 'book-day');
    await page.locator('[data-testid="book-slots"] option').first().waitFor();
    for (const field of ['book-role', 'book-clinician', 'book-type']) {
      await page.keyboard.press('Tab');
      await expectFocus(page, field);
    }
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-testid="book-type"]').inputValue()).toBe('telephone');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'book-slots');
    await page.keyboard.press('ArrowDown');
    const slotId = await page.locator('[data-testid="book-slots"]').inputValue();
    await keep(page, `${tag}-3-book`, ['dialog[open]']);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="book-dialog"]').waitFor({ state: 'detached' });
    const booked = (await dayOf(desk)).find((a) => a.slotId === slotId && a.status === 'booked');
    if (!booked) throw new Error(`nothing booked into ${slotId}`);
    expect(booked).toMatchObject({ patientId: caller.patientId, type: 'telephone', upstreamVersion: null });
    expect(Date.parse(booked.start)).toBeGreaterThan(nowMs);
    await expectFocus(page, booked.id);

    // ---- A note (T) and a phone number (C) on the new appointment ---------------------------------------
    await page.keyboard.press('t');
    await page.locator('[data-testid="note-dialog"]').waitFor();
    await expectFocus(page, 'note-text');
    await page.keyboard.type('Wants a call after 2pm');
    await keep(page, `${tag}-4-note`, ['dialog[open]']);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'note-save');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="note-dialog"]').waitFor({ state: 'detached' });
    expect((await op(desk.url, 'getJournal', {})).at(-1)).toMatchObject({ op: 'appointment.note', entityId: booked.id, after: { text: 'Wants a call after 2pm' } });
    await expectFocus(page, booked.id);
    await page.keyboard.press('c');
    await page.locator('[data-testid="contact-dialog"]').waitFor();
    await expectFocus(page, 'contact-phone');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('07700 900461');
    await keep(page, `${tag}-5-phone`, ['dialog[open]']);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="contact-dialog"]').waitFor({ state: 'detached' });
    expect((await op(desk.url, 'getJournal', {})).at(-1)).toMatchObject({ op: 'patient.contact', entityId: caller.patientId, after: { phone: '07700 900461' } });

    // ---- A late arrival: found, A, the practice's question, Enter marks them Late ------------------------
    await chooseInSearch(page, lateOne.patient.familyName, lateOne.patientId, lateOne.id);
    await page.keyboard.press('Enter');
    await expectFocus(page, lateOne.id);
    expect(await page.locator(rowSelector(lateOne.id, 'booked')).getAttribute('data-due')).toBe('overdue');
    await page.keyboard.press('a');
    const prompt = page.locator('[data-testid="late-prompt"]');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/Arrived \d+ minutes after their time.*mark as Late\?/);
    await expectFocus(page, 'mark-late');
    await keep(page, `${tag}-6-late`, ['dialog[open]']);
    await page.keyboard.press('Enter');
    await page.locator(rowSelector(lateOne.id, 'late')).waitFor();
    expect(await statusOf(desk, lateOne.id)).toBe('late');

    // ---- A session's no-shows marked DNA (Shift+D), then undone as one (Ctrl+Z) -------------------------
    const [firstNoShow] = dnaSession.due;
    if (!firstNoShow) throw new Error('unreachable: two no-shows were found');
    await chooseInSearch(page, firstNoShow.patient.familyName, firstNoShow.patientId, firstNoShow.id);
    await page.keyboard.press('Enter');
    await expectFocus(page, firstNoShow.id);
    await page.keyboard.press('Shift+D');
    await page.locator('[data-testid="session-dna-dialog"]').waitFor();
    const listed = await page.locator('[data-testid="session-dna-list"] li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-appointment-ref')));
    expect(listed).toEqual(dnaSession.due.map((a) => a.id));
    await expectFocus(page, 'confirm-session-dna');
    await keep(page, `${tag}-7-session-dna`, ['dialog[open]']);
    const beforeBatch = (await op(desk.url, 'getJournal', {})).at(-1)?.seq ?? 0;
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="session-dna-dialog"]').waitFor({ state: 'detached' });
    for (const a of dnaSession.due) await page.locator(rowSelector(a.id, 'dna')).waitFor();
    await page.locator('[data-testid="undo-last"]').waitFor();
    await keep(page, `${tag}-8-session-dna-done`, await dayParts(page, firstNoShow.id));
    await page.keyboard.press('Control+z');
    for (const a of dnaSession.due) await page.locator(rowSelector(a.id, 'booked')).waitFor();
    await expect.poll(() => page.locator('[data-testid="last-change"]').textContent()).toMatch(new RegExp(`Undone: ${dnaSession.due.length} appointments`));
    const batchEntries = await op(desk.url, 'getJournal', { afterSeq: beforeBatch, limit: 1000 });
    expect(batchEntries.map((e) => e.op).sort()).toEqual([...dnaSession.due.map(() => 'appointment.setStatus'), ...dnaSession.due.map(() => 'appointment.undo')].sort());
    for (const a of dnaSession.due) expect(await statusOf(desk, a.id)).toBe('booked');

    // ---- One of them really did not come: D; the callback list, a call with no answer --------------------
    await expectFocus(page, firstNoShow.id);
    await page.keyboard.press('d');
    await page.locator(rowSelector(firstNoShow.id, 'dna')).waitFor();
    await page.keyboard.press('3');
    await page.locator('[data-testid="callback-list"]').waitFor();
    const toCall = await toFirstCallbackRow(page);
    await page.keyboard.press('c');
    await page.locator('[data-testid="callback-attempt-dialog"]').waitFor();
    await expectFocus(page, 'outcome-called');
    await page.keyboard.press('ArrowDown');
    await expectFocus(page, 'outcome-no_answer');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'callback-note');
    await page.keyboard.type('Tried the mobile');
    await keep(page, `${tag}-9-callback-attempt`, ['dialog[open]']);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`[data-testid="callback-${toCall}"] [data-testid="callback-attempts"]`).textContent()).toContain('No answer');
    await keep(page, `${tag}-10-callbacks`, ['[data-testid="callback-list"]', '.app-header']);
    const callbacks = await op(desk.url, 'getCallbackList', { from: TEST_DAY, to: TEST_DAY });
    expect(callbacks.map((c) => c.appointment.id)).toContain(firstNoShow.id);
    await page.keyboard.press('1');
    await page.locator('.day[data-complete="true"]').waitFor();

    // ---- The rest of the day: P, "Rest of the day" offered first, the first sheet printed from now -------
    await page.keyboard.press('p');
    await page.locator('[data-testid="print-dialog"]').waitFor();
    expect(await page.locator('[data-testid="print-part-rest"]').isChecked()).toBe(true);
    await keep(page, `${tag}-11-print`, ['dialog[open]']);
    // The first sheet offered has the keyboard (the day's clinician lists: what a receptionist reprints most).
    const firstSheet = await focused(page);
    expect(firstSheet).toMatch(/^print-(clinician-list|master-list)$/);
    const [popup] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
    const sheetUrl = popup.url();
    await popup.close();
    expect(new URL(sheetUrl).searchParams.get('from')).toMatch(/^\d\d:\d\d$/);
    const from = new URL(sheetUrl).searchParams.get('from') ?? '';
    const response = await page.request.get(sheetUrl);
    expect(response.status()).toBe(200);
    const text = pdfText(await response.body());
    expect(text).toMatch(new RegExp(`(CLINICIAN|MASTER) LIST.* FROM ${from}`, 'i'));
    // What is left at that time is on it; the no-show marked DNA (their time over, not here) is not.
    const fromMs = Date.parse(localToIso(TEST_DAY, from));
    const left = (await dayOf(desk)).filter((a) => isLeftAt(a, fromMs));
    expect(left.length).toBeGreaterThan(0);
    const flat = text.replace(/\s+/g, ' ');
    for (const a of left.slice(0, 20)) expect(flat, `${localTimeOf(a.start)} ${a.patient.familyName}`).toContain(a.patient.familyName.toUpperCase());
    expect(isLeftAt({ ...firstNoShow, status: 'dna' }, fromMs)).toBe(false);
    const dnaName = firstNoShow.patient.familyName.toUpperCase();
    if (!left.some((a) => a.patient.familyName.toUpperCase() === dnaName)) expect(flat).not.toContain(dnaName);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="print-dialog"]').waitFor({ state: 'detached' });

    // ---- Outage off: the band goes, the header is the online one again ----------------------------------
    await switchMode(page, 'EMIS back, checked');
    await band.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.body.dataset['mode'])).toBe('online');
    await keep(page, `${tag}-12-online-again`, await dayParts(page, lateOne.id));
    expect(problems).toEqual([]);
  });
});
