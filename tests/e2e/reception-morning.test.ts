/**
 * A receptionist's morning, by keyboard alone, against a real `serve --demo` for today: find and check in five
 * patients (by surname, DOB, NHS number with and without spaces, and phone), register a same-day walk-in from
 * the mirror and an urgent new one (top of the duty list), mark a DNA and undo it, cancel and rebook to the next
 * day, send one patient in (the waiting-room display shows the call) and one quietly (it does not), and mark the
 * session's remaining no-shows DNA. Then the journal holds one entry per action, each with its user and demo.desk.
 *
 * Nothing on the desk page is clicked: every step is a key press, and each waits for focus to be where a
 * receptionist would expect it before typing on.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { formatNhsNumber, formatUkDate, localTimeOf, sessionNoShows } from '../../shared/domain';
import { formatDayMonth } from '../../renderer/src/day/format';
import { chooseInSearch, expectFocus, fillWalkIn, op, rowSelector, screenshot, TEST_DAY, useDemoDeskAndBrowser } from './support';

// The display and the queue work from the clock now, so the demo is loaded for London's today.
const TODAY = TEST_DAY;

const demo = useDemoDeskAndBrowser();

async function statusOnScreen(page: Page, appointmentId: string, status: string): Promise<void> {
  await page.locator(rowSelector(appointmentId, status)).waitFor({ timeout: 3000 });
}

/**
 * `/`, the query, arrows down to the choice wanted (checking the DOB is the receptionist's job), ready for Enter.
 * A choice is one appointment on the day (or the patient, when not booked): `appointmentId` null picks that.
 */
async function find(page: Page, query: string, patientId: string, appointmentId: string | null): Promise<void> {
  const options = await chooseInSearch(page, query, patientId, appointmentId);
  // Patients booked on the day come first.
  if (appointmentId !== null) expect(options[0]?.endsWith('/')).toBe(false);
}

/** Finds an appointment and puts the keyboard on its row. */
async function goTo(page: Page, query: string, appt: AppointmentRow): Promise<void> {
  await find(page, query, appt.patientId, appt.id);
  await page.keyboard.press('Enter');
  await expectFocus(page, appt.id);
}

describe('a reception morning by keyboard alone', () => {
  it('checks in, registers walk-ins, DNAs and undoes, cancels and rebooks, calls, and marks no-shows; one journal entry each', async () => {
    const session = await op(demo.desk.url, 'getSession', {});
    const start = await op(demo.desk.url, 'getMirrorStatus', {});
    const day = await op(demo.desk.url, 'getDay', { date: TODAY });
    expect(day.date).toBe(TODAY);

    // One session with enough face-to-face patients still booked, all with an NHS number and a phone.
    const usable = (a: AppointmentRow) => a.patient.nhsNumberStatus === 'valid' && a.patient.phone !== null && a.patient.dateOfBirth !== null;
    const chosenSession = day.sessions
      .map((s) => ({ s, rows: sessionNoShows(day.appointments, s.id) }))
      .filter(({ rows }) => rows.filter(usable).length >= 7)
      .toSorted((x, y) => y.rows.length - x.rows.length)[0];
    if (!chosenSession) throw new Error('the demo day has no session with seven usable booked patients');
    const sessionId = chosenSession.s.id;
    const picks = chosenSession.rows.filter(usable);
    const [p1, p2, p3, p4, p5, dnaTarget, cancelTarget] = picks as [AppointmentRow, ...AppointmentRow[]] & { length: number };
    if (!p1 || !p2 || !p3 || !p4 || !p5 || !dnaTarget || !cancelTarget) throw new Error('not enough patients');
    const checkIns = [p1, p2, p3, p4, p5];
    // Duplicates would make two picks one patient.
    expect(new Set(picks.slice(0, 7).map((a) => a.patientId)).size).toBe(7);

    const deskPage = await demo.openDesk();
    const { page } = deskPage;
    const deskId = await page.textContent('[data-testid="desk-id"]');
    await page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 5000 });
    expect(await page.textContent('[data-testid="signed-in-user"]')).toBe(session.displayName);

    // ---- 1. Five check-ins, each found a different way --------------------------------------------------
    const queries = [
      p1.patient.familyName.slice(0, 4).toLowerCase(),
      formatUkDate(p2.patient.dateOfBirth ?? ''),
      formatNhsNumber(p3.patient.nhsNumber ?? ''),
      (p4.patient.nhsNumber ?? '').replace(/\s/g, ''),
      p5.patient.phone ?? '',
    ];
    for (const [i, appt] of checkIns.entries()) {
      await goTo(page, queries[i] ?? '', appt);
      await page.keyboard.press('a');
      await statusOnScreen(page, appt.id, 'arrived');
      if (i === 0) await screenshot(page, 'morning-1-first-check-in');
    }

    // ---- 2. Walk-ins: a same-day one from the mirror, then an urgent new patient --------------------------
    const bookedIds = new Set(day.appointments.map((a) => a.patientId));
    const mirrorOnly = (await op(demo.desk.url, 'searchPatients', { query: 'a', limit: 200 })).find((h) => !bookedIds.has(h.patient.id));
    if (!mirrorOnly) throw new Error('no mirror patient without an appointment today');
    await find(page, mirrorOnly.patient.familyName.toLowerCase(), mirrorOnly.patient.id, null);
    await page.keyboard.press('Shift+Enter');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor();
    await expectFocus(page, 'triage-urgent_today');
    await fillWalkIn(page, 'Rash since yesterday');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor({ state: 'detached' });
    await page.locator('[data-testid="queue-duty"] [data-appointment-id]').first().waitFor();

    await page.keyboard.press('w');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor();
    // The dialog starts by finding them; a patient not in the mirror is "New patient", one key to the left.
    await expectFocus(page, 'walk-in-find');
    await page.keyboard.press('Shift+Tab');
    await expectFocus(page, 'walk-in-source-mirror');
    await page.keyboard.press('ArrowRight');
    await expectFocus(page, 'walk-in-source-new');
    const fields: Array<[string, string]> = [
      ['walk-in-family', 'Quayle'],
      ['walk-in-given', 'Ottilie'],
      ['walk-in-dob', '14/03/1988'],
      ['walk-in-phone', '07700 900123'],
      ['walk-in-nhs', '999 000 0018'],
    ];
    for (const [testId, text] of fields) {
      await page.keyboard.press('Tab');
      await expectFocus(page, testId);
      await page.keyboard.type(text);
    }
    expect(await page.textContent('[data-testid="walk-in-nhs-check"]')).toMatch(/^(Valid|Not a valid)/);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'walk-in-temporary');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'triage-urgent_today');
    await page.keyboard.press('Space');
    expect(await page.textContent('[data-testid="red-flag"]')).toContain('call 999');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'walk-in-assign');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Chest infection, breathless on stairs, no chest pain');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="walk-in-dialog"]').waitFor({ state: 'detached' });
    // Top of the duty list, ahead of the same-day walk-in who came first, with the keyboard on them.
    const duty = page.locator('[data-testid="queue-duty"] li[data-appointment-id]');
    await expect.poll(async () => (await duty.first().textContent()) ?? '', { timeout: 3000 }).toContain('QUAYLE, Ottilie');
    expect(await duty.first().getAttribute('data-position')).toBe('1');
    expect(await duty.nth(1).textContent()).toContain(mirrorOnly.patient.familyName.toUpperCase());
    expect(await duty.first().textContent()).toContain('Urgent');
    const urgentId = await duty.first().getAttribute('data-appointment-id');
    await expectFocus(page, urgentId ?? '');
    await screenshot(page, 'morning-2-duty-list');

    // ---- 3. A DNA by mistake, and its undo ---------------------------------------------------------------
    await page.keyboard.press('1');
    await goTo(page, formatNhsNumber(dnaTarget.patient.nhsNumber ?? ''), dnaTarget);
    await page.keyboard.press('d');
    await statusOnScreen(page, dnaTarget.id, 'dna');
    await page.keyboard.press('u');
    await statusOnScreen(page, dnaTarget.id, 'booked');

    // ---- 4. Cancel with a reason, and rebook to the next day ----------------------------------------------
    await goTo(page, formatUkDate(cancelTarget.patient.dateOfBirth ?? ''), cancelTarget);
    await page.keyboard.press('x');
    await page.locator('[data-testid="cancel-dialog"]').waitFor();
    await expectFocus(page, 'cancel-reason');
    await page.keyboard.press('ArrowDown'); // "Patient unwell, cannot attend"
    await page.keyboard.press('Tab');
    await expectFocus(page, 'confirm-cancel');
    await page.keyboard.press('Enter');
    await statusOnScreen(page, cancelTarget.id, 'cancelled');
    await expectFocus(page, cancelTarget.id);
    await page.keyboard.press('r');
    await page.locator('[data-testid="rebook-dialog"]').waitFor();
    await expectFocus(page, 'rebook-day');
    const nextDay = status0Dates(start).find((d) => d > TODAY);
    expect(await page.inputValue('[data-testid="rebook-day"]')).toBe(nextDay);
    await page.keyboard.press('Tab');
    await expectFocus(page, 'rebook-whose');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'rebook-slots');
    await page.locator('[data-testid="rebook-slots"] option').first().waitFor();
    await screenshot(page, 'morning-4-rebook');
    await page.keyboard.press('ArrowDown');
    const slotId = await page.inputValue('[data-testid="rebook-slots"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="rebook-dialog"]').waitFor({ state: 'detached' });
    const nextDayBook = await op(demo.desk.url, 'getDay', { date: nextDay ?? '' });
    const rebooked = nextDayBook.appointments.find((a) => a.patientId === cancelTarget.patientId && a.desk?.origin === 'rebooked');
    expect(rebooked).toMatchObject({ slotId, status: 'booked' });
    // The old row says where the patient went: the day, the time and the clinician, though that day is not on screen.
    const movedTo = rebooked
      ? `${formatDayMonth(nextDay ?? '')} ${localTimeOf(rebooked.start)} with ${nextDayBook.clinicians.find((c) => c.id === rebooked.clinicianId)?.name ?? '?'}`
      : '?';
    await expect
      .poll(() => page.locator(`${rowSelector(cancelTarget.id, 'cancelled')} [data-testid="rebooked-to"]`).textContent(), { timeout: 3000 })
      .toBe(`Rebooked to ${movedTo}`);

    // ---- 5. Send in (on the display) and a quiet send in (never on it) ------------------------------------
    const display = await demo.openDisplay();
    const arrivedP1 = (await op(demo.desk.url, 'getDay', { date: TODAY })).appointments.find((a) => a.id === p1.id);
    const ticket = arrivedP1?.desk?.ticket;
    expect(ticket).toBeTruthy();
    await goTo(page, p1.patient.familyName.slice(0, 4).toLowerCase(), p1);
    await page.keyboard.press('s');
    await statusOnScreen(page, p1.id, 'sent_in');
    await display.page.locator('[data-testid="display-latest"]', { hasText: String(ticket) }).waitFor({ timeout: 2000 });
    const latestText = (await display.page.textContent('[data-testid="display-latest"]')) ?? '';
    expect(latestText).not.toContain(p1.patient.familyName);
    const room = (await op(demo.desk.url, 'getDisplayBoard', {})).calls[0]?.room;
    if (room) expect(latestText).toContain(room);

    await goTo(page, (p2.patient.phone ?? '').replace(/\s/g, ''), p2);
    await page.keyboard.press('q');
    // The same clinician still has p1 in the room: the desk asks first (issue 17), "Not yet" has the keyboard.
    const question = page.locator('[data-testid="send-in-anyway-question"]');
    await question.waitFor({ timeout: 3000 });
    expect(await question.textContent()).toMatch(
      new RegExp(`^${p1.patient.familyName.toUpperCase()}.* is still with .+\\. Send ${p2.patient.familyName.toUpperCase()}.* in anyway\\?$`),
    );
    await expectFocus(page, 'send-in-anyway-cancel');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'send-in-anyway-confirm');
    await page.keyboard.press('Enter');
    await statusOnScreen(page, p2.id, 'quiet_sent_in');
    const p2Ticket = (await op(demo.desk.url, 'getDay', { date: TODAY })).appointments.find((a) => a.id === p2.id)?.desk?.ticket;
    // Give the display every chance to (wrongly) show it: its own read of the board, after the change.
    await display.page.reload();
    await display.page.locator('[data-testid="display-latest"]').waitFor();
    const labels = await display.page.locator('.display__label, .display__item-label').allTextContents();
    expect(labels).toContain(`Ticket ${ticket}`);
    expect(p2Ticket).toBeTruthy();
    expect(labels).not.toContain(`Ticket ${p2Ticket}`);
    expect(await display.page.textContent('[data-testid="display-latest"]')).toContain(String(ticket));
    await screenshot(display.page, 'morning-5-display');

    // ---- 6. The session's remaining no-shows -> DNA, after a list of who ----------------------------------
    await page.keyboard.press('Shift+D');
    await page.locator('[data-testid="session-dna-dialog"]').waitFor();
    const now = await op(demo.desk.url, 'getDay', { date: TODAY });
    const remaining = sessionNoShows(now.appointments, sessionId);
    // Only those already due are offered at first; the rest take a deliberate second choice (the box).
    // The desk's pinned instant, where the page's clock was installed (tests/e2e/support.ts); appointments start on
    // whole minutes, so the seconds the page's clock has run since do not change who is due.
    const nowIso = new Date(demo.desk.now).toISOString();
    const due = remaining.filter((a) => a.start <= nowIso);
    const dueListed = await page.locator('[data-testid="session-dna-list"] li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-appointment-ref')));
    expect(dueListed).toEqual(due.map((a) => a.id));
    if (due.length < remaining.length) {
      if (due.length > 0) {
        await expectFocus(page, 'confirm-session-dna');
        await page.keyboard.press('Shift+Tab');
      }
      await expectFocus(page, 'session-dna-include-not-due');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
    }
    // The dialog names exactly who will be marked: not the five checked in, not the one cancelled.
    const listed = await page.locator('[data-testid="session-dna-list"] li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-appointment-ref')));
    expect(listed).toEqual(remaining.map((a) => a.id));
    expect(listed).toContain(dnaTarget.id);
    for (const a of [...checkIns, cancelTarget]) expect(listed).not.toContain(a.id);
    await screenshot(page, 'morning-6-no-shows');
    await expectFocus(page, 'confirm-session-dna');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="session-dna-dialog"]').waitFor({ state: 'detached' });
    for (const a of remaining) await statusOnScreen(page, a.id, 'dna');

    // ---- The journal: one entry per action, in order, each with its user and this desk -------------------
    const entries = await op(demo.desk.url, 'getJournal', { afterSeq: start.journal.lastSeq, limit: 1000 });
    const expected: Array<[string, string | null]> = [
      ...checkIns.map((a): [string, string | null] => ['appointment.setStatus', a.id]),
      ['appointment.walkIn', null],
      ['appointment.walkIn', urgentId],
      ['appointment.setStatus', dnaTarget.id],
      ['appointment.undo', dnaTarget.id],
      ['appointment.setStatus', cancelTarget.id],
      ['appointment.rebook', cancelTarget.id],
      ['appointment.setStatus', p1.id],
      ['appointment.setStatus', p2.id],
      ...remaining.map((a): [string, string | null] => ['appointment.setStatus', a.id]),
    ];
    expect(entries.map((e) => e.op)).toEqual(expected.map(([o]) => o));
    for (const [i, [, id]] of expected.entries()) if (id !== null) expect(entries[i]?.entityId, `entry ${i}`).toBe(id);
    for (const e of entries) expect(e).toMatchObject({ user: session.user, desk: deskId });
    // The header counts changes not yet merged, one per appointment changed or made, not per entry: the five
    // checked in (two of them later sent in), the two walk-ins, the cancelled one and its rebooking, and each
    // no-show (the DNA undone and then marked again is one).
    const after = await op(demo.desk.url, 'getMirrorStatus', {});
    expect(after.journal.deskChanges - start.journal.deskChanges).toBe(checkIns.length + 2 + 2 + remaining.length);

    // The one refused send in (409, StillWithClinician) is how the desk learns to ask; Chromium logs it as a failed load.
    expect(deskPage.problems.filter((p) => !/status of 409 \(Conflict\)/.test(p))).toEqual([]);
    expect(deskPage.problems.length).toBeLessThanOrEqual(1);
    expect(display.problems).toEqual([]);
  });
});

function status0Dates(status: { dates: ReadonlyArray<{ date: string }> }): string[] {
  return status.dates.map((d) => d.date);
}
