/**
 * Issue 18 item 10 by keyboard alone against `serve --demo`, the clock pinned to TEST_NOW: the walk-in dialog
 * starts with a search, and a match booked today says when and with whom and is checked in on it instead (W, the
 * surname, Enter, Enter); a match not booked today becomes the walk-in (no new patient typed); a name not in the
 * mirror goes on to the new patient's form with the surname carried over. Then Enter cancels an appointment in
 * the cancel dialog, and the rebook list offers the clinician's role first, A widening it to any role.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { localTimeOf, sessionNoShows } from '../../shared/domain';
import { chooseInSearch, expectFocus, fillWalkIn, op, rowSelector, screenshot, TEST_DAY, TEST_NOW, useDemoDeskAndBrowser } from './support';

const demo = useDemoDeskAndBrowser();

/** W, the query, arrows down to the patient among the walk-in dialog's matches: selected, ready for Enter. */
async function findInWalkIn(page: Page, query: string, patientId: string | null): Promise<void> {
  await page.keyboard.press('w');
  await page.locator('[data-testid="walk-in-dialog"]').waitFor();
  await expectFocus(page, 'walk-in-find');
  await page.keyboard.type(query);
  await page.locator(`[data-testid="walk-in-hits"][data-query=${JSON.stringify(query)}]`).waitFor({ timeout: 5000 });
  const hits = await page.locator('[data-testid="walk-in-hit"]').all();
  const ids = await Promise.all(hits.map((h) => h.getAttribute('data-patient-id')));
  // null: the "New patient" choice, after the matches.
  const index = patientId === null ? ids.length : ids.indexOf(patientId);
  expect(index, `${query} finds ${patientId ?? 'no one'}`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  const option = patientId === null ? page.locator('[data-testid="walk-in-hit-new"]') : page.locator('[data-testid="walk-in-hit"]').nth(index);
  await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
}

describe('walk-in finds the patient first; Enter cancels; rebooking by role', () => {
  it('finds a booked patient and checks them in instead, registers a known patient, and types a new one', async () => {
    const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const onlyOnce = (a: AppointmentRow) => day.appointments.filter((o) => o.patientId === a.patientId).length === 1;
    const due = day.sessions
      .flatMap((s) => sessionNoShows(day.appointments, s.id))
      .filter((a) => a.start > TEST_NOW && onlyOnce(a) && a.patient.familyName.length >= 5)
      .toSorted((x, y) => (x.start < y.start ? -1 : 1));
    const booked = due[0];
    if (!booked) throw new Error('the demo day has no patient booked once later today');
    const clinician = day.clinicians.find((c) => c.id === booked.clinicianId)?.name ?? '';
    // A patient in the mirror with nothing today: from the patients the search finds by a common letter.
    const bookedToday = new Set(day.appointments.map((a) => a.patientId));
    const unbooked = (await op(demo.desk.url, 'searchPatients', { query: 'a', date: TEST_DAY, limit: 200 })).find(
      (h) => !bookedToday.has(h.patient.id) && h.patient.familyName.length >= 5,
    );
    if (!unbooked) throw new Error('the demo mirror has no patient without an appointment today');

    const { page, problems } = await demo.openDesk();

    // ---- 1. Booked today: the match says when and with whom; Enter, Enter checks them in ------------------
    await findInWalkIn(page, booked.patient.familyName.toLowerCase(), booked.patientId);
    const hit = page.locator(`[data-testid="walk-in-hit"][data-patient-id=${JSON.stringify(booked.patientId)}]`);
    expect(await hit.textContent()).toContain(`Booked today ${localTimeOf(booked.start)} ${clinician}: check them in instead?`);
    await screenshot(page, 'walk-in-find-booked');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'walk-in-check-in-instead');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor({ state: 'detached' });
    await page.locator(rowSelector(booked.id, 'arrived')).waitFor({ timeout: 5000 });
    await expectFocus(page, booked.id);

    // ---- 2. In the mirror, not booked today: Enter chooses them, the triage follows, Enter registers ---------
    await findInWalkIn(page, unbooked.patient.familyName.toLowerCase(), unbooked.patient.id);
    expect(await page.locator(`[data-testid="walk-in-hit"][data-patient-id=${JSON.stringify(unbooked.patient.id)}]`).textContent()).toContain('Not booked today');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'triage-urgent_today');
    expect(await page.textContent('[data-testid="walk-in-chosen"]')).toContain(unbooked.patient.familyName.toUpperCase());
    await fillWalkIn(page, 'Came to the desk');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor({ state: 'detached' });
    const after = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const walkIns = after.appointments.filter((a) => a.desk?.origin === 'walk_in');
    expect(walkIns.map((a) => a.patientId)).toEqual([unbooked.patient.id]);
    expect(after.appointments.filter((a) => a.patientId === booked.patientId).map((a) => a.status)).toEqual(['arrived']);

    // ---- 3. Not in the mirror: the last choice is a new patient, the surname carried over -------------------
    await findInWalkIn(page, 'zzyzxq', null);
    expect(await page.textContent('[data-testid="walk-in-hit-new"]')).toContain('No patient in the mirror matches');
    await page.keyboard.press('Enter');
    await expectFocus(page, 'walk-in-family');
    expect(await page.inputValue('[data-testid="walk-in-family"]')).toBe('zzyzxq');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('cancels with Enter, and rebooks to a slot of the same role first, A for any role', async () => {
    const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const onlyOnce = (a: AppointmentRow) => day.appointments.filter((o) => o.patientId === a.patientId).length === 1;
    const gps = new Set(day.clinicians.filter((c) => c.role === 'gp').map((c) => c.id));
    const target = day.appointments
      .filter((a) => a.status === 'booked' && a.start > TEST_NOW && gps.has(a.clinicianId) && onlyOnce(a) && a.patient.familyName.length >= 5 && a.desk?.origin !== 'walk_in')
      .toSorted((x, y) => (x.start < y.start ? 1 : -1))[0];
    if (!target) throw new Error("the demo day has no GP's patient booked later today");

    const { page, problems } = await demo.openDesk();
    await chooseInSearch(page, target.patient.familyName.toLowerCase(), target.patientId, target.id);
    await page.keyboard.press('Enter');
    await expectFocus(page, target.id);

    // ---- Enter in the cancel dialog cancels, the reason chosen ----------------------------------------------
    await page.keyboard.press('x');
    await page.locator('[data-testid="cancel-dialog"]').waitFor();
    await expectFocus(page, 'cancel-reason');
    await page.keyboard.press('ArrowDown'); // "Patient unwell, cannot attend"
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="cancel-dialog"]').waitFor({ state: 'detached' });
    await page.locator(rowSelector(target.id, 'cancelled')).waitFor({ timeout: 5000 });
    const cancelled = (await op(demo.desk.url, 'getDay', { date: TEST_DAY })).appointments.find((a) => a.id === target.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Patient unwell, cannot attend' });

    // ---- Rebook: GPs' slots first; A: any role, and back -----------------------------------------------------
    await expectFocus(page, target.id);
    await page.keyboard.press('r');
    await page.locator('[data-testid="rebook-dialog"]').waitFor();
    await expectFocus(page, 'rebook-day');
    const date = await page.inputValue('[data-testid="rebook-day"]');
    const slotsShown = async (whose: string): Promise<string[]> => {
      await page.locator(`[data-testid="rebook-whose"][data-whose="${whose}"]`).waitFor();
      await page.locator('[data-testid="rebook-slots"][data-loaded="true"]').waitFor();
      return page.locator('[data-testid="rebook-slots"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    };
    const gpSlots = await op(demo.desk.url, 'findFreeSlots', { from: date, to: date, role: 'gp', limit: 200 });
    const allSlots = await op(demo.desk.url, 'findFreeSlots', { from: date, to: date, limit: 200 });
    expect(gpSlots.length).toBeGreaterThan(0);
    expect(allSlots.length, 'the demo has other roles free that day').toBeGreaterThan(gpSlots.length);
    expect(await page.inputValue('[data-testid="rebook-whose"]')).toBe('role');
    expect(await slotsShown('role')).toEqual(gpSlots.map((s) => s.slot.id));
    await screenshot(page, 'rebook-role-first');
    await page.keyboard.press('a');
    expect(await slotsShown('any')).toEqual(allSlots.map((s) => s.slot.id));
    await page.keyboard.press('a');
    expect(await slotsShown('role')).toEqual(gpSlots.map((s) => s.slot.id));
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="rebook-dialog"]').waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });
});
