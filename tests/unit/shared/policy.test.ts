/**
 * Every operation declares its policy on its contract entry (shared/api/policy.ts), and the lists the transports
 * and the role table used to keep by hand are read off it. The type-level half of "no operation without a
 * policy" is the `satisfies Record<string, OperationEntry>` on the contract and its parts; this is the run-time
 * half, which also catches an entry spread in from elsewhere without one.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  contract,
  BOOK_CHANGING_OPERATIONS,
  DISPLAY_OPERATIONS,
  OPERATION_ACCESS,
  OPERATION_NAMES,
  READ_OPERATIONS,
  type OperationEntry,
  type OperationName,
  type OperationPolicy,
} from '../../../shared/api';

const POLICY_KEYS: readonly (keyof OperationPolicy)[] = ['role', 'reads', 'display', 'room', 'session', 'runsIn', 'standalone'];

function entryOf(name: string): Partial<OperationEntry> {
  return (contract as Record<string, Partial<OperationEntry>>)[name] ?? {};
}

describe('the contract: a policy on every operation', () => {
  it.each(Object.keys(contract))('%s declares every part of its policy, with a value each may take', (name) => {
    const policy = entryOf(name).policy;
    expect(policy, `${name} has no policy`).toBeDefined();
    // thisDesk and changesBook are declared only where they hold (the group's own operations; the desk's changes to
    // the book), so each may be absent but never false.
    expect(
      Object.keys(policy ?? {})
        .filter((key) => key !== 'thisDesk' && key !== 'changesBook')
        .sort(),
    ).toEqual([...POLICY_KEYS].sort());
    expect([undefined, true]).toContain(policy?.thisDesk);
    expect([undefined, true]).toContain(policy?.changesBook);
    expect(['public', 'desk', 'manager']).toContain(policy?.role);
    expect(['desk', 'main']).toContain(policy?.runsIn);
    for (const key of ['reads', 'display', 'session', 'standalone'] as const) expect(typeof policy?.[key]).toBe('boolean');
    expect([false, 'any', 'own']).toContain(policy?.room);
  });

  it('would notice an operation without one (the check above is not vacuous)', () => {
    expect(Object.keys(contract).length).toBe(OPERATION_NAMES.length);
    expect(OPERATION_NAMES.length).toBeGreaterThan(30);
    expect(entryOf('anOperationWithoutPolicy').policy).toBeUndefined();
  });

  it('does not type-check an entry without a policy (what the contract is checked with)', () => {
    // @ts-expect-error an operation without a policy is not an OperationEntry: `npm run typecheck` fails if it is.
    const withoutPolicy = { input: z.strictObject({}), output: z.object({}) } satisfies OperationEntry;
    expect('policy' in withoutPolicy).toBe(false);
  });

  it('answers exactly the group operations at the desk asked (thisDesk), and forwards the rest to the coordinator', () => {
    expect(OPERATION_NAMES.filter((name) => (contract[name].policy as OperationPolicy).thisDesk === true).sort()).toEqual(
      [
        'getGroupStatus',
        'createPairingCode',
        'removeGroupMember',
        'takeOverGroup',
        'exportGroupCertificate',
        'carryOnAlone',
        'rejoinGroup',
        'getGroupReview',
        'resolveGroupReviewItem',
        // Readiness (issue 20) is about this PC: its disks, its pack and backup folders, its group link.
        'getReadiness',
        // The recovery sheet holds this PC's own database key (issue 20, item 4).
        'printRecoverySheet',
        // A drill (issue 20) runs on this desk's own sandbox, never the coordinator's.
        'getDrill',
        'startDrill',
        'endDrill',
        // The practice's settings and their checks (issue 20): folders and paths of this PC.
        'checkFolder',
        'testFhirConnection',
        'getFhirConnectionTest',
        // The set-up's desk group (issue 20): this data folder's own pairing, before it follows anyone.
        'joinGroupInSetup',
        'getGroupSetup',
        'getSettings',
        'saveSettings',
      ].sort(),
    );
  });

  it('marks as changing the book exactly the desk changes merge-back puts back, none of them reads or managers’ work', () => {
    expect([...BOOK_CHANGING_OPERATIONS].sort()).toEqual(
      [
        'setAppointmentStatus',
        'undoLastChange',
        'markSessionDna',
        'undoSessionDna',
        'registerWalkIn',
        'cancelWalkInInError',
        'rebookAppointment',
        'bookAppointment',
        'addAppointmentNote',
        'updatePatientContact',
      ].sort(),
    );
    for (const name of BOOK_CHANGING_OPERATIONS) expect(contract[name].policy).toMatchObject({ reads: false, role: 'desk' });
  });

  it('asks for a session exactly where the role is not public', () => {
    for (const name of OPERATION_NAMES) expect(contract[name].policy.session, name).toBe(contract[name].policy.role !== 'public');
  });

  it('lets the display call only operations that read and need no manager', () => {
    for (const name of OPERATION_NAMES) {
      const { display, reads, role } = contract[name].policy;
      if (display) {
        expect(reads, name).toBe(true);
        expect(role, name).not.toBe('manager');
      }
    }
  });

  it("lets a clinician's room call no manager's operation, and change only their own patients ('own'), never the whole practice ('any')", () => {
    for (const name of OPERATION_NAMES) {
      const { room, reads, role } = contract[name].policy;
      if (room !== false) expect(role, name).not.toBe('manager');
      if (room === 'any') expect(reads, name).toBe(true);
    }
    // What a room may do, as issue 17 has it: its list, calling, notes, recall; the board and the practice's room and
    // desk settings (the Late rule, the online-changes rule) to read.
    expect(OPERATION_NAMES.filter((n) => contract[n].policy.room !== false).sort()).toEqual(
      ['addAppointmentNote', 'getDay', 'getDaySettings', 'getDeskSettings', 'getDisplayBoard', 'getDrill', 'getRoomSettings', 'recallPatient', 'setAppointmentStatus'].sort(),
    );
  });

  it('gives the waiting-room display getDisplayBoard and nothing else', () => {
    expect([...DISPLAY_OPERATIONS]).toEqual(['getDisplayBoard']);
  });

  it("has main carry out printSheet and printRecoverySheet (the printer is the app window's) and the desk process everything else", () => {
    expect(OPERATION_NAMES.filter((n) => contract[n].policy.runsIn === 'main')).toEqual(['printSheet', 'printRecoverySheet']);
  });

  it('derives the role table and the read list from the policies, so they cover every operation', () => {
    expect(Object.keys(OPERATION_ACCESS).sort()).toEqual([...OPERATION_NAMES].sort());
    for (const name of OPERATION_NAMES) {
      expect(OPERATION_ACCESS[name]).toBe(contract[name].policy.role);
      expect(READ_OPERATIONS.has(name)).toBe(contract[name].policy.reads);
    }
    // The manager's operations, as the hand-kept table had them: no one lost or gained a right in the move.
    const managers: OperationName[] = OPERATION_NAMES.filter((n) => OPERATION_ACCESS[n] === 'manager');
    expect(managers.sort()).toEqual(
      [
        'addUser',
        'exportAudit',
        'exportLog',
        'getAudit',
        'getImpactReport',
        'getMergePlan',
        'listUsers',
        'resolveMergeConflict',
        'setIdleLock',
        'setMergeSettings',
        'startMergeApply',
        'updateUser',
        // The practice's rule for changes while online (issue 18) is the manager's.
        'setDeskSettings',
        // The desk group (issue 16): pairing, removal, take-over and the certificate are the manager's.
        'createPairingCode',
        'removeGroupMember',
        'takeOverGroup',
        'exportGroupCertificate',
        'carryOnAlone',
        'rejoinGroup',
        'getGroupReview',
        'resolveGroupReviewItem',
        // Clinicians' rooms and the displays (issue 17): the practice's settings for them.
        'setRoomSettings',
        // The practice's Late rule (issue 18).
        'setDaySettings',
        // The practice's CSV mapping, made on screen from a sample file (issue 19): it decides what the book becomes.
        'previewFeedMapping',
        'saveFeedMapping',
        'getFeedMapping',
        // Readiness (issue 20): it names the practice's folders and upstream server.
        'getReadiness',
        // The batch-message list (issue 21): every patient of the outage, identifiable, leaving the desk as a file.
        'exportContactList',
        // The recovery sheet (issue 20, item 4): the database key on paper.
        'printRecoverySheet',
        // Outage drills (issue 20): starting one turns every screen to a sandbox.
        'startDrill',
        'endDrill',
        // The practice's settings (issue 20): where the book comes from, the pack and backup folders, the token.
        'getSettings',
        'saveSettings',
      ].sort(),
    );
  });
});
