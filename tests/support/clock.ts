/**
 * The instant the whole suite runs at: every desk a test opens, every `serve` it starts (through the
 * environment, electron/desk/clock.ts) and every browser page it drives (Playwright's clock) reads this, never
 * the real clock, so the suite sees the same day at 08:30, 15:30, 23:59 and on the days the clocks change.
 * Monday 20 July 2026, 10:30 in London (BST): mid-morning surgery, with patients due, late and waiting.
 */
export const TEST_NOW = '2026-07-20T09:30:00.000Z';
/** London's date at TEST_NOW. */
export const TEST_DAY = '2026-07-20';
