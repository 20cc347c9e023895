/**
 * Who may call which operation, enforced by the desk's dispatcher (electron/desk/dispatch.ts) whichever
 * transport carried the call: hiding a button is not access control. The table is read off each operation's
 * policy in the contract (policy.ts says what the levels mean), so it cannot drift from it, and an operation
 * without a policy does not compile.
 */
import { contract, OPERATION_NAMES, type OperationName } from './contract';
import type { Role } from './auth';
import type { Access } from './policy';

export type { Access } from './policy';

export const OPERATION_ACCESS: { readonly [N in OperationName]: Access } = Object.fromEntries(OPERATION_NAMES.map((name) => [name, contract[name].policy.role])) as {
  readonly [N in OperationName]: Access;
};

export function roleMayCall(role: Role, access: Access): boolean {
  if (access === 'manager') return role === 'manager';
  return true;
}
