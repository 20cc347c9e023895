/**
 * The reception desk's actions: a status change, undo, and a session's no-shows marked DNA in one go and undone in
 * one go (here);
 * walk-ins (walk-ins.ts), rebooking and callbacks (rebooking.ts) and the waiting-room display (display.ts),
 * reached through this one class so the service sees one reception desk. What every change does with the
 * appointment it changes (read at a version, journal, announce) is change.ts.
 *
 * Every action is one transaction that changes the mirror and appends its journal entries together; events go
 * out only after the commit. Appointments made here carry version >= 1 and no upstream version, and patients
 * made here are marked local, so a refresh keeps them (electron/desk/refresh.ts).
 */
import { randomUUID } from 'node:crypto';
import { checkTransition, DESK_STATUS_LABEL, isEnteredInError, localDateOf, localTimeOf, type Appointment, type DeskStatus, type Patient } from '../../../shared/domain';
import { z } from 'zod';
import { DeskError, type StillWithClinician, type AppointmentRow, type CallbackEntry, type DisplayBoard, type FreeSlot, type WalkInInput } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import type { CallStore } from '../store/calls';
import { sql, type Db } from '../store/sql';
import { announce, appointmentAt, journalAppointmentChange, StatusSnapshot, withDesk, type AppointmentChange } from './change';
import { displayBoard } from './display';
import { readRoomSettings } from './room-settings';
import { callbackList, findFreeSlots, rebook } from './rebooking';
import { cancelWalkInInError, dutyClinicianFor, registerWalkIn, takeBackWalkIn } from './walk-ins';

/** The operations whose last entry undo can reverse: a status change (single or in a batch), or an undo. */
const UNDOABLE_OPS = new Set(['appointment.setStatus', 'appointment.undo']);

const WHY_NOT_UNDOABLE: Record<string, string> = {
  'appointment.rebook': 'its last change was a rebooking; cancel the new appointment instead if it was a mistake',
};

type StatusSnapshot = z.infer<typeof StatusSnapshot>;

/** What markSessionDna writes on each of its entries (beside the status snapshot), so the batch can be found again. */
const SessionDnaBatch = z.object({ id: z.string(), kind: z.literal('session-dna'), sessionId: z.string(), size: z.number().int().positive() });

interface BatchEntry {
  seq: number;
  id: string;
  op: string;
  at: string;
  user: string;
  desk: string;
  entityId: string | null;
  before: string | null;
  after: string | null;
}

/**
 * The journal entries of one session-DNA batch, in the order written. Found by the batch id markSessionDna put on
 * each: a scan of the journal, which a receptionist's undo can afford (it has no index on the JSON, and needs none
 * for anything else).
 */
function sessionDnaEntries(db: Db, batchId: string): BatchEntry[] {
  return db.all<BatchEntry>(sql`
    SELECT seq, id, op, at, user, desk, entity_id AS entityId, before, after FROM journal
    WHERE entity = 'appointment' AND op = 'appointment.setStatus' AND json_valid(after)
      AND json_extract(after, '$.batch.id') = ${batchId} AND json_extract(after, '$.batch.kind') = 'session-dna'
    ORDER BY seq`);
}

/** "the 09:00 appointment (now Arrived)", "the 09:00 (now Arrived) and 09:20 (now Booked) appointments". */
function whichChanged(changed: readonly Appointment[]): string {
  const [only, ...more] = changed;
  if (only && more.length === 0) return `the ${localTimeOf(only.start)} appointment (now ${DESK_STATUS_LABEL[only.status]})`;
  const each = changed.map((a) => `${localTimeOf(a.start)} (now ${DESK_STATUS_LABEL[a.status]})`);
  return `the ${each.slice(0, -1).join(', ')} and ${each.at(-1) ?? ''} appointments`;
}

export class ReceptionDesk {
  constructor(private readonly deps: DeskDeps & { calls: CallStore }) {}

  private now(): Date {
    return this.deps.clock();
  }

  // ---- status changes -------------------------------------------------------------------------------------

  /**
   * The appointment after moving to `status` at `now`: the times of the first arrival, call and finish are
   * kept (a DNA'd patient who turns up keeps nothing stale, since those were null), the ticket is given at
   * check-in (or at the call, for a patient called straight from the book), and the call is marked quiet or not.
   */
  private applyStatus(before: Appointment, status: DeskStatus, now: string, reason: string | null): Appointment {
    const checkIn = status === 'arrived' || status === 'late';
    const call = status === 'sent_in' ? 'display' : status === 'quiet_sent_in' ? 'quiet' : null;
    let after: Appointment = {
      ...before,
      status,
      arrivedAt: checkIn ? (before.arrivedAt ?? now) : before.arrivedAt,
      sentInAt: call !== null ? (before.sentInAt ?? now) : before.sentInAt,
      seenAt: status === 'seen' ? (before.seenAt ?? now) : before.seenAt,
      cancelReason: status === 'cancelled' ? reason : before.cancelReason,
      version: before.version + 1,
      updatedAt: now,
    };
    if ((checkIn || call !== null) && (before.desk?.ticket ?? null) === null) {
      after = withDesk(after, { ticket: this.deps.mirror.nextTicket(localDateOf(before.start)) });
    }
    if (call !== null) after = withDesk(after, { call });
    return after;
  }

  /**
   * One patient in the room at a time: a send in while the clinician's previous patient is still with them is
   * refused, carrying that patient, so the room or the desk asks first (despiteStillWithClinician).
   */
  private refuseWhileStillWithClinician(next: Appointment): void {
    const inRoom = this.deps.calls.stillWithClinician(next.clinicianId, localDateOf(next.start), next.id).flatMap((id) => this.deps.mirror.appointment(id) ?? []);
    if (inRoom.length === 0) return;
    const who = inRoom.map((a) => `the ${localTimeOf(a.start)} patient`).join(' and ');
    throw new DeskError('conflict', `${who} is still with the clinician: finish them first, or confirm to send the next one in anyway`, {
      current: { stillWithClinician: inRoom } satisfies StillWithClinician,
    });
  }

  /** See the contract: the call again on the displays, as a new call; the appointment itself does not change. */
  recall(input: { appointmentId: string }, ctx: RequestContext): Appointment {
    const { db, mirror } = this.deps;
    const { appointment, seq } = db.transaction(() => {
      const a = mirror.appointment(input.appointmentId);
      if (!a) throw new DeskError('not_found', `no appointment with id "${input.appointmentId}"`);
      if (a.status !== 'sent_in' || a.desk?.call !== 'display') {
        const why = a.status === 'quiet_sent_in' ? 'it was a quiet call: it never shows on the displays' : `it is ${DESK_STATUS_LABEL[a.status]}, not called`;
        throw new DeskError('forbidden_transition', `cannot recall: ${why}`, { current: a });
      }
      this.deps.calls.add({ appointmentId: a.id, localDate: localDateOf(a.start), calledAt: this.now().toISOString(), recall: true, user: ctx.user, desk: ctx.desk });
      return { appointment: a, seq: this.deps.journal.lastSeq() };
    });
    this.deps.emit({ kind: 'display.changed', seq });
    return appointment;
  }

  setStatus(
    input: { appointmentId: string; status: DeskStatus; expectedVersion?: number | undefined; reason?: string | undefined; despiteStillWithClinician?: boolean | undefined },
    ctx: RequestContext,
  ): Appointment {
    const { db, mirror } = this.deps;
    const { before, after, seq } = db.transaction(() => {
      const before = appointmentAt(mirror, input.appointmentId, input.expectedVersion);
      const check = checkTransition(before.status, input.status);
      if (!check.ok) throw new DeskError('forbidden_transition', check.reason, { current: before });
      if (input.status === 'cancelled' && !input.reason) {
        throw new DeskError('invalid_input', 'reason: a cancellation needs a reason', {
          issues: [{ path: 'reason', message: 'a cancellation needs a reason' }],
        });
      }
      const sendsIn = input.status === 'sent_in' || input.status === 'quiet_sent_in';
      if (sendsIn && input.despiteStillWithClinician !== true) this.refuseWhileStillWithClinician(before);
      const now = this.now().toISOString();
      const after = this.applyStatus(before, input.status, now, input.reason ?? null);
      mirror.updateAppointment(after);
      const seq = journalAppointmentChange(this.deps, ctx, now, 'appointment.setStatus', before, after, input.reason ? { reason: input.reason } : {});
      if (input.status === 'sent_in') {
        this.deps.calls.add({ appointmentId: before.id, localDate: localDateOf(before.start), calledAt: now, recall: false, user: ctx.user, desk: ctx.desk });
      }
      return { before, after: mirror.appointment(before.id) ?? after, seq };
    });
    this.announce([{ before, after }], seq, ctx);
    return after;
  }

  /** See the contract: the exact state before the appointment's last change, as a new change of its own. */
  undoLastChange(input: { appointmentId: string; expectedVersion: number }, ctx: RequestContext): Appointment {
    const { db, mirror } = this.deps;
    const { before, after, seq } = db.transaction(() => {
      const current = appointmentAt(mirror, input.appointmentId, input.expectedVersion, 'nothing was undone: another desk changed this appointment since; showing it as it is now');
      const last = mirror.lastJournalEntryFor(current.id);
      if (!last) throw new DeskError('forbidden_transition', 'nothing to undo: this appointment has not been changed at the desk', { current });
      const undoes = { seq: last.seq, id: last.id, op: last.op, by: last.user, desk: last.desk, at: last.at };
      if (isEnteredInError(current)) {
        // Bringing it back would put the patient in the queue twice over again; a new registration is checked.
        throw new DeskError('forbidden_transition', 'cannot undo: this walk-in was taken back as registered in error; register them again if they are here', {
          current,
        });
      }
      if (last.op === 'appointment.walkIn') {
        // Undoing the registration itself, nothing done since: the walk-in is taken back as registered in error.
        return takeBackWalkIn(this.deps, current, ctx, { undoes });
      }
      if (!UNDOABLE_OPS.has(last.op)) {
        throw new DeskError('forbidden_transition', `cannot undo: ${WHY_NOT_UNDOABLE[last.op] ?? `its last change (${last.op}) is not a status change`}`, {
          current,
        });
      }
      const was = StatusSnapshot.safeParse(last.before);
      const then = StatusSnapshot.safeParse(last.after);
      if (!was.success || !then.success) throw new Error(`journal entry ${last.seq} has no readable status snapshot`);
      if (then.data.version !== current.version || then.data.status !== current.status) {
        // Only a change outside the journal could do this; refuse rather than guess what "previous" means.
        throw new DeskError('conflict', 'nothing was undone: the appointment changed since its last recorded change', { current });
      }
      const status = was.data.status;
      const now = this.now().toISOString();
      const restored = this.restoredTo(current, was.data, now);
      if (current.status === 'cancelled' && status !== 'cancelled' && current.slotId !== null) {
        const holder = mirror.slotHolder(current.slotId);
        if (holder && holder.id !== current.id) {
          throw new DeskError('conflict', `cannot undo the cancellation: its slot at ${localTimeOf(current.start)} has been booked for another patient since`, {
            current,
          });
        }
      }
      mirror.updateAppointment(restored);
      const seq = journalAppointmentChange(this.deps, ctx, now, 'appointment.undo', current, restored, { undoes });
      return { before: current, after: mirror.appointment(current.id) ?? restored, seq };
    });
    this.announce([{ before, after }], seq, ctx);
    return after;
  }

  /** The appointment put back as a journal snapshot had it (the state before a change), as a new version. */
  private restoredTo(current: Appointment, was: StatusSnapshot, now: string): Appointment {
    return withDesk(
      {
        ...current,
        status: was.status,
        arrivedAt: was.arrivedAt,
        sentInAt: was.sentInAt,
        seenAt: was.seenAt,
        cancelReason: was.cancelReason,
        version: current.version + 1,
        updatedAt: now,
      },
      { ticket: was.ticket ?? null, call: was.call ?? null },
    );
  }

  /**
   * One transaction for the whole list, one journal entry per appointment (each with the batch's id): merge-back
   * writes each appointment on its own (its own base version, its own If-Match) and undo works per appointment,
   * so per-appointment entries are what both need; the shared batch id keeps the single decision visible.
   */
  markSessionDna(
    input: { sessionId: string; appointments: Array<{ appointmentId: string; expectedVersion: number }> },
    ctx: RequestContext,
  ): { batchId: string; appointments: Appointment[] } {
    const { db, mirror } = this.deps;
    const ids = input.appointments.map((a) => a.appointmentId);
    if (new Set(ids).size !== ids.length) {
      throw new DeskError('invalid_input', 'appointments: an appointment is listed twice', { issues: [{ path: 'appointments', message: 'listed twice' }] });
    }
    const result = db.transaction(() => {
      const session = mirror.session(input.sessionId);
      if (!session) throw new DeskError('not_found', `no session with id "${input.sessionId}"`);
      const now = this.now().toISOString();
      const batchId = randomUUID();
      const changes: Array<{ before: Appointment; after: Appointment }> = [];
      for (const { appointmentId, expectedVersion } of input.appointments) {
        const before = mirror.appointment(appointmentId);
        if (!before) throw new DeskError('not_found', `no appointment with id "${appointmentId}"; nobody was marked DNA`);
        if (before.sessionId !== session.id) {
          throw new DeskError('invalid_input', `appointment ${appointmentId} is not in this session; nobody was marked DNA`, {
            issues: [{ path: 'appointments', message: `${appointmentId} is in another session` }],
          });
        }
        if (before.version !== expectedVersion || before.status !== 'booked') {
          throw new DeskError(
            'conflict',
            `the ${localTimeOf(before.start)} appointment changed since the list was shown (now ${DESK_STATUS_LABEL[before.status]}); nobody was marked DNA. Check the list and try again`,
            { current: before },
          );
        }
        const after = this.applyStatus(before, 'dna', now, null);
        mirror.updateAppointment(after);
        changes.push({ before, after });
      }
      let seq = 0;
      const batch = { id: batchId, kind: 'session-dna', sessionId: session.id, size: changes.length };
      for (const { before, after } of changes) seq = journalAppointmentChange(this.deps, ctx, now, 'appointment.setStatus', before, after, { batch });
      return { batchId, changes, seq };
    });
    this.announce(result.changes, result.seq, ctx);
    return { batchId: result.batchId, appointments: result.changes.map((c) => c.after) };
  }

  /**
   * See the contract: the session's DNA batch undone as the one decision it was. Each appointment is undone as
   * undoLastChange would undo it (an 'appointment.undo' entry naming the entry it undoes, so merge-back sees its
   * changes cancel out), all in one transaction and announced together; refused whole, nothing changed, when any
   * appointment of the batch changed since, since putting the rest back would then be a decision nobody made.
   */
  undoSessionDna(input: { batchId: string }, ctx: RequestContext): { batchId: string; appointments: Appointment[] } {
    const { db, mirror } = this.deps;
    const result = db.transaction(() => {
      const entries = sessionDnaEntries(db, input.batchId);
      if (entries.length === 0) throw new DeskError('not_found', `no session marked DNA with batch id "${input.batchId}"; nothing was undone`);
      const plan = entries.map((entry) => {
        const after = JSON.parse(entry.after ?? 'null') as unknown;
        const batch = SessionDnaBatch.safeParse((after as { batch?: unknown } | null)?.batch);
        const was = StatusSnapshot.safeParse(entry.before === null ? null : JSON.parse(entry.before));
        const then = StatusSnapshot.safeParse(after);
        if (!batch.success || !was.success || !then.success || entry.entityId === null) throw new Error(`journal entry ${entry.seq} has no readable batch or status snapshot`);
        const current = mirror.appointment(entry.entityId);
        if (!current) throw new DeskError('not_found', `an appointment marked DNA in this batch is no longer in the book; nothing was undone`);
        const last = mirror.lastJournalEntryFor(current.id);
        const unchanged = last?.seq === entry.seq && then.data.version === current.version && then.data.status === current.status;
        const undoneSince = last?.op === 'appointment.undo' && (last.after as { undoes?: { seq?: unknown } } | null)?.undoes?.seq === entry.seq;
        return { entry, batch: batch.data, was: was.data, current, unchanged, undoneSince };
      });
      const first = plan[0];
      if (!first) throw new Error('unreachable: a batch with entries has a first');
      if (plan.length !== first.batch.size) {
        // Only a journal purged part-way through the batch could do this; the rest are not put back on a guess.
        throw new DeskError(
          'conflict',
          `nothing was undone: only ${plan.length} of the ${first.batch.size} appointments marked DNA are still in the journal; undo them one at a time`,
          {
            current: first.current,
          },
        );
      }
      if (plan.every((p) => p.undoneSince)) {
        throw new DeskError('forbidden_transition', 'nothing to undo: these appointments are no longer DNA, their marking was undone already', { current: first.current });
      }
      const changed = plan.filter((p) => !p.unchanged).map((p) => p.current);
      if (changed[0]) {
        throw new DeskError(
          'conflict',
          `nothing was undone: ${whichChanged(changed)} changed since the session was marked DNA. Undo the others one at a time on their rows if they were not DNA either`,
          { current: changed[0] },
        );
      }
      const now = this.now().toISOString();
      const undoBatch = { id: randomUUID(), kind: 'session-dna-undo', sessionId: first.batch.sessionId, size: plan.length, undoes: input.batchId };
      const changes: Array<{ before: Appointment; after: Appointment }> = [];
      let seq = 0;
      for (const { entry, was, current } of plan) {
        const restored = this.restoredTo(current, was, now);
        mirror.updateAppointment(restored);
        const undoes = { seq: entry.seq, id: entry.id, op: entry.op, by: entry.user, desk: entry.desk, at: entry.at };
        seq = journalAppointmentChange(this.deps, ctx, now, 'appointment.undo', current, restored, { undoes, batch: undoBatch });
        changes.push({ before: current, after: mirror.appointment(current.id) ?? restored });
      }
      return { changes, seq };
    });
    // One announcement for the lot, after the one commit, every change at the batch's last position.
    this.announce(result.changes, result.seq, ctx);
    return { batchId: input.batchId, appointments: result.changes.map((c) => c.after) };
  }

  // ---- walk-ins, rebooking and callbacks, the display ------------------------------------------------------------

  dutyClinicianFor(date: string): string | null {
    return dutyClinicianFor(this.deps.db, date);
  }

  registerWalkIn(input: WalkInInput, ctx: RequestContext): { patient: Patient; appointment: AppointmentRow | null } {
    return registerWalkIn(this.deps, input, ctx);
  }

  cancelWalkInInError(input: { appointmentId: string; expectedVersion: number }, ctx: RequestContext): Appointment {
    return cancelWalkInInError(this.deps, input, ctx);
  }

  findFreeSlots(input: Parameters<typeof findFreeSlots>[1]): FreeSlot[] {
    return findFreeSlots(this.deps, input);
  }

  rebook(input: Parameters<typeof rebook>[1], ctx: RequestContext): ReturnType<typeof rebook> {
    return rebook(this.deps, input, ctx);
  }

  callbackList(input: Parameters<typeof callbackList>[1]): CallbackEntry[] {
    return callbackList(this.deps, input);
  }

  displayBoard(input: Parameters<typeof displayBoard>[1]): DisplayBoard {
    return displayBoard({ ...this.deps, settings: () => readRoomSettings(this.deps.db) }, input);
  }

  private announce(changes: readonly AppointmentChange[], seq: number, ctx: RequestContext): void {
    announce(this.deps, changes, seq, ctx);
  }
}
