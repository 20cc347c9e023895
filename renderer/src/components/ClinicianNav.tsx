import { CLINICIAN_ROLE_LABEL } from '../../../shared/domain';
import { plural } from '../day/format';
import type { ClinicianDay } from '../day/grouping';
import { sectionId } from './ClinicianSection';

/** Every clinician at a glance, with how many are booked and waiting; each entry jumps to that list. */
export function ClinicianNav({ groups }: { groups: readonly ClinicianDay[] }) {
  return (
    <nav className="clinician-nav" aria-label="Clinicians">
      <ul>
        {groups.map(({ clinician, room, appointments, counts }) => {
          const waiting = counts.arrived + counts.late;
          return (
            <li key={clinician.id}>
              <a href={`#${sectionId(clinician.id)}`} data-testid={`nav-${clinician.id}`}>
                <span className="clinician-nav__name">{clinician.name}</span>
                <span className="clinician-nav__detail">
                  {CLINICIAN_ROLE_LABEL[clinician.role]}
                  {room ? ` · ${room}` : ''}
                </span>
                <span className="clinician-nav__detail">
                  {plural(appointments.length, 'appt', 'appts')}
                  {waiting > 0 ? <strong className="clinician-nav__waiting"> · {waiting} waiting</strong> : null}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
