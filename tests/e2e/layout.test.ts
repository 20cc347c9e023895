/**
 * The day at the two screens reception has (issue 18 item 9): 1366x768 and 1920x1080, a day of seven clinicians,
 * in outage and online, with a desk group shown in the header. Nothing scrolls sideways and every clinician's list
 * can be reached; the header stays within two lines; the filter bar stays put while the day scrolls; DOB, NHS
 * number and ticket are big enough to read at arm's length. And a rebooked row says where the patient went
 * (item 10).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localTimeOf } from '../../shared/domain';
import type { GroupStatus } from '../../shared/api';
import { groupStatusOf, memberStatusOf } from '../renderer/support/group';
import { launchBrowser, newDeskContext, op, rowSelector, screenshot, startServer, type RunningDesk } from './support';

/** A Wednesday: the demo practice's rota (electron/desk/demo/rota.ts) has exactly seven clinicians working that day. */
const DAY = '2026-07-22';
/** 10:30 in London, mid-morning: the day opens scrolled to its now line. */
const NOW = '2026-07-22T09:30:00.000Z';
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
/** Read at arm's length: DOB and NHS number at least this many CSS pixels... */
const READABLE_PX = 15;
/** ...and the ticket the patient must be told, bigger still. */
const TICKET_PX = 18;

/**
 * The longest group indicators the header carries: a coordinator whose changes only this PC holds, and a member
 * that lost its coordinator, 4 changes behind; each with changes to review.
 */
const GROUP_SHOWN: Record<'outage' | 'online', GroupStatus> = {
  outage: groupStatusOf({ heldOnTwoPcs: false, reviewOpen: 3 }),
  online: memberStatusOf({ state: 'coordinator-lost', lastHeardAt: '2026-07-22T09:12:00.000Z', reviewOpen: 3 }),
};

let desk: RunningDesk;
let browser: Browser;

beforeAll(async () => {
  [desk, browser] = await Promise.all([startServer({ date: DAY, now: NOW }), launchBrowser()]);
});
afterAll(async () => {
  await browser.close();
  await desk.stop();
});

/**
 * A desk window at `size`. The desk group is a test double: the page's getGroupStatus is answered with `group`
 * (GROUP_SHOWN), so the header is measured with a group shown without running a second desk.
 */
async function openAt(size: { width: number; height: number }, group: GroupStatus = GROUP_SHOWN.outage, path = `?date=${DAY}`): Promise<Page> {
  const context = await newDeskContext(browser, { desk, now: NOW, layout: 'fit' });
  await context.route('**/api/op/getGroupStatus', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, value: group }) }));
  const page = await context.newPage();
  await page.setViewportSize(size);
  await page.goto(new URL(path, desk.url).toString());
  await page.locator('.day[data-complete="true"]').waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="group-indicator"]').waitFor({ timeout: 15_000 });
  return page;
}

/**
 * How many lines of text an element takes: the vertical bands its text occupies, text side by side (a flex line)
 * counting once. Measured from the text itself, so a tall button or badge is not mistaken for two lines.
 */
async function linesOf(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (elements) =>
    elements.map((element) => {
      const bands: Array<{ top: number; bottom: number }> = [];
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if ((node.textContent ?? '').trim() === '') continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) {
          if (rect.width === 0 || rect.height === 0) continue;
          const middle = (rect.top + rect.bottom) / 2;
          const band = bands.find((b) => middle >= b.top && middle <= b.bottom);
          if (band) {
            band.top = Math.min(band.top, rect.top);
            band.bottom = Math.max(band.bottom, rect.bottom);
          } else bands.push({ top: rect.top, bottom: rect.bottom });
        }
      }
      return bands.length;
    }),
  );
}

async function fontSize(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
}

describe('the day at reception screen sizes, seven clinicians', () => {
  let checkedIn: { id: string; clinicianId: string } | undefined;
  beforeAll(async () => {
    const day = await op(desk.url, 'getDay', { date: DAY });
    expect(new Set(day.appointments.map((a) => a.clinicianId)).size).toBe(7);
    // A patient checked in: a ticket on screen to measure.
    const booked = day.appointments.find((a) => a.status === 'booked' && a.type === 'face_to_face');
    if (!booked) throw new Error('the demo day has no booked face-to-face appointment');
    await op(desk.url, 'setAppointmentStatus', { appointmentId: booked.id, status: 'arrived', expectedVersion: booked.version });
    checkedIn = booked;
  });

  for (const mode of ['outage', 'online'] as const) {
    for (const size of SIZES) {
      it(`${size.width}x${size.height}, ${mode}: no sideways scroll, every list reachable, a two-line header, a filter bar that stays`, async () => {
        await op(desk.url, 'setMode', { mode, reason: `e2e: the layout ${mode}` });
        const day = await op(desk.url, 'getDay', { date: DAY });
        const page = await openAt(size, GROUP_SHOWN[mode]);
        await page.locator(`[data-testid="mode-badge"][data-mode="${mode}"]`).waitFor();

        const sideways = await page.evaluate(() => {
          const main = document.querySelector('.main');
          return {
            document: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            main: main === null ? 0 : main.scrollWidth - main.clientWidth,
          };
        });
        expect(sideways).toEqual({ document: 0, main: 0 });

        // Every clinician's appointments: side by side, each column wholly on screen; else each one a click away.
        const layout = await page.getAttribute('.day', 'data-layout');
        const byClinician = new Map<string, number>();
        for (const a of day.appointments) byClinician.set(a.clinicianId, (byClinician.get(a.clinicianId) ?? 0) + 1);
        if (layout === 'columns') {
          for (const [clinicianId, count] of byClinician) {
            const section = page.locator(`[data-testid=${JSON.stringify(`clinician-${clinicianId}`)}]`);
            const box = await section.boundingBox();
            expect(box && box.x >= 0 && box.x + box.width <= size.width, clinicianId).toBe(true);
            expect(await section.locator('tr[data-appointment-id]').count()).toBe(count);
          }
        } else {
          expect(layout).toBe('single');
          expect(await page.locator('.clinician-nav__item').count()).toBe(7);
          for (const [clinicianId, count] of byClinician) {
            await page.locator(`[data-testid=${JSON.stringify(`nav-${clinicianId}`)}]`).click();
            const section = page.locator(`[data-testid=${JSON.stringify(`clinician-${clinicianId}`)}]`);
            await section.waitFor();
            expect(await section.locator('tr[data-appointment-id]').count()).toBe(count);
            const box = await section.boundingBox();
            expect(box && box.x + box.width <= size.width, clinicianId).toBe(true);
          }
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);

        // The header: each of its parts two lines at most, the group indicator shown.
        expect(await page.locator('[data-testid="group-indicator"]').isVisible()).toBe(true);
        // Its name, two lines (the product over the practice); the day and mirror on one line, the group and the
        // journal on one more; the session bar and the outage band a line each.
        expect(await linesOf(page, '.app-header__identity')).toEqual([2]);
        expect(await linesOf(page, '.app-header__row')).toEqual([1, 1]);
        expect(await linesOf(page, '.session-bar')).toEqual([1]);
        expect(await linesOf(page, '.outage-band')).toEqual(mode === 'outage' ? [1] : []);
        // The header as a whole no taller than two lines of its largest text (the date), with its padding.
        const header = await page.locator('.app-header').evaluate((e) => {
          const date = e.querySelector('.app-header__date');
          const style = getComputedStyle(e);
          const lineHeight = date === null ? 0 : date.getBoundingClientRect().height;
          return { content: e.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom), lineHeight };
        });
        expect(header.lineHeight).toBeGreaterThan(0);
        expect(header.content).toBeLessThanOrEqual(2 * header.lineHeight + 1);

        // Arm's length: DOB, NHS number and ticket, large and dark.
        if (!checkedIn) throw new Error('no patient was checked in');
        if (layout === 'single') await page.locator(`[data-testid=${JSON.stringify(`nav-${checkedIn.clinicianId}`)}]`).click();
        await page.locator(`${rowSelector(checkedIn.id)} [data-testid="ticket"]`).scrollIntoViewIfNeeded();
        expect(await fontSize(page, '.day .dob')).toBeGreaterThanOrEqual(READABLE_PX);
        expect(await fontSize(page, '.day .nhs-number')).toBeGreaterThanOrEqual(READABLE_PX);
        expect(await fontSize(page, '.day [data-testid="ticket"]')).toBeGreaterThanOrEqual(TICKET_PX);
        const ticketColour = await page
          .locator('.day [data-testid="ticket"]')
          .first()
          .evaluate((e) => getComputedStyle(e).color);
        expect(ticketColour, 'the ticket is in the text colour, not grey').toBe('rgb(33, 43, 50)');

        await screenshot(page, `layout-${size.width}x${size.height}${mode === 'online' ? '-online' : ''}`);

        // The filter bar stays where it is while the day scrolls under it.
        const bar = page.locator('.filter-bar');
        await page.evaluate(() => document.querySelector('.main')?.scrollTo({ top: 0 }));
        const before = await bar.boundingBox();
        const scrolled = await page.evaluate(() => {
          const main = document.querySelector('.main');
          if (!main) return 0;
          main.scrollTo({ top: 600 });
          return main.scrollTop;
        });
        expect(scrolled, 'the day is long enough to scroll').toBeGreaterThan(200);
        const after = await bar.boundingBox();
        expect(after?.y).toBe(before?.y);
        expect(await bar.isVisible()).toBe(true);
        if (mode === 'outage') await screenshot(page, `layout-${size.width}x${size.height}-scrolled`);
        await page.context().close();
      });
    }
  }

  it("a person's choice of layout wins over what fits", async () => {
    const page = await openAt(SIZES[0]);
    expect(await page.getAttribute('.day', 'data-layout')).toBe('single');
    await page.locator('[data-testid="layout-columns"]').click();
    await page.locator('.day[data-layout="columns"]').waitFor();
    await page.setViewportSize(SIZES[1]);
    await page.setViewportSize(SIZES[0]);
    expect(await page.getAttribute('.day', 'data-layout')).toBe('columns');
    await page.context().close();
  });

  it('a rebooked row says to when and with whom, and the new one where it came from', async () => {
    const day = await op(desk.url, 'getDay', { date: DAY });
    const clinicianName = new Map(day.clinicians.map((c) => [c.id, c.name]));
    const later = day.appointments.filter((a) => a.status === 'booked' && a.start > NOW).toSorted((a, b) => a.start.localeCompare(b.start));
    const [sameDay, otherDay] = later;
    if (!sameDay || !otherDay) throw new Error('the demo day has too few booked appointments after 10:30');
    const [slotToday] = (await op(desk.url, 'findFreeSlots', { from: DAY, to: DAY, limit: 500 })).filter((s) => s.slot.start > '2026-07-22T13:00:00.000Z');
    const [slotTomorrow] = await op(desk.url, 'findFreeSlots', { from: addDays(DAY, 1), limit: 1 });
    if (!slotToday || !slotTomorrow) throw new Error('no free slot to rebook into');
    const movedToday = await op(desk.url, 'rebookAppointment', { appointmentId: sameDay.id, expectedVersion: sameDay.version, slotId: slotToday.slot.id });
    await op(desk.url, 'rebookAppointment', { appointmentId: otherDay.id, expectedVersion: otherDay.version, slotId: slotTomorrow.slot.id });

    const page = await openAt(SIZES[1]);
    const toToday = page.locator(`${rowSelector(sameDay.id)} [data-testid="rebooked-to"]`);
    await page.locator(`[data-testid=${JSON.stringify(`nav-${sameDay.clinicianId}`)}]`).click();
    expect(await toToday.textContent()).toBe(`Rebooked to Wed 22 Jul ${localTimeOf(slotToday.slot.start)} with ${slotToday.clinician.name}`);
    await page.locator(`[data-testid=${JSON.stringify(`nav-${movedToday.booked.clinicianId}`)}]`).click();
    expect(await page.locator(`${rowSelector(movedToday.booked.id)} [data-testid="rebooked-from"]`).textContent()).toBe(
      `Rebooked from Wed 22 Jul ${localTimeOf(sameDay.start)} with ${clinicianName.get(sameDay.clinicianId) ?? '?'}`,
    );
    await page.locator(`[data-testid=${JSON.stringify(`nav-${otherDay.clinicianId}`)}]`).click();
    expect(await page.locator(`${rowSelector(otherDay.id)} [data-testid="rebooked-to"]`).textContent()).toBe(
      `Rebooked to Thu 23 Jul ${localTimeOf(slotTomorrow.slot.start)} with ${slotTomorrow.clinician.name}`,
    );
    await screenshot(page, 'layout-rebooked');
    await page.context().close();
  });
});
