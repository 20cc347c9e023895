/**
 * The free-slot search the rebook dialog offers, for any screen that moves a patient to a free slot (the rebook
 * dialog, the rebooking assistant's "change slot"): one day, and either one clinician's slots or a role's (null:
 * any role). Reloads when any of them changes; the first slot found is the one chosen until a person picks another.
 */
import { useEffect, useState } from 'react';
import type { FreeSlot } from '../../../shared/api';
import { CLINICIAN_ROLE_LABEL, localTimeOf, type ClinicianRole, type LocalDate } from '../../../shared/domain';
import { useDeskActions } from '../state/desk-store';
import { findSlots } from '../state/desk-writes';

export interface SlotSearch {
  /** null while looking. */
  slots: FreeSlot[] | null;
  problem: string | null;
  slotId: string;
  setSlotId(id: string): void;
}

export function useSlotSearch(date: LocalDate, clinicianId: string | null, role: ClinicianRole | null): SlotSearch {
  const { findFreeSlots } = useDeskActions();
  const [slots, setSlots] = useState<FreeSlot[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [slotId, setSlotId] = useState('');
  useEffect(() => {
    let live = true;
    setSlots(null);
    setProblem(null);
    const found: Promise<{ slots: FreeSlot[]; problem: string | null }> =
      clinicianId !== null
        ? findFreeSlots(date, date, clinicianId).then((slots) => ({ slots, problem: null }))
        : findSlots({ date, role }).then((outcome) => (outcome.ok ? { slots: outcome.value, problem: null } : { slots: [], problem: outcome.message }));
    void found.then(({ slots: list, problem: why }) => {
      if (!live) return;
      setSlots(list);
      setProblem(why);
      setSlotId(list[0]?.slot.id ?? '');
    });
    return () => {
      live = false;
    };
  }, [date, clinicianId, role, findFreeSlots]);
  return { slots, problem, slotId, setSlotId };
}

/** A free slot as a list offers it: "09:10–09:20 Dr Patel (GP) · Telephone clinic · Room 3". */
export function slotOptionText(s: FreeSlot, withRole: boolean): string {
  return `${localTimeOf(s.slot.start)}–${localTimeOf(s.slot.end)} ${s.clinician.name}${withRole ? ` (${CLINICIAN_ROLE_LABEL[s.clinician.role]})` : ''}${s.sessionLabel ? ` · ${s.sessionLabel}` : ''}${s.room ? ` · ${s.room}` : ''}`;
}
