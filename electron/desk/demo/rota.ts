/** The practice's clinicians and the sessions each works on which weekdays. */
import type { Clinician, ClinicianRole } from '../../../shared/domain';

export interface SessionPlan {
  start: string;
  end: string;
  slotMinutes: number;
  /** 1 = Monday ... 5 = Friday. */
  weekdays: readonly number[];
}

export interface ClinicianPlan {
  clinician: Clinician;
  am: SessionPlan | null;
  pm: SessionPlan | null;
}

const EVERY_WEEKDAY = [1, 2, 3, 4, 5] as const;

// Part-timers and days off make each weekday's book a different size (Monday the busiest, as at any practice),
// while every weekday stays between about 200 and 240 slots.
export const ROTA: readonly ClinicianPlan[] = [
  plan('clin-01', 'Dr Helen Carter', 'gp', 'Room 1', ['08:00', '11:30', 10, EVERY_WEEKDAY], ['14:30', '18:00', 10, EVERY_WEEKDAY]),
  plan('clin-02', 'Dr Rajesh Patel', 'gp', 'Room 2', ['08:30', '12:00', 10, EVERY_WEEKDAY], ['14:30', '18:00', 10, [1, 2, 3, 5]]),
  plan('clin-03', 'Dr Aoife Brennan', 'gp', 'Room 3', ['08:30', '12:00', 15, [1, 2, 4, 5]], ['14:00', '17:30', 15, [1, 2, 4, 5]]),
  plan('clin-04', 'Dr Michael Okafor', 'gp', 'Room 4', ['08:30', '12:00', 15, [1, 3, 4, 5]], ['15:00', '18:00', 15, [1, 3, 4, 5]]),
  plan('clin-05', 'Claire Bennett', 'nurse', 'Treatment room', ['08:30', '12:00', 15, EVERY_WEEKDAY], ['14:00', '17:20', 20, [1, 2, 3, 4]]),
  plan('clin-06', 'Fatima Hussain', 'nurse', 'Nurse room 2', ['08:30', '12:30', 20, [2, 3, 4]], ['14:00', '17:00', 20, [2, 3, 4]]),
  plan('clin-07', 'Jade Wilson', 'hca', 'Phlebotomy room', ['08:00', '11:30', 10, EVERY_WEEKDAY], ['14:00', '16:30', 15, EVERY_WEEKDAY]),
  plan('clin-08', 'Oluwaseun Adeyemi', 'pharmacist', 'Room 5', ['09:00', '12:00', 20, [1, 2, 4]], ['14:00', '16:00', 20, [1, 2, 4]]),
  plan('clin-09', 'Rhys Morgan', 'physio', 'Room 6', ['08:30', '12:30', 20, [2, 5]], null),
  plan('clin-10', 'Danielle Hughes', 'paramedic', 'Room 7', ['08:30', '12:30', 15, [1, 3, 5]], ['14:00', '17:00', 15, [1, 3, 5]]),
];

function plan(
  id: string,
  name: string,
  role: ClinicianRole,
  room: string,
  am: readonly [string, string, number, readonly number[]] | null,
  pm: readonly [string, string, number, readonly number[]] | null,
): ClinicianPlan {
  const session = (s: typeof am): SessionPlan | null => (s ? { start: s[0], end: s[1], slotMinutes: s[2], weekdays: s[3] } : null);
  return { clinician: { id, name, role, room }, am: session(am), pm: session(pm) };
}
