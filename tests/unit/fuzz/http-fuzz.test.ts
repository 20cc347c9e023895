/**
 * Hostile input over real HTTP against `serve`'s server: thousands of random and mutated requests at every
 * operation in the contract. Never a crash, never a 500, and every rejected request leaves the database exactly
 * as it was (a content hash of every table). Fixed seed in CI; FUZZ_RUNS=5000 (and FUZZ_SEED) for longer runs.
 *
 * What the hash leaves out, and why: the audit trail and the sign-in throttle are meant to change on a refused
 * sign-in (that is the point of them), and account.last_sign_in_at on an accepted one.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDesk } from '../../../electron/desk/open';
import { startServer, type RunningServer } from '../../../electron/server/server';
import { contract, OPERATION_NAMES, type OperationName } from '../../../shared/api';
import { openTestDesk, tempDir } from '../../support/fixtures';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20260720);
const DATE = '2026-07-20';

/** One valid input per operation, the seed for mutations. Typed over every name: a new operation needs one. */
const SAMPLES: { readonly [N in OperationName]: Record<string, unknown> } = {
  getDay: { date: DATE, clinicianId: 'clin-a' },
  searchPatients: { query: 'smith', date: DATE, limit: 10 },
  setAppointmentStatus: { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0, reason: 'here' },
  getMirrorStatus: {},
  setMode: { mode: 'outage', reason: 'clinical system down' },
  getJournal: { afterSeq: 0, limit: 10 },
  getSession: {},
  undoLastChange: { appointmentId: 'appt-1', expectedVersion: 1 },
  markSessionDna: { sessionId: 'sess-clin-a', appointments: [{ appointmentId: 'appt-2', expectedVersion: 0 }] },
  undoSessionDna: { batchId: '00000000-0000-4000-8000-000000000000' },
  registerWalkIn: {
    patient: { kind: 'new', details: { familyName: 'Fuzz', givenName: 'Walk', dateOfBirth: '1990-01-01', temporaryResident: false, nhsNumber: '943 476 5919' } },
    triage: 'routine',
    reason: 'cough',
    assignTo: { kind: 'duty' },
  },
  cancelWalkInInError: { appointmentId: 'appt-1', expectedVersion: 0 },
  findFreeSlots: { from: DATE, to: DATE, clinicianId: 'clin-a', limit: 5 },
  rebookAppointment: { appointmentId: 'appt-5', expectedVersion: 0, slotId: 'slot-1', reason: 'moved' },
  bookAppointment: { patientId: 'pat-1', slotId: 'slot-2', type: 'telephone', reason: 'phoned' },
  getDeskSettings: {},
  getReadiness: {},
  getDrill: {},
  startDrill: {},
  endDrill: { packFound: true, packPrinted: false, problems: 'the pack folder was not where the sheet said' },
  setDeskSettings: { onlineChanges: 'refuse' },
  previewFeedMapping: { sample: 'appointment_id,appointment_status\nappt-1,booked\n' },
  saveFeedMapping: { name: 'Our report', mapping: {} },
  getFeedMapping: {},
  recordCallbackAttempt: { appointmentId: 'appt-4', outcome: 'no_answer', note: 'rang twice' },
  getDaySettings: {},
  setDaySettings: { lateAfterMinutes: 15 },
  getCallbackList: { from: DATE, to: DATE },
  getBacklog: { windowDays: 14 },
  recordPatientContact: { appointmentId: 'appt-5', status: 'sent' },
  exportContactList: { format: 'accurx-systmone' },
  setMessagePreference: { patientId: 'pat-1', declinesMessages: true },
  acceptBacklog: { items: [{ appointmentId: 'appt-5', expectedVersion: 1, slotId: 'slot-1' }] },
  getDisplayBoard: { area: 'upstairs', limit: 5 },
  // Clinicians' rooms (issue 17): appt-1 is clin-a's, the fuzzing clinician's own; a recall of a patient not called is refused.
  recallPatient: { appointmentId: 'appt-1' },
  getRoomSettings: {},
  setRoomSettings: {
    display: { show: 'first-name-initial', chime: true, speak: true, voice: null, rate: 1 },
    areas: [{ id: 'upstairs', name: 'Upstairs', rooms: ['Room 1'] }],
    cliniciansMayDna: false,
  },
  signIn: { username: 'rx.khan', secret: '000000' },
  signOut: {},
  lock: {},
  setUpFirstManager: { username: 'first.pm', displayName: 'First', secret: { kind: 'pin', value: '123456' } },
  listUsers: {},
  addUser: { username: 'new.rx', displayName: 'New', role: 'receptionist', secret: { kind: 'pin', value: '123456' } },
  updateUser: { username: 'rx.khan', displayName: 'Sam K', disabled: false },
  getAudit: { afterSeq: 0, limit: 10, kind: 'journal', from: '2026-07-20T00:00:00Z' },
  exportAudit: { format: 'csv', limit: 10 },
  exportLog: {},
  recordPrint: { what: 'sheet', sheet: 'master-list', date: DATE, pages: 2 },
  printSheet: { sheet: 'clinician-list', date: DATE, clinicianId: 'clin-a', to: 'pdf' },
  printRecoverySheet: { to: 'pdf' },
  addAppointmentNote: { appointmentId: 'appt-1', text: 'Phoned: running late' },
  updatePatientContact: { patientId: 'pat-1', phone: '07700 900123' },
  getMergePlan: {},
  resolveMergeConflict: { itemKey: 'appt-1:status', choice: 'keep_desk' },
  // The test desk has no FHIR server, so an accepted start is refused before anything runs in the background.
  startMergeApply: { confirmed: true, dryRun: true },
  getWorklist: {},
  tickWorklistItem: { itemKey: 'appt-1:status', state: 'keyed' },
  getImpactReport: {},
  setMergeSettings: { capability: 'none', retentionDays: 30 },
  setIdleLock: { minutes: 10 },
  // Set-up and settings (issue 20): the folder is never made, the FHIR test reads nothing kept, set-up is refused.
  checkFolder: { dir: '/nonexistent/standby-desk-pack', purpose: 'pack' },
  testFhirConnection: { url: 'http://127.0.0.1:9/fhir' },
  getFhirConnectionTest: { testId: 'no-such-test' },
  completeSetup: {
    settings: { practice: { name: 'Riverside', odsCode: 'Y12345' }, book: { kind: 'none' }, pack: null, backup: null },
    manager: { username: 'first.pm', displayName: 'First', secret: { kind: 'pin', value: '123456' } },
  },
  // Refused: accounts exist here, so no data folder is joined to a group from a set-up screen.
  joinGroupInSetup: { address: '127.0.0.1:9', code: 'K7QM-4TXD', deskName: 'Reception 2' },
  getGroupSetup: {},
  getSettings: {},
  saveSettings: { settings: { practice: { name: 'Riverside', odsCode: 'Y12345' }, book: { kind: 'none' }, pack: null, backup: null } },
  // The fuzzed desk is standalone with no group link: each is refused or answered without touching the data.
  getGroupStatus: {},
  createPairingCode: {},
  removeGroupMember: { name: 'Reception 2' },
  takeOverGroup: { confirm: true },
  exportGroupCertificate: {},
  carryOnAlone: { confirm: true },
  rejoinGroup: { confirm: true },
  getGroupReview: {},
  resolveGroupReviewItem: { seq: 1, action: 'keep-group' },
};

/**
 * Operations that start or end a session: sent without our cookie, so they cannot sign the fuzzer out. Read off
 * the contract's policies: the public operations that change something (signIn, signOut, lock, setUpFirstManager).
 */
const SESSION_OPS = new Set<string>(OPERATION_NAMES.filter((name) => contract[name].policy.role === 'public' && !contract[name].policy.reads));

let desk: OpenDesk;
let server: RunningServer;
let base = '';
let managerCookie = '';
let receptionCookie = '';
let clinicianCookie = '';

function contentHash(): string {
  const raw = (desk.service.journal as unknown as { db: { raw: BetterSqlite3.Database } }).db.raw;
  const hash = createHash('sha256');
  const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
  for (const { name } of tables) {
    if (name === 'audit' || name === 'sign_in_throttle') continue;
    const rows = raw.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all() as Array<Record<string, unknown>>;
    for (const row of rows) {
      if (name === 'account') delete row['last_sign_in_at'];
      hash.update(name).update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    }
  }
  return hash.digest('hex');
}

async function signIn(username: string, secret: string): Promise<string> {
  const res = await fetch(`${base}/api/op/signIn`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, secret }) });
  expect(res.status).toBe(200);
  return /sd_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
}

beforeAll(async () => {
  desk = openTestDesk();
  const ctx = desk.context;
  desk.service.auth.addUser({ username: 'fuzz.manager', displayName: 'Fuzz Manager', role: 'manager', secret: { kind: 'password', value: 'fuzz manager secret' } }, ctx);
  desk.service.auth.addUser({ username: 'fuzz.reception', displayName: 'Fuzz Reception', role: 'receptionist', secret: { kind: 'pin', value: '864201' } }, ctx);
  desk.service.auth.addUser({ username: 'rx.khan', displayName: 'Sam Khan', role: 'receptionist', secret: { kind: 'pin', value: '730519' } }, ctx);
  desk.service.auth.addUser({ username: 'fuzz.clinician', displayName: 'Fuzz Clinician', role: 'clinician', clinicianId: 'clin-a', secret: { kind: 'pin', value: '375190' } }, ctx);
  const staticDir = tempDir();
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
  server = await startServer({ desk, staticDir, port: 0, user: 'anonymous' });
  base = server.url.replace(/\/$/, '');
  managerCookie = await signIn('fuzz.manager', 'fuzz manager secret');
  receptionCookie = await signIn('fuzz.reception', '864201');
  clinicianCookie = await signIn('fuzz.clinician', '375190');
});

afterAll(async () => {
  await server.close();
  desk.close();
});

/** Values that have broken parsers before: wrong types, edges, huge, prototype keys, odd Unicode. */
const nasty = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, -0, NaN, '', ' ', '\u0000', '\u202e', 'é'.repeat(3), '__proto__', 'constructor', '2026-02-30', '9999-99-99'),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.constant('x'.repeat(5000)),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.anything({ maxDepth: 3 }),
);

function mutate(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(sample);
  const replaceOne = keys.length === 0 ? fc.constant(sample) : fc.tuple(fc.constantFrom(...keys), nasty).map(([k, v]) => ({ ...sample, [k]: v }));
  const dropOne = keys.length === 0 ? fc.constant(sample) : fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(sample).filter(([key]) => key !== k)));
  const extraKey = fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', 'prototype', 'user', 'role'), nasty).map(([k, v]) => {
    const out: Record<string, unknown> = { ...sample };
    Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
    return out;
  });
  const deep = nasty.map((v) => JSON.parse(JSON.stringify(sample).replace(/"[^"]*"(?=[,}\]])/, JSON.stringify(v ?? null))) as unknown);
  return fc.oneof(fc.constant(sample), replaceOne, dropOne, extraKey, deep, nasty);
}

function cookieOf(who: 'manager' | 'reception' | 'clinician' | 'nobody'): string {
  return { manager: managerCookie, reception: receptionCookie, clinician: clinicianCookie, nobody: '' }[who];
}

async function send(name: string, body: string, cookie: string, contentType = 'application/json') {
  const res = await fetch(`${base}/api/op/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, text };
}

/** Sends one request and checks the properties; returns the status, for the coverage check. */
async function check(name: string, body: string, cookie: string, contentType?: string): Promise<number> {
  const before = contentHash();
  const { status, text } = await send(name, body, cookie, contentType);
  expect(status, `${name} ${body.slice(0, 200)} -> ${text.slice(0, 300)}`).toBeLessThan(500);
  const parsed = JSON.parse(text) as { ok: boolean; error?: { code: string; message: string } };
  expect(typeof parsed.ok).toBe('boolean');
  if (status !== 200) {
    expect(parsed.ok).toBe(false);
    expect(parsed.error?.message.length).toBeGreaterThan(0);
    expect(contentHash(), `${name} was refused (${status}) but changed the database: ${body.slice(0, 200)}`).toBe(before);
  }
  return status;
}

describe('fuzz over HTTP', () => {
  it.each(OPERATION_NAMES)(
    '%s: random and mutated inputs never crash, never 500, and change nothing when refused',
    async (name) => {
      await fc.assert(
        fc.asyncProperty(mutate(SAMPLES[name]), fc.constantFrom('manager', 'reception', 'clinician', 'nobody'), async (input, who) => {
          const cookie = SESSION_OPS.has(name) ? '' : cookieOf(who);
          const body = JSON.stringify(input) ?? 'null';
          await check(name, body, cookie);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    120_000,
  );

  it('raw bodies, content types and unknown names never crash or 500, and change nothing', async () => {
    const names = [...OPERATION_NAMES, 'nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '[]', 'null', '"x"', '1', '{"a":', '\u0000', '{"__proto__":{"admin":true}}', '[[[[[[[[[[]]]]]]]]]]')),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'multipart/form-data'),
        fc.constantFrom('manager', 'nobody'),
        async (name, body, type, who) => {
          const cookie = who === 'manager' && !SESSION_OPS.has(name) ? managerCookie : '';
          await check(name, body, cookie, type);
        },
      ),
      { seed: SEED, numRuns: RUNS * 5 },
    );
  }, 120_000);

  it('a body over the size limit is 413 and changes nothing; the server still answers afterwards', async () => {
    const before = contentHash();
    const { status } = await send('registerWalkIn', JSON.stringify({ reason: 'x'.repeat(200_000) }), managerCookie);
    expect(status).toBe(413);
    expect(contentHash()).toBe(before);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  // Counted within this test, by its own requests, so it holds whichever tests ran before it (or none did).
  it('reaches the operations: across them, some inputs are accepted and refusals come in several kinds', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPERATION_NAMES).chain((name) => fc.tuple(fc.constant(name), mutate(SAMPLES[name]))),
        fc.constantFrom('manager', 'reception', 'clinician', 'nobody'),
        async ([name, input], who) => {
          const cookie = SESSION_OPS.has(name) ? '' : cookieOf(who);
          statuses.add(await check(name, JSON.stringify(input) ?? 'null', cookie));
        },
      ),
      { seed: SEED, numRuns: RUNS * 2 },
    );
    expect(statuses.has(200)).toBe(true);
    expect([...statuses].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(3);
  }, 120_000);
});

describe('fuzz over IPC (the real handler logic, a fake event, the same dispatcher)', () => {
  it('every operation: random and mutated inputs are never an internal error, and change nothing when refused', async () => {
    const { createIpcHandler } = await import('../../../electron/main/ipc');
    const { WindowSessions } = await import('../../../electron/main/window-sessions');
    const sessions = new WindowSessions('FUZZ-PC');
    const handle = createIpcHandler<{ id: number }>(desk.dispatch, { isTrusted: () => true, contextOf: (event) => sessions.contextOf(event.id) });
    // Window 1 signed in as a manager, window 2 as a receptionist, window 3 nobody, window 4 a clinician.
    await handle({ id: 1 }, 'signIn', { username: 'fuzz.manager', secret: 'fuzz manager secret' });
    await handle({ id: 2 }, 'signIn', { username: 'fuzz.reception', secret: '864201' });
    await handle({ id: 4 }, 'signIn', { username: 'fuzz.clinician', secret: '375190' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPERATION_NAMES.filter((n) => !SESSION_OPS.has(n))).chain((name) => fc.tuple(fc.constant(name), mutate(SAMPLES[name]))),
        fc.constantFrom(1, 2, 3, 4),
        async ([name, input], window) => {
          const before = contentHash();
          const result = await handle({ id: window }, name, input);
          if (!result.ok) {
            expect(result.error.code, `${name} ${JSON.stringify(input)?.slice(0, 200)}`).not.toBe('internal');
            expect(contentHash()).toBe(before);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS * 10 },
    );
  }, 120_000);
});
