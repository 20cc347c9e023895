import { useMemo } from 'react';
import type { DayView } from '../../../shared/api';
import { groupByClinician } from '../day/grouping';
import { ClinicianNav } from './ClinicianNav';
import { ClinicianSection } from './ClinicianSection';

export function DayBoard({ day }: { day: DayView }) {
  const groups = useMemo(() => groupByClinician(day), [day]);
  if (day.appointments.length === 0 && groups.length === 0) {
    return <p className="placeholder">The mirror holds no appointments for this day.</p>;
  }
  return (
    <div className="day-board">
      <ClinicianNav groups={groups} />
      <div className="day-board__lists">
        {groups.map((g) => (
          <ClinicianSection key={g.clinician.id} group={g} date={day.date} />
        ))}
      </div>
    </div>
  );
}
