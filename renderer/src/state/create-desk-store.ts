/**
 * The reception desk's state: the day on screen, which day that is, whether live updates are flowing, the
 * actions still in flight, the last thing that went wrong, and the last change this desk made (to undo it). It
 * reaches the backend only through the api client, so it runs the same over IPC and HTTP (and with a fake
 * client under test).
 *
 * The last problem (`lastError`) and the last change (`lastChange`, with its undo) share one message slot: at
 * most one of them is set, the newer. A message belongs to the action it reports: the next one replaces it,
 * Escape closes it (useDeskKeys), and going to another view clears it (ui-store).
 */
import { create } from 'zustand';
import { WalkInClash, type AppointmentRow, type DeskEvent } from '../../../shared/api';
import type { Patient } from '../../../shared/domain';
import { Appointment, checkTransition, DESK_STATUS_LABEL, formatUkDate, isLocalDate, localDateOf, localTimeOf, type DeskStatus, type LocalDate } from '../../../shared/domain';
import { DeskClientError, getDeskClient, type DeskClient } from '../api/client';
import { patientName } from '../day/format';
import { ACTION_LABEL } from '../day/labels';
import { mergeNewer, withAppointment, withEvent, withNewAppointment } from '../day/reducers';
import { sendInQuestionOf } from '../dialogs/send-in-anyway';
import { chooseInitialDate } from './choose-date';
import { describe, errorNotice } from './desk-notices';
import { initialState, isSessionDnaUndo, type DeskData, type DeskState, type LastChange } from './desk-state';
import { sessionDnaWrites } from './session-dna';

/** Several changes in a burst (another desk working fast) are counted with one status read. */
const MIRROR_STATUS_DEBOUNCE_MS = 300;

export function createDeskStore(getClient: () => DeskClient = getDeskClient) {
  return create<DeskState>()((setState, get) => {
    /**
     * Every write goes through here, so there is one message at a time and it is the newest: a problem replaces
     * the confirmation before it (and the Undo it offered), a confirmation replaces the problem before it, whatever
     * appointments they are about. An old problem left standing hid later confirmations and their Undo.
     */
    const set = (partial: Partial<DeskData>): void => {
      if (partial.lastError) setState({ ...partial, lastChange: null });
      else if (partial.lastChange) setState({ ...partial, lastError: null });
      else setState(partial);
    };
    // A day read is in flight from when it starts until its answer is applied; only the latest read counts.
    let loadToken = 0;
    // Events that arrive while a day is being read: the answer may predate them, so they are replayed on it.
    let readInFlight = false;
    let eventsDuringLoad: DeskEvent[] = [];
    let mirrorStatusTimer: ReturnType<typeof setTimeout> | null = null;
    let callbacksTimer: ReturnType<typeof setTimeout> | null = null;
    let changeCounter = 0;

    async function refreshMirrorStatus(): Promise<void> {
      try {
        const mirrorStatus = await getClient().send('getMirrorStatus', {});
        set({ mirrorStatus, mirrorDates: mirrorStatus.dates.map((d) => d.date) });
      } catch (error) {
        set({ lastError: errorNotice(error, null) });
      }
    }

    function scheduleMirrorStatus(): void {
      if (mirrorStatusTimer !== null) clearTimeout(mirrorStatusTimer);
      mirrorStatusTimer = setTimeout(() => {
        mirrorStatusTimer = null;
        void refreshMirrorStatus();
      }, MIRROR_STATUS_DEBOUNCE_MS);
    }

    /** The callback list is re-read (debounced) after changes, once anyone has looked at it. */
    function scheduleCallbacks(): void {
      if (get().callbacks === null) return;
      if (callbacksTimer !== null) clearTimeout(callbacksTimer);
      callbacksTimer = setTimeout(() => {
        callbacksTimer = null;
        void get().loadCallbacks();
      }, MIRROR_STATUS_DEBOUNCE_MS);
    }

    async function loadDay(date: LocalDate): Promise<void> {
      const token = ++loadToken;
      readInFlight = true;
      eventsDuringLoad = [];
      // Re-reading the day on screen keeps it visible; switching days clears it so no row shows under the wrong date.
      const sameDay = get().day?.date === date;
      set(sameDay ? { date } : { date, day: null, load: 'loading' });
      try {
        const fresh = await getClient().send('getDay', { date });
        if (token !== loadToken) {
          // Superseded (the event stream opened and asked for a re-read), but nothing is on screen yet: show
          // this answer now rather than a blank desk; the newer read merges over it when it lands.
          const shown = get().day;
          if (get().date === date && (shown === null || shown.date !== date)) set({ day: fresh, load: 'ready' });
          return;
        }
        const current = get().day;
        let day = current && current.date === fresh.date ? mergeNewer(current, fresh) : fresh;
        for (const event of eventsDuringLoad) {
          const next = withEvent(day, event);
          if (next && next !== 'unknown') day = next;
        }
        set({ day, load: 'ready' });
      } catch (error) {
        if (token !== loadToken) return;
        set({ load: get().day ? 'ready' : 'failed', lastError: errorNotice(error, null) });
      } finally {
        if (token === loadToken) {
          readInFlight = false;
          eventsDuringLoad = [];
        }
      }
    }

    /** Puts a newer version of an appointment on screen; older or equal versions change nothing. */
    function applyAppointment(appointment: Appointment, patient?: Patient): void {
      const day = get().day;
      if (!day) return;
      const next = withAppointment(day, appointment, patient);
      if (next) set({ day: next });
    }

    function setPending(appointmentId: string, what: DeskStatus | 'undo' | 'rebook' | null): void {
      const pending = { ...get().pending };
      if (what === null) delete pending[appointmentId];
      else pending[appointmentId] = what;
      set({ pending });
    }

    function changed(message: string, undo: LastChange['undo'], appointmentId: string | null): void {
      set({ lastChange: { id: ++changeCounter, message, appointmentId, undo }, announcement: message });
      scheduleMirrorStatus();
      scheduleCallbacks();
    }

    // A session's no-shows, marked and undone as one (session-dna.ts).
    const batches = sessionDnaWrites({ client: getClient, get, set, applyAppointment, setPending, changed });

    function findRow(appointmentId: string): AppointmentRow | null {
      return get().day?.appointments.find((a) => a.id === appointmentId) ?? null;
    }

    return {
      ...initialState,

      start(requestedDate, today) {
        let stopped = false;
        set({ deskId: getClient().deskId, transport: getClient().transport });
        const unsubscribe = getClient().subscribe(
          (event) => get().applyEvent(event),
          (connection, needsResync) => {
            set({ connection });
            if (needsResync && !stopped) {
              void get().reloadDay();
              scheduleMirrorStatus();
              scheduleCallbacks();
            }
          },
        );
        void getClient()
          .send('getSession', {})
          .then(
            (session) => {
              if (!stopped) set({ session });
            },
            () => undefined,
          );
        // A date in the address wins whatever the mirror holds (chooseInitialDate), so its day is read at once,
        // alongside the mirror's status rather than after it: the desk is on screen one round trip sooner.
        const pinned = requestedDate !== null && isLocalDate(requestedDate) ? requestedDate : null;
        if (pinned !== null) void loadDay(pinned);
        void (async () => {
          if (pinned === null) set({ load: 'loading' });
          let mirrorDates: LocalDate[] = [];
          try {
            const mirrorStatus = await getClient().send('getMirrorStatus', {});
            mirrorDates = mirrorStatus.dates.map((d) => d.date);
            if (!stopped) set({ mirrorStatus, mirrorDates });
          } catch (error) {
            // Without the status the desk still needs the book: go on to the asked-for day, or today.
            if (!stopped) set({ lastError: errorNotice(error, null) });
          }
          if (!stopped && pinned === null) await loadDay(chooseInitialDate(requestedDate, mirrorDates, today));
        })();
        return () => {
          stopped = true;
          unsubscribe();
          if (mirrorStatusTimer !== null) clearTimeout(mirrorStatusTimer);
          if (callbacksTimer !== null) clearTimeout(callbacksTimer);
          // Stopped when the screen locks or the user changes: no patient data stays behind in memory, and a
          // day read still on the wire is discarded when it lands (only the latest read counts).
          loadToken += 1;
          set({ ...initialState });
        };
      },

      selectDate(date) {
        const loading = loadDay(date);
        // The callback list is the day's (the same day the printed list is for): a new day, a new list.
        if (get().callbacks !== null) void get().loadCallbacks();
        return loading;
      },

      async reloadDay() {
        const date = get().date;
        if (date !== null) await loadDay(date);
      },

      async setStatus(appointmentId, status, reason, despiteStillWithClinician = false) {
        const row = findRow(appointmentId);
        if (!row || get().pending[appointmentId] !== undefined) return false;
        // The screen only offers allowed changes, but a row can change under a key press; say so without a round trip.
        const check = checkTransition(row.status, status);
        if (!check.ok) {
          set({ lastError: { kind: 'error', appointmentId, message: `${describe(row)}: ${check.reason}.` } });
          return false;
        }
        setPending(appointmentId, status);
        try {
          const despite = despiteStillWithClinician ? { despiteStillWithClinician: true } : {};
          const updated = await getClient().send('setAppointmentStatus', { appointmentId, status, expectedVersion: row.version, ...(reason ? { reason } : {}), ...despite });
          applyAppointment(updated);
          const ticket = (status === 'arrived' || status === 'late') && updated.desk?.ticket ? ` (ticket ${updated.desk.ticket})` : '';
          changed(`${describe(row)}: ${DESK_STATUS_LABEL[updated.status]}${ticket}`, { appointmentId, version: updated.version }, appointmentId);
          return true;
        } catch (error) {
          // Someone is still in the room: the receptionist is asked (DialogHost), naming them, before this one goes in.
          const sendInQuestion = sendInQuestionOf(error, row, status, get().day, 'desk');
          if (sendInQuestion === null) handleWriteFailure(row, ACTION_LABEL[status], error);
          else set({ sendInQuestion });
          return false;
        } finally {
          setPending(appointmentId, null);
        }
      },

      async undo(appointmentId) {
        const row = findRow(appointmentId);
        if (!row || get().pending[appointmentId] !== undefined) return false;
        return undoAt(row, row.version);
      },

      async undoMine() {
        const target = get().lastChange?.undo ?? null;
        if (target === null) {
          set({
            lastError: {
              kind: 'error',
              appointmentId: null,
              message: 'Nothing to undo: Ctrl+Z undoes the change the message on screen confirms; U on a row undoes that appointment’s last change.',
            },
          });
          return false;
        }
        if (isSessionDnaUndo(target)) return batches.undoSessionDna(target);
        const row = findRow(target.appointmentId);
        if (!row) {
          set({ lastError: { kind: 'error', appointmentId: null, message: 'The appointment changed last is not on the day shown; open its day to undo.' } });
          return false;
        }
        // The version this desk's change produced: if anyone changed it since, the desk says so and undoes nothing.
        return undoAt(row, target.version);
      },

      markSessionDna: (sessionId, rows) => batches.markSessionDna(sessionId, rows),

      showNewRow: (row) => insertRow(row),

      async registerWalkIn(input) {
        try {
          const result = await getClient().send('registerWalkIn', input);
          if (result.appointment === null) {
            changed(`${patientName(result.patient)}: signposted elsewhere${input.signpostedTo ? ` (${input.signpostedTo})` : ''}, recorded`, null, null);
            return 'signposted';
          }
          const row = result.appointment;
          insertRow(row);
          const where = row.desk?.dutyList ? 'duty list' : (get().day?.clinicians.find((c) => c.id === row.clinicianId)?.name ?? 'clinician');
          // Undo (Ctrl+Z) takes a registration made by mistake back as registered in error.
          changed(`Walk-in ${patientName(row.patient)}: ticket ${row.desk?.ticket ?? '–'}, ${where}`, { appointmentId: row.id, version: row.version }, row.id);
          return row;
        } catch (error) {
          const clash = error instanceof DeskClientError && error.code === 'conflict' ? WalkInClash.safeParse(error.current) : null;
          if (clash?.success) return { clash: clash.data.appointmentsToday };
          set({ lastError: errorNotice(error, null) });
          return null;
        }
      },

      async cancelWalkInInError(appointmentId) {
        const row = findRow(appointmentId);
        if (!row || get().pending[appointmentId] !== undefined) return false;
        setPending(appointmentId, 'cancelled');
        try {
          const taken = await getClient().send('cancelWalkInInError', { appointmentId, expectedVersion: row.version });
          applyAppointment(taken);
          changed(`Walk-in ${describe(row)}: taken back, registered in error`, null, appointmentId);
          return true;
        } catch (error) {
          handleWriteFailure(row, 'Registered in error', error);
          return false;
        } finally {
          setPending(appointmentId, null);
        }
      },

      async rebook(appointmentId, slotId, reason) {
        const row = findRow(appointmentId) ?? get().callbacks?.find((c) => c.appointment.id === appointmentId)?.appointment ?? null;
        if (!row || get().pending[appointmentId] !== undefined) return null;
        setPending(appointmentId, 'rebook');
        try {
          const result = await getClient().send('rebookAppointment', {
            appointmentId,
            expectedVersion: row.version,
            slotId,
            ...(reason ? { reason } : {}),
          });
          applyAppointment(result.cancelled);
          insertRow(result.booked);
          const when = `${formatUkDate(localDateOf(result.booked.start))} ${localTimeOf(result.booked.start)}`;
          changed(`${patientName(row.patient)}: rebooked to ${when}`, null, appointmentId);
          return result.booked;
        } catch (error) {
          handleWriteFailure(row, 'Rebook', error);
          return null;
        } finally {
          setPending(appointmentId, null);
        }
      },

      async loadCallbacks() {
        const date = get().date;
        if (date === null) return;
        try {
          const callbacks = await getClient().send('getCallbackList', { from: date, to: date });
          // An answer for a day no longer shown is dropped; the read for the day shown is on its way.
          if (get().date === date) set({ callbacks });
        } catch (error) {
          set({ lastError: errorNotice(error, null) });
        }
      },

      async searchPatients(query) {
        const date = get().date;
        try {
          return await getClient().send('searchPatients', { query, limit: 30, ...(date ? { date } : {}) });
        } catch (error) {
          set({ lastError: errorNotice(error, null) });
          return [];
        }
      },

      async findFreeSlots(from, to, clinicianId) {
        try {
          return await getClient().send('findFreeSlots', { from, to, limit: 200, ...(clinicianId ? { clinicianId } : {}) });
        } catch (error) {
          set({ lastError: errorNotice(error, null) });
          return [];
        }
      },

      applyEvent(event) {
        switch (event.kind) {
          case 'appointment.changed': {
            scheduleMirrorStatus();
            scheduleCallbacks();
            if (readInFlight) eventsDuringLoad.push(event);
            const day = get().day;
            if (!day) return;
            const next = withEvent(day, event);
            if (next === 'unknown') {
              // Not on screen but on this day: a booking this view has not seen and cannot show without its patient.
              if (localDateOf(event.appointment.start) === day.date) void get().reloadDay();
              return;
            }
            if (next) set({ day: next });
            return;
          }
          case 'mirror.replaced':
            scheduleMirrorStatus();
            scheduleCallbacks();
            void get().reloadDay();
            return;
          case 'display.changed':
            // For the waiting-room display; the desk learns the same from appointment.changed.
            return;
          case 'merge.progress':
            // For the merge-back review (renderer/src/merge); the day is re-read on mirror.replaced.
            return;
          default:
            return assertNever(event);
        }
      },

      dismissMessage() {
        set({ lastError: null, lastChange: null });
      },

      reportError(message, appointmentId = null) {
        set({ lastError: { kind: 'error', appointmentId, message } });
      },
    };

    async function undoAt(row: AppointmentRow, version: number): Promise<boolean> {
      setPending(row.id, 'undo');
      try {
        const restored = await getClient().send('undoLastChange', { appointmentId: row.id, expectedVersion: version });
        applyAppointment(restored);
        if (restored.fhirStatus === 'entered-in-error') changed(`Undone: walk-in ${describe(row)} taken back, registered in error`, null, row.id);
        else changed(`Undone: ${describe(row)} is ${DESK_STATUS_LABEL[restored.status]} again`, { appointmentId: row.id, version: restored.version }, row.id);
        return true;
      } catch (error) {
        handleWriteFailure(row, 'Undo', error);
        return false;
      } finally {
        setPending(row.id, null);
      }
    }

    /** A row made elsewhere (walk-in, rebooking) or announced with its patient: shown at once if it is on this day. */
    function insertRow(row: AppointmentRow): void {
      const day = get().day;
      if (!day || localDateOf(row.start) !== day.date) return;
      const { patient, ...appointment } = row;
      const next = withNewAppointment(day, appointment, patient);
      if (next === 'unknown') void get().reloadDay();
      else if (next) set({ day: next });
    }

    function handleWriteFailure(row: AppointmentRow, what: string, error: unknown): void {
      if (error instanceof DeskClientError && error.code === 'conflict') {
        scheduleMirrorStatus();
        const current = Appointment.safeParse(error.current);
        if (current.success && current.data.id === row.id) {
          applyAppointment(current.data);
          set({
            lastError: {
              kind: 'conflict',
              appointmentId: row.id,
              message: `Another desk changed this appointment (${describe(row)}): now ${DESK_STATUS_LABEL[current.data.status]}. ` + `Check the row before trying “${what}” again.`,
            },
          });
          return;
        }
        void get().reloadDay();
        set({ lastError: { kind: 'conflict', appointmentId: row.id, message: `${describe(row)}: ${error.message}` } });
        return;
      }
      if (error instanceof DeskClientError && (error.code === 'forbidden_transition' || error.code === 'not_found')) {
        // Our copy of the row is out of date in a way the version did not catch: re-read the day.
        void get().reloadDay();
      }
      set({ lastError: errorNotice(error, row) });
    }
  });
}

function assertNever(value: never): never {
  throw new Error(`unhandled event: ${JSON.stringify(value)}`);
}
