/**
 * When the desk process crashes, main shows a dialog and starts the app again once, with an argument saying so;
 * a second crash in a row stops in front of a person. The argument also carries the exit code, so the restarted
 * app can put the crash in the practice's log (the crashed process could not write it, and main keeps no log of
 * its own): without it a Windows install's log showed a start after a gap and no reason.
 */
const AFTER_CRASH = '--after-desk-crash';

/** The arguments for the instance started after a crash: any earlier crash mark replaced by this one. */
export function argsAfterCrash(args: readonly string[], exitCode: number): string[] {
  return [...withoutCrashMark(args), `${AFTER_CRASH}=${exitCode}`];
}

/** The arguments for a restart a person asked for (after a restore, say): not a crash. */
export function withoutCrashMark(args: readonly string[]): string[] {
  return args.filter((a) => a !== AFTER_CRASH && !a.startsWith(`${AFTER_CRASH}=`));
}

/** The crash this instance was started after, if it was; `code` is null when the argument carried none. */
export function crashBefore(args: readonly string[]): { code: number | null } | null {
  const mark = args.find((a) => a === AFTER_CRASH || a.startsWith(`${AFTER_CRASH}=`));
  if (mark === undefined) return null;
  const code = Number(mark.slice(AFTER_CRASH.length + 1));
  return { code: mark.includes('=') && Number.isInteger(code) ? code : null };
}

/** The line the restarted desk writes in the practice's log. */
export function crashLogLine(crash: { code: number | null }): string {
  return `started again after the desk process stopped unexpectedly (exit code ${crash.code ?? 'unknown'})`;
}
