/**
 * The mapping screen (renderer/src/feeds/FeedMappingPanel.tsx) in Chromium: axe-core finds no serious or critical
 * problem, and every control is reached by Tab with a name a screen reader reads. The panel is mounted by the
 * manager's screen, so here its body is rendered as the desk would show it (the sample read by the desk's own
 * preview, one row with a problem) into a page with its stylesheet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { previewMapping } from '../../electron/desk/upstream/csv/guess';
import { FeedMappingPanelBody, type FeedMappingActions } from '../../renderer/src/feeds/FeedMappingPanelBody';
import { EMPTY_SCREEN } from '../../renderer/src/feeds/feed-mapping-model';
import { launchBrowser, newDeskContext, op, REPO_ROOT, screenshot, startServer, TEST_DAY } from './support';
import { axeProblems } from './axe';

const REPORT = fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/feeds-mapping/systmone-style-report.csv'), 'utf8');
const CSS = fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/feeds/feeds.css'), 'utf8');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

function page(): string {
  const preview = previewMapping(REPORT.replace('Did not attend', 'Teleported'));
  const noop = () => undefined;
  const actions: FeedMappingActions = { chooseFile: noop, chooseColumn: noop, chooseDelimiter: noop, choosePreset: noop, useGuess: noop, setName: noop, save: noop };
  const body = renderToStaticMarkup(
    createElement(FeedMappingPanelBody, {
      screen: {
        ...EMPTY_SCREEN,
        state: { saved: null, inForce: { source: 'default' } },
        fileName: 'systmone-day.csv',
        sample: REPORT,
        preview,
        mapping: preview.mapping,
        name: 'systmone-day',
        preset: 'report-headings',
      },
      actions,
    }),
  );
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Mapping</title><style>${CSS}</style></head><body><main>${body}</main></body></html>`;
}

describe('the mapping screen in Chromium', () => {
  it('has no serious or critical axe problem, and Tab reaches every control by its name', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const tab = await context.newPage();
    await tab.setContent(page());
    expect(await tab.locator('[data-testid="feed-row-4"]').innerText()).toContain('Problem in column AppointmentStatus: unknown status "Teleported"');

    expect(await axeProblems(tab)).toEqual([]);

    // By keyboard: the file chooser first, then the preset, the sample's scrolling box, the delimiter and the field selects.
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      await tab.keyboard.press('Tab');
      names.push(
        await tab.evaluate(
          () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName ?? '',
        ),
      );
    }
    expect(names).toEqual(['feed-sample-file', 'feed-preset', 'BUTTON', 'The sample’s first rows', 'feed-delimiter', 'feed-map-practiceId']);
    await context.close();
  });
});

describe("the mapping screen on the manager's screen", () => {
  it('reads a sample file chosen on the page, shows what each row becomes, follows a changed column, and saves', { timeout: 120_000 }, async () => {
    const desk = await startServer({ date: TEST_DAY });
    const context = await newDeskContext(browser, { desk });
    try {
      const tab = await context.newPage();
      await tab.goto(desk.url);
      await tab.getByRole('button', { name: 'Users and audit' }).click();
      // The real file chooser and the browser's own File.text(): the step the panel's body tests cannot reach.
      await tab.locator('[data-testid="feed-sample-file"]').setInputFiles(path.join(REPO_ROOT, 'tests/fixtures/feeds-mapping/systmone-style-report.csv'));
      await tab.locator('[data-testid="feed-preview"]').waitFor();
      // Guessed from the names and values: the surname column, and the first row as an appointment with its patient.
      expect(await tab.locator('[data-testid="feed-map-familyName"]').inputValue()).toBe('Surname');
      expect(await tab.locator('[data-testid^="feed-row-"]').first().innerText()).toMatch(/HUGHES|Hughes/);
      // The first name taken from another column: the preview follows.
      await tab.locator('[data-testid="feed-map-givenName"]').selectOption('RotaName');
      await expect.poll(() => tab.locator('[data-testid^="feed-row-"]').first().innerText()).toContain('Morning surgery');
      await tab.locator('[data-testid="feed-map-givenName"]').selectOption('FirstName');
      await expect.poll(() => tab.locator('[data-testid^="feed-row-"]').first().innerText()).toContain('Alys');
      await tab.locator('[data-testid="feed-mapping-name"]').fill('SystmOne day report');
      await screenshot(tab, 'feed-mapping-page');
      await tab.locator('[data-testid="feed-mapping-save"]').click();
      await tab.locator('[data-testid="feed-mapping-message"]').waitFor();
      const saved = await op(desk.url, 'getFeedMapping', {});
      expect(saved.saved?.name).toBe('SystmOne day report');
      expect(saved.saved?.mapping.columns?.familyName).toBe('Surname');
      expect(saved.inForce.source).toBe('saved');
    } finally {
      await context.close();
      await desk.stop();
    }
  });
});
