/**
 * The group port under hostile input, like the desk's HTTP routes (http-fuzz.test.ts): random and mutated pairing
 * requests, credentials, paths and link messages at a real coordinator over TLS 1.3. Nothing may answer 5xx,
 * nobody may join without the code, and the group carries on working for its real member afterwards.
 * Fixed seed in CI; FUZZ_RUNS (and FUZZ_SEED) for longer runs.
 */
import https from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { GroupStore, type GroupConfig } from '../../../electron/desk/group/store';
import { credentialHeader, LINK_PATH, PAIR_PATH } from '../../../electron/desk/group/protocol';
import { splitAddress } from '../../../electron/desk/group/requests';
import { pinnedClientOptions, pinnedWebSocketOptions } from '../../../electron/desk/group/tls';
import { TEST_NOW } from '../../support/clock';
import { signInAt, startGroup, until, type TestGroup } from '../../support/group';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20260720);
const now = () => new Date(TEST_NOW);

let group: TestGroup;
let config: GroupConfig;
let address: string;

beforeAll(async () => {
  group = await startGroup(1, now);
  const stored = new GroupStore(group.coordinator.desk.db).config();
  if (!stored) throw new Error('no group');
  config = stored;
  address = group.coordinator.node.address() ?? '';
}, 60_000);

afterAll(async () => {
  await group.close();
});

function request(method: string, path: string, headers: Record<string, string>, body: string | null): Promise<number> {
  const { host, port } = splitAddress(address);
  return new Promise((resolve, reject) => {
    const req = https.request({ host, port, method, path, headers, ...pinnedClientOptions(config.certPem), agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const memberNames = () =>
  new GroupStore(group.coordinator.desk.db)
    .members()
    .map((m) => m.name)
    .sort();

const validPair = { deskName: 'Reception 9', address: '127.0.0.1:4781', nonce: 'ab'.repeat(16), proof: 'cd'.repeat(32) };

describe('the group port under hostile input', () => {
  it('pairing requests, random and mutated: never 5xx, never a member without the code', async () => {
    const before = memberNames();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json({ maxDepth: 3 }),
          fc
            .record({ deskName: fc.string({ maxLength: 60 }), address: fc.oneof(fc.constant(null), fc.string({ maxLength: 40 })), nonce: fc.string(), proof: fc.string() })
            .map((b) => JSON.stringify(b)),
          fc
            .tuple(fc.constantFrom(...(Object.keys(validPair) as Array<keyof typeof validPair>)), fc.anything())
            .map(([key, value]) => JSON.stringify({ ...validPair, [key]: value })),
        ),
        async (body) => {
          const status = await request('POST', PAIR_PATH, { 'content-type': 'application/json' }, body);
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(memberNames()).toEqual(before);
  }, 120_000);

  it('credentials, paths and methods: only the group gets an answer, and never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.oneof(fc.constantFrom('/group/hello', '/group/pair', '/group/link', '/', '/api/op/getDay'), fc.webPath()),
        fc.oneof(fc.string({ maxLength: 120 }), fc.constant(credentialHeader('not-a-member', 'x'.repeat(43))), fc.constant(`Bearer ${config.memberId}.${'y'.repeat(43)}`)),
        async (method, path, authorization) => {
          const status = await request(method, path.startsWith('/') ? path : `/${path}`, { authorization: authorization.replace(/[^\x20-\x7e]/g, '') }, null);
          expect([400, 401, 404, 409]).toContain(status);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);

  it('a member sending nonsense on its link is cut off; the group goes on', async () => {
    const [member] = group.members;
    if (!member) throw new Error('no member');
    const memberConfig = new GroupStore(member.desk.db).config();
    if (!memberConfig) throw new Error('no member config');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json({ maxDepth: 3 }),
          fc.anything().map((v) => JSON.stringify({ t: 'call', id: 1, name: 'setAppointmentStatus', input: v, ctx: v })),
        ),
        async (message) => {
          const ws = new WebSocket(`wss://${address}${LINK_PATH}?from=1&epoch=${memberConfig.epoch}`, {
            ...pinnedWebSocketOptions(memberConfig.certPem),
            headers: { authorization: credentialHeader(memberConfig.memberId, memberConfig.token) },
          });
          await new Promise<void>((resolve) => {
            ws.on('open', () => ws.send(message));
            ws.on('message', () => undefined);
            ws.on('close', () => resolve());
            ws.on('error', () => resolve());
            setTimeout(() => {
              ws.terminate();
              resolve();
            }, 500);
          });
        },
      ),
      { numRuns: Math.min(RUNS, 30), seed: SEED },
    );
    // The real member (its link was replaced by the fuzzer's, then comes back) still works through the coordinator.
    await until(() => member.node.status().state === 'connected', 'the member to come back', 15_000);
    const ctx = await signInAt(member.node, group.accounts.receptionist);
    const result = await member.node.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived' }, ctx);
    expect(result.ok).toBe(true);
    expect(group.coordinator.desk.service.mirror.appointment('appt-2')?.status).toBe('arrived');
  }, 120_000);
});
