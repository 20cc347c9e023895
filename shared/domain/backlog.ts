/**
 * The rebooking assistant (issue 21): after an outage, a free slot proposed for every patient whose appointment was
 * cancelled or missed and who is still on the callback list. A pure function over what the desk read, so the
 * screen, the CLI and the tests see one rule:
 *   - patients in time-sensitive care first (suspected cancer, anticoagulation, palliative), then the order of the
 *     original appointments: the callback list's own order (compareCallbacks), never re-sorted here;
 *   - the same clinician, else another of the same role, within the practice's window; never another role (a
 *     nurse's dressing is not a GP's appointment);
 *   - the appointment's type kept, and a session labelled for that kind of work ("Telephone clinic") preferred;
 *   - each slot proposed once; a patient who cannot be placed is left with the reason.
 */
import type { Appointment, AppointmentType, Clinician, ClinicianRole, Slot } from './entities';
import { CLINICIAN_ROLE_LABEL } from './entities';
import { isTimeSensitive } from './reception';
import { localDateOf } from './time';

export interface BacklogCandidate {
  appointment: Pick<Appointment, 'id' | 'clinicianId' | 'start' | 'type'> & { patient: { flags: Parameters<typeof isTimeSensitive>[0] } };
  /** Why the assistant must not place them at all (already booked again, recorded as deceased), if so. */
  notPlaceable: string | null;
}

export interface BacklogSlot {
  slot: Pick<Slot, 'id' | 'start' | 'clinicianId'>;
  clinician: Pick<Clinician, 'id' | 'role'>;
  sessionLabel: string | null;
}

export interface BacklogChoice<S extends BacklogSlot> {
  /** The proposed slot, or null with the reason. */
  slot: S | null;
  sameClinician: boolean;
  reason: string | null;
}

/** Session labels that say what kind of appointment a session is for. */
const TYPE_WORDS: Record<AppointmentType, RegExp> = {
  telephone: /\b(tel|telephone|phone)\b/i,
  video: /\bvideo\b/i,
  home_visit: /\b(home|visits?)\b/i,
  face_to_face: /\b(face to face|face-to-face|f2f|in person)\b/i,
};
const ANY_KIND = new RegExp(
  Object.values(TYPE_WORDS)
    .map((w) => w.source)
    .join('|'),
  'i',
);

/** Whether a session's label suits the appointment's type: 0 says so, 1 does not say, 2 is for another kind only. */
function typeFit(type: AppointmentType, label: string | null): number {
  if (label === null) return 1;
  return TYPE_WORDS[type].test(label) ? 0 : ANY_KIND.test(label) ? 2 : 1;
}

/**
 * One choice per candidate, in the candidates' order (the callback list's). `slots` are the free slots in the
 * window (already not started, not taken), earliest first; `roleOf` names each original clinician's role.
 */
export function proposeRebookings<S extends BacklogSlot>(
  candidates: readonly BacklogCandidate[],
  slots: readonly S[],
  roleOf: (clinicianId: string) => ClinicianRole | null,
  windowDays: number,
): Array<BacklogChoice<S>> {
  const taken = new Set<string>();
  return candidates.map(({ appointment: a, notPlaceable }) => {
    if (notPlaceable !== null) return { slot: null, sameClinician: false, reason: notPlaceable };
    const role = roleOf(a.clinicianId);
    const urgent = isTimeSensitive(a.patient.flags);
    let best: { s: S; key: Array<string | number> } | null = null;
    for (const s of slots) {
      if (taken.has(s.slot.id)) continue;
      const same = s.clinician.id === a.clinicianId;
      if (!same && (role === null || s.clinician.role !== role)) continue;
      // Time-sensitive care: the soonest day wins, their own clinician only within it. Everyone else: their own
      // clinician within the window first (continuity), then the soonest.
      const fit = typeFit(a.type, s.sessionLabel);
      const key = urgent ? [localDateOf(s.slot.start), same ? 0 : 1, fit, s.slot.start] : [same ? 0 : 1, fit, s.slot.start];
      if (best === null || compareKeys(key, best.key) < 0) best = { s, key };
    }
    if (best === null) {
      const who = role === null ? 'their clinician' : `their clinician or another ${CLINICIAN_ROLE_LABEL[role]}`;
      return { slot: null, sameClinician: false, reason: `no free slot with ${who} within ${windowDays} days` };
    }
    taken.add(best.s.slot.id);
    return { slot: best.s, sameClinician: best.s.clinician.id === a.clinicianId, reason: null };
  });
}

function compareKeys(x: ReadonlyArray<string | number>, y: ReadonlyArray<string | number>): number {
  for (let i = 0; i < x.length; i++) {
    const a = x[i] as string | number;
    const b = y[i] as string | number;
    if (a < b) return -1;
    if (a > b) return 1;
  }
  return 0;
}
