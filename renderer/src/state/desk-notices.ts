/** The words of the desk's messages about a row and about failures, so every action reports them alike. */
import type { AppointmentRow } from '../../../shared/api';
import { localTimeOf } from '../../../shared/domain';
import { DeskClientError } from '../api/client';
import { patientName } from '../day/format';
import type { DeskNotice } from './desk-state';

export function describe(row: AppointmentRow): string {
  return `${patientName(row.patient)}, ${localTimeOf(row.start)}`;
}

export function errorNotice(error: unknown, row: AppointmentRow | null): DeskNotice {
  const about = row ? `${describe(row)}: ` : '';
  const appointmentId = row?.id ?? null;
  if (error instanceof DeskClientError) {
    if (error.code === 'network') {
      return { kind: 'error', appointmentId, message: `${about}not saved. The desk server cannot be reached; try again in a moment.` };
    }
    return { kind: 'error', appointmentId, message: `${about}${error.message}` };
  }
  return { kind: 'error', appointmentId, message: `${about}something went wrong: ${error instanceof Error ? error.message : String(error)}` };
}
