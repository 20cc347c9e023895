/**
 * The day's layout from the width it has (issue 18 item 9), a person's choice over it, and what a rebooked row
 * says (item 10). The page-level checks at 1366 and 1920 are in tests/e2e/layout.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_DESK_INFO } from '../../shared/domain';
import { formatDayMonth, rebookNotesOf, rebookText, type RebookEnd } from '../../renderer/src/day/format';
import { fittingLayout, initialUiState, useUiStore } from '../../renderer/src/state/ui-store';

describe('the layout that fits', () => {
  afterEach(() => useUiStore.setState(initialUiState));

  it('puts seven clinicians one at a time at 1366 and 1920 wide, and side by side when their columns fit', () => {
    // The board's width: the window less main's padding and a scrollbar.
    expect(fittingLayout(7, 1366 - 32 - 15)).toBe('single');
    expect(fittingLayout(7, 1920 - 32 - 15)).toBe('single');
    expect(fittingLayout(6, 1920 - 32 - 15)).toBe('columns');
    expect(fittingLayout(4, 1366 - 32 - 15)).toBe('columns');
    expect(fittingLayout(5, 1366 - 32 - 15)).toBe('single');
  });

  it('takes what fits until a person chooses, and then keeps their choice', () => {
    useUiStore.getState().fitLayout('single');
    expect(useUiStore.getState().layout).toBe('single');
    useUiStore.getState().fitLayout('columns');
    expect(useUiStore.getState().layout).toBe('columns');
    useUiStore.getState().setLayout('single');
    useUiStore.getState().fitLayout('columns');
    expect(useUiStore.getState()).toMatchObject({ layout: 'single', layoutChosen: true });
  });
});

describe('a rebooked row', () => {
  const drCarter: RebookEnd = { start: '2026-12-04T10:20:00.000Z', clinicianName: 'Dr Helen Carter' };

  it('says to when and with whom, in London time', () => {
    expect(formatDayMonth('2026-12-04')).toBe('Fri 4 Dec');
    expect(rebookText('to', drCarter)).toBe('Rebooked to Fri 4 Dec 10:20 with Dr Helen Carter');
    // July is BST: 08:10Z is 09:10 at the desk.
    expect(rebookText('from', { start: '2026-07-23T08:10:00.000Z', clinicianName: null })).toBe('Rebooked from Thu 23 Jul 09:10');
  });

  it('still says it was moved when the other appointment is not loaded', () => {
    expect(rebookText('to', null)).toBe('Rebooked to another day');
    const ends = new Map([['appt-new', drCarter]]);
    expect(rebookNotesOf({ ...NO_DESK_INFO, rebookedTo: 'appt-new' }, ends)).toEqual({ to: 'Rebooked to Fri 4 Dec 10:20 with Dr Helen Carter', from: null });
    expect(rebookNotesOf({ ...NO_DESK_INFO, origin: 'rebooked', rebookedFrom: 'appt-gone' }, ends)).toEqual({ to: null, from: 'Rebooked from another appointment' });
    expect(rebookNotesOf(undefined, ends)).toEqual({ to: null, from: null });
  });
});
