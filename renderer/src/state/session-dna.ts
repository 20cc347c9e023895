/**
 * A session's no-shows marked DNA together, and undone together (issue 18 item 8): the desk store's two batch
 * writes, made with the store's own parts (create-desk-store.ts). The notice after the marking offers Undo for the
 * whole list (LastChange.undo, a SessionDnaUndo), which one press of the undoMine key carries out.
 */
import type { AppointmentRow } from '../../../shared/api';
import { Appointment } from '../../../shared/domain';
import { DeskClientError, type DeskClient } from '../api/client';
import { patientName } from '../day/format';
import { errorNotice } from './desk-notices';
import type { DeskData, DeskState, LastChange, SessionDnaUndo } from './desk-state';

/** What the batch writes need of the store that makes them. */
export interface SessionDnaParts {
  client: () => DeskClient;
  get: () => DeskState;
  set: (partial: Partial<DeskData>) => void;
  applyAppointment: (appointment: Appointment) => void;
  setPending: (appointmentId: string, what: 'undo' | null) => void;
  changed: (message: string, undo: LastChange['undo'], appointmentId: string | null) => void;
}

export function sessionDnaWrites({ client, get, set, applyAppointment, setPending, changed }: SessionDnaParts) {
  /** Refused, nothing changed: a conflict names the appointment that changed (brought up to date, the day re-read). */
  function refused(error: unknown): false {
    if (error instanceof DeskClientError && error.code === 'conflict') {
      const current = Appointment.safeParse(error.current);
      if (current.success) applyAppointment(current.data);
      void get().reloadDay();
      set({ lastError: { kind: 'conflict', appointmentId: current.success ? current.data.id : null, message: error.message } });
    } else {
      set({ lastError: errorNotice(error, null) });
    }
    return false;
  }

  return {
    async markSessionDna(sessionId: string, rows: readonly AppointmentRow[]): Promise<boolean> {
      try {
        const result = await client().send('markSessionDna', {
          sessionId,
          appointments: rows.map((r) => ({ appointmentId: r.id, expectedVersion: r.version })),
        });
        for (const a of result.appointments) applyAppointment(a);
        // Undo (Ctrl+Z) puts the whole list back at once, as it was marked.
        const undo = { batchId: result.batchId, appointmentIds: result.appointments.map((a) => a.id) };
        changed(`${rows.length} marked DNA: ${rows.map((r) => patientName(r.patient)).join('; ')}`, undo, null);
        return true;
      } catch (error) {
        return refused(error);
      }
    },

    /** Every row back as it was, or (one of them changed since: a patient who turned up after all) none. */
    async undoSessionDna({ batchId, appointmentIds }: SessionDnaUndo): Promise<boolean> {
      if (appointmentIds.some((id) => get().pending[id] !== undefined)) return false;
      for (const id of appointmentIds) setPending(id, 'undo');
      try {
        const result = await client().send('undoSessionDna', { batchId });
        const rows = get().day?.appointments ?? [];
        const names = result.appointments.flatMap((a) => rows.filter((r) => r.id === a.id).map((r) => patientName(r.patient)));
        for (const a of result.appointments) applyAppointment(a);
        const count = result.appointments.length;
        changed(`Undone: ${count} ${count === 1 ? 'appointment' : 'appointments'} no longer DNA, booked again${names.length > 0 ? `: ${names.join('; ')}` : ''}`, null, null);
        return true;
      } catch (error) {
        return refused(error);
      } finally {
        for (const id of appointmentIds) setPending(id, null);
      }
    },
  };
}
