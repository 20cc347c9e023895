/**
 * The walk-in dialog's patient parts (WalkInDialog.tsx): finding the patient in the mirror, as the search dialog
 * does, and their appointment today offered instead of a second place in the queue.
 */
import type { KeyboardEvent, RefObject } from 'react';
import type { AppointmentToday, PatientHit } from '../../../shared/api';
import {
  appointmentsTodayBlockingWalkIn,
  CHECK_IN_INSTEAD_STATUSES,
  DESK_STATUS_LABEL,
  formatNhsNumber,
  formatUkDate,
  localTimeOf,
  type Appointment,
} from '../../../shared/domain';
import { PatientAddress, PatientMarks } from '../components/AppointmentRow';
import { patientName } from '../day/format';

/**
 * The search the walk-in starts with, as the search dialog's: the input keeps the keyboard (arrows move, Enter
 * chooses), the patients found below it, each with their appointment today if they have one, then "New patient".
 */
export function FindPatient({
  find,
  onFind,
  onKeyDown,
  found,
  foundFor,
  problem,
  active,
  chosenId,
  today,
  dayToday,
  clinicianName,
  onChoose,
  onNewPatient,
}: {
  find: string;
  onFind: (query: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  found: readonly PatientHit[] | null;
  foundFor: string;
  problem: string | null;
  active: number;
  chosenId: string | null;
  today: string;
  /** The day's appointments when the day on screen is today: fresher than the search's. */
  dayToday: readonly Appointment[] | null;
  clinicianName: (id: string) => string;
  onChoose: (hit: PatientHit) => void;
  onNewPatient: () => void;
}) {
  const optionId = (i: number) => `walk-in-hit-${i}`;
  const count = found?.length ?? 0;
  const options = found === null ? 0 : count + 1;
  return (
    <div className="walk-in__find">
      <label className="field__label" htmlFor="walk-in-find">
        Find them first: surname, date of birth (any form), NHS number or phone
      </label>
      <input
        id="walk-in-find"
        className="field__input"
        type="text"
        role="combobox"
        aria-expanded={options > 0}
        aria-controls="walk-in-hits"
        aria-autocomplete="list"
        {...(options > 0 ? { 'aria-activedescendant': optionId(active) } : {})}
        value={find}
        onChange={(e) => onFind(e.target.value)}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
        data-autofocus
        data-testid="walk-in-find"
      />
      <p className="muted walk-in__find-hint">
        ↑ ↓ choose · <kbd className="kbd">Enter</kbd> this patient · last in the list: a new patient
      </p>
      <p className="visually-hidden" role="status">
        {found === null ? '' : `${count} ${count === 1 ? 'patient' : 'patients'} found`}
      </p>
      {problem !== null ? (
        <p className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
      {found !== null ? (
        <ul id="walk-in-hits" className="search-results walk-in__hits" role="listbox" aria-label="Patients found" data-testid="walk-in-hits" data-query={foundFor}>
          {found.map((hit, i) => {
            const p = hit.patient;
            const booked = appointmentsTodayBlockingWalkIn(dayToday === null ? hit.appointmentsOnDate : dayToday.filter((a) => a.patientId === p.id));
            return (
              <li
                key={p.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                {...(p.deceased ? { 'aria-disabled': true } : {})}
                className={`search-hit${i === active ? ' search-hit--active' : ''}${p.id === chosenId ? ' walk-in__hit--chosen' : ''}`}
                data-testid="walk-in-hit"
                data-patient-id={p.id}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => onChoose(hit)}
              >
                <span className="search-hit__who">
                  <span className="patient-name">{patientName(p)}</span>
                  <PatientMarks patient={p} />
                  <span className="search-hit__id">
                    {p.dateOfBirth ? `born ${formatUkDate(p.dateOfBirth)}` : 'DOB not known'}
                    {' · '}
                    {p.nhsNumber ? `NHS ${formatNhsNumber(p.nhsNumber)}` : 'no NHS number'}
                    {p.phone ? ` · ${p.phone}` : ''}
                  </span>
                  <PatientAddress patient={p} className="search-hit__id" />
                </span>
                <span className="search-hit__appts" data-testid="walk-in-hit-today">
                  {booked.map((a) => (
                    <span key={a.id} className="search-hit__appt walk-in__booked" data-appointment-ref={a.id}>
                      {CHECK_IN_INSTEAD_STATUSES.includes(a.status)
                        ? `Booked today ${localTimeOf(a.start)} ${clinicianName(a.clinicianId)}: check them in instead?`
                        : `Here today: ${localTimeOf(a.start)} ${clinicianName(a.clinicianId)} (${DESK_STATUS_LABEL[a.status]})`}
                    </span>
                  ))}
                  {p.deceased ? (
                    <span className="muted" data-testid="walk-in-hit-deceased">
                      Recorded as deceased on the practice list: not a walk-in. Check who this is, or register a new patient.
                    </span>
                  ) : booked.length === 0 ? (
                    <span className="muted">Not booked today ({formatUkDate(today)})</span>
                  ) : null}
                </span>
              </li>
            );
          })}
          <li
            id={optionId(count)}
            role="option"
            aria-selected={active === count}
            className={`search-hit walk-in__new-option${active === count ? ' search-hit--active' : ''}`}
            data-testid="walk-in-hit-new"
            onMouseDown={(e) => e.preventDefault()}
            onClick={onNewPatient}
          >
            {count === 0 ? `No patient in the mirror matches “${foundFor}”: ` : 'Not one of these: '}
            <strong>New patient</strong>, type their details
          </li>
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The patient's appointments today, shown before a walk-in would give them a second place in the queue: not yet
 * here (booked, or marked DNA), the first choice is to check them in on it; already here or seen, to go to it.
 * Registering a walk-in as well stays possible, as a separate, deliberate choice.
 */
export function AppointmentsToday({
  name,
  appointments,
  firstChoice,
  busy,
  asWell,
  onCheckIn,
  onGoTo,
  onRegisterAnyway,
}: {
  name: string;
  appointments: readonly AppointmentToday[];
  firstChoice: RefObject<HTMLButtonElement | null>;
  busy: boolean;
  /** "Register a walk-in as well" was chosen before the triage: the triage and Enter register it. */
  asWell: boolean;
  onCheckIn: (a: AppointmentToday['appointment']) => void;
  onGoTo: (a: AppointmentToday['appointment']) => void;
  onRegisterAnyway: () => void;
}) {
  const [first] = appointments;
  if (!first) return null;
  const notHereYet = CHECK_IN_INSTEAD_STATUSES.includes(first.appointment.status);
  return (
    <div className="callout callout--warn" role="alert" data-testid="walk-in-appointment-today">
      <p>
        <strong>{name} already has an appointment today.</strong>{' '}
        {notHereYet ? 'Check them in on it rather than adding a walk-in.' : 'They are already on the day: go to that appointment rather than adding a walk-in.'}
      </p>
      <ul>
        {appointments.map(({ appointment: a, clinicianName }) => (
          <li key={a.id} data-testid={`appointment-today-${a.id}`}>
            {localTimeOf(a.start)} with {clinicianName}: <strong>{DESK_STATUS_LABEL[a.status]}</strong>
            {a.arrivedAt && !notHereYet ? ` (arrived ${localTimeOf(a.arrivedAt)})` : ''}
          </li>
        ))}
      </ul>
      <div className="modal__buttons">
        {notHereYet ? (
          <button type="button" className="button" ref={firstChoice} disabled={busy} onClick={() => onCheckIn(first.appointment)} data-testid="walk-in-check-in-instead">
            Check in for {localTimeOf(first.appointment.start)} instead
          </button>
        ) : (
          <button type="button" className="button" ref={firstChoice} onClick={() => onGoTo(first.appointment)} data-testid="walk-in-go-to-appointment">
            Go to their {localTimeOf(first.appointment.start)} appointment
          </button>
        )}
        <button type="button" className="button button--secondary" disabled={busy} onClick={onRegisterAnyway} data-testid="walk-in-register-anyway">
          Register a walk-in as well
        </button>
      </div>
      {asWell ? (
        <p className="muted" data-testid="walk-in-as-well">
          A walk-in as well: choose the triage, then Enter registers it.
        </p>
      ) : null}
    </div>
  );
}
