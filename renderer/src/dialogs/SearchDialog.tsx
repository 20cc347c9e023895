import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PatientHit } from '../../../shared/api';
import { APPOINTMENT_TYPE_LABEL, DESK_STATUS_LABEL, formatNhsNumber, formatUkDate, localTimeOf } from '../../../shared/domain';
import { Flags } from '../components/AppointmentRow';
import { Modal } from '../components/Modal';
import { formatAge, patientName } from '../day/format';
import { useDay, useDeskActions, useSelectedDate } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';

/** Long enough to skip the keystrokes of a name being typed, short enough to feel instant. */
const SEARCH_DEBOUNCE_MS = 120;

/**
 * Find a patient by surname (prefix, any case or accent), DOB dd/mm/yyyy, NHS number (spaces or not) or phone.
 * Patients booked on the day shown come first; Enter goes to their appointment, Shift+Enter registers them as a
 * walk-in. The results show DOB and NHS number beside the name: picking the wrong patient is a named hazard.
 */
export function SearchDialog() {
  const close = useUiStore((s) => s.close);
  const open = useUiStore((s) => s.open);
  const reveal = useUiStore((s) => s.reveal);
  const { searchPatients } = useDeskActions();
  const day = useDay();
  const date = useSelectedDate();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<PatientHit[] | null>(null);
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
        setActive(0);
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, searchPatients]);

  const pick = (hit: PatientHit, asWalkIn: boolean) => {
    const appointment = hit.appointmentsOnDate.find((a) => a.status !== 'cancelled') ?? hit.appointmentsOnDate[0];
    if (asWalkIn || !appointment) {
      open({ kind: 'walk-in', patient: hit.patient });
      return;
    }
    close();
    reveal(appointment.id, appointment.clinicianId, appointment.status);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const list = hits ?? [];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (list.length > 0) setActive((i) => (event.key === 'ArrowDown' ? Math.min(list.length - 1, i + 1) : Math.max(0, i - 1)));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const hit = list[active];
      if (hit) pick(hit, event.shiftKey);
    }
  };

  const clinicianName = (id: string) => day?.clinicians.find((c) => c.id === id)?.name ?? '';
  const optionId = (i: number) => `search-hit-${i}`;
  const list = hits ?? [];
  return (
    <Modal title="Find a patient" onClose={close} wide testId="search-dialog">
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
      <p className="muted search__hint">
        ↑ ↓ choose · <kbd className="kbd">Enter</kbd> go to their appointment {date ? `on ${formatUkDate(date)}` : ''} ·{' '}
        <kbd className="kbd">Shift+Enter</kbd> register as a walk-in
      </p>
      <p className="visually-hidden" role="status">
        {hits === null ? '' : `${hits.length} ${hits.length === 1 ? 'patient' : 'patients'} found`}
      </p>
      {hits !== null && hits.length === 0 ? <p className="search__none">No patient in the mirror matches “{query.trim()}”.</p> : null}
      <ul id="search-results" className="search-results" role="listbox" aria-label="Patients found" data-testid="search-results">
        {list.map((hit, i) => {
          const p = hit.patient;
          return (
            <li
              key={p.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={`search-hit${i === active ? ' search-hit--active' : ''}`}
              data-testid="search-hit"
              data-patient-id={p.id}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(hit, false)}
            >
              <span className="search-hit__who">
                <span className="patient-name">{patientName(p)}</span>
                <Flags flags={p.flags} />
                <span className="search-hit__id">
                  {p.dateOfBirth ? `${formatAge(p.dateOfBirth, date ?? p.dateOfBirth)} · born ${formatUkDate(p.dateOfBirth)}` : 'DOB not known'}
                  {' · '}
                  {p.nhsNumber ? `NHS ${formatNhsNumber(p.nhsNumber)}` : 'no NHS number'}
                  {p.phone ? ` · ${p.phone}` : ''}
                </span>
              </span>
              <span className="search-hit__appts">
                {hit.appointmentsOnDate.length === 0 ? (
                  <span className="muted">Not booked this day: Shift+Enter for walk-in</span>
                ) : (
                  hit.appointmentsOnDate.map((a) => (
                    <span key={a.id} className="search-hit__appt">
                      <strong>{localTimeOf(a.start)}</strong> {clinicianName(a.clinicianId)} · {APPOINTMENT_TYPE_LABEL[a.type]} · {DESK_STATUS_LABEL[a.status]}
                    </span>
                  ))
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </Modal>
  );
}
