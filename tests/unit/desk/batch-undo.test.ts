/**
 * Undo, everywhere it is needed (issue 18 item 8): a session's DNA batch undone as the one decision it was, and
 * waiting-room ticket numbers never handed out twice in a day, whatever was undone or taken back, and whichever
 * desk of a group gives the next one.
 */
import { describe, expect, it } from 'vitest';
import { contract, type DeskEvent, type OperationName } from '../../../shared/api';
import type { Appointment } from '../../../shared/domain';
import { UNDONE_REASON } from '../../../shared/merge/plan';
import { applySnapshot, takeSnapshot } from '../../../electron/desk/group/replica';
import { DeskService } from '../../../electron/desk/service';
import { Db } from '../../../electron/desk/store/sql';
import { databasesAtVersion, expectMigratesTo, insertFirstSchemaAppointment } from '../../support/migrations';
import { TEST_NOW } from '../../support/clock';
import { addMember, signInAt, startCoordinator, until, type GroupDesk } from '../../support/group';
import { ann, replicaDesks } from '../group/replica-support';
import { openReceptionDesk, receptionBook } from './reception-fixture';

const { openCoordinator, openMember } = replicaDesks();
const atVersion = databasesAtVersion();
const bob = { user: 'bob.receptionist', desk: 'front-desk-2' };

type Desk = ReturnType<typeof openReceptionDesk>;

/** Calls through the dispatcher (contract parse included) and returns the value, failing the test otherwise. */
function ok<T = unknown>(desk: Pick<Desk, 'dispatch'>, name: OperationName, input: unknown, ctx = ann): T {
  const result = desk.dispatch(name, input, ctx);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  const parsed = contract[name].output.safeParse(result.value);
  if (!parsed.success) throw new Error(`${name} answered outside its contract: ${parsed.error.message}`);
  return result.value as T;
}

function appointment(desk: Desk, id: string): Appointment {
  const a = desk.service.mirror.appointment(id);
  if (!a) throw new Error(`no ${id}`);
  return a;
}

/** The 08:40 and 09:00 patients of the morning session marked DNA together, at 09:10. */
function markTwoDna(desk: Desk): string {
  desk.at('09:10');
  return ok<{ batchId: string }>(desk, 'markSessionDna', {
    sessionId: 'sess-clin-a',
    appointments: [
      { appointmentId: 'appt-2', expectedVersion: 0 },
      { appointmentId: 'appt-5', expectedVersion: 0 },
    ],
  }).batchId;
}

describe('a session DNA batch undone as one', () => {
  it('puts every appointment back exactly as it was, each journalled as an undo, in one transaction with one announcement', () => {
    const desk = openReceptionDesk();
    const was = ['appt-2', 'appt-5'].map((id) => appointment(desk, id));
    const batchId = markTwoDna(desk);
    const dnaSeq = desk.service.journal.lastSeq();
    const events: DeskEvent[] = [];
    desk.onEvent((e) => events.push(e));
    desk.at('09:12');

    const undone = ok<{ batchId: string; appointments: Appointment[] }>(desk, 'undoSessionDna', { batchId }, bob);
    expect(undone.batchId).toBe(batchId);
    expect(undone.appointments.map((a) => [a.id, a.status, a.version])).toEqual([
      ['appt-2', 'booked', 2],
      ['appt-5', 'booked', 2],
    ]);
    for (const before of was) {
      // Exactly as pulled, but for the version and when the desk last wrote it.
      expect(appointment(desk, before.id)).toEqual({ ...before, version: 2, updatedAt: new Date(desk.clock.now).toISOString() });
    }
    const entries = desk.service.journal.list(dnaSeq, 100);
    expect(entries.map((e) => [e.op, e.entityId, e.user])).toEqual([
      ['appointment.undo', 'appt-2', bob.user],
      ['appointment.undo', 'appt-5', bob.user],
    ]);
    const marked = desk.service.journal.list(dnaSeq - 2, 2);
    for (const [i, e] of entries.entries()) {
      expect(e.after).toMatchObject({
        status: 'booked',
        undoes: { seq: marked[i]?.seq, op: 'appointment.setStatus', by: ann.user },
        batch: { kind: 'session-dna-undo', size: 2, undoes: batchId },
      });
    }
    // Both changes went out once, after the commit, at the batch's last position.
    expect(events).toEqual([
      expect.objectContaining({ kind: 'appointment.changed', seq: dnaSeq + 2, appointment: expect.objectContaining({ id: 'appt-2', status: 'booked' }) }),
      expect.objectContaining({ kind: 'appointment.changed', seq: dnaSeq + 2, appointment: expect.objectContaining({ id: 'appt-5', status: 'booked' }) }),
    ]);
    expect(desk.service.journal.verify().ok).toBe(true);
    // Undone once: a second go says so and changes nothing.
    expect(desk.dispatch('undoSessionDna', { batchId }, ann)).toMatchObject({
      ok: false,
      error: { code: 'forbidden_transition', message: expect.stringMatching(/undone already/) },
    });
    expect(desk.service.journal.lastSeq()).toBe(dnaSeq + 2);
    desk.close();
  });

  it('is refused whole, nothing changed, when one of them changed since: it says which, by time', () => {
    const desk = openReceptionDesk();
    const batchId = markTwoDna(desk);
    // The 09:00 patient turns up after all, and is checked in from DNA at another desk.
    desk.at('09:14');
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-5', status: 'arrived', expectedVersion: 1 }, bob);
    const seq = desk.service.journal.lastSeq();

    const refused = desk.dispatch('undoSessionDna', { batchId }, ann);
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        message: expect.stringMatching(/^nothing was undone: the 09:00 appointment \(now Arrived\) changed since the session was marked DNA/),
        current: { id: 'appt-5' },
      },
    });
    expect(appointment(desk, 'appt-2')).toMatchObject({ status: 'dna', version: 1 });
    expect(appointment(desk, 'appt-5')).toMatchObject({ status: 'arrived', version: 2 });
    expect(desk.service.journal.lastSeq()).toBe(seq);
    // The rest can still be undone one at a time.
    expect(ok<Appointment>(desk, 'undoLastChange', { appointmentId: 'appt-2', expectedVersion: 1 }).status).toBe('booked');
    // One undone on its own already counts as changed, too: the batch is not half put back.
    expect(desk.dispatch('undoSessionDna', { batchId }, ann)).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/08:40 \(now Booked\) and 09:00 \(now Arrived\) appointments/) },
    });
    desk.close();
  });

  it('refuses a batch it does not know, and a clinician, as it refuses them marking DNA', () => {
    const desk = openReceptionDesk();
    expect(desk.dispatch('undoSessionDna', { batchId: 'no-such-batch' }, ann)).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/nothing was undone/) },
    });
    expect(contract.undoSessionDna.policy).toEqual(contract.markSessionDna.policy);
    desk.close();
  });

  it('leaves merge-back nothing to write for those appointments: their changes cancel out', () => {
    const desk = openReceptionDesk();
    const batchId = markTwoDna(desk);
    ok(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    const merge = desk.service.merge;
    expect(merge.unmerged()).toBe(3);
    ok(desk, 'undoSessionDna', { batchId });
    const items = merge.plan().items;
    for (const id of ['appt-2', 'appt-5']) {
      expect(items.filter((i) => i.appointmentId === id).map((i) => [i.class, i.reason])).toEqual([['already', UNDONE_REASON]]);
    }
    expect(merge.unmerged()).toBe(1);
    expect(desk.service.getMirrorStatus().journal.deskChanges).toBe(1);
    desk.close();
  });
});

describe('ticket numbers are never given twice in a day', () => {
  it('an undone check-in keeps its number: the next patient checked in gets a new one', () => {
    const desk = openReceptionDesk();
    expect(ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }).desk?.ticket).toBe(1);
    expect(ok<Appointment>(desk, 'undoLastChange', { appointmentId: 'appt-1', expectedVersion: 1 }).desk).toBeUndefined();
    expect(ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived', expectedVersion: 0 }).desk?.ticket).toBe(2);
    // Checked in again, the first patient gets a number of their own, not the one another patient now answers to.
    expect(ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 2 }).desk?.ticket).toBe(3);
    // Another day starts again from 1.
    expect(desk.service.mirror.nextTicket('2026-07-21')).toBe(1);
    desk.close();
  });

  it('a walk-in taken back keeps its number from the next patient', () => {
    const desk = openReceptionDesk();
    const walkIn = ok<{ appointment: Appointment }>(desk, 'registerWalkIn', {
      patient: { kind: 'existing', patientId: 'pat-3' },
      triage: 'routine',
      assignTo: { kind: 'duty' },
      despiteAppointmentToday: true,
    }).appointment;
    expect(walkIn.desk?.ticket).toBe(1);
    ok(desk, 'undoLastChange', { appointmentId: walkIn.id, expectedVersion: walkIn.version });
    expect(ok<Appointment>(desk, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }).desk?.ticket).toBe(2);
    desk.close();
  });

  it('a member copied by snapshot carries on from the highest number given, though no appointment holds it', () => {
    const coordinator = openCoordinator();
    coordinator.service.loadBook(receptionBook(), 'test fixture', coordinator.context);
    const member = openMember();
    ok(coordinator, 'setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 });
    ok(coordinator, 'setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived', expectedVersion: 0 });
    ok(coordinator, 'undoLastChange', { appointmentId: 'appt-3', expectedVersion: 1 });
    applySnapshot(member, takeSnapshot(coordinator.raw));
    // The member's copy, written to as a desk that took over would write to it.
    const service = new DeskService(new Db(member), { clock: () => coordinator.clock.now });
    expect(service.setAppointmentStatus({ appointmentId: 'appt-2', status: 'arrived' }, ann).desk?.ticket).toBe(3);
  });

  it('the migration counts the numbers given before it: those appointments hold and those the journal recorded', () => {
    const db = atVersion(10);
    insertFirstSchemaAppointment(db);
    db.prepare("UPDATE appointment SET ticket = 2, status = 'arrived' WHERE id = 'a'").run();
    // A check-in given ticket 4 and undone: only the journal remembers the number.
    db.prepare(
      `INSERT INTO journal (id, at, user, desk, op, entity, entity_id, before, after, base_version, prev_hash, hash)
       VALUES ('j1', '2026-07-20T08:00:00.000Z', 'u', 'd', 'appointment.undo', 'appointment', 'a', '{"status":"arrived","ticket":4}', '{"status":"booked","ticket":null}', NULL, 'x', 'y')`,
    ).run();
    expectMigratesTo(db, 11);
    expect(db.prepare('SELECT local_date AS date, last_ticket AS last FROM day_ticket').all()).toEqual([{ date: '2026-07-20', last: 4 }]);
  });
});

describe('ticket numbers in a desk group', () => {
  it('a member that takes over gives the next number, never one given and taken back at the coordinator', async () => {
    const now = () => new Date(TEST_NOW);
    const { coordinator, accounts } = await startCoordinator(now);
    const members: GroupDesk[] = [];
    let coordinatorRunning = true;
    try {
      members.push(await addMember(coordinator, 'Reception 2', now));
      const member = members[0];
      if (!member) throw new Error('no member');
      const rx = await signInAt(coordinator.node, accounts.receptionist);
      const checkIn = async (node: GroupDesk['node'], ctx: typeof rx, appointmentId: string) => {
        const result = await node.dispatch('setAppointmentStatus', { appointmentId, status: 'arrived' }, ctx);
        if (!result.ok) throw new Error(result.error.message);
        return result.value as Appointment;
      };
      expect((await checkIn(coordinator.node, rx, 'appt-1')).desk?.ticket).toBe(1);
      const undone = await coordinator.node.dispatch('undoLastChange', { appointmentId: 'appt-1', expectedVersion: 1 }, rx);
      expect(undone.ok).toBe(true);
      await until(() => member.node.status().lag === 0 && member.desk.service.mirror.appointment('appt-1')?.status === 'booked', 'the member to catch up');

      // Signed in while the coordinator answers: a member checks sign-ins with it.
      const manager = await signInAt(member.node, accounts.manager);
      await coordinator.node.close();
      coordinatorRunning = false;
      await until(() => member.node.status().state === 'coordinator-lost', 'the coordinator to be missed', 10_000);
      expect((await member.node.dispatch('takeOverGroup', { confirm: true }, manager)).ok).toBe(true);
      // The stored role changes first; the running coordinator comes once its probe is done (closing before then
      // would leave that probe reading a closed file). The node keeps it private; the test reaches it by name.
      await until(() => member.node.status().role === 'coordinator' && member.node['coordinator'] !== null, 'the member to coordinate');
      const there = await signInAt(member.node, accounts.receptionist);
      expect((await checkIn(member.node, there, 'appt-2')).desk?.ticket).toBe(2);
    } finally {
      for (const m of members) {
        await m.node.close();
        m.desk.close();
      }
      if (coordinatorRunning) await coordinator.node.close();
      coordinator.desk.close();
    }
  }, 40_000);
});
