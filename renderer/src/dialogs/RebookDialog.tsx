import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { CLINICIAN_ROLE_LABEL, localDateOf, localTimeOf, type ClinicianRole, type LocalDate } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { formatShortDate, patientName } from '../day/format';
import { findRow } from '../keyboard/useDeskKeys';
import { useDay, useDeskActions, useMirrorDates } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { DayOptions } from '../components/SelectOptions';
import { slotOptionText, useSlotSearch } from './slot-search';

/** Whose slots the list offers: the clinician's role (a GP's patient to a GP), anyone, or the same clinician. */
type Whose = 'role' | 'any' | 'same';

/** The key that widens the list to any role (and back), from anywhere in the dialog but a text box. */
const ANY_ROLE_KEY = 'a';

/**
 * Moves an appointment to a free slot the mirror holds: the day (today or later), then whose slots (the same role
 * as the clinician booked first, A for any role, or the same clinician), then the slot. Slots already started are
 * never offered (the desk says so, server side too).
 */
export function RebookDialog({ appointmentId }: { appointmentId: string }) {
  const close = useUiStore((s) => s.close);
  const { rebook } = useDeskActions();
  const mirrorDates = useMirrorDates();
  const day = useDay();
  const row = findRow(appointmentId);
  const today = localDateOf(new Date());
  const from = row ? localDateOf(row.start) : today;
  const days = mirrorDates.filter((d) => d >= today && d >= from);
  // A cancelled or missed appointment is usually moved to another day: start on the next one the mirror holds.
  const [date, setDate] = useState<LocalDate>(() => days.find((d) => d > from) ?? days[0] ?? from);
  const role: ClinicianRole | null = day?.clinicians.find((c) => c.id === row?.clinicianId)?.role ?? null;
  // The same role first when the clinician's role is known (a clinician not on the day shown is looked for anywhere).
  const [whose, setWhose] = useState<Whose>(role === null ? 'any' : 'role');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const clinicianId = whose === 'same' && row ? row.clinicianId : null;
  const roleFilter = whose === 'role' ? role : null;

  const { slots, problem: slotProblem, slotId, setSlotId } = useSlotSearch(date, clinicianId, roleFilter);

  if (!row) return null;
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (slotId === '' || busy) return;
    setBusy(true);
    const booked = await rebook(appointmentId, slotId, reason.trim() === '' ? undefined : reason.trim());
    setBusy(false);
    if (booked) close();
  };
  const onListKey = (event: KeyboardEvent<HTMLSelectElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    }
  };
  // A: any role (again: back to the role), one key from the day or the list; letters typed in the note stay letters.
  const onDialogKey = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key.toLowerCase() !== ANY_ROLE_KEY || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLInputElement && event.target.type !== 'checkbox' && event.target.type !== 'radio') return;
    if (event.target instanceof HTMLTextAreaElement || role === null) return;
    event.preventDefault();
    setWhose((w) => (w === 'any' ? 'role' : 'any'));
  };
  const clinicianName = day?.clinicians.find((c) => c.id === row.clinicianId)?.name ?? 'the same clinician';
  const roleName = role === null ? null : CLINICIAN_ROLE_LABEL[role];
  const whoseWords = whose === 'same' ? ` with ${clinicianName}` : whose === 'role' && roleName !== null ? ` for a ${roleName}` : '';
  return (
    <Modal title={`Rebook ${patientName(row.patient)}`} onClose={close} wide testId="rebook-dialog" onKeyDown={onDialogKey}>
      <form className="rebook" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">
          Was {formatShortDate(from)} {localTimeOf(row.start)} with {clinicianName}. {row.status === 'cancelled' ? '' : 'Rebooking cancels it.'}
        </p>
        <div className="rebook__choices">
          <label className="field">
            <span className="field__label">Day</span>
            <select className="field__input" value={date} onChange={(e) => setDate(e.target.value)} data-autofocus data-testid="rebook-day">
              <DayOptions days={days} today={today} />
            </select>
          </label>
          <label className="field">
            <span className="field__label">Whose slots{roleName !== null ? ' (A: any role)' : ''}</span>
            <select className="field__input" value={whose} onChange={(e) => setWhose(e.target.value as Whose)} data-testid="rebook-whose" data-whose={whose}>
              {roleName !== null ? (
                <option value="role">
                  {roleName}s only (as {clinicianName})
                </option>
              ) : null}
              <option value="any">Any role</option>
              <option value="same">Only {clinicianName}</option>
            </select>
          </label>
        </div>
        <label className="field">
          <span className="field__label">Free slot {slots === null ? '(looking…)' : `(${slots.length} free)`}: ↑ ↓ to choose, Enter to book</span>
          <select
            className="field__input rebook__slots"
            size={8}
            value={slotId}
            onChange={(e) => setSlotId(e.target.value)}
            onKeyDown={onListKey}
            data-testid="rebook-slots"
            data-loaded={slots === null ? 'false' : 'true'}
          >
            {(slots ?? []).map((s) => (
              <option key={s.slot.id} value={s.slot.id}>
                {slotOptionText(s, whose !== 'role')}
              </option>
            ))}
          </select>
        </label>
        {slotProblem !== null ? (
          <p className="field__error" role="alert">
            {slotProblem}
          </p>
        ) : slots !== null && slots.length === 0 ? (
          <p className="field__error">
            No free slot that day{whoseWords}: try another day{whose === 'role' ? ', or A for any role' : ''}.
          </p>
        ) : null}
        <label className="field">
          <span className="field__label">Note (optional)</span>
          <input className="field__input" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} data-testid="rebook-reason" />
        </label>
        <div className="modal__buttons">
          <button type="submit" className="button" disabled={slotId === '' || busy} data-testid="confirm-rebook">
            Rebook
          </button>
          <button type="button" className="button button--secondary" onClick={close}>
            Not now
          </button>
        </div>
      </form>
    </Modal>
  );
}
