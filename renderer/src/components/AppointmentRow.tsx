import { memo } from 'react';
import type { AppointmentRow } from '../../../shared/api';
import {
  APPOINTMENT_TYPE_LABEL,
  formatNhsNumber,
  formatUkDate,
  PATIENT_FLAG_LABEL,
  TIME_SENSITIVE_FLAGS,
  TRIAGE_LABEL,
  type DeskStatus,
  type LocalDate,
  type Patient,
} from '../../../shared/domain';
import { formatAge, patientName, timeOf } from '../day/format';
import { RowActions } from './RowActions';
import { StatusBadge } from './StatusBadge';

/** Rows for patients who have gone, or never came, step back so the ones still to deal with stand out. */
const DONE_STATUSES = new Set(['seen', 'left', 'walked_out', 'dna', 'cancelled']);

/**
 * One appointment. The row itself takes the keyboard (one row at a time is in the tab order; arrows move
 * between rows) and letter keys act on it; its buttons do the same for a mouse. `compact` is the side-by-side
 * layout: time, patient and status in three narrow cells.
 */
export const AppointmentRowView = memo(function AppointmentRowView({
  row,
  date,
  compact,
  first,
  pending,
  hasError,
  isCurrent,
  hasCurrent,
  dueKind = null,
  dueMinutes = null,
  rebookedTo = null,
  rebookedFrom = null,
}: {
  row: AppointmentRow;
  date: LocalDate;
  compact: boolean;
  /** The first row on screen takes the tab stop when no row has had the keyboard yet. */
  first: boolean;
  // Passed down rather than subscribed to here: 600 rows with a store subscription each made a busy day
  // slow to open; the section subscribes once and a row re-renders only when its own value changes.
  pending: DeskStatus | 'undo' | 'rebook' | null;
  hasError: boolean;
  isCurrent: boolean;
  hasCurrent: boolean;
  /** Still only booked with their time passed (today only): due, or overdue by the practice's Late rule. */
  dueKind?: 'due' | 'overdue' | null;
  /** Minutes since their time, with dueKind. */
  dueMinutes?: number | null;
  /** "Rebooked to Thu 23 Jul 10:20 with Dr X" when this appointment was moved (rebookText). */
  rebookedTo?: string | null;
  /** "Rebooked from ..." when this appointment is where a patient was moved to. */
  rebookedFrom?: string | null;
}) {
  const name = patientName(row.patient);
  const time = timeOf(row.start);
  const classes = ['appt', `appt--${row.status}`];
  if (DONE_STATUSES.has(row.status)) classes.push('appt--done');
  if (hasError) classes.push('appt--error');
  if (dueKind !== null) classes.push(`appt--${dueKind}`);
  // Said in words as well as drawn: status is never colour alone.
  const dueTag =
    dueKind === null ? null : (
      <span className={`tag due-tag due-tag--${dueKind}`} data-testid="due-tag">
        {dueKind === 'due' ? 'Due' : `Overdue ${dueMinutes ?? 0} min`}
      </span>
    );
  const age = row.patient.dateOfBirth ? `${formatAge(row.patient.dateOfBirth, date)}, born ${formatUkDate(row.patient.dateOfBirth)}` : 'DOB not known';

  return (
    <tr
      className={classes.join(' ')}
      data-testid={`appt-${row.id}`}
      data-appointment-id={row.id}
      data-status={row.status}
      data-version={row.version}
      data-start={row.start}
      data-due={dueKind ?? undefined}
      aria-busy={pending !== null}
      tabIndex={isCurrent || (first && !hasCurrent) ? 0 : -1}
      aria-label={`${time} ${name}, ${age}, ${APPOINTMENT_TYPE_LABEL[row.type]}${dueKind === null ? '' : dueKind === 'due' ? ', due' : `, overdue ${dueMinutes ?? 0} minutes`}`}
    >
      <th scope="row" className="col-time">
        <time dateTime={row.start} data-testid="appt-time">
          {time}
        </time>
        {row.desk?.ticket ? (
          <span className="ticket" data-testid="ticket" title="Waiting-room ticket">
            #{row.desk.ticket}
          </span>
        ) : null}
      </th>
      <td className="col-patient">
        <span className="patient-name" data-testid="patient-name">
          {name}
        </span>
        <WalkInTag row={row} rebookedFrom={rebookedFrom} />
        <Flags flags={row.patient.flags} />
        <PatientMarks patient={row.patient} />
        <PatientAddress patient={row.patient} className="appt__sub" />
        {rebookedTo !== null ? (
          <span className="rebook-note" data-testid="rebooked-to">
            {rebookedTo}
          </span>
        ) : null}
        {rebookedFrom !== null ? (
          <span className="rebook-note" data-testid="rebooked-from">
            {rebookedFrom}
          </span>
        ) : null}
        {compact ? (
          <>
            <span className="appt__sub">
              {row.patient.dateOfBirth ? (
                <>
                  <span className="age">{formatAge(row.patient.dateOfBirth, date)}</span> <span className="dob">{formatUkDate(row.patient.dateOfBirth)}</span>
                </>
              ) : (
                <span className="muted">DOB not known</span>
              )}
            </span>
            {/* DOB, then NHS number, each whole on a line of its own: the two a patient is checked against. */}
            <span className="appt__sub">
              <NhsNumber patient={row.patient} />
            </span>
            <span className="appt__sub">
              <span className="appt__type">{APPOINTMENT_TYPE_LABEL[row.type]}</span>
              <PhoneToRing row={row} />
            </span>
          </>
        ) : null}
      </td>
      {compact ? null : (
        <>
          <td className="col-age">
            {row.patient.dateOfBirth ? (
              <>
                <span className="age">{formatAge(row.patient.dateOfBirth, date)}</span> <span className="dob">{formatUkDate(row.patient.dateOfBirth)}</span>
              </>
            ) : (
              <span className="muted">DOB not known</span>
            )}
          </td>
          <td className="col-nhs">
            <NhsNumber patient={row.patient} />
          </td>
          <td className="col-type">
            {APPOINTMENT_TYPE_LABEL[row.type]}
            <PhoneToRing row={row} ownLine />
          </td>
        </>
      )}
      {compact ? (
        // One cell for status and actions: a column of the side-by-side board is too narrow for two.
        <td className="col-actions">
          <StatusBadge status={row.status} arrivedAt={row.arrivedAt} />
          {dueTag}
          <RowActions row={row} name={name} time={time} pending={pending} compact />
        </td>
      ) : (
        <>
          <td className="col-status">
            <StatusBadge status={row.status} arrivedAt={row.arrivedAt} />
            {dueTag}
          </td>
          <td className="col-actions">
            <RowActions row={row} name={name} time={time} pending={pending} compact={false} />
          </td>
        </>
      )}
    </tr>
  );
});

function WalkInTag({ row, rebookedFrom }: { row: AppointmentRow; rebookedFrom: string | null }) {
  if (row.desk?.origin === 'walk_in') {
    const triage = row.desk.triage;
    return (
      <span className={`tag ${triage === 'urgent_today' ? 'tag--urgent' : 'tag--info'}`} data-testid="walk-in-tag">
        Walk-in{triage ? `: ${TRIAGE_LABEL[triage]}` : ''}
      </span>
    );
  }
  // Where it came from is said in full under the name (rebookedFrom); the tag is for a move the desk cannot place.
  if (row.desk?.origin === 'rebooked' && rebookedFrom === null) return <span className="tag tag--info">Rebooked here</span>;
  return null;
}

export function NhsNumber({ patient }: { patient: Patient }) {
  if (patient.nhsNumberStatus === 'missing' || patient.nhsNumber === null) {
    return (
      <span className="tag tag--warn" data-testid="nhs-number" data-nhs-status="missing">
        No NHS no.
      </span>
    );
  }
  if (patient.nhsNumberStatus === 'invalid') {
    return (
      <span data-testid="nhs-number" data-nhs-status="invalid">
        <span className="nhs-number nhs-number--invalid">{formatNhsNumber(patient.nhsNumber)}</span> <span className="tag tag--warn">NHS no. invalid</span>
      </span>
    );
  }
  return (
    <span className="nhs-number" data-testid="nhs-number" data-nhs-status="valid">
      {formatNhsNumber(patient.nhsNumber)}
    </span>
  );
}

/**
 * What the practice list says of the patient that changes what the desk does: deceased (never booked, never a
 * walk-in: check who this is) and temporary resident (TR; keyed back differently), in words, never colour alone.
 */
export function PatientMarks({ patient }: { patient: Pick<Patient, 'deceased' | 'temporaryResident'> }) {
  return (
    <>
      {patient.deceased ? (
        <span className="tag tag--urgent" data-testid="mark-deceased">
          Deceased
        </span>
      ) : null}
      {patient.temporaryResident ? (
        <abbr className="tag tag--info" title="Temporary resident" data-testid="mark-tr">
          TR
        </abbr>
      ) : null}
    </>
  );
}

/** The patient's address as the practice list gives it, when it does: one more thing to check identity against. */
export function PatientAddress({ patient, className }: { patient: Pick<Patient, 'address'>; className: string }) {
  if (!patient.address) return null;
  return (
    <span className={`${className} patient-address`} data-testid="patient-address">
      {patient.address}
    </span>
  );
}

export function Flags({ flags }: { flags: Patient['flags'] }) {
  if (flags.length === 0) return null;
  // Time-sensitive care first: after an outage these are the patients who must not slip (DOMAIN.md).
  const ordered = flags.toSorted((a, b) => Number(TIME_SENSITIVE_FLAGS.includes(b)) - Number(TIME_SENSITIVE_FLAGS.includes(a)));
  return (
    <ul className="flags" aria-label="Flags">
      {ordered.map((flag) => {
        const urgent = TIME_SENSITIVE_FLAGS.includes(flag);
        return (
          <li key={flag} className={`flag${urgent ? ' flag--urgent' : ''}`} data-testid={`flag-${flag}`}>
            {urgent ? <span aria-hidden="true">! </span> : null}
            {PATIENT_FLAG_LABEL[flag]}
          </li>
        );
      })}
    </ul>
  );
}

/** A telephone appointment's number to ring, on the row itself: the receptionist or clinician rings it from there. */
function PhoneToRing({ row, ownLine = false }: { row: AppointmentRow; ownLine?: boolean }) {
  if (row.type !== 'telephone') return null;
  // In the full table the number gets a line of its own: kept whole, it is read off in one go.
  return (
    <span className={ownLine ? 'appt__phone appt__phone--own-line' : 'appt__phone'} data-testid="phone-to-ring">
      {ownLine ? null : ' · '}
      {row.patient.phone ?? 'no phone on record'}
    </span>
  );
}
