/**
 * The desk group's figures (issue 16), each against a baseline measured in the same run:
 *   group-change-to-5-desks-p99    a change at the coordinator until five members have committed it, p99 of n,
 *                                  vs the same change on a desk alone (its own commit)
 *   group-ack-on-two-pcs-p50       a change answered once a member holds it, vs answered with no member connected
 *   group-take-over                a person's take-over until the other member follows the new coordinator,
 *                                  vs the loss limit a member waits before saying the coordinator is gone
 *   group-new-member-N             pairing an empty desk and copying an N-appointment book, vs loading the same
 *                                  book into a desk alone
 * Real desks, real encrypted files, real TLS 1.3 on loopback, in one process. Not a test: nothing asserts a time.
 */
import { performance } from 'node:perf_hooks';
import type { PracticeBook } from '../../shared/domain';
import { openDesk } from '../../electron/desk/open';
import { createGroup } from '../../electron/desk/group/admin';
import { GroupNode } from '../../electron/desk/group/node';
import { LOSS_MS } from '../../electron/desk/group/protocol';
import { replicatedSeq } from '../../electron/desk/group/replica';
import { TEST_NOW } from '../support/clock';
import { addTestAccounts, bulkBook, TEST_SCRYPT_COST, tempDir } from '../support/fixtures';
import { addMember, until, type GroupDesk } from '../support/group';

type Report = (m: { name: string; n: number; ms: number; baseline_ms: number }) => void;

const now = () => new Date(TEST_NOW);

async function coordinatorWith(book: PracticeBook): Promise<GroupDesk> {
  const desk = Object.assign(openDesk({ dataDir: tempDir('bench-group-'), user: 'bench', desk: 'bench', clock: now, scryptCost: { ...TEST_SCRYPT_COST } }), { dataDir: '' });
  desk.service.loadBook(book, 'bench', desk.context);
  addTestAccounts(desk);
  await createGroup(desk, { deskName: 'Reception 1' }, desk.context);
  const node = await GroupNode.start({ desk, host: '127.0.0.1', port: 0 });
  return { desk, node };
}

async function closeAll(desks: GroupDesk[]): Promise<void> {
  for (const d of desks) {
    await d.node.close();
    d.desk.close();
  }
}

/** Waits for `test` checking every millisecond: the 20 ms poll of the tests would blur a 150 ms budget. */
async function arrival(test: () => boolean): Promise<void> {
  const started = performance.now();
  while (!test()) {
    if (performance.now() - started > 10_000) throw new Error('bench: the change did not reach every member');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function changeReachesFive(report: Report): Promise<void> {
  const n = 200;
  const book = bulkBook(600);
  const coordinator = await coordinatorWith(book);
  const members: GroupDesk[] = [];
  for (let i = 0; i < 5; i++) members.push(await addMember(coordinator, `Reception ${i + 2}`, now));
  const as = coordinator.desk.context;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const result = await coordinator.node.dispatch('setAppointmentStatus', { appointmentId: `appt-${i}`, status: 'arrived' }, as);
    if (!result.ok) throw new Error(`bench: ${result.error.message}`);
    const seq = replicatedSeq(coordinator.desk.db.raw);
    await arrival(() => members.every((m) => replicatedSeq(m.desk.db.raw) >= seq));
    times.push(performance.now() - start);
  }
  await closeAll([coordinator, ...members]);

  const alone = openDesk({ dataDir: tempDir('bench-alone-'), user: 'bench', desk: 'bench', clock: now });
  alone.service.loadBook(book, 'bench', alone.context);
  const baseline: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const result = alone.dispatch('setAppointmentStatus', { appointmentId: `appt-${i}`, status: 'arrived' }, alone.context);
    if (!result.ok) throw new Error(`bench: ${result.error.message}`);
    baseline.push(performance.now() - start);
  }
  alone.close();
  report({ name: 'group-change-to-5-desks-p99', n, ms: percentile(times, 99), baseline_ms: percentile(baseline, 99) });
}

async function ackOnTwo(report: Report): Promise<void> {
  const n = 200;
  const coordinator = await coordinatorWith(bulkBook(600));
  const member = await addMember(coordinator, 'Reception 2', now);
  const as = coordinator.desk.context;
  const timed = async (from: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = from; i < from + n; i++) {
      const start = performance.now();
      const result = await coordinator.node.dispatch('setAppointmentStatus', { appointmentId: `appt-${i}`, status: 'arrived' }, as);
      if (!result.ok) throw new Error(`bench: ${result.error.message}`);
      out.push(performance.now() - start);
    }
    return out;
  };
  const two = await timed(0);
  await member.node.close();
  await until(() => coordinator.node.status().state === 'alone', 'the member to go');
  const one = await timed(n);
  member.desk.close();
  await closeAll([coordinator]);
  report({ name: 'group-ack-on-two-pcs-p50', n, ms: percentile(two, 50), baseline_ms: percentile(one, 50) });
}

async function takeOver(report: Report): Promise<void> {
  const coordinator = await coordinatorWith(bulkBook(600));
  const m1 = await addMember(coordinator, 'Reception 2', now);
  const m2 = await addMember(coordinator, 'Reception 3', now);
  await coordinator.node.close();
  await until(() => m1.node.status().state === 'coordinator-lost', 'the coordinator to be missed', 15_000);
  const start = performance.now();
  m1.node.takeOver(m1.desk.context);
  await until(() => m2.node.status().state === 'connected' && m2.node.status().coordinator?.name === 'Reception 2', 'm2 to follow', 30_000);
  const ms = performance.now() - start;
  coordinator.desk.close();
  await closeAll([m1, m2]);
  report({ name: 'group-take-over', n: 1, ms, baseline_ms: LOSS_MS });
}

async function newMember(report: Report, appointments: number): Promise<void> {
  const book = bulkBook(appointments);
  const coordinator = await coordinatorWith(book);
  const start = performance.now();
  const member = await addMember(coordinator, 'Reception 2', now);
  const ms = performance.now() - start;
  await closeAll([coordinator, member]);
  const alone = openDesk({ dataDir: tempDir('bench-alone-'), user: 'bench', desk: 'bench', clock: now });
  const t = performance.now();
  alone.service.loadBook(book, 'bench', alone.context);
  const baseline = performance.now() - t;
  alone.close();
  report({ name: `group-new-member-${appointments}`, n: appointments, ms, baseline_ms: baseline });
}

export async function benchGroup(report: Report): Promise<void> {
  await changeReachesFive(report);
  await ackOnTwo(report);
  await takeOver(report);
  await newMember(report, 600);
  await newMember(report, 34_000);
}
