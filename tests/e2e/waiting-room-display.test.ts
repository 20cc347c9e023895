/**
 * The waiting-room displays (issue 17), in Chromium against `serve --demo`: a manager sets them up on screen by
 * keyboard (first name and initial, chime and speech, two waiting areas with their rooms); a display per area,
 * each in its own browser context, shows and sounds its own area's calls only, within a second; a recall sounds
 * again; a quiet send in never shows or sounds; no full name ever reaches a display. Axe on both screens.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppointmentRow, DayView, PracticeRoomSettings } from '../../shared/api';
import { firstNameInitialOf } from '../../shared/domain';
import { op, screenshot, TEST_DAY, useDemoDeskAndBrowser, type OpenedPage } from './support';
import { axeProblems } from './axe';

const demo = useDemoDeskAndBrowser({ date: TEST_DAY });

const AREAS = [
  { id: 'ground-floor', name: 'Ground floor' },
  { id: 'upstairs', name: 'Upstairs' },
] as const;
const RATE = 1.2;

/** What the manager sets on screen in the first test, and the second sets through the API so it stands alone. */
const settingsWith = (ground: string, upstairs: string): PracticeRoomSettings => ({
  display: { show: 'first-name-initial', chime: true, speak: true, voice: null, rate: RATE },
  areas: [
    { ...AREAS[0], rooms: [ground] },
    { ...AREAS[1], rooms: [upstairs] },
  ],
  cliniciansMayDna: false,
});

/** A call's room as the desk gives it: the session's room, else the clinician's. */
function roomOf(day: DayView, a: AppointmentRow): string | null {
  return day.sessions.find((s) => s.id === a.sessionId)?.room ?? day.clinicians.find((c) => c.id === a.clinicianId)?.room ?? null;
}

/** Booked face-to-face appointments today, by room, to check in and call. */
let byRoom: Map<string, AppointmentRow[]>;
let groundRoom: string;
let upstairsRoom: string;

beforeAll(async () => {
  const day = await op(demo.desk.url, 'getDay', { date: TEST_DAY });
  byRoom = new Map();
  for (const a of day.appointments) {
    const room = roomOf(day, a);
    if (a.status !== 'booked' || a.type !== 'face_to_face' || room === null) continue;
    byRoom.set(room, [...(byRoom.get(room) ?? []), a]);
  }
  // Two rooms with at least two patients each: one called, one sent in quietly.
  const rooms = [...byRoom].filter(([, list]) => list.length >= 2).map(([room]) => room);
  const [ground, upstairs] = rooms;
  if (ground === undefined || upstairs === undefined) throw new Error(`the demo day has too few rooms with patients: ${rooms.join(', ')}`);
  groundRoom = ground;
  upstairsRoom = upstairs;
});

async function focusAndPress(page: Page, selector: string, key: string): Promise<void> {
  await page.locator(selector).focus();
  await page.keyboard.press(key);
}

/**
 * Test doubles in the page, installed before any of its scripts: an AudioContext that starts 'suspended' (as a
 * browser holding sound back until a click does) and says 'running' once resumed; OscillatorNode.start and
 * speechSynthesis.speak recorded in window.__sound instead of making sound.
 */
const SOUND_DOUBLES = `(() => {
  const log = { contexts: 0, tones: [], spoken: [] };
  window.__sound = log;
  const Real = window.AudioContext;
  class RecordingAudioContext extends Real {
    constructor(...args) {
      super(...args);
      log.contexts++;
      this.__resumed = false;
    }
    get state() {
      return this.__resumed ? 'running' : 'suspended';
    }
    resume() {
      this.__resumed = true;
      this.dispatchEvent(new Event('statechange'));
      return Promise.resolve();
    }
  }
  window.AudioContext = RecordingAudioContext;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (when) {
    log.tones.push(when ?? 0);
    return start.call(this, when);
  };
  const synth = window.speechSynthesis ?? { getVoices: () => [], cancel: () => {}, addEventListener: () => {}, removeEventListener: () => {} };
  // The utterance keeps its rate as a 32-bit float: rounded here to the settings' tenths.
  synth.speak = (u) => log.spoken.push({ text: u.text, rate: Math.round(u.rate * 100) / 100, voice: u.voice ? u.voice.name : null });
  if (!window.speechSynthesis) Object.defineProperty(window, 'speechSynthesis', { value: synth });
})()`;

interface SoundLog {
  contexts: number;
  tones: number[];
  spoken: Array<{ text: string; rate: number; voice: string | null }>;
}
const soundLog = (page: Page) => page.evaluate<SoundLog>('window.__sound');

async function openAreaDisplay(area: string): Promise<OpenedPage> {
  // A display signs nobody in: it is a public screen.
  const context = await demo.newContext({ as: 'nobody' });
  await context.addInitScript({ content: SOUND_DOUBLES });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL(`display?area=${area}`, demo.desk.url).toString());
  await page.locator(`[data-testid="display"][data-area="${area}"]`).waitFor({ timeout: 15_000 });
  return { context, page, problems };
}

describe('the waiting-room displays', () => {
  it('a manager sets them up by keyboard: first name and initial, chime and speech, two areas with their rooms', async () => {
    const context = await demo.newContext();
    await context.addInitScript({ content: SOUND_DOUBLES });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(demo.desk.url);
    await page.locator('tr[data-appointment-id]').first().waitFor({ timeout: 15_000 });
    await focusAndPress(page, 'button:has-text("Users and audit")', 'Enter');
    await page.locator('[data-testid="room-settings-save"]').waitFor();

    // Arrow keys move through a radio group: down from Ticket number to First name and initial.
    await focusAndPress(page, '[data-testid="display-show-ticket"]', 'ArrowDown');
    await expect.poll(() => page.isChecked('[data-testid="display-show-first-name-initial"]')).toBe(true);
    expect(await page.isChecked('[data-testid="display-chime"]')).toBe(true);
    await focusAndPress(page, '[data-testid="display-speak-setting"]', 'Space');
    await expect.poll(() => page.isChecked('[data-testid="display-speak-setting"]')).toBe(true);
    await focusAndPress(page, '[data-testid="display-rate"]', 'ControlOrMeta+a');
    await page.keyboard.type(String(RATE));

    // "Test the call" sounds a sample on this PC as the displays would: the chime, then a made-up name and room.
    await focusAndPress(page, '[data-testid="display-test-call"]', 'Enter');
    await expect.poll(async () => (await soundLog(page)).spoken, { timeout: 5000 }).toEqual([{ text: 'Amira K, please go to Room 3', rate: RATE, voice: null }]);
    expect((await soundLog(page)).tones).toHaveLength(2);

    for (const area of AREAS) {
      await page.locator('[data-testid="new-area-name"]').focus();
      await page.keyboard.type(area.name);
      await page.keyboard.press('Enter');
      await page.locator(`[data-testid="area-address-${area.id}"]`).waitFor();
    }
    expect(await page.textContent(`[data-testid="area-address-upstairs"]`)).toBe(new URL('display?area=upstairs', demo.desk.url).toString());
    // Type-ahead on a focused select chooses the option that starts with what is typed.
    for (const [room, area] of [
      [groundRoom, AREAS[0]],
      [upstairsRoom, AREAS[1]],
    ] as const) {
      await page.locator(`[data-testid="room-area-${room}"]`).focus();
      await page.keyboard.type(area.name);
      await expect.poll(() => page.locator(`[data-testid="room-area-${room}"]`).inputValue()).toBe(area.id);
    }
    await focusAndPress(page, '[data-testid="room-settings-save"]', 'Enter');
    await page.getByText('Saved. The displays use these settings from their next call.').waitFor();

    expect((await op(demo.desk.url, 'getRoomSettings', {})).settings).toEqual(settingsWith(groundRoom, upstairsRoom));
    expect((await op(demo.desk.url, 'getAudit', { kind: 'settings-changed' })).map((e) => e.user)).toContain(demo.desk.accounts.manager.username);
    await page.locator('[data-testid="room-settings"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'room-display-settings');
    // The settings and the users with their links: the day's hundreds of rows behind them are desk-screens' to check.
    expect(await axeProblems(page, { include: ['.admin-panel'] })).toEqual([]);
  });

  it('shows and sounds a call on its own area\u2019s display only, within a second; a recall sounds again; a quiet send in never', async () => {
    await op(demo.desk.url, 'setRoomSettings', settingsWith(groundRoom, upstairsRoom));
    const ground = await openAreaDisplay('ground-floor');
    const upstairs = await openAreaDisplay('upstairs');
    await ground.page.getByRole('button', { name: 'Click to turn the sound on' }).waitFor();
    await screenshot(ground.page, 'display-area-sound-held-back');
    expect(await axeProblems(ground.page)).toEqual([]);
    for (const d of [ground, upstairs]) {
      // The browser holds sound back (the double says 'suspended'): the screen asks for the click, in words.
      const button = d.page.getByRole('button', { name: 'Click to turn the sound on' });
      await button.waitFor();
      await button.click();
      await d.page.locator('[data-testid="display"][data-sound="on"]').waitFor();
    }
    await ground.page.getByText('Ground floor').waitFor();
    await screenshot(ground.page, 'display-area-waiting');

    const [called, quiet] = byRoom.get(groundRoom) ?? [];
    if (!called || !quiet) throw new Error('no patients in the ground floor room');
    const label = firstNameInitialOf(called.patient);
    const spoken = `${label}, please go to ${groundRoom}`;
    for (const a of [called, quiet]) await op(demo.desk.url, 'setAppointmentStatus', { appointmentId: a.id, status: 'arrived', expectedVersion: a.version }, 'receptionist');

    // The call, by a signed-in receptionist through the API: on the ground floor's screen within a second.
    await op(demo.desk.url, 'setAppointmentStatus', { appointmentId: called.id, status: 'sent_in', despiteStillWithClinician: true }, 'receptionist');
    const latest = ground.page.locator('[data-testid="display-latest"]');
    await latest
      .filter({ hasText: label })
      .filter({ hasText: `Please go to ${groundRoom}` })
      .waitFor({ timeout: 1000 });
    const firstKey = await latest.getAttribute('data-key');
    // The chime (two tones), then the call spoken at the practice's rate in the browser's default voice.
    await expect.poll(async () => (await soundLog(ground.page)).spoken, { timeout: 5000 }).toEqual([{ text: spoken, rate: RATE, voice: null }]);
    expect((await soundLog(ground.page)).tones).toHaveLength(2);
    await screenshot(ground.page, 'display-area-call');
    expect(await axeProblems(ground.page)).toEqual([]);

    // Quietly sent in, then a recall of the first: the recall shows and sounds, the quiet one never.
    await op(demo.desk.url, 'setAppointmentStatus', { appointmentId: quiet.id, status: 'quiet_sent_in', despiteStillWithClinician: true }, 'receptionist');
    await op(demo.desk.url, 'recallPatient', { appointmentId: called.id }, 'receptionist');
    await expect.poll(() => latest.getAttribute('data-key'), { timeout: 2000 }).not.toBe(firstKey);
    expect(await latest.textContent()).toContain(label);
    await expect.poll(async () => (await soundLog(ground.page)).spoken.map((s) => s.text), { timeout: 5000 }).toEqual([spoken, spoken]);
    expect((await soundLog(ground.page)).tones).toHaveLength(4);

    const groundText = (await ground.page.textContent('[data-testid="display"]')) ?? '';
    const quietLabel = firstNameInitialOf(quiet.patient);
    if (quietLabel !== label) expect(groundText).not.toContain(quietLabel);
    expect(await ground.page.locator('[data-testid="display-earlier"] li').count()).toBe(0);
    // Never a full name: not the family name, not the two names together.
    for (const a of [called, quiet]) {
      expect(groundText).not.toContain(a.patient.familyName);
      expect(groundText).not.toContain(`${a.patient.givenName} ${a.patient.familyName}`);
    }

    // Upstairs heard and saw none of it.
    const upstairsLog = await soundLog(upstairs.page);
    expect(upstairsLog.tones).toEqual([]);
    expect(upstairsLog.spoken).toEqual([]);
    expect(await upstairs.page.locator('[data-testid="display-latest"]').count()).toBe(0);
    expect(await upstairs.page.textContent('[data-testid="display"]')).not.toContain(label);
    await screenshot(upstairs.page, 'display-area-other');
    expect(await axeProblems(upstairs.page)).toEqual([]);
    expect(ground.problems).toEqual([]);
    expect(upstairs.problems).toEqual([]);
  });
});
