/**
 * The desk's writes that issue 18 put on screen: the mode switch, a new booking, a note and a phone number. Each
 * sends through the desk's client (so the online question is asked first, online-guard.ts) and reports as every
 * change does, in the one message slot; a failure is returned for the dialog to show beside what was typed.
 */
import type { AppointmentRow, FreeSlot, MirrorInfo } from '../../../shared/api';
import { formatUkDate, localDateOf, localTimeOf, type AppointmentType, type ClinicianRole, type LocalDate, type Patient } from '../../../shared/domain';
import { patientName } from '../day/format';
import { errorNotice } from './desk-notices';
import { deskClient, useDeskStore } from './desk-store';

export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

// Negative, so they never meet the store's own change ids (which count up from 1): each message is new to the screen.
let messageId = 0;

function confirmChange(message: string, appointmentId: string | null): void {
  useDeskStore.setState({ lastChange: { id: --messageId, message, appointmentId, undo: null }, lastError: null, announcement: message });
}

async function write<T>(run: () => Promise<T>, done: (value: T) => string, appointmentId: string | null = null): Promise<WriteOutcome<T>> {
  try {
    const value = await run();
    confirmChange(done(value), appointmentId);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, message: errorNotice(error, null).message };
  }
}

export function setMode(mode: MirrorInfo['mode'], reason: string): Promise<WriteOutcome<MirrorInfo>> {
  return write(
    async () => {
      const info = await deskClient().send('setMode', { mode, reason });
      // The event stream re-reads the day too; this desk shows its own switch without waiting for it.
      await useDeskStore.getState().reloadDay();
      return info;
    },
    (info) => (info.mode === 'outage' ? 'Outage mode: the desk is working from its copy of the book' : 'Back online: make changes in the clinical system again'),
  );
}

export async function findSlots(input: { date: LocalDate; role: ClinicianRole | null }): Promise<WriteOutcome<FreeSlot[]>> {
  try {
    const value = await deskClient().send('findFreeSlots', { from: input.date, to: input.date, limit: 500, ...(input.role ? { role: input.role } : {}) });
    return { ok: true, value };
  } catch (error) {
    return { ok: false, message: errorNotice(error, null).message };
  }
}

export function bookAppointment(patient: Patient, slot: FreeSlot, details: { type: AppointmentType; reason: string }): Promise<WriteOutcome<AppointmentRow>> {
  const reason = details.reason.trim();
  return write(
    async () => {
      const row = await deskClient().send('bookAppointment', { patientId: patient.id, slotId: slot.slot.id, type: details.type, ...(reason ? { reason } : {}) });
      useDeskStore.getState().showNewRow(row);
      return row;
    },
    (row) => `${patientName(patient)}: booked ${formatUkDate(localDateOf(row.start))} ${localTimeOf(row.start)} with ${slot.clinician.name}`,
  );
}

export function addNote(row: AppointmentRow, text: string): Promise<WriteOutcome<{ seq: number; at: string }>> {
  return write(
    () => deskClient().send('addAppointmentNote', { appointmentId: row.id, text: text.trim() }),
    () => `${patientName(row.patient)}, ${localTimeOf(row.start)}: note added (for the record at merge-back)`,
    row.id,
  );
}

export function updatePhone(row: AppointmentRow, phone: string): Promise<WriteOutcome<Patient>> {
  const trimmed = phone.trim();
  return write(
    async () => {
      const patient = await deskClient().send('updatePatientContact', { patientId: row.patientId, phone: trimmed === '' ? null : trimmed });
      // A contact change sends no appointment event: the day is read again to show the new number on its rows.
      await useDeskStore.getState().reloadDay();
      return patient;
    },
    (patient) => `${patientName(patient)}: phone ${patient.phone ?? 'removed'}`,
    row.id,
  );
}
