/**
 * The two desk changes that complete the journal's vocabulary for merge-back: a note against an appointment
 * (what the clinician or receptionist wrote on paper or at the desk) and a change of a patient's contact
 * details. Both are intent-level journal entries like every other action, in one transaction with what they
 * change; merge-back puts both on the manual worklist (shared/merge), since a consultation note belongs in the
 * clinical record and demographics are checked against PDS there.
 */
import { DeskError } from '../../../shared/api';
import { phoneDigits, type Patient } from '../../../shared/domain';
import type { RequestContext } from '../dispatch';
import type { DeskDeps } from '../deps';
import { sql } from '../store/sql';

export class RecordsDesk {
  constructor(private readonly deps: DeskDeps) {}

  addNote(input: { appointmentId: string; text: string }, ctx: RequestContext): { seq: number; at: string } {
    const { db, mirror, journal } = this.deps;
    return db.transaction(() => {
      const a = mirror.appointment(input.appointmentId);
      if (!a) throw new DeskError('not_found', `no appointment with id "${input.appointmentId}"`);
      const at = this.deps.clock().toISOString();
      // A clinician's note in their room is the consultation's contemporaneous note: the worklist says so when it
      // is keyed, with whose it is (the MDU's rules for consulting without the record).
      const clinician = ctx.role === 'clinician' && ctx.clinicianId ? mirror.clinician(ctx.clinicianId) : null;
      const contemporaneous = clinician ? { contemporaneous: { clinicianName: clinician.name } } : {};
      const entry = journal.append({
        at,
        user: ctx.user,
        desk: ctx.desk,
        op: 'appointment.note',
        entity: 'appointment',
        entityId: a.id,
        before: null,
        after: { text: input.text, patientId: a.patientId, ...contemporaneous },
        baseVersion: a.upstreamVersion,
      });
      return { seq: entry.seq, at };
    });
  }

  updateContact(input: { patientId: string; phone: string | null }, ctx: RequestContext): Patient {
    const { db, mirror, journal } = this.deps;
    return db.transaction(() => {
      const p = mirror.patient(input.patientId);
      if (!p) throw new DeskError('not_found', `no patient with id "${input.patientId}"`);
      const phone = input.phone && input.phone.trim() ? input.phone.trim() : null;
      db.run(sql`UPDATE patient SET phone = ${phone}, phone_digits = ${phoneDigits(phone)} WHERE id = ${p.id}`);
      const base = db.get<{ version: string }>(sql`SELECT version FROM upstream_record WHERE resource_type = 'Patient' AND id = ${p.id}`);
      journal.append({
        at: this.deps.clock().toISOString(),
        user: ctx.user,
        desk: ctx.desk,
        op: 'patient.contact',
        entity: 'patient',
        entityId: p.id,
        before: { phone: p.phone },
        after: { phone },
        baseVersion: base?.version ?? null,
      });
      const after = mirror.patient(p.id);
      if (!after) throw new Error('the patient just updated cannot be read back');
      return after;
    });
  }
}
