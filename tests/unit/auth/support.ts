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
