import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { FreeSlot } from '../../../shared/api';
import { localDateOf, localTimeOf, type LocalDate } from '../../../shared/domain';
import { Modal } from '../components/Modal';
import { formatShortDate, patientName } from '../day/format';
import { findRow } from '../keyboard/useDeskKeys';
import { useDay, useDeskActions, useMirrorDates } from '../state/desk-store';
import { useUiStore } from '../state/ui-store';
import { DayOptions } from '../components/SelectOptions';

/**
 * Moves an appointment to a free slot the mirror holds: the day (today or later), then any clinician or the same
 * one, then the slot. Slots already started are never offered (the desk says so, server side too).
 */
export function RebookDialog({ appointmentId }: { appointmentId: string }) {
  const close = useUiStore((s) => s.close);
  const { findFreeSlots, rebook } = useDeskActions();
  const mirrorDates = useMirrorDates();
  const day = useDay();
  const row = findRow(appointmentId);
  const today = localDateOf(new Date());
  const from = row ? localDateOf(row.start) : today;
  const days = mirrorDates.filter((d) => d >= today && d >= from);
  // A cancelled or missed appointment is usually moved to another day: start on the next one the mirror holds.
  const [date, setDate] = useState<LocalDate>(() => days.find((d) => d > from) ?? days[0] ?? from);
  const [sameClinician, setSameClinician] = useState(false);
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  const [slotId, setSlotId] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const clinicianId = sameClinician && row ? row.clinicianId : undefined;

  useEffect(() => {
    let live = true;
    setSlots(null);
    void findFreeSlots(date, date, clinicianId).then((found) => {
      if (!live) return;
      setSlots(found);
      setSlotId(found[0]?.slot.id ?? '');
    });
    return () => {
      live = false;
    };
  }, [date, clinicianId, findFreeSlots]);

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
  const clinicianName = day?.clinicians.find((c) => c.id === row.clinicianId)?.name ?? 'the same clinician';
  return (
    <Modal title={`Rebook ${patientName(row.patient)}`} onClose={close} wide testId="rebook-dialog">
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
          <label className="field field--inline">
            <input type="checkbox" checked={sameClinician} onChange={(e) => setSameClinician(e.target.checked)} data-testid="rebook-same" />
            <span>Only {clinicianName}</span>
          </label>
        </div>
        <label className="field">
          <span className="field__label">Free slot {slots === null ? '(looking…)' : `(${slots.length} free)`}: ↑ ↓ to choose, Enter to book</span>
          <select className="field__input rebook__slots" size={8} value={slotId} onChange={(e) => setSlotId(e.target.value)} onKeyDown={onListKey} data-testid="rebook-slots">
            {(slots ?? []).map((s) => (
              <option key={s.slot.id} value={s.slot.id}>
                {localTimeOf(s.slot.start)}–{localTimeOf(s.slot.end)} {s.clinician.name}
                {s.sessionLabel ? ` · ${s.sessionLabel}` : ''}
                {s.room ? ` · ${s.room}` : ''}
              </option>
            ))}
          </select>
        </label>
        {slots !== null && slots.length === 0 ? <p className="field__error">No free slot that day{sameClinician ? ` with ${clinicianName}` : ''}: try another day.</p> : null}
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
