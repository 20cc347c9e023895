/**
 * An outage drill on screen (issue 20 item 5), against a real `serve --demo`: the manager starts a drill from their
 * screen, the DRILL band shows on the manager's and a receptionist's screens, the receptionist checks a patient in by
 * keyboard, the manager ends the drill with the report, the readiness panel dates the drill, and the day is as it was
 * before the drill. (Nothing merged back, every printed page marked: tests/unit/desk/drill.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { chooseInSearch, expectFocus, op, rowSelector, screenshot, TEST_DAY, useDemoDeskAndBrowser } from './support';

const demo = useDemoDeskAndBrowser();

describe('an outage drill', () => {
  it('is started, worked by keyboard and ended on screen, and leaves the day as it was', async () => {
    const url = demo.desk.url;
    const before = await op(url, 'getDay', { date: TEST_DAY });
    const statuses = (day: { appointments: readonly AppointmentRow[] }) => day.appointments.map((a) => [a.id, a.status, a.version]);
    const appt = before.appointments.find((a) => a.status === 'booked' && a.patient.nhsNumberStatus === 'valid' && a.patient.nhsNumber !== null);
    if (!appt) throw new Error('the demo day has no booked patient with an NHS number');

    // ---- The manager starts a drill on their screen ---------------------------------------------------------
    const managerContext = await demo.newContext();
    const manager = await managerContext.newPage();
    await manager.goto(url);
    await manager.getByRole('button', { name: 'Users and audit' }).click();
    await manager.getByRole('button', { name: 'Start a drill' }).click();
    await manager.locator('[data-testid="drill-band"]').waitFor({ timeout: 10_000 });

    // ---- A receptionist works it by keyboard ----------------------------------------------------------------
    const receptionContext = await demo.newContext({ as: 'receptionist' });
    const reception = await receptionContext.newPage();
    await reception.goto(url);
    await reception.locator('.day[data-complete="true"]').waitFor({ timeout: 15_000 });
    await reception.locator('[data-testid="drill-band"]').waitFor({ timeout: 10_000 });
    await chooseInSearch(reception, (appt.patient.nhsNumber ?? '').replace(/\s/g, ''), appt.patientId, appt.id);
    await reception.keyboard.press('Enter');
    await expectFocus(reception, appt.id);
    await reception.keyboard.press('a');
    await reception.locator(rowSelector(appt.id, 'arrived')).waitFor({ timeout: 5000 });
    expect(await reception.locator('[data-testid="drill-band"]').textContent()).toContain('DRILL');
    await screenshot(reception, 'drill-1-reception-check-in');

    // ---- The manager ends it with the report -----------------------------------------------------------------
    await manager.getByLabel('The team found the outage pack').check();
    await manager.getByLabel('Problems noted').fill('Nobody knew where the pack folder was.');
    await manager.getByRole('button', { name: 'End the drill' }).click();
    await manager.locator('[data-testid="drill-band"]').waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => manager.locator('[data-testid="last-drill"]').textContent()).toContain('first check-in after');
    expect(await manager.locator('[data-testid="last-drill"]').textContent()).toContain('Nobody knew where the pack folder was.');
    await expect.poll(() => manager.locator('[data-testid="readiness-drill"]').textContent(), { timeout: 10_000 }).toContain(`last drill ended ${TEST_DAY}`);
    await screenshot(manager, 'drill-2-manager-ended');

    // The receptionist's screen is the real day again: the band gone, the patient booked as before.
    await reception.locator('[data-testid="drill-band"]').waitFor({ state: 'detached', timeout: 10_000 });
    await reception.locator(rowSelector(appt.id, 'booked')).waitFor({ timeout: 10_000 });
    expect(statuses(await op(url, 'getDay', { date: TEST_DAY }))).toEqual(statuses(before));
    const drill = await op(url, 'getDrill', {});
    expect(drill).toMatchObject({ running: null, last: { outcome: 'ended', packFound: true, packPrinted: false, problems: 'Nobody knew where the pack folder was.' } });
    expect(drill.last?.minutesToFirstCheckIn).not.toBeNull();
  });
});
