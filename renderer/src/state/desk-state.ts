/** What the reception desk's store holds and what it can do (create-desk-store.ts makes it; desk-store.ts is the one in use). */
import type { AppointmentRow, AppointmentToday, CallbackEntry, DayView, DeskEvent, DeskSession, FreeSlot, MirrorStatus, PatientHit, WalkInInput } from '../../../shared/api';
import type { DeskStatus, LocalDate } from '../../../shared/domain';
import type { ConnectionState } from '../api/client';
import type { SendInQuestion } from '../dialogs/send-in-anyway';

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

export interface DeskNotice {
  kind: 'conflict' | 'error';
  message: string;
  /** The appointment it is about, so its row can point at it too. */
  appointmentId: string | null;
}

/** Undo of one appointment's change: the appointment and the version this desk's change produced. */
export interface AppointmentUndo {
  appointmentId: string;
  version: number;
}

/** Undo of a session's no-shows marked DNA together: the whole batch at once (undoSessionDna), never half of it. */
export interface SessionDnaUndo {
  batchId: string;
  /** The appointments it marked, so their rows wait while the undo is on its way. */
  appointmentIds: readonly string[];
}

/** The last change made at this desk, offered for undo until something else happens to that appointment. */
export interface LastChange {
  /** Bumped on every change, so the screen can tell a new toast from the old one. */
  id: number;
  message: string;
  /** The appointment it is about, when one is. */
  appointmentId: string | null;
  /** What undo would act on. Null: not undoable. */
  undo: AppointmentUndo | SessionDnaUndo | null;
}

export function isSessionDnaUndo(undo: LastChange['undo']): undo is SessionDnaUndo {
  return undo !== null && 'batchId' in undo;
}

export interface DeskData {
  load: LoadState;
  /** The day on screen (or being loaded). */
  date: LocalDate | null;
  /** The days the mirror holds. */
  mirrorDates: readonly LocalDate[];
  day: DayView | null;
  mirrorStatus: MirrorStatus | null;
  /** Who is acting and from which desk, as the backend records it in the journal. */
  session: DeskSession | null;
  connection: ConnectionState;
  /** appointment id -> the status being saved for it; its row's buttons wait until the answer comes. */
  pending: Readonly<Record<string, DeskStatus | 'undo' | 'rebook'>>;
  /** The message on screen when it reports a problem; never set together with `lastChange`. */
  lastError: DeskNotice | null;
  /** The message on screen when it confirms a change (its undo goes with it); never set together with `lastError`. */
  lastChange: LastChange | null;
  /** The last change this desk made, read out by screen readers ("SMITH, John: Arrived"). */
  announcement: string;
  /** The name this window's changes carry in the journal, when the renderer picks it (browser mode). */
  deskId: string | null;
  /** The day's patients to phone (cancelled or missed), time-sensitive first; null until first read. */
  callbacks: readonly CallbackEntry[] | null;
  /** 'ipc' inside the app (printing goes through the shell), 'http' in a browser (sheets open in a tab). */
  transport: 'ipc' | 'http' | null;
  /**
   * A send in the backend refused because the clinician's previous patient is still with them: DialogHost asks,
   * and a yes sends it again with setStatus(…, despiteStillWithClinician).
   */
  sendInQuestion: SendInQuestion | null;
}

export interface DeskActions {
  /** Loads the mirror's days and the first day, and starts listening for changes; returns a stop function. */
  start(requestedDate: string | null, today: LocalDate): () => void;
  selectDate(date: LocalDate): Promise<void>;
  reloadDay(): Promise<void>;
  /** Resolves true when the change was saved. */
  setStatus(appointmentId: string, status: DeskStatus, reason?: string, despiteStillWithClinician?: boolean): Promise<boolean>;
  /** Undoes the appointment's last change (from what this desk shows of it). */
  undo(appointmentId: string): Promise<boolean>;
  /**
   * Undoes this desk's own last change, if it is still the appointment's last; after a session's DNA, the whole
   * batch at once, refused whole if any of it changed since.
   */
  undoMine(): Promise<boolean>;
  markSessionDna(sessionId: string, rows: readonly AppointmentRow[]): Promise<boolean>;
  /** clash: refused because the patient has an appointment today (the dialog shows it); null: failed, said. */
  registerWalkIn(input: WalkInInput): Promise<AppointmentRow | 'signposted' | { clash: readonly AppointmentToday[] } | null>;
  /** Takes back a walk-in registered by mistake (cancelled, entered in error): it leaves the day. */
  cancelWalkInInError(appointmentId: string): Promise<boolean>;
  rebook(appointmentId: string, slotId: string, reason?: string): Promise<AppointmentRow | null>;
  /**
   * A row this desk just made (a booking): on screen at once, not when its event arrives, so the keyboard can go to
   * it (the answer and the event race; the event, when it comes, is the same version and changes nothing).
   */
  showNewRow(row: AppointmentRow): void;
  loadCallbacks(): Promise<void>;
  /** Reads only: the answers are for the dialog that asked, so they are returned, not kept. */
  searchPatients(query: string): Promise<PatientHit[]>;
  findFreeSlots(from: LocalDate, to: LocalDate, clinicianId?: string): Promise<FreeSlot[]>;
  applyEvent(event: DeskEvent): void;
  /** Closes the message on screen, problem or confirmation (and the undo the confirmation offered). */
  dismissMessage(): void;
  reportError(message: string, appointmentId?: string | null): void;
}

export type DeskState = DeskData & DeskActions;

export const initialState: DeskData = {
  load: 'idle',
  date: null,
  mirrorDates: [],
  day: null,
  mirrorStatus: null,
  session: null,
  connection: 'connecting',
  pending: {},
  lastError: null,
  lastChange: null,
  announcement: '',
  deskId: null,
  callbacks: null,
  transport: null,
  sendInQuestion: null,
};
