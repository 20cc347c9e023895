/**
 * Clinicians in their rooms and the waiting-room displays (issue 17): the practice's settings for both, the
 * recall, and the operations' entries in the contract. A call is a status change (sent_in shows on the displays,
 * quiet_sent_in never does: setAppointmentStatus); a recall repeats a call that is on the board.
 */
import { z } from 'zod';
import { Appointment, Id } from '../domain/entities';
import type { DeskStatus } from '../domain/status';
import type { OperationEntry } from './policy';

/**
 * How a display names the patient it calls: their ticket number (given at check-in, told to them at the desk),
 * or their first name and the initial of their family name ("Amira K"). Never the full name (hazard H8).
 */
export const DISPLAY_SHOW = ['ticket', 'first-name-initial'] as const;
export const DisplayShow = z.enum(DISPLAY_SHOW);
export type DisplayShow = z.infer<typeof DisplayShow>;

export const DISPLAY_SHOW_LABEL: Record<DisplayShow, string> = {
  ticket: 'Ticket number',
  'first-name-initial': 'First name and initial',
};

/** A waiting area's id, as it goes in the display's address (?area=upstairs). */
export const AreaId = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'letters, digits and dashes, up to 32');

/** A waiting area with its own display; the rooms whose calls it shows. A room belongs to one area at most. */
export const WaitingArea = z.strictObject({
  id: AreaId,
  name: z.string().trim().min(1).max(60),
  rooms: z.array(z.string().trim().min(1).max(50)).max(100),
});
export type WaitingArea = z.infer<typeof WaitingArea>;

/**
 * The statuses a clinician may set from their room: call (shown or quiet), and finish (seen, left, DNA when the
 * practice allows it). Checking in, cancelling and rebooking are reception's.
 */
export const ROOM_STATUSES = ['sent_in', 'quiet_sent_in', 'seen', 'left', 'dna'] as const satisfies readonly DeskStatus[];

export const SPEECH_RATE = { min: 0.5, max: 2, default: 0.9 } as const;

export const PracticeRoomSettings = z
  .strictObject({
    display: z.strictObject({
      show: DisplayShow,
      /** A chime before each call: guidance says never to rely on a screen alone. */
      chime: z.boolean(),
      /** The call spoken by the browser's speech synthesis ("Ticket 12, please go to Room 3"). */
      speak: z.boolean(),
      /** The speech synthesis voice's name as the display's browser lists it; null: the browser's default. */
      voice: z.string().trim().min(1).max(200).nullable(),
      rate: z.number().min(SPEECH_RATE.min).max(SPEECH_RATE.max),
    }),
    /** Empty: one waiting room, every display shows every call. */
    areas: z.array(WaitingArea).max(20),
    /** Whether a clinician may mark their own patient DNA, or only reception may. */
    cliniciansMayDna: z.boolean(),
  })
  .superRefine((settings, ctx) => {
    const ids = new Set<string>();
    const rooms = new Map<string, string>();
    settings.areas.forEach((area, i) => {
      if (ids.has(area.id)) ctx.addIssue({ code: 'custom', path: ['areas', i, 'id'], message: `two areas are called "${area.id}"` });
      ids.add(area.id);
      for (const room of area.rooms) {
        const other = rooms.get(room.toLowerCase());
        if (other !== undefined && other !== area.id) ctx.addIssue({ code: 'custom', path: ['areas', i, 'rooms'], message: `${room} is already in ${other}` });
        rooms.set(room.toLowerCase(), area.id);
      }
    });
  });
export type PracticeRoomSettings = z.infer<typeof PracticeRoomSettings>;

/** A new practice's settings: tickets, a chime, no speech until someone chooses a voice, reception DNAs. */
export const DEFAULT_ROOM_SETTINGS: PracticeRoomSettings = {
  display: { show: 'ticket', chime: true, speak: false, voice: null, rate: SPEECH_RATE.default },
  areas: [],
  cliniciansMayDna: false,
};

export const RoomSettingsView = z.object({
  settings: PracticeRoomSettings,
  /** Every room the book names (clinicians' and sessions'), for assigning rooms to areas. */
  knownRooms: z.array(z.string()),
});
export type RoomSettingsView = z.infer<typeof RoomSettingsView>;

/** One call on the waiting-room screen: only what it shows, never a full name, a DOB or an id. */
export const DisplayCall = z.object({
  /** Stable while the call is on the board, new for a recall (so the display sounds it again). */
  key: z.string(),
  label: z.string(),
  room: z.string().nullable(),
  calledAt: z.string(),
  /** What the display says aloud when speech is on: the label and the room, in words. */
  spoken: z.string(),
});
export type DisplayCall = z.infer<typeof DisplayCall>;

export const DisplayBoard = z.object({
  practiceName: z.string().nullable(),
  date: z.string(),
  show: DisplayShow,
  /** The area this board is for (?area=), or null for every call in the practice. */
  area: z.object({ id: z.string(), name: z.string() }).nullable(),
  sound: z.object({ chime: z.boolean(), speak: z.boolean(), voice: z.string().nullable(), rate: z.number() }),
  /** Latest first. */
  calls: z.array(DisplayCall),
  /** True while the desk runs an outage drill (shared/api/drill.ts): the display says DRILL too. */
  drill: z.boolean().optional(),
});
export type DisplayBoard = z.infer<typeof DisplayBoard>;

export const ROOM_CONTRACT = {
  /** The waiting-room display's only read: today's latest calls for its area, as ticket or name and room. */
  getDisplayBoard: {
    input: z.strictObject({ area: AreaId.optional(), limit: z.number().int().min(1).max(20).optional() }),
    output: DisplayBoard,
    policy: { role: 'public', reads: true, display: true, room: 'any', session: false, runsIn: 'desk', standalone: true },
  },
  /**
   * Puts an appointment's call on the displays again (the patient did not come). Only a call that is on the
   * displays: a quiet send in stays quiet. Not journalled (nothing in the record changes); kept with the calls.
   */
  recallPatient: {
    input: z.strictObject({ appointmentId: Id }),
    output: Appointment,
    policy: { role: 'desk', reads: false, display: false, room: 'own', session: true, runsIn: 'desk', standalone: true },
  },
  getRoomSettings: {
    input: z.strictObject({}),
    output: RoomSettingsView,
    policy: { role: 'desk', reads: true, display: false, room: 'any', session: true, runsIn: 'desk', standalone: true },
  },
  /** The whole of the practice's display and room settings, replaced at once; audited. */
  setRoomSettings: {
    input: PracticeRoomSettings,
    output: RoomSettingsView,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
} as const satisfies Record<string, OperationEntry>;
