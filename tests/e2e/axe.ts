/**
 * What the e2e files share for the issues' accessibility bar and their keyboard-only switch of mode: axe-core's
 * serious and critical violations (each with where it was found), a screen kept as a screenshot and scanned, and
 * M with a reason and its confirmation.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectFocus, screenshot } from './support';

interface AxeScan {
  /** Selectors a scan is narrowed to: a dialog alone, or the parts of a day board (hundreds of rows) that changed. */
  include?: readonly string[];
  /**
   * How many of axe's rules must have passed: a scan that checked nothing would pass too. A narrowed scan
   * checks fewer rules than a whole page, so it asks for fewer.
   */
  minPasses?: number;
}

/** Serious and critical violations only (the bar the issues set), each with where it was found (at most three places). */
export async function axeProblems(page: Page, { include = [], minPasses = 10 }: AxeScan = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  for (const selector of include) builder = builder.include(selector);
  const result = await builder.analyze();
  expect(result.passes.length).toBeGreaterThan(minPasses);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

/** The screen as it is, kept as `name` (test-artifacts/screens), and axe finds nothing serious or critical on it. */
export async function check(page: Page, name: string, scan: AxeScan = {}): Promise<void> {
  await screenshot(page, name);
  expect(await axeProblems(page, scan), name).toEqual([]);
}

/**
 * M, a reason, Enter (asks to confirm), Enter (confirms), by keyboard alone. `atConfirm` runs with the confirmation
 * showing, before the second Enter (a screenshot and a scan of it).
 */
export async function switchMode(page: Page, reason: string, atConfirm?: () => Promise<void>): Promise<void> {
  await page.keyboard.press('m');
  await page.locator('[data-testid="mode-dialog"]').waitFor();
  await expectFocus(page, 'mode-reason');
  await page.keyboard.type(reason);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="mode-confirm"]').waitFor();
  await expectFocus(page, 'mode-submit');
  if (atConfirm) await atConfirm();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="mode-dialog"]').waitFor({ state: 'detached' });
}
