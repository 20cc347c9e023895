/**
 * The desk group in the header (issue 16, item 9): hidden on a standalone desk; otherwise this desk's role, the
 * coordinator, members online and lag, and in amber or red what must not be missed.
 */
import { readFileSync } from 'node:fs';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { GroupStatus } from '../../shared/api';
import { GroupIndicatorView } from '../../renderer/src/group/GroupIndicator';
import { groupedFingerprint, groupSummary } from '../../renderer/src/group/group-summary';
import { STANDALONE, carryingOnStatusOf, groupStatusOf, memberOf, memberStatusOf } from './support/group';

function header(status: GroupStatus | null): string {
  return renderToStaticMarkup(<GroupIndicatorView status={status} onOpen={() => undefined} />);
}

const text = (html: string) =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The declarations of one CSS rule, by its exact selector. */
function ruleOf(css: string, selector: string): string {
  const start = css.indexOf(`\n${selector} {`);
  if (start < 0) throw new Error(`no rule for ${selector}`);
  return css.slice(start, css.indexOf('}', start));
}

/** The short line and the warning as a person reads them, and the tone they are shown in. */
function read(status: GroupStatus): { line: string; warning: string | null; tone: string | undefined } {
  const html = header(status);
  const warningHtml = /data-testid="group-warning">([^<]*)</.exec(html)?.[1];
  const warning = warningHtml === undefined ? null : text(warningHtml);
  const line = text(/data-testid="group-summary">([^<]*)</.exec(html)?.[1] ?? '');
  return { line, warning, tone: /data-tone="(\w+)"/.exec(html)?.[1] };
}

describe('the group indicator in the header', () => {
  it('says nothing on a standalone desk, nor before the first answer', () => {
    expect(header(STANDALONE)).toBe('');
    expect(header(null)).toBe('');
  });

  it('a coordinator with no member connected: its role and name, members online, and the amber warning', () => {
    const alone = groupStatusOf({
      state: 'alone',
      heldOnTwoPcs: false,
      members: [memberOf('Reception 1', { coordinator: true, thisDesk: true }), memberOf('Reception 2', { online: false })],
    });
    expect(read(alone)).toEqual({ line: 'Coordinator (Reception 1) · 1 of 2 online', warning: "Only this PC holds today's changes", tone: 'warn' });
    expect(header(alone)).toContain('group-warning--warn');
  });

  it('a coordinator with members keeping up: no warning', () => {
    expect(read(groupStatusOf())).toEqual({ line: 'Coordinator (Reception 1) · 2 of 3 online', warning: null, tone: 'ok' });
  });

  it('a member connected and behind: the group, the coordinator, members online and the lag', () => {
    expect(read(memberStatusOf())).toEqual({ line: 'Member of Riverside Surgery · coordinator Reception 1 · 2 of 3 online · 4 behind', warning: null, tone: 'ok' });
    expect(read(memberStatusOf({ lag: 0, seq: 120 })).line).not.toContain('behind');
  });

  it('a member that lost the coordinator: red, with when it was last heard (London time) and that a manager can take over', () => {
    const lost = memberStatusOf({ state: 'coordinator-lost', heldOnTwoPcs: false, lastHeardAt: '2026-07-20T09:22:00.000Z' });
    expect(read(lost)).toMatchObject({ warning: 'Coordinator Reception 1 not heard since 10:22 — changes wait; a manager can take over', tone: 'alert' });
    expect(header(lost)).toContain('group-warning--alert');
  });

  it('a fenced desk: red, another desk took over, whatever else it reports', () => {
    const fenced = groupStatusOf({ role: 'fenced', state: 'fenced', heldOnTwoPcs: false, coordinator: null });
    expect(read(fenced)).toMatchObject({ warning: 'Another desk took over: this desk changes nothing', tone: 'alert' });
    expect(read(fenced).line).toBe('Former coordinator of Riverside Surgery · 2 of 3 online');
  });

  it('a member carrying on alone: red, since when, and not the lost coordinator’s "changes wait" (they no longer wait)', () => {
    const alone = carryingOnStatusOf();
    expect(read(alone)).toMatchObject({ warning: 'Working alone since 10:14 — changes here are not on other PCs', tone: 'alert' });
    expect(header(alone)).toContain('group-warning--alert');
    expect(header(alone)).not.toContain('changes wait');
    expect(groupSummary(alone)?.details).toContain('Carrying on alone since 10:14: its changes come back for review when it rejoins');
    // Whatever the link says meanwhile (reaching the coordinator again), working alone is what matters here.
    expect(read(carryingOnStatusOf({ state: 'connecting' }))).toMatchObject({ warning: 'Working alone since 10:14 — changes here are not on other PCs', tone: 'alert' });
    expect(read(carryingOnStatusOf({ role: 'fenced', state: 'fenced' })).warning).toBe('Another desk took over: this desk changes nothing');
  });

  it('changes to review: counted in amber beside the short line, the whole in the tooltip, nothing when none', () => {
    const reviewing = groupStatusOf({ reviewOpen: 3 });
    const html = header(reviewing);
    expect(/data-testid="group-review-count">([^<]*)</.exec(html)?.[1]).toBe('3 changes to review');
    expect(read(reviewing)).toEqual({ line: 'Coordinator (Reception 1) · 2 of 3 online', warning: null, tone: 'warn' });
    expect(groupSummary(memberStatusOf({ reviewOpen: 1 }))?.review).toBe('1 change to review');
    expect(groupSummary(reviewing)?.details).toContain('3 changes made while cut off still to be decided (a manager, on the group screen)');
    expect(/class="group-review-count" title="([^"]*)"/.exec(text(html))?.[1]).toContain('3 changes made while cut off still to be decided');
    expect(header(groupStatusOf())).not.toContain('group-review-count');
    expect(groupSummary(groupStatusOf())?.review).toBeNull();
  });

  it('keeps the review count on the short line’s own unbroken line, the short line giving way to it (1366 wide)', () => {
    const html = header(memberStatusOf({ reviewOpen: 12, groupName: 'The Riverside and Meadowbank Surgeries Partnership' }));
    // The short line and the count share the nowrap row; the warning, if any, stays outside it and may wrap.
    expect(html).toMatch(
      /<span class="group-indicator__main"><button[^>]*data-testid="group-summary"[^>]*>[^<]*<\/button><span class="group-review-count"[^>]*>12 changes to review<\/span><\/span>/,
    );
    const css = readFileSync(new URL('../../renderer/src/group/group.css', import.meta.url), 'utf8');
    expect(ruleOf(css, '.group-review-count')).toMatch(/flex: none;[\s\S]*white-space: nowrap;/);
    expect(ruleOf(css, '.group-indicator__main')).toMatch(/min-width: 0;[\s\S]*max-width: 100%;/);
    expect(ruleOf(css, '.group-indicator__summary')).toMatch(/min-width: 0;[\s\S]*text-overflow: ellipsis;[\s\S]*white-space: nowrap;/);
  });

  it('keeps the details for the tooltip, and the key that opens the group screen', () => {
    const html = header(memberStatusOf());
    expect(html).toContain('aria-keyshortcuts="N"');
    const details = groupSummary(memberStatusOf())?.details ?? '';
    expect(details).toContain('Group: Riverside Surgery, epoch 2');
    expect(details).toContain('Coordinator: Reception 1 at 192.168.1.10:4781');
    expect(details).toContain('This desk holds change 116; 4 changes still to come');
    expect(details).toContain('Coordinator last heard 10:30');
  });

  it('groups a fingerprint in fours for reading aloud', () => {
    expect(groupedFingerprint('3a:7f:00:c2:19:be:44:d0')).toBe('3A7F 00C2 19BE 44D0');
  });
});
