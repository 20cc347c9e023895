/**
 * The replication engine on real encrypted files: a coordinator desk (openDesk, capture installed on its own
 * connection) does the day's work through its dispatcher; a member database (no capture) follows it by snapshot
 * and batches, and at every step holds the same replicated rows at the same seq.
 */
import type BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBatch,
  applySnapshot,
  batchSince,
  canServeFrom,
  changesSince,
  installCapture,
  isCapturing,
  LOCAL_TABLES,
  pruneLog,
  removeCapture,
  replicatedSeq,
  replicatedTables,
  ReplicaGapError,
  ReplicaSchemaError,
  stateDigest,
  takeSnapshot,
} from '../../../electron/desk/group/replica';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { databasePath } from '../../../electron/desk/store/connection';
import { rawDatabase } from '../../support/raw-db';
import { receptionBook } from '../desk/reception-fixture';
import { mergeRigs } from '../merge/support';
import { ann, connectionOf, expectChainsVerify, follow, front, office, ok, replicaDesks } from './replica-support';

const { openCoordinator, openMember, closeAll } = replicaDesks();
const rigs = mergeRigs();

describe('tables and capture', () => {
  it('replicates every table but the local ones, found from the schema', () => {
    const db = openMember();
    const tables = replicatedTables(db);
    expect(tables).toEqual([...tables].sort());
    expect(tables).toEqual(expect.arrayContaining(['appointment', 'journal', 'audit', 'account', 'group_member', 'meta', 'upstream_record', 'merge_upstream']));
    for (const local of LOCAL_TABLES) expect(tables).not.toContain(local);
    expect(tables.some((t) => t.startsWith('sqlite_'))).toBe(false);
  });

  it('installs idempotently, picks up a table added later, and comes off again', () => {
    const db = openMember();
    installCapture(db);
    const count = () => (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'repl_capture_%'").get() as { n: number }).n;
    const first = count();
    expect(first).toBe(replicatedTables(db).length * 3);
    installCapture(db);
    expect(count()).toBe(first);
    db.exec('CREATE TABLE later_table (id TEXT PRIMARY KEY, n INTEGER) STRICT');
    installCapture(db);
    expect(count()).toBe(first + 3);
    db.prepare("INSERT INTO later_table (id, n) VALUES ('a', 1)").run();
    expect(batchSince(db, 0)?.changes).toEqual([{ seq: 1, table: 'later_table', op: 'put', rowId: 1, image: { id: 'a', n: 1 } }]);
    expect(isCapturing(db)).toBe(true);
    removeCapture(db);
    expect(isCapturing(db)).toBe(false);
    expect(count()).toBe(0);
  });

  it('refuses a table that could hold a BLOB, which the JSON images cannot carry (none exists today)', () => {
    const db = openMember();
    expect(() => installCapture(db)).not.toThrow();
    db.exec('CREATE TABLE picture (id TEXT PRIMARY KEY, data BLOB) STRICT');
    expect(() => installCapture(db)).toThrow(ReplicaSchemaError);
    db.exec('DROP TABLE picture; CREATE TABLE loose (id TEXT PRIMARY KEY, data)');
    expect(() => installCapture(db)).toThrow(/not STRICT/);
  });

  it("captures INSERT OR REPLACE's implicit delete, and an update that moves a row's rowid", () => {
    const coordinator = openMember();
    installCapture(coordinator);
    const member = openMember();
    applySnapshot(member, takeSnapshot(coordinator));
    const from = replicatedSeq(coordinator);
    coordinator.prepare("INSERT INTO practice (id, name, ods_code) VALUES ('p1', 'One', NULL)").run();
    coordinator.prepare("INSERT INTO practice (id, name, ods_code) VALUES ('p2', 'Two', NULL)").run();
    coordinator.prepare("INSERT OR REPLACE INTO practice (id, name, ods_code) VALUES ('p1', 'One again', 'Y99999')").run();
    coordinator.prepare("UPDATE practice SET rowid = 40 WHERE id = 'p2'").run();
    const ops = batchSince(coordinator, from)?.changes.map((c) => [c.op, c.rowId]);
    expect(ops).toEqual([
      ['put', 1],
      ['put', 2],
      ['delete', 1],
      ['put', 3],
      ['delete', 2],
      ['put', 40],
    ]);
    follow(coordinator, member);
    expect(member.prepare('SELECT rowid, id, name FROM practice ORDER BY rowid').all()).toEqual([
      { rowid: 3, id: 'p1', name: 'One again' },
      { rowid: 40, id: 'p2', name: 'Two' },
    ]);
  });
});

describe('a member following a coordinator', () => {
  it("holds the coordinator's day at every step: import, sign-ins and accounts, check-ins, walk-ins, rebook, notes, undo", () => {
    const c = openCoordinator();
    const member = openMember();
    // The member's first copy, before anything happened.
    applySnapshot(member, takeSnapshot(c.raw));
    expect(stateDigest(member)).toEqual(stateDigest(c.raw));

    c.service.loadBook(receptionBook(), 'test fixture', c.context);
    follow(c.raw, member);
    const steps: Array<() => unknown> = [
      () => ok(c, 'setUpFirstManager', { username: 'pm.jones', displayName: 'Pat Jones', secret: { kind: 'password', value: 'correct horse battery' } }, office),
      () => ok(c, 'addUser', { username: 'rx.khan', displayName: 'Sam Khan', role: 'receptionist', secret: { kind: 'pin', value: '730519' } }, office),
      () => ok(c, 'setIdleLock', { minutes: 10 }, office),
      () => expect(c.dispatch('signIn', { username: 'rx.khan', secret: '000000' }, front).ok).toBe(false),
      () => ok(c, 'signIn', { username: 'rx.khan', secret: '730519' }, front),
      () => ok(c, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }, ann),
      () => ok(c, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'arrived', expectedVersion: 0 }, front),
      () => ok(c, 'setAppointmentStatus', { appointmentId: 'appt-2', status: 'sent_in', expectedVersion: 1 }, front),
      () => ok(c, 'undoLastChange', { appointmentId: 'appt-2', expectedVersion: 2 }, ann),
      () => ok(c, 'registerWalkIn', { patient: { kind: 'existing', patientId: 'pat-2' }, triage: 'routine', assignTo: { kind: 'duty' }, despiteAppointmentToday: true }, ann),
      () =>
        ok(
          c,
          'registerWalkIn',
          {
            patient: { kind: 'new', details: { familyName: 'Visitor', givenName: 'Vic', dateOfBirth: '1990-05-05', temporaryResident: true } },
            triage: 'same_day',
            assignTo: { kind: 'duty' },
          },
          ann,
        ),
      () => ok(c, 'rebookAppointment', { appointmentId: 'appt-5', expectedVersion: 0, slotId: 'slot-a-1100' }, ann),
      () => ok(c, 'addAppointmentNote', { appointmentId: 'appt-3', text: "Patient's daughter will bring the letter" }, ann),
      () => ok(c, 'updatePatientContact', { patientId: 'pat-3', phone: '07700 900999' }, ann),
    ];
    for (const step of steps) {
      c.clock.now = new Date(c.clock.now.getTime() + 60_000);
      step();
      follow(c.raw, member);
    }
    const journal = (db: BetterSqlite3.Database) => db.prepare('SELECT seq, op, hash FROM journal ORDER BY seq').all();
    expect(journal(member)).toEqual(journal(c.raw));
    expect(journal(member).length).toBeGreaterThanOrEqual(10);
    expect(member.prepare('SELECT username FROM account ORDER BY username').pluck().all()).toEqual(['pm.jones', 'rx.khan']);
    // The member's own log is the coordinator's, seq for seq: it can take over and carry on the numbering.
    expect(member.prepare('SELECT * FROM repl_log ORDER BY seq').all()).toEqual(c.raw.prepare('SELECT * FROM repl_log ORDER BY seq').all());
    expectChainsVerify(member);
    // The digest sees one changed value (and the check above is not vacuous).
    const agreed = stateDigest(member);
    member.prepare("UPDATE patient SET phone = '07700 900000' WHERE id = 'pat-1'").run();
    expect(stateDigest(member).digest).not.toBe(agreed.digest);
  });

  it('refuses a batch that does not follow the seq it holds, and changes nothing', () => {
    const c = openCoordinator();
    const member = openMember();
    applySnapshot(member, takeSnapshot(c.raw));
    c.service.loadBook(receptionBook(), 'test fixture', c.context);
    const afterLoad = replicatedSeq(c.raw);
    ok(c, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }, ann);
    const ahead = batchSince(c.raw, afterLoad);
    if (!ahead) throw new Error('no batch');
    const before = stateDigest(member);
    expect(() => applyBatch(member, ahead)).toThrow(ReplicaGapError);
    expect(stateDigest(member)).toEqual(before);
    // A batch with a change missing, or one repeated, is refused as a whole too.
    const whole = batchSince(c.raw, replicatedSeq(member));
    if (!whole) throw new Error('no batch');
    expect(whole.changes.length).toBeGreaterThan(3);
    const holed = { ...whole, changes: whole.changes.filter((_c, i) => i !== 2) };
    const repeated = { ...whole, changes: [...whole.changes.slice(0, 2), ...whole.changes.slice(1)] };
    expect(() => applyBatch(member, holed)).toThrow(ReplicaGapError);
    expect(() => applyBatch(member, repeated)).toThrow(ReplicaGapError);
    expect(stateDigest(member)).toEqual(before);
    follow(c.raw, member);
    expect(replicatedSeq(member)).toBe(replicatedSeq(c.raw));
    // Applying the same batch again is a gap too (it follows a seq the member has passed).
    expect(() => applyBatch(member, whole)).toThrow(ReplicaGapError);
  });

  it('a member that holds a later state than the coordinator, or a capturing desk, is refused', () => {
    const c = openCoordinator();
    const member = openMember();
    c.service.loadBook(receptionBook(), 'test fixture', c.context);
    expect(canServeFrom(c.raw, replicatedSeq(c.raw) + 1)).toBe(false);
    expect(() => applySnapshot(c.raw, takeSnapshot(member))).toThrow(/capturing/);
  });

  it('prunes the log: older positions need a snapshot, the seq and its numbering carry on', () => {
    const c = openCoordinator();
    const member = openMember();
    applySnapshot(member, takeSnapshot(c.raw));
    c.service.loadBook(receptionBook(), 'test fixture', c.context);
    const afterLoad = replicatedSeq(c.raw);
    expect(canServeFrom(c.raw, 0)).toBe(true);
    pruneLog(c.raw, afterLoad);
    expect(replicatedSeq(c.raw)).toBe(afterLoad);
    expect(canServeFrom(c.raw, 0)).toBe(false);
    expect(canServeFrom(c.raw, afterLoad - 1)).toBe(false);
    expect(canServeFrom(c.raw, afterLoad)).toBe(true);
    expect(batchSince(c.raw, afterLoad)).toBeNull();
    // Every row pruned: the next change still takes the next number, not 1 again.
    ok(c, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }, ann);
    expect(batchSince(c.raw, afterLoad)?.changes[0]?.seq).toBe(afterLoad + 1);
    // The member, at seq 0, cannot be served: it gets a snapshot, then follows from there.
    expect(canServeFrom(c.raw, replicatedSeq(member))).toBe(false);
    applySnapshot(member, takeSnapshot(c.raw));
    expect(replicatedSeq(member)).toBe(replicatedSeq(c.raw));
    expect(stateDigest(member)).toEqual(stateDigest(c.raw));
    ok(c, 'addAppointmentNote', { appointmentId: 'appt-1', text: 'Brought the form' }, ann);
    follow(c.raw, member);
    // The member prunes its own copy the same way, and a snapshot over a member that held data replaces it.
    pruneLog(member, replicatedSeq(member));
    expect(replicatedSeq(member)).toBe(replicatedSeq(c.raw));
    expectChainsVerify(member);
  });

  it('never cuts a coordinator transaction: a batch runs to the newest committed seq, and an open transaction is not in it', () => {
    const c = openCoordinator();
    const member = openMember();
    applySnapshot(member, takeSnapshot(c.raw));
    // Two transactions (the import, then a check-in) after the member's seq: one batch holds both, to the end.
    c.service.loadBook(receptionBook(), 'test fixture', c.context);
    const afterLoad = replicatedSeq(c.raw);
    ok(c, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }, ann);
    const batch = batchSince(c.raw, 0);
    expect(batch?.toSeq).toBe(replicatedSeq(c.raw));
    expect(batch?.changes.length).toBe(changesSince(c.raw, 0));
    expect(batch?.changes.length).toBeGreaterThan(afterLoad);
    // Read by another connection (the group's server) while the coordinator is mid-transaction: the batch ends at
    // the last commit, never inside the open one.
    const reader = rawDatabase(databasePath(c.dataDir), { readonly: true });
    try {
      const committed = replicatedSeq(c.raw);
      c.raw.transaction(() => {
        c.raw.prepare("INSERT INTO meta (key, value) VALUES ('test.one', '1')").run();
        c.raw.prepare("INSERT INTO meta (key, value) VALUES ('test.two', '2')").run();
        expect(replicatedSeq(c.raw)).toBe(committed + 2);
        expect(batchSince(reader, 0)?.toSeq).toBe(committed);
      })();
      expect(batchSince(reader, committed)?.changes.map((ch) => ch.image?.['key'])).toEqual(['test.one', 'test.two']);
    } finally {
      reader.close();
    }
    follow(c.raw, member);
  });

  it('replicates a merge-back read, apply and retention purge, and the purged journal verifies on the member', async () => {
    const rig = await rigs.rig();
    const { desk, server } = rig;
    const coordinator = connectionOf(desk);
    const member = openMember();
    // A standalone desk that becomes the coordinator: the member starts from its snapshot, then follows.
    installCapture(coordinator);
    applySnapshot(member, takeSnapshot(coordinator));
    expect(stateDigest(member)).toEqual(stateDigest(coordinator));
    const s = desk.service;
    const ctx = desk.context;
    s.upstream.setMode('outage', ctx, 'down');
    s.setAppointmentStatus({ appointmentId: 'appt-0', status: 'arrived' }, ctx);
    s.upstream.setMode('online', ctx, 'back');
    follow(coordinator, member);
    const settings = { baseUrl: server.baseUrl };
    await readUpstreamForMerge(s.merge, settings);
    follow(coordinator, member);
    await applyMerge(s.merge, settings, { ctx });
    follow(coordinator, member);
    s.merge.retention(ctx);
    follow(coordinator, member);
    desk.clock.now = new Date('2026-08-25T09:00:00Z');
    expect(s.merge.retention(ctx)).toMatchObject({ purged: true });
    const purge = batchSince(coordinator, replicatedSeq(member));
    expect(purge?.changes.filter((ch) => ch.table === 'journal' && ch.op === 'delete').length).toBeGreaterThan(0);
    follow(coordinator, member);
    expect(member.prepare('SELECT op FROM journal ORDER BY seq').pluck().all()).toEqual(['merge.purge']);
    expectChainsVerify(member);
  });
});

type Step =
  | { kind: 'status'; appt: number; status: 'arrived' | 'late' | 'sent_in' | 'seen' | 'dna' }
  | { kind: 'walkIn'; patient: number }
  | { kind: 'note'; appt: number; text: string }
  | { kind: 'undo'; appt: number }
  | { kind: 'contact'; patient: number; phone: string | null }
  | { kind: 'signIn'; right: boolean }
  | { kind: 'prune' }
  | { kind: 'newMember' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('status' as const),
    appt: fc.integer({ min: 1, max: 5 }),
    status: fc.constantFrom('arrived' as const, 'late' as const, 'sent_in' as const, 'seen' as const, 'dna' as const),
  }),
  fc.record({ kind: fc.constant('walkIn' as const), patient: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('note' as const), appt: fc.integer({ min: 1, max: 5 }), text: fc.string({ minLength: 1, maxLength: 40 }) }),
  fc.record({ kind: fc.constant('undo' as const), appt: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('contact' as const), patient: fc.integer({ min: 1, max: 4 }), phone: fc.option(fc.constantFrom('07700 900111', '01632 960333'), { nil: null }) }),
  fc.record({ kind: fc.constant('signIn' as const), right: fc.boolean() }),
  fc.constant({ kind: 'prune' as const }),
  fc.constant({ kind: 'newMember' as const }),
);

describe('property', () => {
  it('any sequence of desk operations, followed by batches (and snapshots after a prune), leaves equal digests at equal seqs', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 19 }), (steps, snapshotAt) => {
        const c = openCoordinator();
        c.service.loadBook(receptionBook(), 'test fixture', c.context);
        c.service.auth.addUser({ username: 'rx.khan', displayName: 'Sam Khan', role: 'receptionist', secret: { kind: 'pin', value: '730519' } }, c.context);
        let members: BetterSqlite3.Database[] = [];
        const version = (appt: number) => c.service.mirror.appointment(`appt-${appt}`)?.version ?? 0;
        steps.forEach((step, i) => {
          c.clock.now = new Date(c.clock.now.getTime() + 30_000);
          if (i === Math.min(snapshotAt, steps.length - 1) && members.length === 0) {
            const first = openMember();
            applySnapshot(first, takeSnapshot(c.raw));
            members = [first];
          }
          // Operations may be refused (a status the machine forbids, nothing to undo): a refusal writes what it writes.
          switch (step.kind) {
            case 'status':
              c.dispatch('setAppointmentStatus', { appointmentId: `appt-${step.appt}`, status: step.status, expectedVersion: version(step.appt) }, ann);
              break;
            case 'walkIn':
              c.dispatch(
                'registerWalkIn',
                { patient: { kind: 'existing', patientId: `pat-${step.patient}` }, triage: 'routine', assignTo: { kind: 'duty' }, despiteAppointmentToday: true },
                ann,
              );
              break;
            case 'note':
              c.dispatch('addAppointmentNote', { appointmentId: `appt-${step.appt}`, text: step.text.trim() || 'note' }, ann);
              break;
            case 'undo':
              c.dispatch('undoLastChange', { appointmentId: `appt-${step.appt}`, expectedVersion: version(step.appt) }, ann);
              break;
            case 'contact':
              c.dispatch('updatePatientContact', { patientId: `pat-${step.patient}`, phone: step.phone }, ann);
              break;
            case 'signIn':
              c.dispatch('signIn', { username: 'rx.khan', secret: step.right ? '730519' : '111111' }, front);
              break;
            case 'prune':
              pruneLog(c.raw, Math.min(...members.map((m) => replicatedSeq(m)), replicatedSeq(c.raw)));
              break;
            case 'newMember': {
              const joining = openMember();
              applySnapshot(joining, takeSnapshot(c.raw));
              members.push(joining);
              break;
            }
          }
          for (const m of members) {
            expect(canServeFrom(c.raw, replicatedSeq(m))).toBe(true);
            follow(c.raw, m);
          }
        });
        for (const m of members) expectChainsVerify(m);
        closeAll();
      }),
      { numRuns: 25 },
    );
  });
});

describe('snapshot', () => {
  it('replaces whatever the member held, with the guards back in place afterwards', () => {
    const c = openCoordinator();
    c.service.loadBook(receptionBook(), 'test fixture', c.context);
    // A member that followed another day: its journal, audit and a desk-registered patient are all replaced.
    const other = openCoordinator();
    other.service.loadBook(receptionBook(), 'other fixture', other.context);
    ok(
      other,
      'registerWalkIn',
      {
        patient: { kind: 'new', details: { familyName: 'Other', givenName: 'Olive', dateOfBirth: '1991-01-01', temporaryResident: true } },
        triage: 'same_day',
        assignTo: { kind: 'duty' },
      },
      ann,
    );
    ok(other, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }, ann);
    const member = openMember();
    applySnapshot(member, takeSnapshot(other.raw));
    expect(member.prepare('SELECT count(*) FROM patient WHERE local = 1').pluck().get()).toBe(1);
    applySnapshot(member, takeSnapshot(c.raw));
    expect(stateDigest(member)).toEqual(stateDigest(c.raw));
    expect(member.prepare('SELECT count(*) FROM patient WHERE local = 1').pluck().get()).toBe(0);
    const triggers = (db: BetterSqlite3.Database) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all();
    expect(triggers(member)).toEqual(triggers(openMember()));
    expect(() => member.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => member.prepare('UPDATE journal SET user = user').run()).toThrow(/append-only/);
    expectChainsVerify(member);
  });

  it('refuses a snapshot of another schema and changes nothing', () => {
    const c = openCoordinator();
    c.service.loadBook(receptionBook(), 'test fixture', c.context);
    const member = openMember();
    const before = stateDigest(member);
    const snap = takeSnapshot(c.raw);
    const fewer = { ...snap, tables: snap.tables.filter((t) => t.name !== 'journal') };
    expect(() => applySnapshot(member, fewer)).toThrow(ReplicaSchemaError);
    const renamed = { ...snap, tables: snap.tables.map((t) => (t.name === 'meta' ? { ...t, columns: ['key', 'val'] } : t)) };
    expect(() => applySnapshot(member, renamed)).toThrow(ReplicaSchemaError);
    expect(stateDigest(member)).toEqual(before);
  });
});
