/**
 * Desk groups for tests: a coordinator and members, each a real desk on its own data folder with its own group
 * link on loopback (real TLS 1.3), in this process. The multi-process crash test starts `serve` instead.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { openDesk, type OpenDesk } from '../../electron/desk/open';
import { createGroup, joinGroup } from '../../electron/desk/group/admin';
import { GroupNode } from '../../electron/desk/group/node';
import type { RequestContext } from '../../electron/desk/dispatch';
import { addTestAccounts, openTestDesk, TEST_SCRYPT_COST, tempDir, type TestAccounts } from './fixtures';

export interface GroupDesk {
  desk: OpenDesk & { dataDir: string };
  node: GroupNode;
}

export interface TestGroup {
  coordinator: GroupDesk;
  members: GroupDesk[];
  accounts: TestAccounts;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';

export async function startCoordinator(now: () => Date): Promise<{ coordinator: GroupDesk; accounts: TestAccounts }> {
  const desk = openTestDesk({ now });
  const accounts = addTestAccounts(desk);
  await createGroup(desk, { deskName: 'Reception 1' }, desk.context);
  const node = await GroupNode.start({ desk, host: LOOPBACK, port: 0 });
  return { coordinator: { desk, node }, accounts };
}

/** A fresh, empty data folder paired with the coordinator (a new code each time), its link started and caught up. */
export async function addMember(coordinator: GroupDesk, name: string, now: () => Date): Promise<GroupDesk> {
  const dataDir = tempDir();
  const desk = Object.assign(openDesk({ dataDir, user: 'test-user', desk: 'test-desk', clock: now, scryptCost: { ...TEST_SCRYPT_COST } }), { dataDir });
  const code = coordinator.node.createPairingCode(coordinator.desk.context).code;
  const address = coordinator.node.address();
  if (address === null) throw new Error('the coordinator is not listening');
  await joinGroup(desk, { address, code, deskName: name });
  const node = await GroupNode.start({ desk, host: LOOPBACK, port: 0 });
  await until(() => node.status().state === 'connected' && node.status().lag === 0, `${name} to catch up`);
  return { desk, node };
}

export async function startGroup(members: number, now: () => Date): Promise<TestGroup> {
  const { coordinator, accounts } = await startCoordinator(now);
  const joined: GroupDesk[] = [];
  for (let i = 0; i < members; i++) joined.push(await addMember(coordinator, `Reception ${i + 2}`, now));
  return {
    coordinator,
    members: joined,
    accounts,
    async close() {
      for (const d of [coordinator, ...joined]) {
        await d.node.close();
        d.desk.close();
      }
    },
  };
}

/** Signs a person in at a desk through its group link (at a member, the coordinator checks the secret). */
export async function signInAt(node: GroupNode, account: { username: string; secret: string }): Promise<RequestContext> {
  const ctx = { user: 'browser', desk: 'browser', sessionId: randomBytes(32).toString('base64url') };
  const result = await node.dispatch('signIn', { username: account.username, secret: account.secret }, ctx);
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.message}`);
  return ctx;
}

/**
 * A loopback port free a moment ago, for a desk whose group port must be known before it starts (a relay in front
 * of it is made first, and the desk advertises the relay). Another process could take it in between: rare on a
 * test machine, and the desk's listen then fails loudly rather than passing.
 */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `test` (every 20 ms) until it holds, or fails naming `what` after `timeoutMs`. */
export async function until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const started = performance.now();
  while (!test()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
