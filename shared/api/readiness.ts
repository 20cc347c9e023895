/**
 * Readiness (issue 20, item 3): would this practice cope if the clinical system went down now? Each check is
 * green, amber or red with one line on how to fix it; `not-checked` is for what this process cannot know (a
 * printer, asked of the CLI), which never counts as green. The overall state is the worst of the checks.
 * The checks themselves: electron/desk/readiness.ts.
 */
import { z } from 'zod';
import { Instant } from '../domain/entities';
import type { OperationEntry } from './policy';

export const READINESS_STATUSES = ['green', 'amber', 'red', 'not-checked'] as const;
export const ReadinessStatus = z.enum(READINESS_STATUSES);
export type ReadinessStatus = z.infer<typeof ReadinessStatus>;

export const OVERALL_STATUSES = ['green', 'amber', 'red'] as const;
export const OverallReadiness = z.enum(OVERALL_STATUSES);
export type OverallReadiness = z.infer<typeof OverallReadiness>;

/** The word shown beside each colour, so the state is never told by colour alone. */
export const READINESS_LABEL: Record<ReadinessStatus, string> = { green: 'GREEN', amber: 'AMBER', red: 'RED', 'not-checked': 'NOT CHECKED' };

export const READINESS_CHECK_IDS = ['mirror-age', 'last-pull', 'pack', 'backup', 'key', 'printer', 'group', 'drill'] as const;
export const ReadinessCheckId = z.enum(READINESS_CHECK_IDS);
export type ReadinessCheckId = z.infer<typeof ReadinessCheckId>;

export const ReadinessCheck = z.object({
  id: ReadinessCheckId,
  status: ReadinessStatus,
  title: z.string(),
  /** What was found, in one line. */
  detail: z.string(),
  /** How to make it green, in one line; empty when it is green. */
  fix: z.string(),
});
export type ReadinessCheck = z.infer<typeof ReadinessCheck>;

export const Readiness = z.object({
  overall: OverallReadiness,
  checks: z.array(ReadinessCheck),
  checkedAt: Instant,
});
export type Readiness = z.infer<typeof Readiness>;

const RANK: Record<ReadinessStatus, number> = { 'not-checked': 0, green: 0, amber: 1, red: 2 };

/** The worst of the checks; one not checked counts as nothing either way. */
export function overallOf(checks: readonly Pick<ReadinessCheck, 'status'>[]): OverallReadiness {
  const worst = checks.reduce((n, c) => Math.max(n, RANK[c.status]), 0);
  return worst === 2 ? 'red' : worst === 1 ? 'amber' : 'green';
}

/** The recovery sheet's name in its print records (the audit trail) and in a sheet request: it is not in the catalogue. */
export const RECOVERY_SHEET = 'recovery-sheet';

export const READINESS_CONTRACT = {
  /**
   * The practice's readiness, checked now. About this PC (its disks, its group link), so answered where asked.
   * A manager's read: it names folders and the upstream server.
   */
  getReadiness: {
    input: z.strictObject({}),
    output: Readiness,
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /**
   * The key kept (issue 20, item 4): this desk's database key as a recovery sheet, printed through the system
   * dialog or saved as a PDF in the desktop app, and audited once made with the key's fingerprint (what the "key
   * kept" check looks for). Never served to a browser: there, `standby-desk recovery-sheet` prints it.
   */
  printRecoverySheet: {
    input: z.strictObject({ to: z.enum(['printer', 'pdf']) }),
    output: z.object({ outcome: z.enum(['printed', 'saved', 'cancelled']), file: z.string().nullable() }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'main', standalone: true, thisDesk: true },
  },
} as const satisfies Record<string, OperationEntry>;
