/**
 * What every reception action does with an appointment it changes: read it (refusing when another desk changed
 * it first), journal the change with a snapshot that undo can put back, and announce it once committed.
 */
import { Appointment, AppointmentDesk, NO_DESK_INFO, type Patient } from '../../../shared/domain';
import { DeskError } from '../../../shared/api';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import type { JournalAppend } from '../store/journal';
import type { MirrorStore } from '../store/mirror';

/**
 * What a status change journals before and after: enough to put the appointment back exactly (undo), including
 * the desk's own facts the change may have set (the ticket given at check-in, how the patient was called).
 */
export function statusSnapshot(a: Appointment) {
  return {
    status: a.status,
    fhirStatus: a.fhirStatus,
    version: a.version,
    arrivedAt: a.arrivedAt,
    sentInAt: a.sentInAt,
    seenAt: a.seenAt,
    cancelReason: a.cancelReason,
    ticket: a.desk?.ticket ?? null,
    call: a.desk?.call ?? null,
  };
}

/**
 * Read back from the journal, as statusSnapshot wrote it from an appointment; entries written before tickets
 * existed lack the last two, which were null then.
 */
export const StatusSnapshot = Appointment.pick({ status: true, version: true, arrivedAt: true, sentInAt: true, seenAt: true, cancelReason: true }).extend({
  ticket: AppointmentDesk.shape.ticket.optional(),
  call: AppointmentDesk.shape.call.optional(),
});

export function withDesk(a: Appointment, change: Partial<AppointmentDesk>): Appointment {
  return { ...a, desk: { ...(a.desk ?? NO_DESK_INFO), ...change } };
}

/** The appointment as it is now, when the caller saw this version of it (if it says which it saw). */
export function appointmentAt(
  mirror: MirrorStore,
  id: string,
  expectedVersion: number | undefined,
  conflict = 'another desk changed this appointment first; showing it as it is now',
): Appointment {
  const current = mirror.appointment(id);
  if (!current) throw new DeskError('not_found', `no appointment with id "${id}"`);
  if (expectedVersion !== undefined && current.version !== expectedVersion) throw new DeskError('conflict', conflict, { current });
  return current;
}

/**
 * Journals a change of an existing appointment, inside the caller's transaction: snapshots of before and after
 * (with what else the entry records), on the upstream version the change was based on.
 */
export function journalAppointmentChange(
  deps: Pick<DeskDeps, 'journal'>,
  ctx: RequestContext,
  at: string,
  op: JournalAppend['op'],
  before: Appointment,
  after: Appointment,
  extra: Record<string, unknown> = {},
): number {
  return deps.journal.append({
    at,
    user: ctx.user,
    desk: ctx.desk,
    op,
    entity: 'appointment',
    entityId: before.id,
    before: statusSnapshot(before),
    after: { ...statusSnapshot(after), ...extra },
    baseVersion: before.upstreamVersion,
  }).seq;
}

export interface AppointmentChange {
  before: Appointment | null;
  after: Appointment;
  patient?: Patient;
}

/** Whether a change shows on, or disappears from, the waiting-room display. */
function touchesDisplay(before: Appointment | null, after: Appointment): boolean {
  return before?.desk?.call === 'display' || after.desk?.call === 'display';
}

/** After the commit: one event per changed appointment, and a bare ping for the display when a call changed. */
export function announce(deps: Pick<DeskDeps, 'emit'>, changes: readonly AppointmentChange[], seq: number, ctx: RequestContext): void {
  for (const { after, patient } of changes) {
    deps.emit({ kind: 'appointment.changed', seq, appointment: after, ...(patient ? { patient } : {}), user: ctx.user, desk: ctx.desk });
  }
  if (changes.some((c) => touchesDisplay(c.before, c.after))) deps.emit({ kind: 'display.changed', seq });
}
