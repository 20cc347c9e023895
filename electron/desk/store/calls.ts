/**
 * The calls put on the waiting-room displays (display_call, migration 9) and what a call needs to know about the
 * room: who is still with the clinician, which rooms the book names. Kept apart from the mirror's appointment
 * store: a recall is a new call on the board without being a change to the appointment or its journal.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Db } from './sql';

export interface BoardCallRow {
  callId: string;
  ticket: number | null;
  givenName: string;
  familyName: string;
  room: string | null;
  calledAt: string;
}

export class CallStore {
  constructor(private readonly db: Db) {}

  /** A call on the displays, inside the caller's transaction. */
  add(call: { appointmentId: string; localDate: string; calledAt: string; recall: boolean; user: string; desk: string }): void {
    this.db.run(sql`
      INSERT INTO display_call (id, appointment_id, local_date, called_at, recall, user, desk)
      VALUES (${randomUUID()}, ${call.appointmentId}, ${call.localDate}, ${call.calledAt}, ${call.recall ? 1 : 0}, ${call.user}, ${call.desk})`);
  }

  /**
   * The day's calls as the displays show them, latest first, each appointment once at its latest call (a recall
   * moves it to the top). Only appointments still called to the display: an undone send in, or one made quiet,
   * drops off. A quiet send in is never written here at all.
   */
  board(date: string, limit: number): BoardCallRow[] {
    return this.db.all<BoardCallRow>(sql`
      SELECT dc.id AS callId, a.ticket, p.given_name AS givenName, p.family_name AS familyName,
        coalesce(se.room, c.room) AS room, dc.called_at AS calledAt
      FROM display_call dc
        JOIN appointment a ON a.id = dc.appointment_id
        JOIN patient p ON p.id = a.patient_id
        JOIN clinician c ON c.id = a.clinician_id
        LEFT JOIN session se ON se.id = a.session_id
      WHERE dc.local_date = ${date} AND a.call_kind = 'display' AND a.sent_in_at IS NOT NULL
        AND dc.called_at = (SELECT max(d2.called_at) FROM display_call d2 WHERE d2.appointment_id = dc.appointment_id)
      ORDER BY dc.called_at DESC, dc.id
      LIMIT ${limit}`);
  }

  /** The clinician's patients with them now (sent in, shown or quiet, not yet seen) on a day, but one. */
  stillWithClinician(clinicianId: string, date: string, exceptAppointmentId: string): string[] {
    return this.db
      .all<{ id: string }>(
        sql`
        SELECT id FROM appointment WHERE clinician_id = ${clinicianId} AND local_date = ${date}
          AND status IN ('sent_in', 'quiet_sent_in') AND id <> ${exceptAppointmentId}
        ORDER BY sent_in_at, id`,
      )
      .map((r) => r.id);
  }

  /** Every room the book names, for the practice's waiting areas. */
  knownRooms(): string[] {
    return this.db
      .all<{ room: string }>(
        sql`
        SELECT room FROM clinician WHERE room IS NOT NULL AND trim(room) <> ''
        UNION SELECT room FROM session WHERE room IS NOT NULL AND trim(room) <> ''
        ORDER BY room`,
      )
      .map((r) => r.room);
  }
}
