/**
 * Desks for the replication tests: a coordinator (openDesk, capture installed on its own connection, a clock the
 * test moves) and members (a fresh migrated database, no capture), all closed after each test.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import { contract, type OperationName } from '../../../shared/api';
import { localToIso } from '../../../shared/domain';
import type { RequestContext } from '../../../electron/desk/dispatch';
import { applyBatch, batchSince, installCapture, replicatedSeq, stateDigest } from '../../../electron/desk/group/replica';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { DeskService } from '../../../electron/desk/service';
import { closeDatabase, databasePath, openDatabase } from '../../../electron/desk/store/connection';
import { Db } from '../../../electron/desk/store/sql';
import { FIXTURE_DATE, TEST_SCRYPT_COST, tempDir } from '../../support/fixtures';

export type Coordinator = OpenDesk & { raw: BetterSqlite3.Database; clock: { now: Date }; dataDir: string };

/**
 * The desk's own connection: capture belongs on the writer's connection (recursive_triggers is per connection).
 * DeskService keeps its Db private; the group wiring will hand it over, the test reaches it by name.
 */
export function connectionOf(desk: OpenDesk): BetterSqlite3.Database {
  return desk.service['db'].raw;
}

/** Call once per test file. */
export function replicaDesks(): { openCoordinator(): Coordinator; openMember(): BetterSqlite3.Database; closeAll(): void } {
  const closers: Array<() => void> = [];
  const closeAll = () => {
    for (const close of closers.splice(0).reverse()) close();
  };
  afterEach(closeAll);
  return {
    openCoordinator: () => {
      const clock = { now: new Date(localToIso(FIXTURE_DATE, '09:00')) };
      const dataDir = tempDir();
      const desk = openDesk({ dataDir, user: 'test-user', desk: 'coordinator', clock: () => clock.now, scryptCost: { ...TEST_SCRYPT_COST } });
      closers.push(() => desk.close());
      const raw = connectionOf(desk);
      installCapture(raw);
      return Object.assign(desk, { raw, clock, dataDir });
    },
    openMember: () => {
      const db = openDatabase(databasePath(tempDir()));
      closers.push(() => closeDatabase(db));
      return db;
    },
    closeAll,
  };
}

/** Everything the member lacks, as the coordinator would ship it after a commit; then both digests. */
export function follow(coordinator: BetterSqlite3.Database, member: BetterSqlite3.Database): void {
  const batch = batchSince(coordinator, replicatedSeq(member));
  if (batch) applyBatch(member, batch);
  expect(stateDigest(member)).toEqual(stateDigest(coordinator));
}

/** Calls through the dispatcher and returns the value, failing the test otherwise. */
export function ok(desk: OpenDesk, name: OperationName, input: unknown, ctx: RequestContext): unknown {
  const result = desk.dispatch(name, input, ctx);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  expect(contract[name].output.safeParse(result.value).success).toBe(true);
  return result.value;
}

/** The member's journal and audit chains, read by the desk's own code over the member's file. */
export function expectChainsVerify(member: BetterSqlite3.Database): void {
  const service = new DeskService(new Db(member));
  expect(service.journal.verify()).toMatchObject({ ok: true });
  expect(service.audit.verify()).toMatchObject({ ok: true });
}

export const ann: RequestContext = { user: 'ann.receptionist', desk: 'front-desk-1' };
export const office: RequestContext = { user: 'anonymous', desk: 'office', sessionId: 'office-session' };
export const front: RequestContext = { user: 'anonymous', desk: 'front-desk-2', sessionId: 'front-session' };
