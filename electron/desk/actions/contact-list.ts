/**
 * The batch-message list after an outage (issue 21, shared/merge/contact-list.ts): every patient whose appointment on
 * an outage's days was cancelled or missed, with their new time (the rebooking made, or the assistant's proposal),
 * less the deceased, those who declined messages and those the format cannot reach. Each export is audited. Also the
 * patient's wish not to be messaged, recorded at the desk.
 */
import { addDays, localDateOf, NEEDS_CALLBACK_STATUSES, isCancelledWithoutLoss, isEnteredInError } from '../../../shared/domain';
import { contactList, type ContactCandidate, type ContactListFormat, type ContactListResult, type OutageWindow } from '../../../shared/merge';
import { DeskError } from '../../../shared/api';
import type { AuditTrail } from '../audit/audit';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { sql } from '../store/sql';
import { UpstreamStore } from '../upstream/store';
import { isRecordedDeceased } from './booking';
import { backlogView } from './backlog';

/** The local dates the outages covered (an outage still going runs to today). */
export function outageDates(outages: readonly OutageWindow[], now: Date): string[] {
  const dates = new Set<string>();
  for (const w of outages) {
    const last = localDateOf(w.to ?? now.toISOString());
    for (let d = localDateOf(w.from); d <= last; d = addDays(d, 1)) dates.add(d);
  }
  return [...dates].sort();
}

export function declinesMessages(deps: Pick<DeskDeps, 'db'>, patientId: string): boolean {
  return deps.db.get<{ d: number }>(sql`SELECT declines_messages AS d FROM patient_message_preference WHERE patient_id = ${patientId}`)?.d === 1;
}

/** Records that a patient does (or no longer does) not want messages from the practice; audited. */
export function setMessagePreference(deps: DeskDeps & { audit: AuditTrail }, input: { patientId: string; declinesMessages: boolean }, ctx: RequestContext) {
  return deps.db.transaction(() => {
    if (!deps.mirror.patient(input.patientId)) throw new DeskError('not_found', `no patient with id "${input.patientId}"`);
    const at = deps.clock().toISOString();
    deps.db.run(sql`INSERT INTO patient_message_preference (patient_id, declines_messages, at, user, desk)
      VALUES (${input.patientId}, ${input.declinesMessages ? 1 : 0}, ${at}, ${ctx.user}, ${ctx.desk})
      ON CONFLICT(patient_id) DO UPDATE SET declines_messages = excluded.declines_messages, at = excluded.at, user = excluded.user, desk = excluded.desk`);
    deps.audit.append({ at, user: ctx.user, desk: ctx.desk, kind: 'callback', detail: { patientId: input.patientId, declinesMessages: input.declinesMessages } });
    return { patientId: input.patientId, declinesMessages: input.declinesMessages, at };
  });
}

/** The list for a format, and its audit record (who exported what, how many; never the patients). */
export function exportContactList(
  deps: DeskDeps & { audit: AuditTrail },
  outages: readonly OutageWindow[],
  format: ContactListFormat,
  ctx: RequestContext,
): ContactListResult & { dates: string[] } {
  const now = deps.clock();
  const dates = outageDates(outages, now);
  const proposals = new Map(backlogView(deps, {}).items.flatMap((i) => (i.proposal ? [[i.appointment.id, i.proposal] as const] : [])));
  const upstream = new UpstreamStore(deps.db);
  const clinicianName = (id: string) => deps.mirror.clinician(id)?.name ?? 'another clinician';
  const candidates: ContactCandidate[] = [];
  for (const date of dates) {
    for (const a of deps.mirror.missedRows(date, date).toSorted((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0))) {
      if (!NEEDS_CALLBACK_STATUSES.includes(a.status) || isEnteredInError(a) || isCancelledWithoutLoss(a)) continue;
      const rebooked = a.desk?.rebookedTo ? deps.mirror.appointment(a.desk.rebookedTo) : null;
      const proposal = proposals.get(a.id);
      candidates.push({
        patient: {
          id: a.patient.id,
          nhsNumber: a.patient.nhsNumber,
          nhsNumberValid: a.patient.nhsNumberStatus === 'valid',
          givenName: a.patient.givenName,
          familyName: a.patient.familyName,
          dateOfBirth: a.patient.dateOfBirth,
          phone: a.patient.phone,
          emisNumber: upstream.listingOf(a.patient.id)?.emisNumber ?? null,
        },
        missed: { start: a.start, clinicianName: clinicianName(a.clinicianId) },
        newTime: rebooked
          ? { start: rebooked.start, clinicianName: clinicianName(rebooked.clinicianId), booked: true }
          : proposal
            ? { start: proposal.slot.start, clinicianName: proposal.clinician.name, booked: false }
            : null,
        deceased: isRecordedDeceased(deps, a.patient.id),
        declinesMessages: declinesMessages(deps, a.patient.id),
      });
    }
  }
  const result = contactList(candidates, format);
  deps.audit.append({
    at: now.toISOString(),
    user: ctx.user,
    desk: ctx.desk,
    kind: 'export',
    detail: { what: 'contact-list', format, included: result.included, excluded: result.excluded.length },
  });
  return { ...result, dates };
}
