import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import type { DayView } from '../../../shared/api';
import { localDateOf, runningLateMinutes, type DeskStatus } from '../../../shared/domain';
import { groupByClinician, emptyCounts, type ClinicianDay } from '../day/grouping';
import { useNow } from '../hooks/useNow';
import { FILTERS, fittingLayout, statusesOf, useFilters, useLayout, useShownClinician, useUiStore, type FilterId } from '../state/ui-store';
import type { RebookEnd } from '../day/format';
import { ClinicianNav } from './ClinicianNav';
import { ClinicianSection } from './ClinicianSection';
import { useDaySettingsStore, useLateAfterMinutes } from '../day/day-settings';
import { LatePromptHost } from '../day/late-arrival';
import { deskClient } from '../state/desk-store';

/** Running-late figures move with the clock, but a minute is fine enough. */
const LATE_TICK_MS = 60_000;
/**
 * A busy day is drawn in two passes: first the rows that fit on a 1366x768 screen in each list, so the desk can
 * act within a fraction of a second, then the rest straight after the first paint. `data-complete` on the board
 * says when every row is there.
 */
const FIRST_PASS_ROWS = 24;
/** A column's rows are taller (two lines of detail): about eight fit under its header. */
const FIRST_PASS_ROWS_COLUMN = 12;
/** Side by side, four or five lists fit across 1366 pixels; the ones further right wait for the second pass. */
const FIRST_PASS_COLUMNS = 5;
/** Matches the board while its second pass is still to come (some rows are not drawn yet). */
export const DAY_STILL_DRAWING = '.day[data-complete="false"]';

export function DayBoard({ day }: { day: DayView }) {
  const groups = useMemo(() => groupByClinician(day), [day]);
  const layout = useLayout();
  const filters = useFilters();
  const chosen = useShownClinician();
  const shown = useMemo(() => statusesOf(filters), [filters]);
  const now = useNow(LATE_TICK_MS);
  const today = localDateOf(now) === day.date;
  const lateAfterMinutes = useLateAfterMinutes();
  const [complete, setComplete] = useState(false);
  const [board, setBoard] = useState<HTMLDivElement | null>(null);
  useFittingLayout(board, groups.length);
  useEffect(() => {
    void useDaySettingsStore.getState().load();
  }, []);
  const [openedAtNow, setOpenedAtNow] = useState(false);
  useEffect(() => {
    // The day opens at the current time: once every row is drawn, the first now line is brought into view (once,
    // so the desk's own scrolling is never taken back), unless a row has the keyboard already.
    if (!complete || openedAtNow || !today) return;
    setOpenedAtNow(true);
    if (useUiStore.getState().focusTarget !== null) return;
    document.querySelector('[data-now-line]')?.scrollIntoView({ block: 'center', inline: 'nearest' });
  }, [complete, openedAtNow, today]);
  useEffect(() => {
    if (complete) return;
    // After the browser has painted the first pass: a frame, then a task.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setComplete(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
    };
  }, [complete]);
  useEffect(() => {
    // A row asked for by Find (or any focus request) that the first pass did not draw is drawn now: serve it.
    if (complete && useUiStore.getState().focusTarget !== null) useUiStore.getState().refocus();
  }, [complete]);
  const rowLimit = complete ? null : FIRST_PASS_ROWS;
  const rebookEnds = useRebookEnds(day);
  const late = useMemo(() => new Map(groups.map((g) => [g.clinician.id, today ? runningLateMinutes(g.appointments, now) : null] as const)), [groups, today, now]);

  if (day.appointments.length === 0 && groups.length === 0) {
    return (
      <>
        <p className="placeholder">The mirror holds no appointments for this day.</p>
        <LatePromptHost />
      </>
    );
  }
  const single = layout === 'single' ? (groups.find((g) => g.clinician.id === chosen) ?? groups[0] ?? null) : null;
  const visible = single ? [single] : groups;
  const firstId = firstVisible(visible, shown);

  return (
    <div className="day" data-complete={complete} data-layout={layout} ref={setBoard}>
      <LatePromptHost />
      <FilterBar groups={groups} />
      {single ? (
        <div className="day-board">
          <ClinicianNav groups={groups} current={single.clinician.id} />
          <div className="day-board__lists">
            <ClinicianSection
              group={single}
              date={day.date}
              compact={false}
              shown={shown}
              firstId={firstId}
              lateMinutes={late.get(single.clinician.id) ?? null}
              rowLimit={rowLimit}
              now={today ? now : null}
              lateAfterMinutes={lateAfterMinutes}
              rebookEnds={rebookEnds}
            />
          </div>
        </div>
      ) : (
        <div className="columns" data-testid="columns">
          {groups.map((g, i) => (
            <ClinicianSection
              key={g.clinician.id}
              group={g}
              date={day.date}
              compact
              shown={shown}
              firstId={firstId}
              lateMinutes={late.get(g.clinician.id) ?? null}
              rowLimit={rowLimit === null ? null : i < FIRST_PASS_COLUMNS ? FIRST_PASS_ROWS_COLUMN : 0}
              now={today ? now : null}
              lateAfterMinutes={lateAfterMinutes}
              rebookEnds={rebookEnds}
            />
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * Seven clinicians side by side do not fit at 1366 (nor at 1920) without scrolling sideways: from the board's
 * measured width, one at a time is taken whenever the columns would not fit, and side by side again when they do
 * (a wider window), until a person chooses. Measured before paint, so a narrow screen never flashes columns.
 * Also tells the CSS how tall the sticky filter bar is, so the clinicians' headers stick just under it.
 */
function useFittingLayout(board: HTMLDivElement | null, clinicians: number): void {
  useLayoutEffect(() => {
    if (board === null) return;
    const measure = () => {
      if (clinicians > 0) useUiStore.getState().fitLayout(fittingLayout(clinicians, board.clientWidth));
      const bar = board.querySelector<HTMLElement>('.filter-bar');
      if (bar) board.style.setProperty('--filter-bar-height', `${bar.offsetHeight}px`);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(board);
    const bar = board.querySelector('.filter-bar');
    if (bar) observer.observe(bar);
    return () => observer.disconnect();
  }, [board, clinicians]);
}

type Elsewhere = NonNullable<DayView['rebookedElsewhere']>;

/**
 * Every appointment a row of this day was rebooked to or from, each with when and with whom: the day's own, and
 * the other days' ones the desk sent with the day (rebookedElsewhere). A rebooking made since the day was read
 * (to tomorrow, say) names an appointment the day does not hold: the day is read again, once, for its ends.
 */
function useRebookEnds(day: DayView): ReadonlyMap<string, RebookEnd> {
  const [later, setLater] = useState<Elsewhere>([]);
  const ends = useMemo(() => rebookEndsOf(day, later), [day, later]);
  const missing = useMemo(
    () =>
      day.appointments
        .flatMap((a) => [a.desk?.rebookedTo ?? null, a.desk?.rebookedFrom ?? null])
        .filter((id): id is string => id !== null && !ends.has(id))
        .join(' '),
    [day, ends],
  );
  useEffect(() => {
    if (missing === '') return;
    let current = true;
    deskClient()
      .send('getDay', { date: day.date })
      .then((fresh) => {
        if (current) setLater(fresh.rebookedElsewhere ?? []);
      })
      // The row still says it was moved ("Rebooked to another day"); the next read of the day fills it in.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [missing, day.date]);
  return ends;
}

function rebookEndsOf(day: DayView, later: Elsewhere): ReadonlyMap<string, RebookEnd> {
  const names = new Map(day.clinicians.map((c) => [c.id, c.name]));
  const ends = new Map<string, RebookEnd>();
  for (const a of [...(day.rebookedElsewhere ?? []), ...later]) ends.set(a.id, { start: a.start, clinicianName: a.clinicianName });
  for (const a of day.appointments) ends.set(a.id, { start: a.start, clinicianName: names.get(a.clinicianId) ?? null });
  return ends;
}

function firstVisible(groups: readonly ClinicianDay[], shown: ReadonlySet<DeskStatus> | null): string | null {
  for (const g of groups) {
    const a = g.appointments.find((x) => shown === null || shown.has(x.status));
    if (a) return a.id;
  }
  return null;
}

/** The state filters, with the day's count for each; none on means everything shows. */
function FilterBar({ groups }: { groups: readonly ClinicianDay[] }) {
  const filters = useFilters();
  const toggle = useUiStore((s) => s.toggleFilter);
  const clear = useUiStore((s) => s.clearFilters);
  const layout = useLayout();
  const setLayout = useUiStore((s) => s.setLayout);
  const totals = useMemo(() => {
    const counts = emptyCounts();
    for (const g of groups) for (const s of Object.keys(counts) as DeskStatus[]) counts[s] += g.counts[s];
    return counts;
  }, [groups]);
  const countOf = (id: FilterId) => (FILTERS.find((f) => f.id === id)?.statuses ?? []).reduce((n, s) => n + totals[s], 0);
  return (
    <div className="filter-bar">
      <div className="segmented" role="group" aria-label="Layout (V)">
        <button type="button" className="segmented__item" aria-pressed={layout === 'columns'} onClick={() => setLayout('columns')} data-testid="layout-columns">
          Side by side
        </button>
        <button type="button" className="segmented__item" aria-pressed={layout === 'single'} onClick={() => setLayout('single')} data-testid="layout-single">
          One at a time
        </button>
      </div>
      <div id="filters" className="filters" role="group" aria-label="Show only (F)">
        <span className="filters__label" aria-hidden="true">
          Show:
        </span>
        <button type="button" className="chip" aria-pressed={filters.length === 0} onClick={clear} data-testid="filter-all">
          All
        </button>
        {FILTERS.map((f) => (
          <button key={f.id} type="button" className="chip" aria-pressed={filters.includes(f.id)} onClick={() => toggle(f.id)} data-testid={`filter-${f.id}`}>
            {f.label} <span className="chip__count">{countOf(f.id)}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
