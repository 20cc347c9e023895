/**
 * The readiness panel (renderer/src/readiness): each check's state as a word as well as a colour, its fix line, the
 * overall state and "Check again"; the red banner only when something is red.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Readiness, ReadinessStatus } from '../../shared/api/readiness';
import { printRecoverySheet, ReadinessAlertBody, ReadinessPanelBody } from '../../renderer/src/readiness/ReadinessPanel';

const noop = () => undefined;

function readiness(overall: Readiness['overall'], statuses: ReadinessStatus[]): Readiness {
  const titles = ["The mirror's age", 'The outage pack', 'A printer'];
  return {
    overall,
    checkedAt: '2026-07-20T09:30:00.000Z',
    checks: statuses.map((status, i) => ({
      id: (['mirror-age', 'pack', 'printer'] as const)[i] ?? 'drill',
      status,
      title: titles[i] ?? 'x',
      detail: `detail ${i}`,
      fix: status === 'green' ? '' : `fix ${i}`,
    })),
  };
}

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
const panel = (r: Readiness | null, checking = false, error: string | null = null) =>
  renderToStaticMarkup(<ReadinessPanelBody state={{ readiness: r, checking, error }} onCheckAgain={noop} />);

describe('the readiness panel', () => {
  it('shows each state as a word on its colour, the fix line when not green, and the overall', () => {
    const html = panel(readiness('red', ['red', 'amber', 'green']));
    expect(html).toContain('<span class="readiness-tag readiness-red">RED</span> <strong>The mirror&#x27;s age</strong>: detail 0');
    expect(html).toContain('<span class="readiness-tag readiness-amber">AMBER</span> <strong>The outage pack</strong>');
    expect(html).toContain('<span class="readiness-tag readiness-green">GREEN</span> <strong>A printer</strong>: detail 2</li>');
    expect(text(html)).toContain('To fix: fix 0');
    expect(text(html)).toContain('To fix: fix 1');
    expect(text(html)).not.toContain('To fix: fix 2');
    expect(text(html)).toMatch(/Overall: RED checked 20 Jul 2026, 10:30/);
    expect(html).toMatch(/<button type="button" class="button">Check again<\/button>/);
  });

  it('says NOT CHECKED for what could not be looked at, and an amber-and-green set is amber overall', () => {
    const html = panel(readiness('amber', ['green', 'amber', 'not-checked']));
    expect(html).toContain('<span class="readiness-tag readiness-not-checked">NOT CHECKED</span>');
    expect(text(html)).toContain('Overall: AMBER');
    expect(html).not.toContain('role="alert"');
  });

  it('shows an all-green set with no fix lines, and the button disabled while checking', () => {
    expect(text(panel(readiness('green', ['green', 'green', 'green'])))).not.toContain('To fix');
    expect(panel(null, true)).toMatch(/<button type="button" class="button" disabled="">Checking…<\/button>/);
    expect(text(panel(null, false, 'you must be a manager'))).toContain('Readiness could not be checked: you must be a manager');
  });
});

describe("the key check's recovery sheet", () => {
  const withKey: Readiness = {
    overall: 'amber',
    checkedAt: '2026-07-20T09:30:00.000Z',
    checks: [
      { id: 'pack', status: 'green', title: 'The outage pack', detail: 'written', fix: '' },
      { id: 'key', status: 'amber', title: 'The database key kept', detail: 'no recovery sheet has been printed for this database key', fix: 'print the recovery sheet' },
    ],
  };
  const state = { readiness: withKey, checking: false, error: null };

  it("offers to print it on the key check's line, in the app only, and says what the last print did", () => {
    const inApp = renderToStaticMarkup(<ReadinessPanelBody state={state} onCheckAgain={noop} onPrintRecoverySheet={noop} recoverySheetNote="The recovery sheet was printed" />);
    const keyLine = /<li[^>]*data-testid="readiness-key"[^>]*>.*?<\/li>/s.exec(inApp)?.[0] ?? '';
    expect(keyLine).toContain('>Print the recovery sheet</button>');
    expect(keyLine).toContain('<span role="status"> The recovery sheet was printed</span>');
    expect(inApp.match(/Print the recovery sheet/g)).toHaveLength(1);
    expect(renderToStaticMarkup(<ReadinessPanelBody state={state} onCheckAgain={noop} />)).not.toContain('Print the recovery sheet');
  });

  it('asks the app to print it to the printer, and words the outcome, a cancel and a refusal', async () => {
    // A test double of the desk client: it answers printRecoverySheet as told and records what it was sent.
    const sent: unknown[] = [];
    const client = (answer: () => Promise<{ outcome: 'printed' | 'saved' | 'cancelled'; file: string | null }>) => ({
      send: ((name: string, input: unknown) => {
        sent.push([name, input]);
        return answer();
      }) as never,
    });
    expect(await printRecoverySheet(client(async () => ({ outcome: 'printed', file: null })))).toBe('The recovery sheet was printed: keep it in the practice safe.');
    expect(sent).toEqual([['printRecoverySheet', { to: 'printer' }]]);
    expect(await printRecoverySheet(client(async () => ({ outcome: 'cancelled', file: null })))).toBe('The recovery sheet was not printed (cancelled).');
    expect(await printRecoverySheet(client(() => Promise.reject(new Error('only a practice manager may do this'))))).toBe(
      'The recovery sheet could not be printed: only a practice manager may do this',
    );
  });
});

describe('the readiness alert', () => {
  it('shows a red banner naming the red checks, with a way to the panel, only when overall is red', () => {
    const red = renderToStaticMarkup(<ReadinessAlertBody readiness={readiness('red', ['red', 'red', 'amber'])} onOpen={noop} />);
    expect(red).toContain('role="alert"');
    expect(text(red)).toContain('RED: the practice is not ready for an outage. The mirror&#x27;s age; The outage pack. Open readiness');
    expect(renderToStaticMarkup(<ReadinessAlertBody readiness={readiness('amber', ['amber'])} onOpen={noop} />)).toBe('');
    expect(renderToStaticMarkup(<ReadinessAlertBody readiness={null} onOpen={noop} />)).toBe('');
  });
});
