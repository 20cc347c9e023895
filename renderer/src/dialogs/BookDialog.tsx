import { useEffect, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { FreeSlot } from '../../../shared/api';
import {
  APPOINTMENT_TYPE_LABEL,
  APPOINTMENT_TYPES,
  CLINICIAN_ROLE_LABEL,
  CLINICIAN_ROLES,
  formatNhsNumber,
  formatUkDate,
  localDateOf,
  localTimeOf,
  type AppointmentType,
  type ClinicianRole,
  type LocalDate,
  type Patient,
} from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { ClinicianOptions, DayOptions } from '../components/SelectOptions';
import { patientName } from '../day/format';
import { useMirrorDates, useSelectedDate } from '../state/desk-store';
import { bookAppointment, findSlots } from '../state/desk-writes';
import { useUiStore } from '../state/ui-store';

const ANY = '';

/**
 * A new appointment for a patient who phones or comes to the desk (B): a free slot from the mirror, chosen by day,
 * role and clinician, booked as face to face, telephone, video or a home visit. Slots already started are never
 * offered, and a slot taken meanwhile is refused by the desk (never booked twice).
 */
export function BookDialog({ patient }: { patient: Patient }) {
  const close = useUiStore((s) => s.close);
  const reveal = useUiStore((s) => s.reveal);
  const mirrorDates = useMirrorDates();
  const shownDay = useSelectedDate();
  const today = localDateOf(new Date());
  const days = mirrorDates.filter((d) => d >= today);
  const [date, setDate] = useState<LocalDate>(() => days[0] ?? today);
  const [role, setRole] = useState<ClinicianRole | typeof ANY>(ANY);
  const [clinicianId, setClinicianId] = useState(ANY);
  const [type, setType] = useState<AppointmentType>('face_to_face');
  const [reason, setReason] = useState('');
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  const [slotId, setSlotId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    setSlots(null);
    void findSlots({ date, role: role === ANY ? null : role }).then((found) => {
      if (!live) return;
      setSlots(found.ok ? found.value : []);
      setError(found.ok ? null : found.message);
    });
    return () => {
      live = false;
    };
  }, [date, role]);

  // The clinicians with a free slot that day (of the role chosen): a name not offered has nothing to book.
  const clinicians = useMemo(() => [...new Map((slots ?? []).map((s) => [s.clinician.id, s.clinician])).values()], [slots]);
  const shown = useMemo(() => (slots ?? []).filter((s) => clinicianId === ANY || s.clinician.id === clinicianId), [slots, clinicianId]);
  const chosen = shown.find((s) => s.slot.id === slotId) ?? shown[0] ?? null;

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (chosen === null || busy) return;
    setBusy(true);
    const outcome = await bookAppointment(patient, chosen, { type, reason });
    setBusy(false);
    if (!outcome.ok) {
      setError(outcome.message);
      // Taken meanwhile: show what is free now.
      const again = await findSlots({ date, role: role === ANY ? null : role });
      if (again.ok) setSlots(again.value);
      return;
    }
    close();
    const row = outcome.value;
    // Booked on the day on screen: the keyboard goes to the new row, as after a walk-in.
    if (localDateOf(row.start) === shownDay) reveal(row.id, row.clinicianId, row.status);
  };
  const onListKey = (event: KeyboardEvent<HTMLSelectElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <Modal title={`Book ${patientName(patient)}`} onClose={close} wide testId="book-dialog">
      <form className="rebook" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted" data-testid="book-patient">
          {patient.dateOfBirth ? `Born ${formatUkDate(patient.dateOfBirth)}` : 'DOB not known'} ·{' '}
          {patient.nhsNumber ? `NHS ${formatNhsNumber(patient.nhsNumber)}` : 'no NHS number'} · {patient.phone ? `phone ${patient.phone}` : 'no phone number'}
        </p>
        <div className="rebook__choices book__choices">
          <label className="field">
            <span className="field__label">Day</span>
            <select className="field__input" value={date} onChange={(e) => setDate(e.target.value)} data-autofocus data-testid="book-day">
              <DayOptions days={days.length > 0 ? days : [today]} today={today} />
            </select>
          </label>
          <label className="field">
            <span className="field__label">Role</span>
            <select
              className="field__input"
              value={role}
              onChange={(e) => {
                setRole(CLINICIAN_ROLES.find((r) => r === e.target.value) ?? ANY);
                setClinicianId(ANY);
              }}
              data-testid="book-role"
            >
              <option value={ANY}>Any role</option>
              {CLINICIAN_ROLES.map((r) => (
                <option key={r} value={r}>
                  {CLINICIAN_ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">Clinician</span>
            <select className="field__input" value={clinicianId} onChange={(e) => setClinicianId(e.target.value)} data-testid="book-clinician">
              <option value={ANY}>Any clinician</option>
              <ClinicianOptions clinicians={clinicians} />
            </select>
          </label>
          <label className="field">
            <span className="field__label">Type</span>
            <select className="field__input" value={type} onChange={(e) => setType(APPOINTMENT_TYPES.find((t) => t === e.target.value) ?? 'face_to_face')} data-testid="book-type">
              {APPOINTMENT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {APPOINTMENT_TYPE_LABEL[t]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="field">
          <span className="field__label">Free slot {slots === null ? '(looking…)' : `(${shown.length} free)`}: ↑ ↓ to choose, Enter to book</span>
          <select
            className="field__input rebook__slots"
            size={8}
            value={chosen?.slot.id ?? ''}
            onChange={(e) => setSlotId(e.target.value)}
            onKeyDown={onListKey}
            data-testid="book-slots"
          >
            {shown.map((s) => (
              <option key={s.slot.id} value={s.slot.id}>
                {localTimeOf(s.slot.start)}–{localTimeOf(s.slot.end)} {s.clinician.name} ({CLINICIAN_ROLE_LABEL[s.clinician.role]}){s.sessionLabel ? ` · ${s.sessionLabel}` : ''}
                {s.room ? ` · ${s.room}` : ''}
              </option>
            ))}
          </select>
        </label>
        {slots !== null && shown.length === 0 ? <p className="field__error">No free slot that day for that choice: try another day, role or clinician.</p> : null}
        <label className="field">
          <span className="field__label">What about (optional)</span>
          <input className="field__input" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="book-reason" />
        </label>
        {error ? (
          <p className="field__error" role="alert" data-testid="book-error">
            {error}
          </p>
        ) : null}
        <div className="modal__buttons">
          <button type="submit" className="button" disabled={chosen === null || busy} data-testid="confirm-book">
            Book {chosen ? `${localTimeOf(chosen.slot.start)} ${APPOINTMENT_TYPE_LABEL[type].toLowerCase()}` : ''}
          </button>
          <button type="button" className="button button--secondary" onClick={close}>
            Not now
          </button>
        </div>
      </form>
    </Modal>
  );
}
