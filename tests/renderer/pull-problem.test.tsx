/** The header says when the last pull failed and why, and says nothing while pulls succeed or none was tried. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PullProblem } from '../../renderer/src/components/PullProblem';

const failed = {
  reachable: false,
  lastError: 'GET https://fhir.example.invalid/Appointment: 503 Service Unavailable',
  lastErrorAt: '2026-07-20T09:25:00.000Z',
  lastSuccessAt: '2026-07-20T08:55:00.000Z',
} as const;

describe('the last pull problem in the header', () => {
  it('names the failed try, its reason and the last good pull, in London time', () => {
    const html = renderToStaticMarkup(<PullProblem upstream={failed} />);
    expect(html).toContain('data-testid="pull-problem"');
    expect(html.replace(/<[^>]+>/g, '')).toBe(
      'Clinical system not answering: last try 10:25 failed (GET https://fhir.example.invalid/Appointment: 503 Service Unavailable); last good pull 09:55',
    );
  });

  it('cuts a long message on screen and keeps it whole in the tooltip', () => {
    const long = `HTTP 500: ${'x'.repeat(300)}`;
    const html = renderToStaticMarkup(<PullProblem upstream={{ ...failed, lastError: long }} />);
    expect(html).toContain(`title="${long}"`);
    expect(html).toContain('…');
    expect(html).not.toContain(`(${long})`);
  });

  it('says nothing while the clinical system answers, before any pull, or with no status yet', () => {
    expect(renderToStaticMarkup(<PullProblem upstream={{ ...failed, reachable: true }} />)).toBe('');
    expect(renderToStaticMarkup(<PullProblem upstream={{ reachable: null, lastError: null, lastErrorAt: null, lastSuccessAt: null }} />)).toBe('');
    expect(renderToStaticMarkup(<PullProblem upstream={null} />)).toBe('');
  });
});
