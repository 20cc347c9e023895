import { memo } from 'react';
import type { AppointmentRow } from '../../../shared/api';
import {
  APPOINTMENT_TYPE_LABEL,
  formatNhsNumber,
  formatUkDate,
  localTimeOf,
  PATIENT_FLAG_LABEL,
  TIME_SENSITIVE_FLAGS,
  type LocalDate,
  type Patient,
} from '../../../shared/domain';
import { formatAge, patientName } from '../day/format';
import { useHasErrorFor, usePendingStatus } from '../state/desk-store';
import { RowActions } from './RowActions';
import { StatusBadge } from './StatusBadge';

/** Rows for patients who have gone, or never came, step back so the ones still to deal with stand out. */
const DONE_STATUSES = new Set(['seen', 'left', 'walked_out', 'dna', 'cancelled']);

export const AppointmentRowView = memo(function AppointmentRowView({ row, date }: { row: AppointmentRow; date: LocalDate }) {
  const pending = usePendingStatus(row.id);
  const hasError = useHasErrorFor(row.id);
  const name = patientName(row.patient);
  const time = localTimeOf(row.start);
  const classes = ['appt', `appt--${row.status}`];
  if (DONE_STATUSES.has(row.status)) classes.push('appt--done');
  if (hasError) classes.push('appt--error');

  return (
    <tr
      className={classes.join(' ')}
      data-testid={`appt-${row.id}`}
      data-appointment-id={row.id}
      data-status={row.status}
      data-version={row.version}
      aria-busy={pending !== null}
    >
      <th scope="row" className="col-time">
        <time dateTime={row.start} data-testid="appt-time">
          {time}
        </time>
      </th>
      <td className="col-patient">
        <span className="patient-name" data-testid="patient-name">
          {name}
        </span>
        <Flags flags={row.patient.flags} />
      </td>
      <td className="col-age">
        {row.patient.dateOfBirth ? (
          <>
            <span className="age">{formatAge(row.patient.dateOfBirth, date)}</span>{' '}
            <span className="dob">{formatUkDate(row.patient.dateOfBirth)}</span>
          </>
        ) : (
          <span className="muted">DOB not known</span>
        )}
      </td>
      <td className="col-nhs">
        <NhsNumber patient={row.patient} />
      </td>
      <td className="col-type">{APPOINTMENT_TYPE_LABEL[row.type]}</td>
      <td className="col-status">
        <StatusBadge status={row.status} arrivedAt={row.arrivedAt} />
      </td>
      <td className="col-actions">
        <RowActions row={row} name={name} time={time} pending={pending} />
      </td>
    </tr>
  );
});

function NhsNumber({ patient }: { patient: Patient }) {
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
        <span className="nhs-number nhs-number--invalid">{formatNhsNumber(patient.nhsNumber)}</span>{' '}
        <span className="tag tag--warn">Invalid</span>
      </span>
    );
  }
  return (
    <span className="nhs-number" data-testid="nhs-number" data-nhs-status="valid">
      {formatNhsNumber(patient.nhsNumber)}
    </span>
  );
}

function Flags({ flags }: { flags: Patient['flags'] }) {
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
