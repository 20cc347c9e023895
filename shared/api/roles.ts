/**
 * Who may call which operation, enforced by the desk's dispatcher (electron/desk/dispatch.ts) whichever
 * transport carried the call: hiding a button is not access control.
 *   public   - no sign-in needed: signing in itself, the session, and the waiting-room display (which by design
 *              gets only ticket numbers or initials; see hazard H8)
 *   desk     - any signed-in, unlocked user: running the desk
 *   manager  - practice managers only: accounts, the audit trail, exports, imports, reconciliation, settings
 * The map is typed over every operation name, so a new operation does not compile until someone decides.
 */
import type { OperationName } from './contract';
import type { Role } from './auth';

export type Access = 'public' | 'desk' | 'manager';

export const OPERATION_ACCESS: { readonly [N in OperationName]: Access } = {
  getSession: 'public',
  signIn: 'public',
  signOut: 'public',
  lock: 'public',
  setUpFirstManager: 'public',
  getDisplayBoard: 'public',

  getDay: 'desk',
  searchPatients: 'desk',
  setAppointmentStatus: 'desk',
  getMirrorStatus: 'desk',
  setMode: 'desk',
  getJournal: 'desk',
  undoLastChange: 'desk',
  markSessionDna: 'desk',
  registerWalkIn: 'desk',
  cancelWalkInInError: 'desk',
  findFreeSlots: 'desk',
  rebookAppointment: 'desk',
  getCallbackList: 'desk',
  recordPrint: 'desk',
  // The sheet's own read decides beyond this (the impact report is the manager's): see sheetReadOperation.
  printSheet: 'desk',
  addAppointmentNote: 'desk',
  updatePatientContact: 'desk',
  // Re-keying is desk work: receptionists key the worklist into the clinical system and tick it off.
  getWorklist: 'desk',
  tickWorklistItem: 'desk',

  listUsers: 'manager',
  addUser: 'manager',
  updateUser: 'manager',
  getAudit: 'manager',
  exportAudit: 'manager',
  getMergePlan: 'manager',
  resolveMergeConflict: 'manager',
  startMergeApply: 'manager',
  getImpactReport: 'manager',
  setMergeSettings: 'manager',
  setIdleLock: 'manager',
};

export function roleMayCall(role: Role, access: Access): boolean {
  if (access === 'manager') return role === 'manager';
  return true;
}
