/**
 * The right patient after Find (hazard H2), and messages that belong to their action, by keyboard alone against
 * a real `serve --demo` in Chromium.
 *
 * Find (`/`, a query, Enter) must leave the keyboard on the chosen appointment's row from every view, so that
 * the next key acts on that patient. The targets are late in a long list on purpose: the day is drawn in two
 * passes (the rows on screen first), so their rows do not exist yet when the day view first appears.
 *
 * Messages: a newer message replaces an older one (a confirmation after a problem shows, with its Undo), Escape
 * closes the message (a dialog first, when one is open), and changing view clears it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { formatNhsNumber } from '../../shared/domain';
import { chooseInSearch, expectFocus, focused, op, rowSelector, TEST_DAY, useDemoDeskAndBrowser } from './support';

/** Past the first pass in either layout: 12 rows a column side by side, 24 one at a time. */
const BEYOND_FIRST_PASS = 24;

const demo = useDemoDeskAndBrowser({ closeAfterEach: true });

async function open(): Promise<Page> {
  const desked = await demo.openDesk(`?date=${TEST_DAY}`);
  await desked.page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 10_000 });
  return desked.page;
}

async function dayFromServer(): Promise<AppointmentRow[]> {
  return (await op(demo.desk.url, 'getDay', { date: TEST_DAY })).appointments;
}

/** Booked appointments far down a clinician's list (in the screen's order), one per patient, not used before. */
const used = new Set<string>();
async function takeLateBooked(): Promise<AppointmentRow> {
  const day = await dayFromServer();
  const byClinician = new Map<string, AppointmentRow[]>();
  for (const a of day) byClinician.set(a.clinicianId, [...(byClinician.get(a.clinicianId) ?? []), a]);
  const candidates = [...byClinician.values()]
    .flatMap((list) => list.toSorted((x, y) => x.start.localeCompare(y.start) || x.id.localeCompare(y.id)).slice(BEYOND_FIRST_PASS))
    .filter((a) => a.status === 'booked' && a.patient.nhsNumberStatus === 'valid' && !used.has(a.patientId));
  // Patel's list is second in the screen's order: one at a time, Find must switch to it from the first.
  const chosen = candidates.find((a) => a.clinicianId === 'clin-02') ?? candidates[0];
  if (!chosen) throw new Error('the demo day has no booked appointment left beyond the first pass');
  used.add(chosen.patientId);
  return chosen;
}

/** `/`, the NHS number, arrows down to the appointment wanted, Enter. */
async function findAndGo(page: Page, appt: AppointmentRow): Promise<void> {
  await chooseInSearch(page, formatNhsNumber(appt.patient.nhsNumber ?? ''), appt.patientId, appt.id);
  await page.keyboard.press('Enter');
}

/** Statuses by appointment id, to show that one key changed one patient and nobody else. */
function statuses(rows: readonly AppointmentRow[]): Map<string, string> {
  return new Map(rows.map((a) => [a.id, a.status]));
}

type Start = 'day, side by side' | 'day, one at a time' | 'queue' | 'callbacks' | 'queue, one at a time';

/** Puts the desk in the view a Find starts from, by keyboard. */
async function goToStart(page: Page, start: Start): Promise<void> {
  if (start.endsWith('one at a time')) {
    await page.keyboard.press('v');
    await page.locator('[data-testid="layout-single"][aria-pressed="true"]').waitFor({ timeout: 5000 });
  }
  if (start.startsWith('queue')) {
    await page.keyboard.press('2');
    await page.locator('main[aria-label="Queue"]').waitFor({ timeout: 5000 });
  }
  if (start === 'callbacks') {
    await page.keyboard.press('3');
    await page.locator('main[aria-label="Callback list"] [data-callback-id]').first().waitFor({ timeout: 10_000 });
  }
}

describe('the right patient after Find (H2)', () => {
  const starts: Start[] = ['day, side by side', 'day, one at a time', 'queue', 'callbacks', 'queue, one at a time'];
  it.each(starts)('from %s: the keyboard lands on the chosen row, and the next key acts on that patient', async (start) => {
    const target = await takeLateBooked();
    const page = await open();
    await goToStart(page, start);
    if (start === 'day, one at a time') {
      // The first clinician is shown, not the target's: Find must switch.
      expect(await page.locator(`[data-testid="clinician-${target.clinicianId}"]`).count()).toBe(0);
    }
    const before = statuses(await dayFromServer());

    await findAndGo(page, target);
    await expectFocus(page, target.id);
    // Still there once every row is drawn: the second pass must not take the keyboard elsewhere.
    await page.locator('.day[data-complete="true"]').waitFor({ timeout: 10_000 });
    expect(await focused(page)).toBe(target.id);
    expect(await page.locator('main').getAttribute('aria-label')).toBe('Appointments');
    if (start.endsWith('one at a time')) await page.locator(`[data-testid="clinician-${target.clinicianId}"]`).waitFor({ timeout: 5000 });
    // On screen, not only focused somewhere below the fold.
    const box = await page.locator(rowSelector(target.id)).boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? -1) >= 0 && (box?.y ?? 0) + (box?.height ?? 0) <= 768).toBe(true);

    await page.keyboard.press('a');
    await page.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: 5000 });
    const after = statuses(await dayFromServer());
    const changed = [...after].filter(([id, status]) => before.get(id) !== status).map(([id]) => id);
    expect(changed).toEqual([target.id]);
  });
});

describe('the right patient after Find, keys typed ahead (H2)', () => {
  it('Enter and the next key at once, from the day view: the key acts on the chosen patient, never on the row that had the keyboard', async () => {
    const target = await takeLateBooked();
    const page = await open();
    // The keyboard on the first row, as a receptionist working down the list would have it.
    await page.keyboard.press('ArrowDown');
    const before = await focused(page);
    expect(before).toMatch(/^appt-/);
    const start = statuses(await dayFromServer());

    const query = formatNhsNumber(target.patient.nhsNumber ?? '');
    await page.keyboard.press('/');
    await expectFocus(page, 'search-input');
    await page.keyboard.type(query);
    await page.locator(`[data-testid="search-results"][data-query=${JSON.stringify(query)}] [data-appointment-ref=${JSON.stringify(target.id)}]`).waitFor({ timeout: 5000 });
    const refs = await page.locator('[data-testid="search-hit"]').evaluateAll((hits) => hits.map((h) => h.getAttribute('data-appointment-ref')));
    for (let i = 0; i < refs.indexOf(target.id); i++) await page.keyboard.press('ArrowDown');
    // Both keys queued at once, as from a fast typist: the second must not wait for a frame to find its row.
    const cdp = await page.context().newCDPSession(page);
    const key = (type: 'keyDown' | 'keyUp', k: string, code: string, keyCode: number) =>
      cdp.send('Input.dispatchKeyEvent', { type, key: k, code, windowsVirtualKeyCode: keyCode, ...(type === 'keyDown' && k === 'a' ? { text: 'a' } : {}) });
    await Promise.all([key('keyDown', 'Enter', 'Enter', 13), key('keyUp', 'Enter', 'Enter', 13), key('keyDown', 'a', 'KeyA', 65), key('keyUp', 'a', 'KeyA', 65)]);

    const changedSinceStart = async () => [...statuses(await dayFromServer())].filter(([id, status]) => start.get(id) !== status).map(([id]) => id);
    await expect.poll(changedSinceStart, { timeout: 5000 }).not.toEqual([]);
    expect(await changedSinceStart()).toEqual([target.id]);
    expect(before).not.toBe(target.id);
  });
});

describe('messages belong to their action', () => {
  const notice = (page: Page) => page.locator('[data-testid="notice"]');
  const confirmation = (page: Page) => page.locator('[data-testid="last-change"]');

  /** A problem not about any one appointment: Ctrl+Z with nothing of this desk's to undo. */
  async function makeProblem(page: Page): Promise<void> {
    await page.keyboard.press('Control+z');
    await notice(page).waitFor({ timeout: 5000 });
    expect(await notice(page).textContent()).toContain('Problem: Nothing to undo');
  }

  /** A desk with the keyboard on the target's row (found by Find) and a problem showing. */
  async function problemAt(target: AppointmentRow): Promise<Page> {
    const page = await open();
    await findAndGo(page, target);
    await expectFocus(page, target.id);
    await makeProblem(page);
    return page;
  }

  it('a confirmation after a problem replaces it and shows its Undo, which undoes that change', async () => {
    const target = await takeLateBooked();
    const page = await problemAt(target);

    await page.keyboard.press('a');
    await page.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: 5000 });
    await confirmation(page).waitFor({ timeout: 5000 });
    expect(await notice(page).count()).toBe(0);
    expect(await confirmation(page).textContent()).toContain('Arrived');
    expect(await page.locator('[data-testid="undo-last"]').count()).toBe(1);

    await page.keyboard.press('Control+z');
    await page.locator(rowSelector(target.id, 'booked')).waitFor({ timeout: 5000 });
    await expect.poll(() => confirmation(page).textContent()).toContain('Undone');

    // And a newer problem replaces the confirmation (and its Undo goes with it).
    await page.keyboard.press('a');
    await page.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: 5000 });
    await page.keyboard.press('r');
    await notice(page).waitFor({ timeout: 5000 });
    expect(await notice(page).textContent()).toContain('can be rebooked');
    expect(await confirmation(page).count()).toBe(0);
  });

  it('Escape closes the message, and only the message; with a dialog open it closes the dialog first', async () => {
    const target = await takeLateBooked();
    const page = await problemAt(target);
    await page.keyboard.press('?');
    await page.locator('[data-testid="help-dialog"]').waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="help-dialog"]').waitFor({ state: 'detached', timeout: 5000 });
    expect(await notice(page).count()).toBe(1);
    await expectFocus(page, target.id);
    await page.keyboard.press('Escape');
    await notice(page).waitFor({ state: 'detached', timeout: 5000 });
    expect(await focused(page)).toBe(target.id);

    await page.keyboard.press('a');
    await confirmation(page).waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await confirmation(page).waitFor({ state: 'detached', timeout: 5000 });
    // Nothing else happened: the row keeps the keyboard and the patient is still Arrived.
    expect(await focused(page)).toBe(target.id);
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect((await dayFromServer()).find((a) => a.id === target.id)?.status).toBe('arrived');

    // With the keyboard on the message's own Undo button, Escape closes it and hands the keyboard back to the row.
    await page.keyboard.press('s');
    await confirmation(page).waitFor({ timeout: 5000 });
    await page.locator('[data-testid="undo-last"]').focus();
    await page.keyboard.press('Escape');
    await confirmation(page).waitFor({ state: 'detached', timeout: 5000 });
    await expectFocus(page, target.id);
  });

  it('a message does not follow the receptionist to another view', async () => {
    const target = await takeLateBooked();
    const page = await problemAt(target);
    await page.keyboard.press('2');
    await page.locator('main[aria-label="Queue"]').waitFor({ timeout: 5000 });
    expect(await notice(page).count()).toBe(0);
    await page.keyboard.press('1');
    await page.locator('main[aria-label="Appointments"]').waitFor({ timeout: 5000 });
    expect(await notice(page).count()).toBe(0);

    await findAndGo(page, target);
    await expectFocus(page, target.id);
    await page.keyboard.press('a');
    await confirmation(page).waitFor({ timeout: 5000 });
    await page.keyboard.press('3');
    await page.locator('main[aria-label="Callback list"]').waitFor({ timeout: 5000 });
    expect(await confirmation(page).count()).toBe(0);
    expect(await notice(page).count()).toBe(0);
  });
});
