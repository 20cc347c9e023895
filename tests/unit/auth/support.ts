import { openTestDesk } from '../../support/fixtures';

export const MANAGER = { username: 'pm.jones', displayName: 'Pat Jones (manager)', secret: 'correct horse battery' } as const;
export const RECEPTIONIST = { username: 'rx.khan', displayName: 'Sam Khan', pin: '730519' } as const;

/** A desk with a manager and a receptionist, and a clock the test moves by hand. */
export function deskWithAccounts(options: { idleLockMinutes?: number } = {}) {
  let now = new Date('2026-07-20T08:00:00Z').getTime();
  const clock = {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
  const desk = openTestDesk({ now: clock.now, ...options });
  desk.service.auth.addUser({ username: MANAGER.username, displayName: MANAGER.displayName, role: 'manager', secret: { kind: 'password', value: MANAGER.secret } }, desk.context);
  desk.service.auth.addUser(
    { username: RECEPTIONIST.username, displayName: RECEPTIONIST.displayName, role: 'receptionist', secret: { kind: 'pin', value: RECEPTIONIST.pin } },
    desk.context,
  );
  return { desk, clock };
}

/** Clinicians' accounts for smallBook()'s two clinicians: Dr Patel (clin-a: appt-1, 2, 5) and Nurse Okafor (clin-b: appt-3, 4). */
export const CLINICIAN = { username: 'dr.patel', displayName: 'Dr Asha Patel', pin: '402817', clinicianId: 'clin-a' } as const;
export const OTHER_CLINICIAN = { username: 'nurse.okafor', displayName: 'Nurse Ben Okafor', pin: '519304', clinicianId: 'clin-b' } as const;

/** deskWithAccounts() and both clinicians' accounts, linked to their clinicians in the book. */
export function deskWithClinicians(options: { idleLockMinutes?: number } = {}) {
  const made = deskWithAccounts(options);
  for (const c of [CLINICIAN, OTHER_CLINICIAN]) {
    made.desk.service.auth.addUser(
      { username: c.username, displayName: c.displayName, role: 'clinician', clinicianId: c.clinicianId, secret: { kind: 'pin', value: c.pin } },
      made.desk.context,
    );
  }
  return made;
}
