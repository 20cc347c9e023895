/**
 * The rebooking assistant (issue 21) at the desk: who is to be rebooked (the open callback list, the one
 * definition of who was left without their care), which free slots there are in the practice's window, the
 * proposals (shared/domain/backlog.ts), and booking the accepted ones, each as a rebooking through rebook() and
 * so through the desk's one slot check: never a slot booked twice, each journalled and merged back once.
 */
import {
  addDays,
  alsoBookedOf,
  formatUkDate,
  isTimeSensitive,
  localDateOf,
  localTimeOf,
  needsCallback,
  proposeRebookings,
  type Appointment,
  type BacklogCandidate,
} from '../../../shared/domain';
import { DEFAULT_BACKLOG_WINDOW_DAYS, DeskError, type BacklogOutcome, type BacklogView } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { isRecordedDeceased, refuseIfDeceased } from './booking';
import { callbackList, findFreeSlots, rebook } from './rebooking';

/** Enough free slots for a large practice's fortnight (about 600 appointments a day). */
const BACKLOG_SLOT_LIMIT = 50_000;

export function backlogView(deps: DeskDeps, input: { windowDays?: number | undefined }): BacklogView {
  const windowDays = input.windowDays ?? DEFAULT_BACKLOG_WINDOW_DAYS;
  const now = deps.clock();
  const nowIso = now.toISOString();
  const from = localDateOf(now);
  const to = addDays(from, windowDays - 1);
  const open = callbackList(deps, {}).filter((e) => !e.done);
  const slots = findFreeSlots(deps, { from, to, limit: BACKLOG_SLOT_LIMIT });
  const candidates: BacklogCandidate[] = open.map((entry) => ({ appointment: entry.appointment, notPlaceable: notPlaceable(deps, entry, nowIso) }));
  const choices = proposeRebookings(candidates, slots, (id) => deps.mirror.clinician(id)?.role ?? null, windowDays);
  return {
    from,
    to,
    windowDays,
    items: open.map((entry, i) => {
      const choice = choices[i];
      if (choice === undefined) throw new Error('the assistant gave fewer choices than candidates');
      return {
        appointment: entry.appointment,
        clinicianName: entry.clinicianName,
        timeSensitive: isTimeSensitive(entry.appointment.patient.flags),
        proposal: choice.slot,
        sameClinician: choice.sameClinician,
        reason: choice.reason,
      };
    }),
  };
}

/** Why a patient on the callback list is not to be placed by the assistant, or null. */
function notPlaceable(deps: DeskDeps, entry: { appointment: Pick<Appointment, 'id' | 'patientId' | 'start'> }, nowIso: string): string | null {
  if (isRecordedDeceased(deps, entry.appointment.patientId)) return 'recorded as deceased on the practice list: check the clinical record';
  return alreadyBookedAgain(deps, entry.appointment, nowIso);
}

/** "already booked 22/07/2026 09:00 with Dr Patel" when the patient has an appointment still to come, else null. */
function alreadyBookedAgain(deps: DeskDeps, missed: Pick<Appointment, 'id' | 'patientId' | 'start'>, nowIso: string): string | null {
  const again = alsoBookedOf(missed, deps.mirror.liveAppointmentsOfPatientFrom(missed.patientId, localDateOf(nowIso))).find((a) => a.start > nowIso);
  if (!again) return null;
  return `already booked ${formatUkDate(localDateOf(again.start))} ${localTimeOf(again.start)} with ${deps.mirror.clinician(again.clinicianId)?.name ?? 'another clinician'}`;
}

/**
 * Books each accepted proposal (the person may have changed its slot), one transaction each: a refusal (the slot
 * taken meanwhile, the appointment changed since it was proposed) is reported for that patient and the rest go on.
 */
export function acceptBacklog(
  deps: DeskDeps,
  input: { items: ReadonlyArray<{ appointmentId: string; expectedVersion: number; slotId: string }> },
  ctx: RequestContext,
): BacklogOutcome {
  const outcome: BacklogOutcome = { booked: [], refused: [] };
  const seen = new Set<string>();
  for (const item of input.items) {
    if (seen.has(item.appointmentId)) {
      outcome.refused.push({ ...pick(item), message: 'listed twice: booked once' });
      continue;
    }
    seen.add(item.appointmentId);
    try {
      const old = deps.mirror.appointmentRow(item.appointmentId);
      if (!old) throw new DeskError('not_found', `no appointment with id "${item.appointmentId}"`);
      // Only the list's own: a live appointment is moved by rebooking it at the desk, not from here.
      if (!needsCallback(old)) throw new DeskError('conflict', 'no longer on the callback list (rebooked or dealt with meanwhile)', { current: old });
      refuseIfDeceased(old.patient);
      const again = alreadyBookedAgain(deps, old, deps.clock().toISOString());
      if (again !== null) throw new DeskError('conflict', `${again} meanwhile: not booked twice`);
      const { booked } = rebook(deps, item, ctx);
      outcome.booked.push({ appointmentId: item.appointmentId, booked });
    } catch (error) {
      if (!(error instanceof DeskError)) throw error;
      outcome.refused.push({ ...pick(item), message: error.message });
    }
  }
  return outcome;
}

const pick = (item: { appointmentId: string; slotId: string }) => ({ appointmentId: item.appointmentId, slotId: item.slotId });
