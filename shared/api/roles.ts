/**
 * Who may call which operation, enforced by the desk's dispatcher (electron/desk/dispatch.ts) whichever
 * transport carried the call: hiding a button is not access control. The table is read off each operation's
 * policy in the contract (policy.ts says what the levels mean), so it cannot drift from it, and an operation
 * without a policy does not compile.
 */
import { contract, OPERATION_NAMES, type OperationName } from './contract';
import type { Role } from './auth';
import type { Access, OperationPolicy } from './policy';

export type { Access } from './policy';

export const OPERATION_ACCESS: { readonly [N in OperationName]: Access } = Object.fromEntries(OPERATION_NAMES.map((name) => [name, contract[name].policy.role])) as {
  readonly [N in OperationName]: Access;
};

/** The role table: a manager everything, a receptionist all but managers' work, a clinician what `room` allows. */
export function roleMayCall(role: Role, policy: Pick<OperationPolicy, 'role' | 'room'>): boolean {
  if (role === 'clinician') return policy.role === 'public' || policy.room !== false;
  if (policy.role === 'manager') return role === 'manager';
  return true;
}

/** What a refused caller is told: the same words over HTTP, IPC and from a group member. */
export function refusalMessage(role: Role, name: OperationName): string {
  if (role === 'clinician') return `${name} is not for a clinician's room: reception or a practice manager does it`;
  return `${name} is for practice managers only`;
}
