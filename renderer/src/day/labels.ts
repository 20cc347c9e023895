import type { DeskStatus } from '../../../shared/domain';

/** The button's word for moving to a status: what the receptionist is doing, not the state's name. */
export const ACTION_LABEL: Record<DeskStatus, string> = {
  booked: 'Booked',
  arrived: 'Arrived',
  late: 'Arrived late',
  sent_in: 'Send in',
  quiet_sent_in: 'Quiet send in',
  seen: 'Seen',
  left: 'Left',
  walked_out: 'Walked out',
  dna: 'DNA',
  cancelled: 'Cancel appt',
};
