/**
 * The readiness panel and its red banner (renderer/src/readiness), drawn with the app's own stylesheet in Chromium:
 * axe-core finds no serious or critical violation (the colours of the state tags included) in a red, amber,
 * green and not-checked set. Static markup, since the panel is not mounted on a screen yet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Readiness } from '../../shared/api/readiness';
import { ReadinessAlertBody, ReadinessPanelBody } from '../../renderer/src/readiness/ReadinessPanel';
import { launchBrowser, REPO_ROOT } from './support';
import { axeProblems } from './axe';
// The renderer's client (imported by the panel) reads the preload's window.standbyDesk: its declaration, for tsc.
import type {} from '../../renderer/src/bridge';

const READINESS: Readiness = {
  overall: 'red',
  checkedAt: '2026-07-20T09:30:00.000Z',
  checks: [
    { id: 'mirror-age', status: 'red', title: "The mirror's age", detail: '60 min old, over the limit', fix: 'pull again' },
    { id: 'pack', status: 'amber', title: 'The outage pack', detail: "written 2 min ago, but to this PC's own disk", fix: 'move it to a share' },
    { id: 'backup', status: 'green', title: 'The backup', detail: 'taken 5 min ago', fix: '' },
    { id: 'printer', status: 'not-checked', title: 'A printer', detail: 'only the desktop app can see printers', fix: 'open it in the app' },
  ],
};

let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
});

describe('the readiness panel', () => {
  it('has no serious or critical accessibility violation', async () => {
    const noop = () => undefined;
    const body = renderToStaticMarkup(
      createElement(
        'main',
        null,
        createElement('h1', null, 'Readiness'),
        createElement(ReadinessAlertBody, { readiness: READINESS, onOpen: noop }),
        createElement(ReadinessPanelBody, { state: { readiness: READINESS, error: null, checking: false }, onCheckAgain: noop }),
      ),
    );
    const css = ['renderer/src/styles/base.css', 'renderer/src/readiness/readiness.css'].map((f) => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')).join('\n');
    browser = await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    await page.setContent(`<!doctype html><html lang="en-GB"><head><title>Readiness</title><style>${css}</style></head><body>${body}</body></html>`);
    expect(await axeProblems(page)).toEqual([]);
  });
});
