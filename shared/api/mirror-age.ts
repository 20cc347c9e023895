/**
 * When the mirror counts as stale: one rule for the desk's status, the header on every screen and the warning on
 * every printed page. A stale copy shown as current is hazard H1 (a patient may have been booked or cancelled
 * since), so the screen and the paper must never disagree about it. The limit is the desk's own setting, carried
 * on MirrorInfo; this is what a desk uses until a manager sets another.
 */
export const DEFAULT_STALE_AFTER_MINUTES = 30;

/** Whole minutes from the mirror's "as of" to `at`; never negative (a mirror stamped by a PC a little ahead is fresh). */
export function mirrorAgeMinutes(asOf: string, at: string | number): number {
  const atMs = typeof at === 'number' ? at : Date.parse(at);
  return Math.max(0, Math.floor((atMs - Date.parse(asOf)) / 60_000));
}

/** A mirror of known age is stale once it is `staleAfterMinutes` old. */
export function isStaleAge(ageMinutes: number, staleAfterMinutes: number): boolean {
  return ageMinutes >= staleAfterMinutes;
}
