import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { AppointmentToday, PatientHit, WalkInInput } from '../../../shared/api';
import {
  appointmentsTodayBlockingWalkIn,
  CHECK_IN_INSTEAD_STATUSES,
  checkNhsNumber,
  DESK_STATUS_LABEL,
  formatNhsNumber,
  formatUkDate,
  localDateOf,
  localTimeOf,
  parseUkDate,
  TRIAGE_CATEGORIES,
  TRIAGE_LABEL,
  type Patient,
  type TriageCategory,
} from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { patientName } from '../day/format';
import { useDay, useDeskActions } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { ClinicianOptions } from '../components/SelectOptions';

const TRIAGE_HINT: Record<TriageCategory, string> = {
  urgent_today: 'needs seeing today, first on the list',
  same_day: 'today, after the urgent ones',
  routine: 'can wait for a routine slot',
  signposted: 'sent elsewhere (pharmacy, NHS 111, UTC): not added to the queue',
};

type Source = 'mirror' | 'new';

/**
 * A walk-in in seconds: the patient (from the mirror, or new), the triage category and where they wait. The
 * receptionist navigates care, and does not diagnose: the 999 reminder stays on screen for every walk-in.
 */
export function WalkInDialog({ preset }: { preset: Patient | null }) {
  const close = useUiStore((s) => s.close);
  const showInQueue = useUiStore((s) => s.showInQueue);
  const reveal = useUiStore((s) => s.reveal);
  const { registerWalkIn, searchPatients, setStatus, selectDate } = useDeskActions();
  const day = useDay();
  const [source, setSource] = useState<Source>(preset ? 'mirror' : 'new');
  const [chosen, setChosen] = useState<Patient | null>(preset);
  const [find, setFind] = useState('');
  const [found, setFound] = useState<PatientHit[]>([]);
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [dob, setDob] = useState('');
  const [phone, setPhone] = useState('');
  const [nhs, setNhs] = useState('');
  const [temporary, setTemporary] = useState(false);
  const [triage, setTriage] = useState<TriageCategory | null>(null);
  const [assign, setAssign] = useState('duty');
  const [reason, setReason] = useState('');
  const [signpostedTo, setSignpostedTo] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  /** The patient's appointments today as the desk refused the walk-in for them (another desk may have booked it). */
  const [refusedFor, setRefusedFor] = useState<{ patientId: string; appointments: readonly AppointmentToday[] } | null>(null);
  const firstChoice = useRef<HTMLButtonElement>(null);
  const token = useRef(0);

  useEffect(() => {
    const q = find.trim();
    if (source !== 'mirror' || q === '') return;
    const mine = ++token.current;
    const timer = setTimeout(() => {
      void searchPatients(q).then((hits) => {
        if (mine !== token.current) return;
        setFound(hits);
        setChosen(hits[0]?.patient ?? null);
      });
    }, 150);
    return () => clearTimeout(timer);
  }, [find, source, searchPatients]);

  // One patient, one place in the queue: an appointment today (not cancelled) is shown before a walk-in is made.
  // From the day on screen when that is today; the desk's refusal says the same for any other day on screen.
  const today = localDateOf(new Date());
  const patientId = source === 'mirror' ? (chosen?.id ?? null) : null;
  const onScreen: AppointmentToday[] =
    patientId !== null && day?.date === today
      ? appointmentsTodayBlockingWalkIn(day.appointments.filter((a) => a.patientId === patientId)).map((a) => ({
          appointment: a,
          clinicianName: day.clinicians.find((c) => c.id === a.clinicianId)?.name ?? a.clinicianId,
        }))
      : [];
  const appointmentsToday = refusedFor !== null && refusedFor.patientId === patientId ? refusedFor.appointments : onScreen;
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (shown) firstChoice.current?.focus();
  }, [shown, patientId]);

  /** Checks the patient in on their appointment (on today's day, so the row is there), then shows it. */
  const checkInInstead = async (a: AppointmentToday['appointment']) => {
    setBusy(true);
    if (day?.date !== today) await selectDate(today);
    const done = await setStatus(a.id, 'arrived');
    setBusy(false);
    if (!done) return;
    close();
    reveal(a.id, a.clinicianId, 'arrived');
  };
  const goTo = async (a: AppointmentToday['appointment']) => {
    if (day?.date !== today) await selectDate(today);
    close();
    reveal(a.id, a.clinicianId, a.status);
  };

  const nhsCheck = nhs.trim() === '' ? null : checkNhsNumber(nhs);
  const dutyName = day?.clinicians.find((c) => c.id === day.dutyClinicianId)?.name ?? null;

  const submit = async (event: FormEvent | null, despiteAppointmentToday = false) => {
    event?.preventDefault();
    const problems: string[] = [];
    let patient: WalkInInput['patient'] | null = null;
    if (source === 'mirror') {
      if (chosen) patient = { kind: 'existing', patientId: chosen.id };
      else problems.push('Find the patient in the mirror, or choose “New patient”.');
    } else {
      const dateOfBirth = parseUkDate(dob);
      if (familyName.trim() === '') problems.push('Enter the family name.');
      if (dateOfBirth === null) problems.push('Enter the date of birth as dd/mm/yyyy.');
      if (familyName.trim() !== '' && dateOfBirth !== null) {
        patient = {
          kind: 'new',
          details: {
            familyName: familyName.trim(),
            givenName: givenName.trim(),
            dateOfBirth,
            temporaryResident: temporary,
            ...(phone.trim() ? { phone: phone.trim() } : {}),
            ...(nhs.trim() ? { nhsNumber: nhs.trim() } : {}),
          },
        };
      }
    }
    if (triage === null) problems.push('Choose a triage category.');
    if (triage === 'signposted' && signpostedTo.trim() === '') problems.push('Say where they were signposted to.');
    setErrors(problems);
    if (problems.length > 0 || patient === null || triage === null) return;
    if (triage !== 'signposted' && appointmentsToday.length > 0 && !despiteAppointmentToday) {
      // Enter does not make a second place in the queue: it brings the choice to the keyboard.
      setShown(true);
      firstChoice.current?.focus();
      return;
    }
    setBusy(true);
    const result = await registerWalkIn({
      patient,
      triage,
      assignTo: assign === 'duty' ? { kind: 'duty' } : { kind: 'clinician', clinicianId: assign },
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(triage === 'signposted' ? { signpostedTo: signpostedTo.trim() } : {}),
      ...(despiteAppointmentToday ? { despiteAppointmentToday: true } : {}),
    });
    setBusy(false);
    if (result === null) return;
    if (typeof result === 'object' && 'clash' in result) {
      if (patient.kind === 'existing') setRefusedFor({ patientId: patient.patientId, appointments: result.clash });
      setShown(true);
      return;
    }
    close();
    if (result !== 'signposted') showInQueue(result.id);
  };

  return (
    <Modal title="Register a walk-in" onClose={close} wide testId="walk-in-dialog">
      <div className="callout callout--red" role="note" data-testid="red-flag">
        <strong>Red-flag symptoms: call 999 now.</strong> Chest pain, signs of stroke, severe breathing difficulty, heavy bleeding, collapse or anaphylaxis are not for the queue.
      </div>
      <form className="walk-in" onSubmit={(e) => void submit(e)} noValidate>
        {errors.length > 0 ? (
          <div className="error-summary" role="alert" data-testid="walk-in-errors">
            <h3 className="error-summary__title">There is a problem</h3>
            <ul>
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="walk-in__grid">
          <fieldset className="fieldset">
            <legend className="fieldset__legend">Patient</legend>
            <div className="radios radios--inline">
              <label className="radio">
                <input type="radio" name="source" checked={source === 'mirror'} onChange={() => setSource('mirror')} data-testid="walk-in-source-mirror" />
                In the mirror
              </label>
              <label className="radio">
                <input
                  type="radio"
                  name="source"
                  checked={source === 'new'}
                  onChange={() => setSource('new')}
                  data-testid="walk-in-source-new"
                  {...(preset ? {} : { 'data-autofocus': '' })}
                />
                New patient
              </label>
            </div>
            {source === 'mirror' ? (
              <>
                {preset === null ? (
                  <>
                    <label className="field">
                      <span className="field__label">Surname, DOB, NHS number or phone</span>
                      <input className="field__input" value={find} onChange={(e) => setFind(e.target.value)} autoComplete="off" data-testid="walk-in-find" />
                    </label>
                    <label className="field">
                      <span className="field__label">Choose ({found.length} found)</span>
                      <select
                        className="field__input"
                        size={4}
                        value={chosen?.id ?? ''}
                        onChange={(e) => setChosen(found.find((h) => h.patient.id === e.target.value)?.patient ?? null)}
                        data-testid="walk-in-found"
                      >
                        {found.map((h) => (
                          <option key={h.patient.id} value={h.patient.id}>
                            {patientName(h.patient)} · {h.patient.dateOfBirth ? formatUkDate(h.patient.dateOfBirth) : 'DOB ?'}
                            {h.patient.nhsNumber ? ` · ${formatNhsNumber(h.patient.nhsNumber)}` : ''}
                          </option>
                        ))}
                      </select>
                    </label>
                  </>
                ) : null}
                {chosen ? (
                  <p className="walk-in__chosen" data-testid="walk-in-chosen">
                    <strong>{patientName(chosen)}</strong>, born {chosen.dateOfBirth ? formatUkDate(chosen.dateOfBirth) : 'unknown'}
                    {chosen.nhsNumber ? `, NHS ${formatNhsNumber(chosen.nhsNumber)}` : ''}
                    {chosen.phone ? `, ${chosen.phone}` : ''}
                  </p>
                ) : null}
                {chosen && appointmentsToday.length > 0 ? (
                  <AppointmentsToday
                    name={patientName(chosen)}
                    appointments={appointmentsToday}
                    firstChoice={firstChoice}
                    busy={busy}
                    onCheckIn={(a) => void checkInInstead(a)}
                    onGoTo={(a) => void goTo(a)}
                    onRegisterAnyway={() => void submit(null, true)}
                  />
                ) : null}
              </>
            ) : (
              <div className="walk-in__new">
                <label className="field">
                  <span className="field__label">Family name</span>
                  <input className="field__input" value={familyName} onChange={(e) => setFamilyName(e.target.value)} autoComplete="off" data-testid="walk-in-family" />
                </label>
                <label className="field">
                  <span className="field__label">Given name</span>
                  <input className="field__input" value={givenName} onChange={(e) => setGivenName(e.target.value)} autoComplete="off" data-testid="walk-in-given" />
                </label>
                <label className="field">
                  <span className="field__label">Date of birth (dd/mm/yyyy)</span>
                  <input className="field__input" value={dob} onChange={(e) => setDob(e.target.value)} inputMode="numeric" autoComplete="off" data-testid="walk-in-dob" />
                </label>
                <label className="field">
                  <span className="field__label">Phone</span>
                  <input className="field__input" value={phone} onChange={(e) => setPhone(e.target.value)} type="tel" autoComplete="off" data-testid="walk-in-phone" />
                </label>
                <label className="field">
                  <span className="field__label">NHS number (optional)</span>
                  <input
                    className="field__input"
                    value={nhs}
                    onChange={(e) => setNhs(e.target.value)}
                    inputMode="numeric"
                    autoComplete="off"
                    aria-describedby="walk-in-nhs-check"
                    data-testid="walk-in-nhs"
                  />
                  <span id="walk-in-nhs-check" className={nhsCheck && nhsCheck.status !== 'valid' ? 'field__error' : 'field__hint'} data-testid="walk-in-nhs-check">
                    {nhsCheck === null
                      ? 'Leave blank if they do not know it.'
                      : nhsCheck.status === 'valid'
                        ? `Valid: ${formatNhsNumber(nhs)}`
                        : `Not a valid NHS number (${nhsCheck.status === 'invalid' ? nhsCheck.reason : 'missing'}): it will be recorded and flagged.`}
                  </span>
                </label>
                <label className="field field--inline">
                  <input type="checkbox" checked={temporary} onChange={(e) => setTemporary(e.target.checked)} data-testid="walk-in-temporary" />
                  <span>Temporary resident</span>
                </label>
              </div>
            )}
          </fieldset>
          <div>
            <fieldset className="fieldset">
              <legend className="fieldset__legend">Triage</legend>
              <div className="radios">
                {TRIAGE_CATEGORIES.map((t, i) => (
                  <label key={t} className="radio">
                    <input
                      type="radio"
                      name="triage"
                      value={t}
                      checked={triage === t}
                      onChange={() => setTriage(t)}
                      data-testid={`triage-${t}`}
                      {...(preset && i === 0 ? { 'data-autofocus': '' } : {})}
                    />
                    <span>
                      <strong>{TRIAGE_LABEL[t]}</strong> <span className="muted">{TRIAGE_HINT[t]}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            {triage === 'signposted' ? (
              <label className="field">
                <span className="field__label">Signposted to</span>
                <input className="field__input" value={signpostedTo} onChange={(e) => setSignpostedTo(e.target.value)} data-testid="walk-in-signposted" />
              </label>
            ) : (
              <label className="field">
                <span className="field__label">Waits for</span>
                <select className="field__input" value={assign} onChange={(e) => setAssign(e.target.value)} data-testid="walk-in-assign">
                  <option value="duty">Duty list{dutyName ? ` (${dutyName} on duty)` : ''}</option>
                  <ClinicianOptions clinicians={day?.clinicians ?? []} />
                </select>
              </label>
            )}
            <label className="field">
              <span className="field__label">What they came about, in their words (optional)</span>
              <input className="field__input" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="walk-in-reason" />
            </label>
          </div>
        </div>
        <div className="modal__buttons">
          <button type="submit" className="button" disabled={busy} data-testid="walk-in-submit">
            Register walk-in
          </button>
          <button type="button" className="button button--secondary" onClick={close}>
            Cancel
          </button>
          <span className="muted">Enter in any field registers.</span>
        </div>
      </form>
    </Modal>
  );
}

/**
 * The patient's appointments today, shown before a walk-in would give them a second place in the queue: not yet
 * here (booked, or marked DNA), the first choice is to check them in on it; already here or seen, to go to it.
 * Registering a walk-in as well stays possible, as a separate, deliberate choice.
 */
function AppointmentsToday({
  name,
  appointments,
  firstChoice,
  busy,
  onCheckIn,
  onGoTo,
  onRegisterAnyway,
}: {
  name: string;
  appointments: readonly AppointmentToday[];
  firstChoice: RefObject<HTMLButtonElement | null>;
  busy: boolean;
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
    </div>
  );
}
