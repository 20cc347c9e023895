import { useMemo } from 'react';
import type { DayView } from '../../../shared/api';
import { localDateOf, runningLateMinutes, type DeskStatus } from '../../../shared/domain';
import { groupByClinician, emptyCounts, type ClinicianDay } from '../day/grouping';
import { useNow } from '../hooks/useNow';
import { FILTERS, statusesOf, useFilters, useLayout, useShownClinician, useUiStore, type FilterId } from '../state/ui-store';
import { ClinicianNav } from './ClinicianNav';
import { ClinicianSection } from './ClinicianSection';

/** Running-late figures move with the clock, but a minute is fine enough. */
const LATE_TICK_MS = 60_000;

export function DayBoard({ day }: { day: DayView }) {
  const groups = useMemo(() => groupByClinician(day), [day]);
  const layout = useLayout();
  const filters = useFilters();
  const chosen = useShownClinician();
  const shown = useMemo(() => statusesOf(filters), [filters]);
  const now = useNow(LATE_TICK_MS);
  const today = localDateOf(now) === day.date;
  const late = useMemo(
    () => new Map(groups.map((g) => [g.clinician.id, today ? runningLateMinutes(g.appointments, now) : null] as const)),
    [groups, today, now],
  );

  if (day.appointments.length === 0 && groups.length === 0) {
    return <p className="placeholder">The mirror holds no appointments for this day.</p>;
  }
  const single = layout === 'single' ? (groups.find((g) => g.clinician.id === chosen) ?? groups[0] ?? null) : null;
  const visible = single ? [single] : groups;
  const firstId = firstVisible(visible, shown);

  return (
    <div className="day">
      <FilterBar groups={groups} />
      {single ? (
        <div className="day-board">
          <ClinicianNav groups={groups} current={single.clinician.id} />
          <div className="day-board__lists">
            <ClinicianSection group={single} date={day.date} compact={false} shown={shown} firstId={firstId} lateMinutes={late.get(single.clinician.id) ?? null} />
          </div>
        </div>
      ) : (
        <div className="columns" data-testid="columns">
          {groups.map((g) => (
            <ClinicianSection key={g.clinician.id} group={g} date={day.date} compact shown={shown} firstId={firstId} lateMinutes={late.get(g.clinician.id) ?? null} />
          ))}
        </div>
      )}
    </div>
  );
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
