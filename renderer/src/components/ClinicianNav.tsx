import { CLINICIAN_ROLE_LABEL } from '../../../shared/domain';
import { plural } from '../day/format';
import type { ClinicianDay } from '../day/grouping';
import { useUiStore } from '../state/ui-store';

/** One at a time: every clinician of the day with how many are booked and waiting; [ and ] step through them. */
export function ClinicianNav({ groups, current }: { groups: readonly ClinicianDay[]; current: string }) {
  const setClinician = useUiStore((s) => s.setClinician);
  return (
    <nav className="clinician-nav" aria-label="Clinicians ([ and ] to step)">
      <ul>
        {groups.map(({ clinician, room, appointments, counts }) => {
          const waiting = counts.arrived + counts.late;
          return (
            <li key={clinician.id}>
              <button
                type="button"
                className="clinician-nav__item"
                aria-current={clinician.id === current ? 'true' : undefined}
                data-testid={`nav-${clinician.id}`}
                data-clinician-choice={clinician.id}
                onClick={() => setClinician(clinician.id)}
              >
                <span className="clinician-nav__name">{clinician.name}</span>
                <span className="clinician-nav__detail">
                  {CLINICIAN_ROLE_LABEL[clinician.role]}
                  {room ? ` · ${room}` : ''}
                </span>
                <span className="clinician-nav__detail">
                  {plural(appointments.length, 'appt', 'appts')}
                  {waiting > 0 ? <strong className="clinician-nav__waiting"> · {waiting} waiting</strong> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
