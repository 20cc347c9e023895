import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AppointmentToday, PatientHit, WalkInInput } from '../../../shared/api';
import {
  appointmentsTodayBlockingWalkIn,
  checkNhsNumber,
  formatNhsNumber,
  formatUkDate,
  localDateOf,
  parseUkDate,
  TRIAGE_CATEGORIES,
  TRIAGE_LABEL,
  type Patient,
  type TriageCategory,
} from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { patientName } from '../day/format';
import { deskClient, useDay, useDeskActions } from '../state/desk-store';
import { errorNotice } from '../state/desk-notices';
import { useUiStore } from '../state/ui-store';
import { ClinicianOptions } from '../components/SelectOptions';
import '../styles/walk-in-signin.css';
import { AppointmentsToday, FindPatient } from './WalkInFind';

const TRIAGE_HINT: Record<TriageCategory, string> = {
  urgent_today: 'needs seeing today, first on the list',
  same_day: 'today, after the urgent ones',
  routine: 'can wait for a routine slot',
  signposted: 'sent elsewhere (pharmacy, NHS 111, UTC): not added to the queue',
};

type Source = 'mirror' | 'new';

/** Long enough to skip the keystrokes of a name being typed, short enough to feel instant (as the search dialog). */
const FIND_DEBOUNCE_MS = 120;

/** A surname typed to find them carries over to the new patient's form; a date or a number does not. */
function looksLikeName(query: string): boolean {
  return query.trim() !== '' && !/\d/.test(query);
}

/**
 * A walk-in in seconds: the patient (found in the mirror first, or new), the triage category and where they wait.
 * The search comes first, as the search dialog's (name, DOB in any form, NHS number or phone), so a patient who
 * is in the book is not typed in again; each match booked today says when and with whom, and choosing them offers
 * to check them in on it instead. The receptionist navigates care, and does not diagnose: the 999 reminder stays
 * on screen for every walk-in.
 */
export function WalkInDialog({ preset }: { preset: Patient | null }) {
  const close = useUiStore((s) => s.close);
  const showInQueue = useUiStore((s) => s.showInQueue);
  const reveal = useUiStore((s) => s.reveal);
  const { registerWalkIn, setStatus, selectDate } = useDeskActions();
  const day = useDay();
  const [source, setSource] = useState<Source>('mirror');
  const [chosen, setChosen] = useState<Patient | null>(preset);
  const [find, setFind] = useState('');
  const [found, setFound] = useState<PatientHit[] | null>(null);
  // The query the hits answer: Enter does not choose from an older list while a newer one is on its way.
  const [foundFor, setFoundFor] = useState('');
  const [findProblem, setFindProblem] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  /** The receptionist saw the appointment today and chose "Register a walk-in as well" before the triage. */
  const [despite, setDespite] = useState<string | null>(null);
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
  const familyBox = useRef<HTMLInputElement>(null);
  const token = useRef(0);
  const today = localDateOf(new Date());

  useEffect(() => {
    const q = find.trim();
    if (source !== 'mirror' || q === '') {
      setFound(null);
      return;
    }
    const mine = ++token.current;
    const timer = setTimeout(() => {
      // Searched for today, whatever day is on screen: "booked today" is what a walk-in at the desk is about.
      deskClient()
        .send('searchPatients', { query: q, date: today, limit: 30 })
        .then(
          (hits) => {
            if (mine !== token.current) return;
            setFound(hits);
            setFoundFor(q);
            setFindProblem(null);
            setActive(0);
          },
          (error: unknown) => {
            if (mine !== token.current) return;
            setFound([]);
            setFoundFor(q);
            setFindProblem(errorNotice(error, null).message);
          },
        );
    }, FIND_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [find, source, today]);

  const clinicianName = (id: string) => day?.clinicians.find((c) => c.id === id)?.name ?? id;
  // One patient, one place in the queue: an appointment today (not cancelled) is shown before a walk-in is made.
  // From the day on screen when that is today, else from the search (made for today); the desk's refusal says the
  // same whatever the screen knew.
  const patientId = source === 'mirror' ? (chosen?.id ?? null) : null;
  const chosenHit = found?.find((h) => h.patient.id === patientId) ?? null;
  const knownToday = patientId === null ? [] : day?.date === today ? day.appointments.filter((a) => a.patientId === patientId) : (chosenHit?.appointmentsOnDate ?? []);
  const onScreen: AppointmentToday[] = appointmentsTodayBlockingWalkIn(knownToday).map((a) => ({ appointment: a, clinicianName: clinicianName(a.clinicianId) }));
  const appointmentsToday = refusedFor !== null && refusedFor.patientId === patientId ? refusedFor.appointments : onScreen;
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (shown) firstChoice.current?.focus();
  }, [shown, patientId]);

  /** Chosen from the patients found: their appointment today first, if they have one; else on to the triage. */
  const choose = (hit: PatientHit) => {
    // Recorded as deceased on the practice list: never a walk-in in their name (the desk refuses it too).
    if (hit.patient.deceased) return;
    setChosen(hit.patient);
    setRefusedFor(null);
    setDespite(null);
    setErrors([]);
    const booked = appointmentsTodayBlockingWalkIn(day?.date === today ? day.appointments.filter((a) => a.patientId === hit.patient.id) : hit.appointmentsOnDate);
    if (booked.length > 0) {
      // The effect above puts the keyboard on "check in instead" once the callout is drawn.
      setShown(false);
      setTimeout(() => setShown(true), 0);
    } else {
      setShown(false);
      setTimeout(() => document.querySelector<HTMLInputElement>('[data-testid="triage-urgent_today"]')?.focus(), 0);
    }
  };
  /** From the list's last choice the form takes the keyboard; from the radio it stays there, as arrows in a radio group do. */
  const toNewPatient = (focusForm: boolean) => {
    setSource('new');
    setChosen(null);
    setShown(false);
    if (familyName === '' && looksLikeName(find)) setFamilyName(find.trim().split(/[\s,]+/)[0] ?? '');
    if (focusForm) setTimeout(() => familyBox.current?.focus(), 0);
  };
  const hitCount = found?.length ?? 0;
  // The patients found, then "New patient" last: arrows move through them all, Enter takes the one marked.
  const onFindKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const last = found === null ? 0 : hitCount;
      setActive((i) => (event.key === 'ArrowDown' ? Math.min(last, i + 1) : Math.max(0, i - 1)));
    } else if (event.key === 'Enter') {
      // Enter here chooses; it never registers a walk-in for a patient the receptionist has not chosen.
      event.preventDefault();
      if (found === null || foundFor !== find.trim()) return;
      const hit = found[active];
      if (hit) choose(hit);
      else toNewPatient(true);
    }
  };

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

  const submit = async (event: FormEvent | null, despiteChoice = false) => {
    event?.preventDefault();
    const despiteAppointmentToday = despiteChoice || (despite !== null && despite === patientId);
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
                Find in the mirror
              </label>
              <label className="radio">
                <input type="radio" name="source" checked={source === 'new'} onChange={() => toNewPatient(false)} data-testid="walk-in-source-new" />
                New patient
              </label>
            </div>
            {source === 'mirror' ? (
              <>
                {preset === null ? (
                  <FindPatient
                    find={find}
                    onFind={setFind}
                    onKeyDown={onFindKey}
                    found={found}
                    foundFor={foundFor}
                    problem={findProblem}
                    active={active}
                    chosenId={chosen?.id ?? null}
                    today={today}
                    dayToday={day?.date === today ? day.appointments : null}
                    clinicianName={clinicianName}
                    onChoose={choose}
                    onNewPatient={() => toNewPatient(true)}
                  />
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
                    asWell={despite !== null && despite === chosen.id}
                    onCheckIn={(a) => void checkInInstead(a)}
                    onGoTo={(a) => void goTo(a)}
                    onRegisterAnyway={() => {
                      if (triage !== null) {
                        void submit(null, true);
                        return;
                      }
                      // Seen and chosen before the triage: the triage next, then Enter registers.
                      setDespite(chosen.id);
                      document.querySelector<HTMLInputElement>('[data-testid="triage-urgent_today"]')?.focus();
                    }}
                  />
                ) : null}
              </>
            ) : (
              <div className="walk-in__new">
                <label className="field">
                  <span className="field__label">Family name</span>
                  <input
                    ref={familyBox}
                    className="field__input"
                    value={familyName}
                    onChange={(e) => setFamilyName(e.target.value)}
                    autoComplete="off"
                    data-testid="walk-in-family"
                  />
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
          <span className="muted">Enter in any field registers (in the search, Enter chooses the patient).</span>
        </div>
      </form>
    </Modal>
  );
}
