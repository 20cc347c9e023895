/**
 * Consultation records: a page per appointment for the clinician's handwritten notes, carrying the patient's
 * identity and a reference (the appointment id, readable and as a Code 128 barcode) so that whoever keys the
 * notes in after the outage attaches them to the right appointment. Cancelled appointments get no page.
 */
import { APPOINTMENT_TYPE_LABEL, DESK_STATUS_LABEL, formatUkDate } from '../domain';
import type { AppointmentRow } from '../api/contract';
import { encodeCode128B, type Code128 } from './code128';
import { sessionGroups } from './day';
import { time } from './format';
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput } from './input';
import { patientText, type PatientText } from './patient';
import { statusNote, walkInText } from './clinician-list';
import { consultationReference } from './reference';

export interface ConsultationRecord {
  reference: string;
  /** Null when the reference holds characters Code 128 B cannot carry; the readable reference still prints. */
  barcode: Code128 | null;
  patient: PatientText;
  date: string;
  time: string;
  end: string;
  clinicianName: string;
  roleLabel: string;
  room: string | null;
  session: string;
  type: string;
  reason: string | null;
  statusNote: string | null;
  /** A walk-in's triage, as the lists print it; null for a booked appointment. */
  walkIn: string | null;
}

export interface ConsultationRecordsSheet {
  kind: 'consultation-records';
  frame: SheetFrame;
  records: ConsultationRecord[];
  /** How many cancelled appointments were left out, so the count on paper can be reconciled with the book. */
  omittedCancelled: number;
}

export function consultationRecordsSheet(input: SheetInput, options: { clinicianId?: string | null } = {}): ConsultationRecordsSheet {
  const groups = sessionGroups(input, options.clinicianId ?? null);
  const scope = options.clinicianId ? (groups[0]?.clinician.name ?? null) : null;
  let omitted = 0;
  const records: ConsultationRecord[] = [];
  // Clinician by clinician, session by session: each clinician's pile comes off the printer together.
  for (const g of groups) {
    for (const a of g.appointments) {
      if (a.status === 'cancelled') {
        omitted++;
        continue;
      }
      records.push(record(a, input.date, g.clinician.name, g.clinician.roleLabel, g.room, g.label));
    }
  }
  return { kind: 'consultation-records', frame: sheetFrame(input, 'Consultation record', scope), records, omittedCancelled: omitted };
}

function record(a: AppointmentRow, date: string, clinicianName: string, roleLabel: string, room: string | null, session: string): ConsultationRecord {
  const reference = consultationReference(a.id);
  const barcode = encodeCode128B(reference);
  return {
    reference,
    barcode: barcode.ok ? barcode.value : null,
    patient: patientText(a.patient, date),
    date: formatUkDate(date),
    time: time(a.start),
    end: time(a.end),
    clinicianName,
    roleLabel,
    room,
    session,
    type: APPOINTMENT_TYPE_LABEL[a.type],
    reason: a.reason,
    statusNote: a.status === 'booked' ? null : (statusNote(a) ?? DESK_STATUS_LABEL[a.status]),
    walkIn: walkInText(a),
  };
}
