/**
 * What the app shows when the desk's data cannot be opened, and what it lets the person do: never a blank
 * window, never a silent start on an empty desk. Pure decisions, tested with fakes; main.ts shows the page
 * (recovery-page.ts) and wires the buttons over the recovery channels.
 *
 * A damaged database or a broken journal offers the good backups, newest first and recommended; the damaged
 * file is never deleted (restoring keeps it aside). A database written by a newer version offers no restore:
 * an older backup would throw away what the newer version recorded, and installing it is the fix. Anything
 * else (a locked or unreadable file) offers a retry.
 */
import { formatUkDate, localDateOf, localTimeOf } from '../../shared/domain';
import type { Result } from '../../shared/api';
import type { RestoreReport } from '../desk/backup';
import type { BackupCandidate, OpenFailure } from '../desk-process/protocol';

export interface RecoveryOffer {
  name: string;
  /** "20/07/2026 at 09:14 (2 hours ago)", London time. */
  label: string;
  recommended: boolean;
  journalEntries: number | null;
}

export interface RecoveryUnusable {
  name: string;
  label: string;
  why: string;
}

export interface RecoveryView {
  heading: string;
  paragraphs: string[];
  /** The error as the desk gave it, for IT support. */
  detail: string;
  offers: RecoveryOffer[];
  unusable: RecoveryUnusable[];
  dataDir: string;
  backupDir: string;
}

export function backupLabel(takenAt: string, now: Date): string {
  const at = new Date(takenAt);
  return `${formatUkDate(localDateOf(at))} at ${localTimeOf(at).slice(0, 5)} (${ago(now.getTime() - at.getTime())})`;
}

function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.round(hours / 24)} days ago`;
}

const KEEP_SAFE = 'Do not delete or move the data folder: it may hold the only record of changes made during an outage.';

export function recoveryView(failure: OpenFailure, backups: readonly BackupCandidate[], now: Date): RecoveryView {
  const base = { detail: failure.message, dataDir: failure.dataDir, backupDir: failure.backupDir };
  const newestFirst = [...backups].sort((a, b) => (a.takenAt < b.takenAt ? 1 : a.takenAt > b.takenAt ? -1 : 0));
  const unusable = newestFirst.filter((b) => !b.ok).map((b) => ({ name: b.name, label: backupLabel(b.takenAt, now), why: b.problems.join('; ') || 'failed its check' }));
  const good = newestFirst.filter((b) => b.ok);

  switch (failure.kind) {
    case 'damaged':
    case 'journal-broken': {
      const what =
        failure.kind === 'damaged'
          ? 'The desk database is damaged, so Standby Desk has not opened it.'
          : 'The desk journal (the record of every change made at the desk) does not check out, so it cannot be trusted for merging back.';
      const offers = good.map((b, i) => ({ name: b.name, label: backupLabel(b.takenAt, now), recommended: i === 0, journalEntries: b.journalEntries }));
      const paragraphs =
        offers.length > 0
          ? [
              what,
              'You can put a backup in place. The newest good one is marked. Changes made after it was taken are not in it: check the day against paper notes afterwards.',
              'The current database is not deleted: it is kept beside the restored one as standby-desk.sqlite.before-restore-<time>, for IT support.',
            ]
          : [what, `No good backup was found in ${failure.backupDir}. Carry on with the paper forms and call IT support.`, KEEP_SAFE];
      return { heading: 'The desk data needs attention', paragraphs, offers, unusable, ...base };
    }
    case 'too-new':
      return {
        heading: 'This data needs a newer Standby Desk',
        paragraphs: [
          'The data folder was last used by a newer version of Standby Desk than this one. Opening it here could lose what the newer version recorded.',
          'Ask IT support to install the newer version on this PC. Nothing was changed.',
        ],
        offers: [],
        unusable,
        ...base,
      };
    case 'other':
      return {
        heading: 'Standby Desk could not open its data',
        paragraphs: [
          'The desk data could not be opened. Another program may be using it, or the disk may be full or unavailable.',
          'Try again in a moment. If it keeps happening, call IT support with the details below.',
          KEEP_SAFE,
        ],
        offers: [],
        unusable,
        ...base,
      };
  }
}

/** The offer a button names, or null: the page can only pick from what main offered, never name a file. */
export function findOffer(view: RecoveryView | null, name: unknown): RecoveryOffer | null {
  if (view === null || typeof name !== 'string') return null;
  return view.offers.find((o) => o.name === name) ?? null;
}

export interface Confirmation {
  title: string;
  message: string;
  detail: string;
  buttons: [string, string];
}

/** The question asked before a restore; button 0 restores, button 1 (the default) cancels. */
export function restoreConfirmation(offer: RecoveryOffer): Confirmation {
  return {
    title: 'Restore a backup',
    message: `Put the backup from ${offer.label} in place?`,
    detail: 'Changes made after this backup are not in it. The current database is kept as standby-desk.sqlite.before-restore-<time>. ' + 'Standby Desk restarts afterwards.',
    buttons: ['Restore and restart', 'Cancel'],
  };
}

export type RecoveryAnswer = { ok: true } | { ok: false; message: string };

export interface RecoveryIpcDeps<E> {
  /** The sender is the recovery window's top frame on the recovery origin (main checks both). */
  isTrusted(event: E): boolean;
  view(): RecoveryView | null;
  confirm(offer: RecoveryOffer): Promise<boolean>;
  restore(name: string): Promise<Result<RestoreReport>>;
  relaunch(): void;
  quit(): void;
}

export interface RecoveryHandlers<E> {
  restore(event: E, name: unknown): Promise<RecoveryAnswer>;
  retry(event: E): RecoveryAnswer;
  quit(event: E): RecoveryAnswer;
}

const REFUSED: RecoveryAnswer = { ok: false, message: 'refused' };

export function createRecoveryHandlers<E>(deps: RecoveryIpcDeps<E>): RecoveryHandlers<E> {
  let busy = false;
  const trusted = (event: E): boolean => {
    try {
      return deps.isTrusted(event) === true;
    } catch {
      return false;
    }
  };
  return {
    async restore(event, name) {
      if (!trusted(event)) return REFUSED;
      const offer = findOffer(deps.view(), name);
      if (!offer) return { ok: false, message: 'That backup is not one of those offered.' };
      // A second click while the first restore runs must not start another.
      if (busy) return { ok: false, message: 'A restore is already under way.' };
      busy = true;
      try {
        if (!(await deps.confirm(offer))) return { ok: false, message: 'Nothing was changed.' };
        const result = await deps.restore(offer.name);
        if (!result.ok) return { ok: false, message: `The backup was not restored: ${result.error.message}` };
        deps.relaunch();
        return { ok: true };
      } finally {
        busy = false;
      }
    },
    retry(event) {
      if (!trusted(event) || busy) return REFUSED;
      deps.relaunch();
      return { ok: true };
    },
    quit(event) {
      if (!trusted(event) || busy) return REFUSED;
      deps.quit();
      return { ok: true };
    },
  };
}
