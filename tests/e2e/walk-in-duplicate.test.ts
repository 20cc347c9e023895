/**
 * One patient, one place in the queue (issue 14 item 10, hazard H2), by keyboard alone against `serve --demo`:
 * a booked patient who comes to the desk is shown their appointment in the walk-in dialog and checked in on it
 * (Enter, Enter), never registered twice; once arrived, the dialog says so; a walk-in registered anyway and
 * then undone (Ctrl+Z) is taken back as registered in error and counts nowhere. The desk refuses a duplicate
 * that does not confirm it, whatever the screen did.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { localTimeOf, sessionNoShows } from '../../shared/domain';
import { callOp, chooseInSearch, expectFocus, fillWalkIn, op, rowSelector, screenshot, TEST_DAY, TEST_NOW, useDemoDeskAndBrowser } from './support';

const demo = useDemoDeskAndBrowser();

/** `/`, the surname, down to the patient's appointment, then Shift+Enter: the walk-in dialog for that patient. */
async function walkInFor(page: Page, appt: AppointmentRow): Promise<void> {
  await chooseInSearch(page, appt.patient.familyName.toLowerCase(), appt.patientId, appt.id);
  await page.keyboard.press('Shift+Enter');
  await page.locator('[data-testid="walk-in-dialog"]').waitFor();
  await expectFocus(page, 'triage-urgent_today');
}

/** Same day, a reason, Enter: what a receptionist types for any walk-in. */
const fillAndEnter = (page: Page) => fillWalkIn(page, 'Came to the desk');

describe('one patient, one place in the queue', () => {
  it('offers the appointment today instead of a walk-in, and takes back a walk-in registered in error', async () => {
    const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const onlyOnce = (a: AppointmentRow) => day.appointments.filter((o) => o.patientId === a.patientId).length === 1;
    // A patient due later this morning, booked once today, whose surname finds few others.
    const target = day.sessions
      .flatMap((s) => sessionNoShows(day.appointments, s.id))
      .filter((a) => a.start > TEST_NOW && onlyOnce(a) && a.patient.familyName.length >= 5)
      .toSorted((x, y) => (x.start < y.start ? -1 : 1))[0];
    if (!target) throw new Error('the demo day has no patient booked once later today');
    const clinician = day.clinicians.find((c) => c.id === target.clinicianId)?.name ?? '';

    const opened1 = await demo.openDesk();
    const { page } = opened1;
    await page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 5000 });

    // ---- 1. Booked: the dialog shows the appointment; Enter brings "check in instead", Enter checks in ----
    await walkInFor(page, target);
    const shown = page.locator('[data-testid="walk-in-appointment-today"]');
    await shown.waitFor();
    expect(await shown.textContent()).toContain(`${localTimeOf(target.start)} with ${clinician}: Booked`);
    await fillAndEnter(page);
    await expectFocus(page, 'walk-in-check-in-instead');
    await screenshot(page, 'walk-in-appointment-today');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor({ state: 'detached' });
    await page.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: 5000 });
    // The keyboard is on that patient's appointment: the next key acts on them.
    await expectFocus(page, target.id);
    const afterCheckIn = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    expect(afterCheckIn.appointments.filter((a) => a.patientId === target.patientId).map((a) => [a.id, a.status])).toEqual([[target.id, 'arrived']]);

    // ---- 2. The desk itself refuses a second place in the queue, naming the appointment ------------------
    const refused = await callOp(demo.desk.url, 'registerWalkIn', { patient: { kind: 'existing', patientId: target.patientId }, triage: 'same_day', assignTo: { kind: 'duty' } });
    expect(refused).toMatchObject({
      ok: false,
      status: 409,
      error: { code: 'conflict', message: expect.stringContaining(`${localTimeOf(target.start)} with ${clinician} (Arrived)`) },
    });

    // ---- 3. Arrived: the dialog says so; registered anyway, then undone with Ctrl+Z ----------------------
    await walkInFor(page, target);
    await shown.waitFor();
    expect(await shown.textContent()).toMatch(/Arrived/);
    await fillAndEnter(page);
    await expectFocus(page, 'walk-in-go-to-appointment');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'walk-in-register-anyway');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor({ state: 'detached' });
    const twice = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const walkIn = twice.appointments.find((a) => a.patientId === target.patientId && a.desk?.origin === 'walk_in');
    if (!walkIn) throw new Error('the confirmed walk-in was not registered');
    await expectFocus(page, walkIn.id);
    await page.keyboard.press('Control+z');
    await expect
      .poll(async () => (await op(demo.desk.url, 'getDay', { date: TEST_DAY })).appointments.filter((a) => a.patientId === target.patientId).map((a) => a.id), { timeout: 5000 })
      .toEqual([target.id]);
    // Gone from the queue and the day (the message confirming the undo still names it: it is not a place in a queue).
    await page.locator(`[data-appointment-id=${JSON.stringify(walkIn.id)}]:not(.notice)`).waitFor({ state: 'detached', timeout: 5000 });
    const [last] = await op(demo.desk.url, 'getJournal', { afterSeq: 0, limit: 1000 }).then((j) => j.slice(-1));
    expect(last).toMatchObject({
      op: 'appointment.undo',
      entityId: walkIn.id,
      after: { status: 'cancelled', fhirStatus: 'entered-in-error', cancelReason: 'Registered in error' },
    });
    expect(opened1.problems).toEqual([]);
  });
});
