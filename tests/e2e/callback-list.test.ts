/**
 * The printed callback list equals the screen's (issue 14 item 12, hazard H5.b): the Callbacks view lists the
 * day on screen, exactly the rows the callback-list sheet prints for that day, after a patient is rebooked at
 * the desk (on neither) and others are marked DNA (on both). `serve --demo` holds several days, so a screen
 * listing every day (as it did) lists more than the paper.
 */
import { describe, expect, it } from 'vitest';
import { sheetInputOf } from '../../electron/desk/print';
import { addDays, needsCallback } from '../../shared/domain';
import { callbackListSheet } from '../../shared/sheets';
import { op, TEST_DAY, TEST_NOW, useDemoDeskAndBrowser } from './support';

const demo = useDemoDeskAndBrowser();

describe('the callback list', () => {
  it('shows on screen exactly the rows the sheet prints for the day, a patient already rebooked on neither', async () => {
    const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
    const [rebooked, ...otherCancelled] = day.appointments.filter((a) => a.status === 'cancelled');
    if (!rebooked) throw new Error('no cancellation on the demo day');
    const [slot] = await op(demo.desk.url, 'findFreeSlots', { from: addDays(TEST_DAY, 1), limit: 1 });
    if (!slot) throw new Error('no free slot on the next demo day');
    await op(demo.desk.url, 'rebookAppointment', { appointmentId: rebooked.id, expectedVersion: rebooked.version, slotId: slot.slot.id });
    const missed = day.appointments.filter((a) => a.status === 'booked' && a.type === 'face_to_face' && a.start < TEST_NOW).slice(0, 2);
    for (const a of missed) await op(demo.desk.url, 'setAppointmentStatus', { appointmentId: a.id, status: 'dna', expectedVersion: a.version });

    const o = await demo.openDesk();
    await o.page.keyboard.press('3');
    await o.page.locator('[data-testid="callback-list"]').waitFor();
    const onScreen = await o.page.locator('[data-callback-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-callback-id')));

    const sheet = callbackListSheet(sheetInputOf(await op(demo.desk.url, 'getDay', { date: TEST_DAY }), new Date(TEST_NOW)));
    const onPaper = sheet.sections.flatMap((s) => s.rows.map((r) => r.appointmentId));
    expect(onScreen).toEqual(onPaper);
    expect(await o.page.textContent('.queue__summary')).toContain(`${sheet.total} to call back`);
    expect(onScreen).not.toContain(rebooked.id);
    // Cancelled as booked in error or a duplicate: nobody to call (issue 18); every other cancellation is listed.
    const noCall = otherCancelled.filter((a) => !needsCallback(a));
    expect(onScreen).toEqual(expect.arrayContaining([...missed.map((a) => a.id), ...otherCancelled.filter((a) => needsCallback(a)).map((a) => a.id)]));
    for (const a of noCall) expect(onScreen).not.toContain(a.id);
    // Another day on screen: its own list, as its own sheet would print.
    const next = addDays(TEST_DAY, 1);
    const nextSheet = callbackListSheet(sheetInputOf(await op(demo.desk.url, 'getDay', { date: next }), new Date(TEST_NOW)));
    expect(nextSheet.total).toBeGreaterThan(0);
    await o.page.goto(new URL(`?date=${next}`, demo.desk.url).toString());
    await o.page.locator('[data-appointment-id]').first().waitFor({ timeout: 15_000 });
    await o.page.keyboard.press('3');
    await o.page.locator('[data-testid="callback-list"]').waitFor();
    await expect
      .poll(() => o.page.locator('[data-callback-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-callback-id'))))
      .toEqual(nextSheet.sections.flatMap((s) => s.rows.map((r) => r.appointmentId)));
    expect(o.problems).toEqual([]);
  });
});
