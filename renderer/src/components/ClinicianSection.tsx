import { CLINICIAN_ROLE_LABEL, DESK_STATUS_LABEL, DESK_STATUSES, localTimeOf } from '../../../shared/domain';
import type { LocalDate, Session } from '../../../shared/domain';
import { plural } from '../day/format';
import type { ClinicianDay } from '../day/grouping';
import { AppointmentRowView } from './AppointmentRow';

export const sectionId = (clinicianId: string) => `clinician-${clinicianId}`;

export function ClinicianSection({ group, date }: { group: ClinicianDay; date: LocalDate }) {
  const { clinician, room, appointments, blocks, counts } = group;
  const headingId = `${sectionId(clinician.id)}-heading`;
  return (
    <section
      className="clinician"
      id={sectionId(clinician.id)}
      aria-labelledby={headingId}
      data-testid={`clinician-${clinician.id}`}
      tabIndex={-1}
    >
      <div className="clinician__head">
        <h2 id={headingId} className="clinician__name">
          {clinician.name}
        </h2>
        <p className="clinician__role">
          {CLINICIAN_ROLE_LABEL[clinician.role]}
          {room ? ` · ${room}` : ''}
        </p>
        <ul className="status-counts" aria-label={`${clinician.name}: appointments by status`} data-testid="status-counts">
          <li>{plural(appointments.length, 'appointment', 'appointments')}</li>
          {DESK_STATUSES.filter((s) => counts[s] > 0).map((s) => (
            <li key={s} className={`status-count status-count--${s}`} data-status={s}>
              {DESK_STATUS_LABEL[s]} {counts[s]}
            </li>
          ))}
        </ul>
      </div>
      {appointments.length === 0 ? (
        <p className="clinician__empty">No appointments booked.</p>
      ) : (
        <table className="appointments">
          <caption className="visually-hidden">Appointments for {clinician.name}</caption>
          <thead>
            <tr>
              <th scope="col" className="col-time">
                Time
              </th>
              <th scope="col" className="col-patient">
                Patient
              </th>
              <th scope="col" className="col-age">
                Age, DOB
              </th>
              <th scope="col" className="col-nhs">
                NHS number
              </th>
              <th scope="col" className="col-type">
                Type
              </th>
              <th scope="col" className="col-status">
                Status
              </th>
              <th scope="col" className="col-actions">
                Actions
              </th>
            </tr>
          </thead>
          {blocks.map((block, i) => (
            <tbody key={block.session?.id ?? `extra-${i}`}>
              {blocks.length > 1 || block.session !== null ? (
                <tr className="session-row">
                  <th scope="rowgroup" colSpan={7}>
                    {sessionTitle(block.session, room)}
                  </th>
                </tr>
              ) : null}
              {block.appointments.map((a) => (
                <AppointmentRowView key={a.id} row={a} date={date} />
              ))}
            </tbody>
          ))}
        </table>
      )}
    </section>
  );
}

/** "Morning 08:00–11:30", plus the room when this session is not in the clinician's room for the day. */
function sessionTitle(session: Session | null, dayRoom: string | null): string {
  if (session === null) return 'Outside sessions';
  const times = `${localTimeOf(session.start)}–${localTimeOf(session.end)}`;
  const room = session.room !== null && session.room !== dayRoom ? ` · ${session.room}` : '';
  return `${session.label ?? 'Session'} ${times}${room}`;
}
