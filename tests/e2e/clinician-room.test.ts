/**
 * A clinician in their room (issue 17), in Chromium against a real `serve --demo`: a receptionist, the clinician
 * and the waiting-room display each in a browser context of their own, on the pinned clock. The receptionist checks
 * a patient in and the room shows them; the clinician calls by key and within a second the display shows the
 * ticket and the room; a quiet call never reaches the display; sending in while the previous patient is still in
 * the room asks first; the clinician's note is on the worklist PDF (pdftotext). Axe finds nothing serious or
 * critical on /room, and the room is kept as screenshots at 1366x768.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { formatNhsNumber, formatUkDate, localDateOf } from '../../shared/domain';
import { collectPageProblems, op, rowSelector, screenshot, signInCookie, TEST_DAY, useDemoDeskAndBrowser, type OpenedPage } from './support';
import { axeProblems } from './axe';

const demo = useDemoDeskAndBrowser({ date: TEST_DAY });

const CLINICIAN = { username: 'dr.room', secret: '591846' };
const NOTE = 'Chest clear, BP 132/84. Review in 2 weeks. Test note e2e.';

let clinicianId = '';
let clinicianName = '';
/** Three of the clinician's booked face-to-face patients today, to check in one by one. */
let patients: AppointmentRow[] = [];
let room: OpenedPage;
let reception: OpenedPage;
let display: OpenedPage;
/** The worklist PDF's text after the clinician's note (pdftotext, whitespace folded). */

beforeAll(async () => {
  const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
  const booked = (c: { id: string }) =>
    day.appointments.filter((a) => a.clinicianId === c.id && a.status === 'booked' && a.type === 'face_to_face' && a.patient.dateOfBirth !== null);
  const clinician = day.clinicians.find((c) => c.room !== null && booked(c).length >= 3);
  if (!clinician) throw new Error('the demo day has no clinician with a room and three booked patients');
  clinicianId = clinician.id;
  clinicianName = clinician.name;
  patients = booked(clinician).slice(0, 3);
  // The manager links a clinician's account to them, as `users add --role clinician --clinician ID` does.
  await op(demo.desk.url, 'addUser', {
    username: CLINICIAN.username,
    displayName: clinician.name,
    role: 'clinician',
    secret: { kind: 'pin', value: CLINICIAN.secret },
    clinicianId,
  });

  const receptionContext = await demo.newContext({ as: 'receptionist' });
  const receptionPage = await receptionContext.newPage();
  reception = { context: receptionContext, page: receptionPage, problems: collectPageProblems(receptionPage) };
  await receptionPage.goto(demo.desk.url);
  await receptionPage.locator('.day[data-complete="true"]').waitFor({ timeout: 15_000 });

  const roomContext = await demo.newContext({ as: 'nobody' });
  await roomContext.addCookies([{ name: 'sd_session', value: await signInCookie(demo.desk.url, CLINICIAN), url: demo.desk.url, httpOnly: true, sameSite: 'Strict' }]);
  const roomPage = await roomContext.newPage();
  room = { context: roomContext, page: roomPage, problems: collectPageProblems(roomPage) };
  await roomPage.goto(new URL('room', demo.desk.url).toString());
  await roomPage.locator('[data-testid="room-list"]').waitFor({ timeout: 15_000 });

  display = await demo.openDisplay('display');
  await watchDisplayText(display.page);
});

/** Everything the display ever shows, from now on: a quiet call must not appear even for a moment. */
async function watchDisplayText(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const root = document.querySelector('[data-testid="display"]');
    window.__shown = [root.innerText];
    new MutationObserver(() => window.__shown.push(root.innerText)).observe(root, { subtree: true, childList: true, characterData: true });
  })()`);
}

const displayHistory = (page: Page) => page.evaluate<string[]>('window.__shown');

/** The receptionist puts the keyboard on the row and presses A (arrived); returns the ticket the desk gave. */
async function checkIn(appointment: AppointmentRow): Promise<number> {
  const row = reception.page.locator(rowSelector(appointment.id));
  await row.focus();
  await reception.page.keyboard.press('a');
  await reception.page
    .locator(rowSelector(appointment.id, 'arrived'))
    .or(reception.page.locator(rowSelector(appointment.id, 'late')))
    .waitFor({ timeout: 3000 });
  const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
  const ticket = day.appointments.find((a) => a.id === appointment.id)?.desk?.ticket;
  if (ticket == null) throw new Error(`no ticket for ${appointment.id}`);
  return ticket;
}

const roomRow = (id: string) => room.page.locator(`[data-room-row=${JSON.stringify(id)}]`);

describe('a clinician in their room', () => {
  it('shows only their own list, with large name, DOB and NHS number, and nothing of an alert but that there is one', async () => {
    await expect(room.page.textContent('[data-testid="room-clinician"]')).resolves.toBe(clinicianName);
    const rows = await room.page.locator('[data-testid="room-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-room-row')));
    const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const theirs = new Set(day.appointments.filter((a) => a.clinicianId === clinicianId).map((a) => a.id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((id) => id === null || !theirs.has(id))).toEqual([]);

    const first = patients[0];
    if (!first) throw new Error('no patient');
    await roomRow(first.id).click();
    await expect(room.page.textContent('[data-testid="room-patient-dob"]')).resolves.toContain(formatUkDate(first.patient.dateOfBirth ?? ''));
    if (first.patient.nhsNumber) await expect(room.page.textContent('[data-testid="room-patient-nhs"]')).resolves.toBe(formatNhsNumber(first.patient.nhsNumber));
    // Every flag's words stay off the room's screen; a flagged patient shows "Alert".
    const text = (await room.page.textContent('[data-testid="room-list"]')) ?? '';
    expect(text).not.toMatch(/Suspected cancer|Anticoagulation|Palliative|Safeguarding/);
    const flagged = day.appointments.filter((a) => theirs.has(a.id) && a.patient.flags.length > 0);
    for (const a of flagged) await expect(roomRow(a.id).locator('[data-testid="room-alert"]').textContent()).resolves.toBe('Alert');
    // DNA is reception's unless the practice lets clinicians mark it (the default): not offered.
    expect(await room.page.locator('[data-testid="room-action-dna"]').count()).toBe(0);
  });

  it('sees a check-in at reception at once, calls by key, and the display shows the ticket and the room within a second', async () => {
    const [first] = patients;
    if (!first) throw new Error('no patient');
    const ticket = await checkIn(first);
    await roomRow(first.id).and(room.page.locator('[data-testid="room-section-waiting"] [data-room-row]')).waitFor({ timeout: 1000 });
    await screenshot(room.page, 'room-1-waiting');

    await roomRow(first.id).focus();
    await room.page.keyboard.press('c');
    // Within a second of the key press, or the wait fails.
    await display.page.locator('[data-testid="display"]', { hasText: new RegExp(`Ticket ${ticket}(?!\\d)`) }).waitFor({ timeout: 1000 });
    const roomName = (await room.page.textContent('[data-testid="room-name"]')) ?? '';
    expect(roomName).not.toBe('');
    await expect(display.page.textContent('[data-testid="display"]')).resolves.toContain(roomName);
    await roomRow(first.id).and(room.page.locator('[data-testid="room-section-withYou"] [data-room-row]')).waitFor({ timeout: 1000 });
    // Reception sees the call live too.
    await reception.page.locator(rowSelector(first.id, 'sent_in')).waitFor({ timeout: 1000 });
    await screenshot(display.page, 'room-2-display-call');
  });

  it('asks before a quiet call while the previous patient is still in the room, and a quiet call never reaches the display', async () => {
    const [first, second, third] = patients;
    if (!first || !second || !third) throw new Error('no patients');
    const quietTicket = await checkIn(second);
    await roomRow(second.id).waitFor();
    await roomRow(second.id).focus();
    await room.page.keyboard.press('q');
    const question = room.page.locator('[data-testid="send-in-anyway-question"]');
    await question.waitFor({ timeout: 2000 });
    const firstName = first.patient.familyName.toUpperCase();
    await expect(question.textContent()).resolves.toMatch(new RegExp(`${firstName}.* is still with you\\. Send ${second.patient.familyName.toUpperCase()}.* in anyway\\?`));
    await screenshot(room.page, 'room-3-still-with-you');
    // "Not yet" has the keyboard: Enter out of habit sends nobody in.
    await room.page.keyboard.press('Enter');
    await question.waitFor({ state: 'detached' });
    expect((await op(demo.desk.url, 'getDay', { date: TEST_DAY })).appointments.find((a) => a.id === second.id)?.status).toBe('arrived');

    await roomRow(second.id).focus();
    await room.page.keyboard.press('q');
    await question.waitFor();
    await room.page.locator('[data-testid="send-in-anyway-confirm"]').click();
    await roomRow(second.id).and(room.page.locator('[data-testid="room-section-withYou"] [data-room-row]')).waitFor({ timeout: 2000 });

    // A later call that is shown proves the display is live; the quiet one must never have been on it.
    await roomRow(first.id).focus();
    await room.page.keyboard.press('s');
    await roomRow(first.id).and(room.page.locator('[data-testid="room-section-finished"] [data-room-row]')).waitFor({ timeout: 2000 });
    await roomRow(second.id).focus();
    await room.page.keyboard.press('s');
    await roomRow(second.id).and(room.page.locator('[data-testid="room-section-finished"] [data-room-row]')).waitFor({ timeout: 2000 });
    const shownTicket = await checkIn(third);
    await roomRow(third.id).focus();
    await room.page.keyboard.press('c');
    await display.page.locator('[data-testid="display"]', { hasText: new RegExp(`Ticket ${shownTicket}(?!\\d)`) }).waitFor({ timeout: 1000 });
    const history = await displayHistory(display.page);
    expect(history.some((t) => new RegExp(`Ticket ${shownTicket}(?!\\d)`).test(t))).toBe(true);
    expect(history.filter((t) => new RegExp(`Ticket ${quietTicket}(?!\\d)`).test(t))).toEqual([]);
    const board = await op(demo.desk.url, 'getDisplayBoard', {});
    expect(board.calls.map((c) => c.label)).not.toContain(`Ticket ${quietTicket}`);
  });

  it('writes a note by key, and it is on the re-keying worklist PDF', async () => {
    const [first] = patients;
    if (!first) throw new Error('no patient');
    await roomRow(first.id).focus();
    await room.page.keyboard.press('n');
    await room.page.locator('[data-testid="room-note-text"]').waitFor();
    await room.page.keyboard.type(NOTE);
    await screenshot(room.page, 'room-4-note');
    await room.page.keyboard.press('Control+Enter');
    await room.page.locator('[data-testid="room-note-dialog"]').waitFor({ state: 'detached' });
    await expect(room.page.textContent('[data-testid="room-message"]')).resolves.toMatch(/note saved/);

    const cookie = await signInCookie(demo.desk.url, demo.desk.accounts.manager);
    const response = await fetch(new URL('sheets/worklist.pdf', demo.desk.url), { headers: { Cookie: `sd_session=${cookie}` } });
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(await response.arrayBuffer()), encoding: 'utf8' }).replace(/\s+/g, ' ');
    // Issue 17 item 5: on the worklist whole, as the clinician's contemporaneous note with their name, the prompt to
    // re-check allergies and medication, and the reference the consultation-record page prints for the appointment.
    const item = text.slice(text.indexOf(first.patient.familyName.toUpperCase()));
    expect(item).toMatch(new RegExp(`Entry typed from contemporaneous note by ${clinicianName}[\\s\\S]*Chest[\\s\\S]*Review in 2 weeks\\. Test note e2e\\.`));
    expect(item).toMatch(/Re-check allergies and medication when keying/);
    const records = await fetch(new URL(`sheets/consultation-records.pdf?date=${localDateOf(first.start)}&clinician=${encodeURIComponent(first.clinicianId)}`, demo.desk.url), {
      headers: { Cookie: `sd_session=${cookie}` },
    });
    const recordsText = execFileSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(await records.arrayBuffer()), encoding: 'utf8' });
    expect(recordsText).toContain(first.id);
    expect(item).toContain(`ref. ${first.id}`);
  });

  it('is readable at 1366x768 with nothing serious or critical for axe, its help included', async () => {
    await screenshot(room.page, 'room-5-list');
    expect(await axeProblems(room.page)).toEqual([]);
    await room.page.keyboard.press('?');
    await room.page.locator('[data-testid="room-help"]').waitFor();
    await screenshot(room.page, 'room-6-help');
    expect(await axeProblems(room.page)).toEqual([]);
    await room.page.keyboard.press('Escape');
    await room.page.locator('[data-testid="room-help"]').waitFor({ state: 'detached' });
    // The refused send in (409, StillWithClinician) is the question's protocol, which Chromium logs as a failed load.
    expect(room.problems.filter((p) => !/status of 409 \(Conflict\)/.test(p))).toEqual([]);
    expect(reception.problems).toEqual([]);
    expect(display.problems).toEqual([]);
  });
});
