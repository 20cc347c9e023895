import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PatientHit } from '../../../shared/api';
import { APPOINTMENT_TYPE_LABEL, DESK_STATUS_LABEL, formatNhsNumber, formatUkDate, localTimeOf } from '../../../shared/domain';
import { Flags, PatientAddress, PatientMarks } from '../components/AppointmentRow';
import { Modal } from '../components/Modal';
import { formatAge, patientName } from '../day/format';
import { useDay, useDeskActions, useSelectedDate } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

interface Option {
  hit: PatientHit;
  appointment: PatientHit['appointmentsOnDate'][number] | null;
}

/** Long enough to skip the keystrokes of a name being typed, short enough to feel instant. */
const SEARCH_DEBOUNCE_MS = 120;

/**
 * Find a patient by surname (prefix, any case or accent), DOB (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, ddmmyyyy, dd/mm/yy),
 * NHS number (spaces or not) or phone.
 * Patients booked on the day shown come first; Enter goes to their appointment, Shift+Enter registers them as a
 * walk-in. The results show DOB and NHS number beside the name: picking the wrong patient is a named hazard.
 */
export function SearchDialog({ purpose = 'find' }: { purpose?: 'find' | 'book' }) {
  const close = useUiStore((s) => s.close);
  const open = useUiStore((s) => s.open);
  const reveal = useUiStore((s) => s.reveal);
  const { searchPatients } = useDeskActions();
  const day = useDay();
  const date = useSelectedDate();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<PatientHit[] | null>(null);
  // The query the hits answer: while a newer one is in flight, Enter must not pick from the older list blindly.
  const [hitsFor, setHitsFor] = useState('');
  const [active, setActive] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setHits(null);
      return;
    }
    const token = ++latest.current;
    const timer = setTimeout(() => {
      void searchPatients(q).then((found) => {
        if (token !== latest.current) return;
        setHits(found);
        setHitsFor(q);
        setActive(0);
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, searchPatients]);

  // The chosen patient stays in sight as the arrows move down a long list.
  useEffect(() => {
    document.getElementById(`search-hit-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, hitsFor]);

  const pick = (option: Option, asWalkIn: boolean, toBook = false) => {
    // Nobody is booked or registered as a walk-in in the name of a patient the list records as deceased (the desk
    // refuses it too): only their appointment on the day, if they have one, can be gone to.
    const onlyGoTo = option.hit.patient.deceased === true;
    if (onlyGoTo && (toBook || purpose === 'book' || asWalkIn || option.appointment === null)) return;
    // Found to book a new appointment (B, or Ctrl+Enter here): the booking dialog for them, in this one's place.
    if (toBook || purpose === 'book') {
      open({ kind: 'book', patient: option.hit.patient });
      return;
    }
    if (asWalkIn || option.appointment === null) {
      open({ kind: 'walk-in', patient: option.hit.patient });
      return;
    }
    close();
    reveal(option.appointment.id, option.appointment.clinicianId, option.appointment.status);
  };

  // One option per appointment on the day (a patient booked twice is two choices), or one for the patient.
  const list: Option[] = (hits ?? []).flatMap((hit): Option[] =>
    hit.appointmentsOnDate.length === 0 ? [{ hit, appointment: null }] : hit.appointmentsOnDate.map((appointment): Option => ({ hit, appointment })),
  );
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (list.length > 0) setActive((i) => (event.key === 'ArrowDown' ? Math.min(list.length - 1, i + 1) : Math.max(0, i - 1)));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const hit = list[active];
      if (hit) pick(hit, event.shiftKey, event.ctrlKey || event.metaKey);
    }
  };

  const clinicianName = (id: string) => day?.clinicians.find((c) => c.id === id)?.name ?? '';
  const optionId = (i: number) => `search-hit-${i}`;
  return (
    <Modal title={purpose === 'book' ? 'Book an appointment: find the patient' : 'Find a patient'} onClose={close} wide testId="search-dialog">
      <label className="field" htmlFor="search-input">
        <span className="field__label">Surname, date of birth (dd/mm/yyyy), NHS number or phone</span>
      </label>
      <input
        id="search-input"
        className="field__input field__input--search"
        type="text"
        role="combobox"
        aria-expanded={list.length > 0}
        aria-controls="search-results"
        aria-autocomplete="list"
        {...(list.length > 0 ? { 'aria-activedescendant': optionId(active) } : {})}
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
        data-autofocus
        data-testid="search-input"
      />
      {purpose === 'book' ? (
        <p className="muted search__hint">
          ↑ ↓ choose · <kbd className="kbd">Enter</kbd> book them a new appointment
        </p>
      ) : (
        <p className="muted search__hint">
          ↑ ↓ choose · <kbd className="kbd">Enter</kbd> go to their appointment {date ? `on ${formatUkDate(date)}` : ''} · <kbd className="kbd">Shift+Enter</kbd> register as a
          walk-in · <kbd className="kbd">Ctrl+Enter</kbd> book a new appointment
        </p>
      )}
      <p className="visually-hidden" role="status">
        {hits === null ? '' : `${hits.length} ${hits.length === 1 ? 'patient' : 'patients'} found`}
      </p>
      {hits !== null && hits.length === 0 ? (
        <div className="search__none" data-testid="search-none">
          <p>No patient in the mirror matches “{query.trim()}”. You can type:</p>
          <ul>
            <li>a surname, or the start of one, then a first name if you like: “o brien”, “obrien” and “O’Brien” all find O’Brien; “smith, j”</li>
            <li>a date of birth, day first: 02/03/1984, 02-03-1984, 02.03.1984, 02031984 or 02/03/84</li>
            <li>an NHS number, with or without spaces: 999 000 0018</li>
            <li>a phone number, or part of one: 07700 900123</li>
          </ul>
        </div>
      ) : null}
      <ul id="search-results" className="search-results" role="listbox" aria-label="Patients found" data-testid="search-results" data-query={hitsFor}>
        {list.map((option, i) => {
          const p = option.hit.patient;
          const a = option.appointment;
          return (
            <li
              key={`${p.id}/${a?.id ?? ''}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              {...(p.deceased && (a === null || purpose === 'book') ? { 'aria-disabled': true } : {})}
              className={`search-hit${i === active ? ' search-hit--active' : ''}`}
              data-testid="search-hit"
              data-patient-id={p.id}
              data-appointment-ref={a?.id ?? ''}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(option, false)}
            >
              <span className="search-hit__who">
                <span className="patient-name">{patientName(p)}</span>
                <Flags flags={p.flags} />
                <PatientMarks patient={p} />
                <span className="search-hit__id">
                  {p.dateOfBirth ? `${formatAge(p.dateOfBirth, date ?? p.dateOfBirth)} · born ${formatUkDate(p.dateOfBirth)}` : 'DOB not known'}
                  {' · '}
                  {p.nhsNumber ? `NHS ${formatNhsNumber(p.nhsNumber)}` : 'no NHS number'}
                  {p.phone ? ` · ${p.phone}` : ''}
                </span>
                <PatientAddress patient={p} className="search-hit__id" />
              </span>
              <span className="search-hit__appts">
                {p.deceased && (a === null || purpose === 'book') ? (
                  <span className="muted" data-testid="search-hit-deceased">
                    Recorded as deceased on the practice list: not offered for booking or a walk-in. Check who this is.
                  </span>
                ) : a === null ? (
                  <span className="muted">Not booked this day: Shift+Enter for walk-in</span>
                ) : (
                  <span className="search-hit__appt">
                    <strong>{localTimeOf(a.start)}</strong> {clinicianName(a.clinicianId)} · {APPOINTMENT_TYPE_LABEL[a.type]} · {DESK_STATUS_LABEL[a.status]}
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </Modal>
  );
}
