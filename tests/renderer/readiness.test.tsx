/**
 * The readiness panel (renderer/src/readiness): each check's state as a word as well as a colour, its fix line, the
 * overall state and "Check again"; the red banner only when something is red.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Readiness, ReadinessStatus } from '../../shared/api/readiness';
import { ReadinessAlertBody, ReadinessPanelBody } from '../../renderer/src/readiness/ReadinessPanel';

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

describe('the readiness alert', () => {
  it('shows a red banner naming the red checks, with a way to the panel, only when overall is red', () => {
    const red = renderToStaticMarkup(<ReadinessAlertBody readiness={readiness('red', ['red', 'red', 'amber'])} onOpen={noop} />);
    expect(red).toContain('role="alert"');
    expect(text(red)).toContain('RED: the practice is not ready for an outage. The mirror&#x27;s age; The outage pack. Open readiness');
    expect(renderToStaticMarkup(<ReadinessAlertBody readiness={readiness('amber', ['amber'])} onOpen={noop} />)).toBe('');
    expect(renderToStaticMarkup(<ReadinessAlertBody readiness={null} onOpen={noop} />)).toBe('');
  });
});
