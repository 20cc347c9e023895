/**
 * The clinician's room: their day (getDay, which the backend narrows to their own list), the practice's room
 * settings (whether they may DNA), the live event stream the desk uses, and their actions: call, quiet call,
 * recall, seen, left, DNA and a contemporaneous note. It reaches the backend only through the api client, so it
 * runs the same over IPC and HTTP, and with a fake client under test.
 */
import { create } from 'zustand';
import { DEFAULT_ROOM_SETTINGS, type DayView, type DeskEvent, type PracticeRoomSettings, type SessionInfo } from '../../../shared/api';
import { Appointment, checkTransition, DESK_STATUS_LABEL, localDateOf, type LocalDate } from '../../../shared/domain';
import { DeskClientError, getDeskClient, type ConnectionState, type DeskClient } from '../api/client';
import { patientName } from '../day/format';
import { mergeNewer, withAppointment, withEvent } from '../day/reducers';
import { sendInQuestionOf, type SendInQuestion } from '../dialogs/send-in-anyway';
import { ROOM_ACTION_LABEL, ROOM_ACTION_STATUS, type RoomAction } from './room-model';

export type RoomDialog = { kind: 'note'; appointmentId: string } | { kind: 'help' } | { kind: 'send-in'; question: SendInQuestion };

export interface RoomMessage {
  kind: 'done' | 'error';
  text: string;
  appointmentId: string | null;
}

export interface RoomData {
  load: 'idle' | 'loading' | 'ready' | 'failed';
  session: SessionInfo | null;
  /** Whose list this is: the signed-in clinician's, or (for reception or a manager) the one asked for in the address. */
  clinicianId: string | null;
  date: LocalDate | null;
  day: DayView | null;
  settings: PracticeRoomSettings;
  connection: ConnectionState;
  /** appointment id -> the action being saved; its buttons wait. */
  pending: Readonly<Record<string, RoomAction>>;
  message: RoomMessage | null;
  /** Read out by screen readers after each action. */
  announcement: string;
  /** The appointment with the keyboard. */
  current: string | null;
  dialog: RoomDialog | null;
}

export interface RoomActions {
  /** Reads who is signed in, the settings and today's list, and listens for changes; returns a stop function. */
  start(today: LocalDate, requestedClinicianId: string | null): () => void;
  reload(): Promise<void>;
  /** Call, quiet call, seen, left or DNA; a send in refused because someone is still in the room asks first. */
  act(appointmentId: string, action: Exclude<RoomAction, 'note' | 'recall'>, despiteStillWithClinician?: boolean): Promise<boolean>;
  recall(appointmentId: string): Promise<boolean>;
  addNote(appointmentId: string, text: string): Promise<boolean>;
  /** The person said yes to the send-in question: sent again, confirmed. */
  confirmSendIn(): Promise<boolean>;
  applyEvent(event: DeskEvent): void;
  setCurrent(appointmentId: string | null): void;
  open(dialog: RoomDialog): void;
  close(): void;
  dismissMessage(): void;
  /** A problem the screen found itself (an action that does not apply): shown and read out. */
  report(text: string, appointmentId: string | null): void;
}

export type RoomState = RoomData & RoomActions;

export const initialRoomData: RoomData = {
  load: 'idle',
  session: null,
  clinicianId: null,
  date: null,
  day: null,
  settings: DEFAULT_ROOM_SETTINGS,
  connection: 'connecting',
  pending: {},
  message: null,
  announcement: '',
  current: null,
  dialog: null,
};

export function createRoomStore(getClient: () => DeskClient = getDeskClient) {
  return create<RoomState>()((set, get) => {
    let loadToken = 0;
    let readInFlight = false;
    let eventsDuringLoad: DeskEvent[] = [];

    const rowOf = (id: string) => get().day?.appointments.find((a) => a.id === id) ?? null;
    const nameOf = (id: string) => {
      const row = rowOf(id);
      return row ? patientName(row.patient) : null;
    };

    function say(kind: RoomMessage['kind'], text: string, appointmentId: string | null): void {
      set({ message: { kind, text, appointmentId }, announcement: text });
    }

    function failed(error: unknown, appointmentId: string | null, what: string): void {
      const name = appointmentId === null ? null : nameOf(appointmentId);
      const prefix = name === null ? what : `${what} ${name}`;
      if (error instanceof DeskClientError && error.code === 'conflict') {
        const current = Appointment.safeParse(error.current);
        if (current.success) applyAppointment(current.data);
        else void get().reload();
        say(
          'error',
          `${prefix}: it changed at another desk${current.success ? ` (now ${DESK_STATUS_LABEL[current.data.status]})` : ''}. Check the list and try again.`,
          appointmentId,
        );
        return;
      }
      if (error instanceof DeskClientError && (error.code === 'forbidden_transition' || error.code === 'not_found')) void get().reload();
      say('error', `${prefix}: ${error instanceof Error ? error.message : String(error)}`, appointmentId);
    }

    function applyAppointment(appointment: Appointment): void {
      const day = get().day;
      if (!day) return;
      const next = withAppointment(day, appointment);
      if (next) set({ day: next });
    }

    function setPending(appointmentId: string, what: RoomAction | null): void {
      const pending = { ...get().pending };
      if (what === null) delete pending[appointmentId];
      else pending[appointmentId] = what;
      set({ pending });
    }

    async function loadDay(): Promise<void> {
      const { date, clinicianId } = get();
      if (date === null) return;
      const token = ++loadToken;
      readInFlight = true;
      eventsDuringLoad = [];
      if (get().day === null) set({ load: 'loading' });
      try {
        const fresh = await getClient().send('getDay', { date, ...(clinicianId === null ? {} : { clinicianId }) });
        if (token !== loadToken) return;
        const held = get().day;
        let day = held && held.date === fresh.date ? mergeNewer(held, fresh) : fresh;
        for (const event of eventsDuringLoad) {
          const next = withEvent(day, event);
          if (next && next !== 'unknown') day = next;
        }
        set({ day, load: 'ready' });
      } catch (error) {
        if (token !== loadToken) return;
        set({ load: get().day ? 'ready' : 'failed' });
        failed(error, null, 'Reading your list');
      } finally {
        if (token === loadToken) {
          readInFlight = false;
          eventsDuringLoad = [];
        }
      }
    }

    return {
      ...initialRoomData,

      start(today, requestedClinicianId) {
        let stopped = false;
        set({ date: today });
        const unsubscribe = getClient().subscribe(
          (event) => get().applyEvent(event),
          (connection, needsResync) => {
            set({ connection });
            if (needsResync && !stopped && get().session !== null) void loadDay();
          },
        );
        void (async () => {
          try {
            const session = await getClient().send('getSession', {});
            if (stopped) return;
            // A clinician always works their own list; anyone else sees the list the address names.
            set({ session, clinicianId: session.clinicianId ?? requestedClinicianId });
          } catch (error) {
            if (!stopped) failed(error, null, 'Checking who is signed in');
            return;
          }
          const settings = getClient()
            .send('getRoomSettings', {})
            .then(
              (view) => {
                if (!stopped) set({ settings: view.settings });
              },
              // Without the settings the room still works; DNA stays reception's, the safe default.
              () => undefined,
            );
          await Promise.all([loadDay(), settings]);
        })();
        return () => {
          stopped = true;
          unsubscribe();
          loadToken += 1;
          // Stopped when the screen locks or the user changes: no patient data stays behind in memory.
          set({ ...initialRoomData });
        };
      },

      reload: loadDay,

      async act(appointmentId, action, despiteStillWithClinician = false) {
        const row = rowOf(appointmentId);
        if (!row || get().pending[appointmentId] !== undefined) return false;
        const status = ROOM_ACTION_STATUS[action];
        const check = checkTransition(row.status, status);
        if (!check.ok) {
          say('error', `${patientName(row.patient)}: ${check.reason}.`, appointmentId);
          return false;
        }
        setPending(appointmentId, action);
        try {
          const updated = await getClient().send('setAppointmentStatus', {
            appointmentId,
            status,
            expectedVersion: row.version,
            ...(despiteStillWithClinician ? { despiteStillWithClinician: true } : {}),
          });
          applyAppointment(updated);
          say('done', doneText(action, patientName(row.patient), updated.desk?.ticket ?? null), appointmentId);
          return true;
        } catch (error) {
          const question = sendInQuestionOf(error, row, status, get().day, 'room');
          if (question !== null) {
            set({ dialog: { kind: 'send-in', question } });
            return false;
          }
          failed(error, appointmentId, ROOM_ACTION_LABEL[action]);
          return false;
        } finally {
          setPending(appointmentId, null);
        }
      },

      async confirmSendIn() {
        const dialog = get().dialog;
        if (dialog?.kind !== 'send-in') return false;
        set({ dialog: null });
        const { appointmentId, status } = dialog.question;
        return get().act(appointmentId, status === 'sent_in' ? 'call' : 'quiet', true);
      },

      async recall(appointmentId) {
        const row = rowOf(appointmentId);
        if (!row || get().pending[appointmentId] !== undefined) return false;
        setPending(appointmentId, 'recall');
        try {
          applyAppointment(await getClient().send('recallPatient', { appointmentId }));
          say('done', `${patientName(row.patient)}: called again on the waiting-room display`, appointmentId);
          return true;
        } catch (error) {
          failed(error, appointmentId, 'Recall');
          return false;
        } finally {
          setPending(appointmentId, null);
        }
      },

      async addNote(appointmentId, text) {
        const row = rowOf(appointmentId);
        if (!row) return false;
        setPending(appointmentId, 'note');
        try {
          await getClient().send('addAppointmentNote', { appointmentId, text });
          say('done', `${patientName(row.patient)}: note saved for the re-keying worklist`, appointmentId);
          return true;
        } catch (error) {
          failed(error, appointmentId, 'Note for');
          return false;
        } finally {
          setPending(appointmentId, null);
        }
      },

      applyEvent(event) {
        switch (event.kind) {
          case 'appointment.changed': {
            if (readInFlight) eventsDuringLoad.push(event);
            const day = get().day;
            if (!day) return;
            const next = withEvent(day, event);
            if (next === 'unknown') {
              // A booking this list has not seen (a walk-in for this clinician): re-read to show it with its patient.
              const mine = get().clinicianId === null || event.appointment.clinicianId === get().clinicianId;
              if (mine && localDateOf(event.appointment.start) === day.date) void loadDay();
              return;
            }
            if (next) set({ day: next });
            return;
          }
          case 'mirror.replaced':
            void loadDay();
            return;
          case 'display.changed':
          case 'merge.progress':
            // The displays' and merge-back's; the room learns of its calls from appointment.changed.
            return;
          default:
            return assertNever(event);
        }
      },

      setCurrent(current) {
        if (get().current !== current) set({ current });
      },
      open(dialog) {
        set({ dialog });
      },
      close() {
        set({ dialog: null });
      },
      dismissMessage() {
        set({ message: null });
      },
      report(text, appointmentId) {
        say('error', text, appointmentId);
      },
    };
  });
}

function doneText(action: Exclude<RoomAction, 'note' | 'recall'>, name: string, ticket: number | null): string {
  switch (action) {
    case 'call':
      return `${name}: called${ticket === null ? '' : ` (ticket ${ticket})`}, shown on the waiting-room display`;
    case 'quiet':
      return `${name}: quiet call, not shown on any display`;
    case 'seen':
      return `${name}: seen`;
    case 'left':
      return `${name}: left`;
    case 'dna':
      return `${name}: marked DNA`;
    default:
      return assertNever(action);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled: ${JSON.stringify(value)}`);
}

export const useRoomStore = createRoomStore();
