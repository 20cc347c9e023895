/**
 * The question asked before a second patient is sent in while the clinician's previous one is still with them
 * (the backend refuses such a send in, a conflict carrying StillWithClinician, until the person confirms). One
 * wording for the room and the desk, so both ask the same thing.
 */
import { StillWithClinician, type AppointmentRow, type DayView } from '../../../shared/api';
import type { DeskStatus } from '../../../shared/domain';
import { DeskClientError } from '../api/client';
import { patientName } from '../day/format';

/** A send in waiting for the person's answer: what to resend, and who is still in the room. */
export interface SendInQuestion {
  appointmentId: string;
  status: Extract<DeskStatus, 'sent_in' | 'quiet_sent_in'>;
  /** The patient to send in, as the screen names them. */
  nextName: string;
  /** Those still with the clinician, as the screen names them (ids it cannot name are left out). */
  stillNames: readonly string[];
  /** The clinician's name, for the desk ("still with Dr Patel"); null in their own room ("still with you"). */
  clinicianName: string | null;
}

/**
 * The question to ask when `error` is the backend's refusal of this send in because someone is still with the
 * clinician (a conflict whose `current` is StillWithClinician); null for any other failure. The day on screen names
 * those still in the room; in the room the clinician is "you", at the desk they are named.
 */
export function sendInQuestionOf(error: unknown, row: AppointmentRow, status: DeskStatus, day: DayView | null, askedIn: 'room' | 'desk'): SendInQuestion | null {
  if (!(error instanceof DeskClientError) || error.code !== 'conflict' || (status !== 'sent_in' && status !== 'quiet_sent_in')) return null;
  const parsed = StillWithClinician.safeParse(error.current);
  if (!parsed.success) return null;
  const stillNames = parsed.data.stillWithClinician.flatMap((a) => {
    const other = day?.appointments.find((r) => r.id === a.id);
    return other ? [patientName(other.patient)] : [];
  });
  const clinicianName = askedIn === 'room' ? null : (day?.clinicians.find((c) => c.id === row.clinicianId)?.name ?? 'the clinician');
  return { appointmentId: row.id, status, nextName: patientName(row.patient), stillNames, clinicianName };
}

/** "SMITH, John is still with you. Send JONES, Amy in anyway?" */
export function sendInQuestionText(question: Pick<SendInQuestion, 'nextName' | 'stillNames' | 'clinicianName'>): string {
  const who = question.stillNames.length === 0 ? 'The previous patient' : joinNames(question.stillNames);
  const verb = question.stillNames.length > 1 ? 'are' : 'is';
  const withWhom = question.clinicianName === null ? 'you' : question.clinicianName;
  return `${who} ${verb} still with ${withWhom}. Send ${question.nextName} in anyway?`;
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join('; ')} and ${names.at(-1) ?? ''}`;
}
