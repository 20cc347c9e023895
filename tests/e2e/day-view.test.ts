/**
 * The reception day view against a real `serve --demo`: what it shows, live updates between two desks, the
 * actions it offers, and what happens when two desks act on the same appointment.
 */
import { describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../shared/api';
import { Appointment, localTimeOf, TRANSITIONS, type DeskStatus } from '../../shared/domain';
import { callOp, op, rowSelector, screenshot, useDemoDeskAndBrowser, type OpenedPage } from './support';

const DAY = '2026-07-20';
/**
 * How long a wait for something on screen may take before the test gives up: a bound on failure, not a
 * promise about speed. How fast another desk's change shows is measured by `npm run bench`
 * (desk-browser-live-update, against the bare transport), not asserted here.
 */
const SHOWS_WITHIN_MS = 15_000;

const demo = useDemoDeskAndBrowser({ date: DAY, closeAfterEach: true });

function openDesk(path = `?date=${DAY}`): Promise<OpenedPage> {
  return demo.openDesk(path);
}

async function dayFromServer(): Promise<AppointmentRow[]> {
  return (await op(demo.desk.url, 'getDay', { date: DAY })).appointments;
}

/** Booked appointments not yet used by another test, earliest first. */
const used = new Set<string>();
async function takeBooked(): Promise<AppointmentRow> {
  const booked = (await dayFromServer()).filter((a) => a.status === 'booked' && !used.has(a.id)).toSorted((a, b) => a.start.localeCompare(b.start));
  const chosen = booked[0];
  if (!chosen) throw new Error('the demo day has no booked appointment left to use');
  used.add(chosen.id);
  return chosen;
}

describe('day view', () => {
  it('shows the demo day: every clinician, every appointment, in London time, with no errors', async () => {
    const status = await op(demo.desk.url, 'getMirrorStatus', {});
    expect(status.dates.map((d) => d.date)).toContain(DAY);
    const day = await op(demo.desk.url, 'getDay', { date: DAY });
    expect(day.appointments.length).toBeGreaterThan(0);

    // No ?date: the desk picks the day itself (London today if held, else the mirror's first day).
    const { page, problems } = await openDesk('');
    expect(await page.getAttribute('[data-testid="day-date"]', 'data-date')).toBe(DAY);
    expect(await page.textContent('[data-testid="day-date"]')).toContain('Monday 20 July 2026');
    if (day.practice) expect(await page.textContent('[data-testid="practice-name"]')).toBe(day.practice.name);
    expect(await page.getAttribute('[data-testid="mode-badge"]', 'data-mode')).toBe(day.mirror.mode);
    expect(await page.textContent('[data-testid="mirror-age"]')).toMatch(/^Mirror as of \d\d:\d\d/);
    // Receptionists' changes only: the mirror load is not something merge-back has to put back.
    expect(status.journal.deskChanges).toBe(0);
    expect(await page.textContent('[data-testid="journal-count"]')).toBe('0 changes not yet merged');
    expect(await page.textContent('[data-testid="signed-in-user"]')).toBe((await op(demo.desk.url, 'getSession', {})).displayName);

    for (const clinician of day.clinicians) {
      const section = page.locator(`[data-testid=${JSON.stringify(`clinician-${clinician.id}`)}]`);
      expect(await section.locator('h2').textContent()).toBe(clinician.name);
    }

    const shown = await page.$$eval('tr[data-appointment-id]', (rows) =>
      rows.map((r) => ({
        id: r.getAttribute('data-appointment-id'),
        status: r.getAttribute('data-status'),
        time: r.querySelector('[data-testid="appt-time"]')?.textContent ?? null,
        nhs: r.querySelector('[data-testid="nhs-number"]')?.getAttribute('data-nhs-status') ?? null,
      })),
    );
    expect(shown).toHaveLength(day.appointments.length);
    const byId = new Map(shown.map((s) => [s.id, s]));
    for (const a of day.appointments) {
      expect(byId.get(a.id), a.id).toEqual({ id: a.id, status: a.status, time: localTimeOf(a.start), nhs: a.patient.nhsNumberStatus });
    }

    // July is BST: 07:30Z is 08:30 at the demo.desk, though this browser's clock is set to New York.
    const early = day.appointments.find((a) => a.start.startsWith(`${DAY}T07:30:00`)) ?? day.appointments[0];
    if (!early) throw new Error('no appointment');
    const utc = new Date(early.start);
    const londonMinutes = (utc.getUTCHours() * 60 + utc.getUTCMinutes() + 60) % (24 * 60);
    const expected = `${String(Math.floor(londonMinutes / 60)).padStart(2, '0')}:${String(londonMinutes % 60).padStart(2, '0')}`;
    if (early.start.startsWith(`${DAY}T07:30:00`)) expect(expected).toBe('08:30');
    expect(await page.textContent(`${rowSelector(early.id)} [data-testid="appt-time"]`)).toBe(expected);

    await screenshot(page, 'day-view');
    expect(problems).toEqual([]);
  });

  it('shows a change made at one desk on another, and journals it once, naming the desk', async () => {
    const target = await takeBooked();
    const [one, two] = await Promise.all([openDesk(), openDesk()]);
    const deskOne = await one.page.textContent('[data-testid="desk-id"]');
    const deskTwo = await two.page.textContent('[data-testid="desk-id"]');
    expect(deskOne).toMatch(/^browser-/);
    expect(deskOne).not.toBe(deskTwo);
    await two.page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 5000 });
    await one.page.locator('[data-testid="connection"][data-connection="live"]').waitFor({ timeout: 5000 });

    const before = await op(demo.desk.url, 'getMirrorStatus', {});
    const seenOnTwo = two.page.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: SHOWS_WITHIN_MS });
    await one.page.locator(`${rowSelector(target.id, 'booked')} [data-testid="action-arrived"]`).click();
    await seenOnTwo;
    await one.page.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: SHOWS_WITHIN_MS });
    expect(await two.page.textContent(`${rowSelector(target.id)} [data-testid="status-badge"]`)).toBe('Arrived');

    const entries = await op(demo.desk.url, 'getJournal', { afterSeq: before.journal.lastSeq });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ desk: deskOne, entityId: target.id });

    // The other desk's count of journal entries follows too.
    const after = before.journal.deskChanges + 1;
    await two.page.locator('[data-testid="journal-count"]', { hasText: `${after} ${after === 1 ? 'change' : 'changes'} not yet merged` }).waitFor({ timeout: SHOWS_WITHIN_MS });

    expect(one.problems).toEqual([]);
    expect(two.problems).toEqual([]);
  });

  it('offers only the changes the status machine allows', async () => {
    let day = await dayFromServer();
    let cancelled = day.find((a) => a.status === 'cancelled');
    if (!cancelled) {
      const target = await takeBooked();
      await op(demo.desk.url, 'setAppointmentStatus', { appointmentId: target.id, status: 'cancelled', expectedVersion: target.version });
      day = await dayFromServer();
      cancelled = day.find((a) => a.id === target.id);
    }
    if (!cancelled) throw new Error('no cancelled appointment');

    const { page, problems } = await openDesk();
    const row = page.locator(rowSelector(cancelled.id, 'cancelled'));
    await row.waitFor();
    expect(await row.locator('[data-testid^="action-"]').count()).toBe(0);

    // The buttons on each row are only steps the status machine allows from that row's status.
    const offered = await page.$$eval('tr[data-appointment-id]', (rows) =>
      rows.map((r) => ({
        id: r.getAttribute('data-appointment-id') ?? '',
        status: r.getAttribute('data-status') ?? '',
        actions: Array.from(r.querySelectorAll('[data-testid^="action-"]'), (b) => (b.getAttribute('data-testid') ?? '').slice('action-'.length)),
      })),
    );
    expect(offered.length).toBeGreaterThan(0);
    for (const { status, actions } of offered) {
      for (const a of actions) expect(TRANSITIONS[status as DeskStatus], `${status} -> ${a}`).toContain(a);
    }

    // All actions (Enter on the row, or "More"): exactly TRANSITIONS[status], for one row of each status shown.
    const oneOfEach = new Map<string, string>();
    for (const o of offered) if (!oneOfEach.has(o.status)) oneOfEach.set(o.status, o.id);
    expect(oneOfEach.has('cancelled')).toBe(true);
    for (const [status, id] of oneOfEach) {
      await page.locator(rowSelector(id)).focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator('[data-testid="actions-dialog"]');
      await dialog.waitFor();
      const inDialog = await dialog.locator('[data-testid^="action-"]').evaluateAll((buttons) => buttons.map((b) => (b.getAttribute('data-testid') ?? '').slice('action-'.length)));
      expect(inDialog.toSorted(), status).toEqual([...TRANSITIONS[status as DeskStatus]].toSorted());
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }

    // And the backend refuses it anyway, whatever a screen offers.
    const refused = await callOp(demo.desk.url, 'setAppointmentStatus', {
      appointmentId: cancelled.id,
      status: 'arrived',
      expectedVersion: cancelled.version,
    });
    expect(refused.status).toBe(422);
    expect(refused.ok ? null : refused.error.code).toBe('forbidden_transition');
    expect(problems).toEqual([]);
  });

  it('tells a desk acting on an old version that another desk changed it first, and loses nothing', async () => {
    const target = await takeBooked();
    const one = await openDesk();
    // Desk two hears nothing from the server, so its screen still shows the appointment as booked.
    const contextTwo = await demo.newContext();
    await contextTwo.route('**/api/events', (route) => route.abort());
    const pageTwo = await contextTwo.newPage();
    await pageTwo.goto(new URL(`?date=${DAY}`, demo.desk.url).toString());
    await pageTwo.locator(rowSelector(target.id, 'booked')).waitFor({ timeout: 15_000 });
    const before = await op(demo.desk.url, 'getMirrorStatus', {});

    await one.page.locator(`${rowSelector(target.id, 'booked')} [data-testid="action-arrived"]`).click();
    await one.page.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: 2000 });
    expect(await pageTwo.getAttribute(rowSelector(target.id), 'data-status')).toBe('booked');

    // "Send in" is allowed from booked and from arrived: only the version can make this fail.
    const rowTwo = pageTwo.locator(rowSelector(target.id));
    await rowTwo.locator('[data-testid="more-actions"]').click();
    await pageTwo.locator('[data-testid="actions-dialog"] [data-testid="action-sent_in"]').click();

    const notice = pageTwo.locator('[data-testid="notice"][data-kind="conflict"]');
    await notice.waitFor({ timeout: 2000 });
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('Another desk changed this appointment');
    expect(text).toContain('now Arrived');
    expect(await notice.getAttribute('data-appointment-id')).toBe(target.id);
    // Desk two now shows the record as it is.
    await pageTwo.locator(rowSelector(target.id, 'arrived')).waitFor({ timeout: 1000 });

    const now = (await dayFromServer()).find((a) => a.id === target.id);
    expect(now).toMatchObject({ status: 'arrived', version: target.version + 1 });
    const entries = await op(demo.desk.url, 'getJournal', { afterSeq: before.journal.lastSeq });
    expect(entries.filter((e) => e.entityId === target.id)).toHaveLength(1);
    await screenshot(pageTwo, 'conflict-notice');

    // The same over HTTP: the old version is refused with the record as it is now.
    const stale = await callOp(demo.desk.url, 'setAppointmentStatus', {
      appointmentId: target.id,
      status: 'sent_in',
      expectedVersion: target.version,
    });
    expect(stale.status).toBe(409);
    if (stale.ok) throw new Error('a stale write was accepted');
    expect(stale.error.code).toBe('conflict');
    expect(Appointment.parse(stale.error.current)).toMatchObject({ id: target.id, status: 'arrived', version: target.version + 1 });
    expect(one.problems).toEqual([]);
  });
});
