/**
 * The reception desk's state: the day on screen, which day that is, whether live updates are flowing, the
 * actions still in flight, and the last thing that went wrong. It reaches the backend only through the api
 * client, so it runs the same over IPC and HTTP (and with a fake client under test).
 */
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppointmentRow, DayView, DeskEvent, MirrorStatus } from '../../../shared/api';
import {
  Appointment,
  checkTransition,
  DESK_STATUS_LABEL,
  localDateOf,
  localTimeOf,
  type DeskStatus,
  type LocalDate,
} from '../../../shared/domain';
import { DeskClientError, getDeskClient, type ConnectionState, type DeskClient } from '../api/client';
import { patientName } from '../day/format';
import { ACTION_LABEL } from '../day/labels';
import { chooseInitialDate } from './choose-date';

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

export interface DeskNotice {
  kind: 'conflict' | 'error';
  message: string;
  /** The appointment it is about, so its row can point at it too. */
  appointmentId: string | null;
}

export interface DeskData {
  load: LoadState;
  /** The day on screen (or being loaded). */
  date: LocalDate | null;
  /** The days the mirror holds. */
  mirrorDates: readonly LocalDate[];
  day: DayView | null;
  mirrorStatus: MirrorStatus | null;
  connection: ConnectionState;
  /** appointment id -> the status being saved for it; its row's buttons wait until the answer comes. */
  pending: Readonly<Record<string, DeskStatus>>;
  lastError: DeskNotice | null;
  /** The last change this desk made, read out by screen readers ("SMITH, John: Arrived"). */
  announcement: string;
  /** The name this window's changes carry in the journal, when the renderer picks it (browser mode). */
  deskId: string | null;
}

export interface DeskActions {
  /** Loads the mirror's days and the first day, and starts listening for changes; returns a stop function. */
  start(requestedDate: string | null, today: LocalDate): () => void;
  selectDate(date: LocalDate): Promise<void>;
  reloadDay(): Promise<void>;
  setStatus(appointmentId: string, status: DeskStatus): Promise<void>;
  applyEvent(event: DeskEvent): void;
  dismissError(): void;
}

export type DeskState = DeskData & DeskActions;

export const initialState: DeskData = {
  load: 'idle',
  date: null,
  mirrorDates: [],
  day: null,
  mirrorStatus: null,
  connection: 'connecting',
  pending: {},
  lastError: null,
  announcement: '',
  deskId: null,
};

/** Several changes in a burst (another desk working fast) are counted with one status read. */
const MIRROR_STATUS_DEBOUNCE_MS = 300;

export function createDeskStore(getClient: () => DeskClient = getDeskClient) {
  return create<DeskState>()((set, get) => {
    // A day read is in flight from when it starts until its answer is applied; only the latest read counts.
    let loadToken = 0;
    // Events that arrive while a day is being read: the answer may predate them, so they are replayed on it.
    let readInFlight = false;
    let eventsDuringLoad: DeskEvent[] = [];
    let mirrorStatusTimer: ReturnType<typeof setTimeout> | null = null;

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

    async function loadDay(date: LocalDate): Promise<void> {
      const token = ++loadToken;
      readInFlight = true;
      eventsDuringLoad = [];
      // Re-reading the day on screen keeps it visible; switching days clears it so no row shows under the wrong date.
      const sameDay = get().day?.date === date;
      set(sameDay ? { date } : { date, day: null, load: 'loading' });
      try {
        const fresh = await getClient().send('getDay', { date });
        if (token !== loadToken) return;
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
    function applyAppointment(appointment: Appointment): void {
      const day = get().day;
      if (!day) return;
      const next = withAppointment(day, appointment);
      if (next) set({ day: next });
    }

    return {
      ...initialState,

      start(requestedDate, today) {
        let stopped = false;
        set({ deskId: getClient().deskId });
        const unsubscribe = getClient().subscribe(
          (event) => get().applyEvent(event),
          (connection, needsResync) => {
            set({ connection });
            if (needsResync && !stopped) {
              void get().reloadDay();
              scheduleMirrorStatus();
            }
          },
        );
        void (async () => {
          set({ load: 'loading' });
          let mirrorDates: LocalDate[] = [];
          try {
            const mirrorStatus = await getClient().send('getMirrorStatus', {});
            mirrorDates = mirrorStatus.dates.map((d) => d.date);
            if (!stopped) set({ mirrorStatus, mirrorDates });
          } catch (error) {
            // Without the status the desk still needs the book: go on to the asked-for day, or today.
            if (!stopped) set({ lastError: errorNotice(error, null) });
          }
          if (!stopped) await loadDay(chooseInitialDate(requestedDate, mirrorDates, today));
        })();
        return () => {
          stopped = true;
          unsubscribe();
          if (mirrorStatusTimer !== null) clearTimeout(mirrorStatusTimer);
        };
      },

      selectDate(date) {
        return loadDay(date);
      },

      async reloadDay() {
        const date = get().date;
        if (date !== null) await loadDay(date);
      },

      async setStatus(appointmentId, status) {
        const row = get().day?.appointments.find((a) => a.id === appointmentId);
        if (!row || get().pending[appointmentId] !== undefined) return;
        // The screen only offers allowed changes, but a row can change under a click; say so without a round trip.
        const check = checkTransition(row.status, status);
        if (!check.ok) {
          set({ lastError: { kind: 'error', appointmentId, message: `${describe(row)}: ${check.reason}.` } });
          return;
        }
        set({ pending: { ...get().pending, [appointmentId]: status } });
        try {
          const updated = await getClient().send('setAppointmentStatus', {
            appointmentId,
            status,
            expectedVersion: row.version,
          });
          applyAppointment(updated);
          const lastError = get().lastError;
          set({
            announcement: `${describe(row)}: ${DESK_STATUS_LABEL[updated.status]}`,
            ...(lastError?.appointmentId === appointmentId ? { lastError: null } : {}),
          });
          scheduleMirrorStatus();
        } catch (error) {
          handleWriteFailure(row, status, error);
        } finally {
          const pending = { ...get().pending };
          delete pending[appointmentId];
          set({ pending });
        }
      },

      applyEvent(event) {
        switch (event.kind) {
          case 'appointment.changed': {
            scheduleMirrorStatus();
            if (readInFlight) eventsDuringLoad.push(event);
            const day = get().day;
            if (!day) return;
            const next = withEvent(day, event);
            if (next === 'unknown') {
              // Not on screen but on this day: a booking this view has not seen (it needs the patient too).
              if (localDateOf(event.appointment.start) === day.date) void get().reloadDay();
              return;
            }
            if (next) set({ day: next });
            return;
          }
          case 'mirror.replaced':
            scheduleMirrorStatus();
            void get().reloadDay();
            return;
          default:
            return assertNever(event);
        }
      },

      dismissError() {
        set({ lastError: null });
      },
    };

    function handleWriteFailure(row: AppointmentRow, wanted: DeskStatus, error: unknown): void {
      if (error instanceof DeskClientError && error.code === 'conflict') {
        scheduleMirrorStatus();
        const current = Appointment.safeParse(error.current);
        if (current.success) {
          applyAppointment(current.data);
          set({
            lastError: {
              kind: 'conflict',
              appointmentId: row.id,
              message:
                `Another desk changed this appointment (${describe(row)}): now ${DESK_STATUS_LABEL[current.data.status]}. ` +
                `Check the row before trying “${ACTION_LABEL[wanted]}” again.`,
            },
          });
          return;
        }
        void get().reloadDay();
        set({
          lastError: {
            kind: 'conflict',
            appointmentId: row.id,
            message: `Another desk changed this appointment (${describe(row)}) first; the list has been re-read. Check the row before trying “${ACTION_LABEL[wanted]}” again.`,
          },
        });
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

function describe(row: AppointmentRow): string {
  return `${patientName(row.patient)}, ${localTimeOf(row.start)}`;
}

function errorNotice(error: unknown, row: AppointmentRow | null): DeskNotice {
  const about = row ? `${describe(row)}: ` : '';
  const appointmentId = row?.id ?? null;
  if (error instanceof DeskClientError) {
    if (error.code === 'network') {
      return { kind: 'error', appointmentId, message: `${about}not saved. The desk server cannot be reached; try again in a moment.` };
    }
    return { kind: 'error', appointmentId, message: `${about}${error.message}` };
  }
  return { kind: 'error', appointmentId, message: `${about}something went wrong: ${error instanceof Error ? error.message : String(error)}` };
}

/** The day with this appointment's newer version in place; null when there is nothing newer to show. */
function withAppointment(day: DayView, appointment: Appointment): DayView | null {
  const index = day.appointments.findIndex((a) => a.id === appointment.id);
  const existing = day.appointments[index];
  if (!existing || existing.version >= appointment.version) return null;
  const appointments = day.appointments.slice();
  appointments[index] = { ...appointment, patient: existing.patient };
  return { ...day, appointments };
}

function withEvent(day: DayView, event: DeskEvent): DayView | null | 'unknown' {
  if (event.kind !== 'appointment.changed') return null;
  if (!day.appointments.some((a) => a.id === event.appointment.id)) return 'unknown';
  return withAppointment(day, event.appointment);
}

/** A fresh read of the day, keeping any row this view already holds in a newer version (from an event). */
function mergeNewer(current: DayView, fresh: DayView): DayView {
  const held = new Map(current.appointments.map((a) => [a.id, a]));
  return {
    ...fresh,
    appointments: fresh.appointments.map((a) => {
      const mine = held.get(a.id);
      return mine && mine.version > a.version ? { ...mine, patient: a.patient } : a;
    }),
  };
}

function assertNever(value: never): never {
  throw new Error(`unhandled event: ${JSON.stringify(value)}`);
}

export const useDeskStore = createDeskStore();

// Selectors: one value each, so a component re-renders only when what it shows changes.
export const useLoadState = () => useDeskStore((s) => s.load);
export const useSelectedDate = () => useDeskStore((s) => s.date);
export const useMirrorDates = () => useDeskStore((s) => s.mirrorDates);
export const useDay = () => useDeskStore((s) => s.day);
export const useMirrorStatus = () => useDeskStore((s) => s.mirrorStatus);
export const useConnection = () => useDeskStore((s) => s.connection);
export const useLastError = () => useDeskStore((s) => s.lastError);
export const useAnnouncement = () => useDeskStore((s) => s.announcement);
export const usePendingStatus = (appointmentId: string) => useDeskStore((s) => s.pending[appointmentId] ?? null);
export const useHasErrorFor = (appointmentId: string) => useDeskStore((s) => s.lastError?.appointmentId === appointmentId);
export const useDeskId = () => useDeskStore((s) => s.deskId);
export const useSetStatus = () => useDeskStore((s) => s.setStatus);
export const useDeskActions = () =>
  useDeskStore(
    useShallow((s) => ({
      start: s.start,
      selectDate: s.selectDate,
      reloadDay: s.reloadDay,
      setStatus: s.setStatus,
      dismissError: s.dismissError,
    })),
  );
