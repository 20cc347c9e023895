/**
 * Working the callback list (issue 18): each try at calling a patient back, and the practice's Late rule.
 *
 * Attempts are not journalled. The journal is the truth about changes to the clinical record that merge-back
 * must put back; a phone call to a patient changes nothing there (a rebooking made on the call is its own
 * journalled action). Attempts are the practice's own working record: kept in their table (replicated to the
 * desk group with the day) and in the audit trail, with who, which desk and when.
 */
import { randomUUID } from 'node:crypto';
import { localDateOf, needsCallback, type CallbackOutcome, type ContactStatus } from '../../../shared/domain';
import { CallbackAttempt, DaySettings, DEFAULT_DAY_SETTINGS, DeskError, PatientContact } from '../../../shared/api';
import type { AuditTrail } from '../audit/audit';
import type { RequestContext } from '../dispatch';
import type { MirrorStore } from '../store/mirror';
import { sql, type Db } from '../store/sql';

const DAY_SETTINGS_META = 'day.settings';

interface AttemptDbRow {
  id: string;
  appointment_id: string;
  outcome: string;
  note: string | null;
  at: string;
  user: string;
  desk: string;
}

function attemptFromRow(r: AttemptDbRow): CallbackAttempt {
  return CallbackAttempt.parse({ id: r.id, appointmentId: r.appointment_id, outcome: r.outcome, note: r.note, at: r.at, user: r.user, desk: r.desk });
}

/** Every attempt on appointments of the dates in [from, to] (the appointment's date, not the call's), oldest first. */
export function callbackAttemptsBetween(db: Db, from: string, to: string): CallbackAttempt[] {
  return db
    .all<AttemptDbRow>(
      sql`SELECT id, appointment_id, outcome, note, at, user, desk FROM callback_attempt
        WHERE local_date >= ${from} AND local_date <= ${to} ORDER BY at, id`,
    )
    .map(attemptFromRow);
}

/** Every message outcome recorded on appointments of the dates in [from, to], oldest first (contact tracking). */
export function patientContactsBetween(db: Db, from: string, to: string): PatientContact[] {
  return db
    .all<{ id: string; appointment_id: string; status: string; note: string | null; at: string; user: string; desk: string }>(
      sql`SELECT id, appointment_id, status, note, at, user, desk FROM patient_contact
        WHERE local_date >= ${from} AND local_date <= ${to} ORDER BY at, id`,
    )
    .map((r) => PatientContact.parse({ id: r.id, appointmentId: r.appointment_id, status: r.status, note: r.note, at: r.at, user: r.user, desk: r.desk }));
}

/** The stored Late rule, or the default when none is stored (or, after a downgrade, it no longer parses). */
function readDaySettings(db: Db): DaySettings {
  const raw = db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${DAY_SETTINGS_META}`)?.value;
  if (raw === undefined) return DEFAULT_DAY_SETTINGS;
  try {
    const parsed = DaySettings.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : DEFAULT_DAY_SETTINGS;
  } catch {
    return DEFAULT_DAY_SETTINGS;
  }
}

export class CallbackDesk {
  constructor(private readonly deps: { db: Db; mirror: MirrorStore; audit: AuditTrail; clock: () => Date }) {}

  record(input: { appointmentId: string; outcome: CallbackOutcome; note?: string | undefined }, ctx: RequestContext): CallbackAttempt {
    const { db, mirror, audit } = this.deps;
    return db.transaction(() => {
      const appointment = mirror.appointmentRow(input.appointmentId);
      if (!appointment) throw new DeskError('not_found', `no appointment ${input.appointmentId}`);
      if (!needsCallback(appointment)) throw new DeskError('conflict', 'this appointment is not on the callback list (rebooked, still live, or cancelled in error)');
      const attempt: CallbackAttempt = {
        id: `callback-${randomUUID()}`,
        appointmentId: appointment.id,
        outcome: input.outcome,
        note: input.note === undefined || input.note === '' ? null : input.note,
        at: this.deps.clock().toISOString(),
        user: ctx.user,
        desk: ctx.desk,
      };
      db.run(sql`INSERT INTO callback_attempt (id, appointment_id, local_date, outcome, note, at, user, desk)
        VALUES (${attempt.id}, ${attempt.appointmentId}, ${localDateOf(appointment.start)}, ${attempt.outcome}, ${attempt.note}, ${attempt.at}, ${attempt.user}, ${attempt.desk})`);
      // The note may name what was said to the patient: the audit keeps ids only, the table keeps the note.
      audit.append({
        at: attempt.at,
        user: ctx.user,
        desk: ctx.desk,
        kind: 'callback',
        detail: { attemptId: attempt.id, appointmentId: attempt.appointmentId, outcome: attempt.outcome },
      });
      return attempt;
    });
  }

  /** What came of messaging a patient on the callback list: kept beside the attempts, audited, not journalled. */
  recordContact(input: { appointmentId: string; status: ContactStatus; note?: string | undefined }, ctx: RequestContext): PatientContact {
    const { db, mirror, audit } = this.deps;
    return db.transaction(() => {
      const appointment = mirror.appointmentRow(input.appointmentId);
      if (!appointment) throw new DeskError('not_found', `no appointment ${input.appointmentId}`);
      if (!needsCallback(appointment)) throw new DeskError('conflict', 'this appointment is not on the callback list (rebooked, still live, or cancelled in error)');
      const contact: PatientContact = {
        id: `contact-${randomUUID()}`,
        appointmentId: appointment.id,
        status: input.status,
        note: input.note === undefined || input.note === '' ? null : input.note,
        at: this.deps.clock().toISOString(),
        user: ctx.user,
        desk: ctx.desk,
      };
      db.run(sql`INSERT INTO patient_contact (id, appointment_id, local_date, status, note, at, user, desk)
        VALUES (${contact.id}, ${contact.appointmentId}, ${localDateOf(appointment.start)}, ${contact.status}, ${contact.note}, ${contact.at}, ${contact.user}, ${contact.desk})`);
      audit.append({
        at: contact.at,
        user: ctx.user,
        desk: ctx.desk,
        kind: 'callback',
        detail: { contactId: contact.id, appointmentId: contact.appointmentId, status: contact.status },
      });
      return contact;
    });
  }

  daySettings(): DaySettings {
    return readDaySettings(this.deps.db);
  }

  setDaySettings(settings: DaySettings, ctx: RequestContext): DaySettings {
    const { db, audit } = this.deps;
    db.transaction(() => {
      const before = readDaySettings(db);
      db.run(sql`INSERT INTO meta (key, value) VALUES (${DAY_SETTINGS_META}, ${JSON.stringify(settings)}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
      audit.append({ at: this.deps.clock().toISOString(), user: ctx.user, desk: ctx.desk, kind: 'settings-changed', detail: { setting: 'day', from: before, to: settings } });
    });
    return readDaySettings(db);
  }
}
