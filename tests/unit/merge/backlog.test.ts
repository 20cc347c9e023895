/**
 * The rebooking assistant (issue 21), against the FHIR test double: an outage day with 30 cancelled or missed
 * appointments, 5 of them in time-sensitive care, and the next days' free slots. The time-sensitive patients are
 * placed first; no proposal takes a slot that is not free or was taken meanwhile; accepting them all books each
 * slot once, and merge-back creates each booking once. Also the CLI's `backlog` on the same kind of desk.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { addDays, localTimeOf, localToIso, type Appointment, type Clinician, type Patient, type PracticeBook, type Session, type Slot } from '../../../shared/domain';
import type { BacklogView } from '../../../shared/api';
import { openDesk } from '../../../electron/desk/open';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { pullBook } from '../../../electron/desk/upstream/fhir/client';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { DESK_ENTRY_SYSTEM } from '../../../electron/desk/upstream/fhir/write';
import { main } from '../../../electron/cli/main';
import { FhirTestServer } from '../../doubles/fhir-server';
import { testAppointment, testPatient } from '../../support/builders';
import { tempDir, testNhsNumber } from '../../support/fixtures';

const DAY = '2026-07-20';
const NEXT = addDays(DAY, 1);
const DAYS = [DAY, NEXT, addDays(DAY, 2)];
/** 06:30 UTC, 07:30 London on the outage day: before any session, so every change can be made. */
const OUTAGE_MORNING = new Date('2026-07-20T06:30:00Z');
/** The morning after, 07:00 London: the week after's work begins. */
const MORNING_AFTER = new Date('2026-07-21T06:00:00Z');

const CLINICIANS: Clinician[] = [
  { id: 'clin-1', name: 'Dr Asha Patel', role: 'gp', room: 'Room 1' },
  { id: 'clin-2', name: 'Dr Tom Okafor', role: 'gp', room: 'Room 2' },
  { id: 'clin-3', name: 'Nurse Jo Hill', role: 'nurse', room: 'Room 3' },
];
/** The outage day's booked count per clinician, and each one's free slots on the next two days. */
const OUTAGE_BOOKED: Record<string, number> = { 'clin-1': 14, 'clin-2': 10, 'clin-3': 6 };
const FREE_NEXT: Record<string, number> = { 'clin-1': 9, 'clin-2': 12, 'clin-3': 3 };
/** Patients in time-sensitive care, by index: booked late in the day, so only the assistant's order puts them first. */
const TIME_SENSITIVE: Record<number, Patient['flags']> = {
  12: ['suspected_cancer'],
  13: ['anticoagulation'],
  22: ['palliative'],
  23: ['suspected_cancer'],
  29: ['anticoagulation'],
};

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function outageBook(): PracticeBook {
  const sessions: Session[] = [];
  const slots: Slot[] = [];
  const appointments: Appointment[] = [];
  const patients: Patient[] = [];
  let n = 0;
  for (const c of CLINICIANS) {
    for (const date of DAYS) {
      const sessionId = `sess-${c.id}-${date}`;
      const count = date === DAY ? (OUTAGE_BOOKED[c.id] ?? 0) : date === NEXT ? (FREE_NEXT[c.id] ?? 0) : 2;
      sessions.push({
        id: sessionId,
        clinicianId: c.id,
        room: c.room,
        date,
        start: localToIso(date, '09:00'),
        end: localToIso(date, hhmm(9 * 60 + count * 10)),
        label: c.role === 'gp' && date !== DAY ? 'Telephone and face to face' : 'Morning',
      });
      for (let k = 0; k < count; k++) {
        const start = localToIso(date, hhmm(9 * 60 + k * 10));
        const end = localToIso(date, hhmm(9 * 60 + (k + 1) * 10));
        const slotId = `slot-${c.id}-${date}-${k}`;
        // The day after's last GP slot is busy upstream with no appointment the desk can see: never offered.
        const busyUpstream = date === NEXT && c.id === 'clin-2' && k === count - 1;
        slots.push({ id: slotId, sessionId, clinicianId: c.id, start, end, status: date === DAY || busyUpstream ? 'busy' : 'free' });
        if (date !== DAY) continue;
        const i = n++;
        patients.push(
          testPatient({
            id: `pat-${i}`,
            nhsNumber: testNhsNumber(300 + i * 17),
            familyName: `Backlogperson${i}`,
            givenName: i % 2 ? 'Alex' : 'Sam',
            dateOfBirth: `19${50 + (i % 40)}-0${(i % 9) + 1}-1${i % 9}`,
            sex: i % 2 ? 'male' : 'female',
            phone: `07700 9003${String(i).padStart(2, '0')}`,
            flags: TIME_SENSITIVE[i] ?? [],
          }),
        );
        appointments.push(
          testAppointment({ id: `appt-${i}`, patientId: `pat-${i}`, clinicianId: c.id, sessionId, slotId, start, end, type: i % 5 === 0 ? 'telephone' : 'face_to_face' }),
        );
      }
    }
  }
  return { practice: { id: 'prac-1', name: 'Test Street Surgery', odsCode: 'Y99999' }, clinicians: CLINICIANS, sessions, slots, patients, appointments };
}

async function outageDesk() {
  const server = await FhirTestServer.start();
  server.seed(bookToFhirResources(outageBook()));
  const dataDir = tempDir('standby-backlog-');
  const clock = { now: OUTAGE_MORNING };
  const desk = openDesk({ dataDir, user: 'reception-1', desk: 'front-desk', clock: () => clock.now });
  const pull = async () => {
    const batch = await pullBook({ baseUrl: server.baseUrl }, { dates: DAYS, known: desk.service.upstream.knownFingerprints() });
    desk.service.upstream.refresh(batch, desk.context, { pulledFrom: server.baseUrl });
  };
  await pull();
  // The outage: the whole day cancelled, bar the ones who came to the desk and were then sent away unseen.
  const s = desk.service;
  s.upstream.setMode('outage', desk.context, 'clinical system down');
  const h = s.handlers();
  for (let i = 0; i < 30; i++) h.setAppointmentStatus({ appointmentId: `appt-${i}`, status: 'cancelled', reason: 'Clinical system down' }, desk.context);
  s.upstream.setMode('online', desk.context, 'back');
  clock.now = MORNING_AFTER;
  return {
    server,
    desk,
    dataDir,
    clock,
    pull,
    close: async () => {
      desk.close();
      await server.close();
    },
  };
}

describe('the rebooking assistant', () => {
  it('places the time-sensitive first, offers only free slots, and books each once, merged back once', async () => {
    const rig = await outageDesk();
    const h = rig.desk.service.handlers();
    const view = h.getBacklog({ windowDays: 14 });
    expect(view).toMatchObject({ from: NEXT, windowDays: 14 });
    expect(view.items).toHaveLength(30);

    // Time-sensitive care first, most urgent flag first, then the original order.
    const order = view.items.map((i) => i.appointment.id);
    expect(order.slice(0, 5)).toEqual(['appt-23', 'appt-12', 'appt-29', 'appt-13', 'appt-22']);
    expect(view.items.slice(0, 5).every((i) => i.timeSensitive)).toBe(true);
    const rest = view.items.slice(5).map((i) => i.appointment.start);
    expect(rest).toEqual(rest.toSorted());

    // Each proposal: a free slot, once, the same clinician or the same role, never the slot busy upstream.
    const proposed = view.items.flatMap((i) => (i.proposal ? [i] : []));
    const slotIds = proposed.map((i) => i.proposal?.slot.id);
    expect(new Set(slotIds).size).toBe(slotIds.length);
    expect(slotIds).not.toContain(`slot-clin-2-${NEXT}-11`);
    const roleOf = (id: string) => CLINICIANS.find((c) => c.id === id)?.role;
    for (const i of proposed) {
      expect(i.proposal?.slot.status).toBe('free');
      expect(roleOf(i.proposal?.clinician.id ?? '')).toBe(roleOf(i.appointment.clinicianId));
      expect(i.sameClinician).toBe(i.proposal?.clinician.id === i.appointment.clinicianId);
    }
    // The time-sensitive patients get the earliest slots of their role.
    const first = view.items[0];
    expect(first?.proposal?.slot.start).toBe(localToIso(NEXT, '09:00'));
    // The nurse's six cannot all fit in her five free slots: the last one stays, with the reason.
    const unplaced = view.items.filter((i) => i.proposal === null);
    expect(unplaced.map((i) => i.appointment.clinicianId)).toEqual(['clin-3']);
    expect(unplaced[0]?.reason).toBe('no free slot with their clinician or another Practice nurse within 14 days');
    // GP patients: 24 of them, and 9 + 2 slots with Dr Patel and 11 + 2 with Dr Okafor are free: all placed.
    expect(proposed.filter((i) => roleOf(i.appointment.clinicianId) === 'gp')).toHaveLength(24);

    // Meanwhile Sam Backlogperson0 phones and is booked into one of the proposed slots: that slot's acceptance is
    // refused, and so is Sam's own proposal (booked twice otherwise); the others go through.
    const stolen = proposed[6];
    if (!stolen?.proposal) throw new Error('no seventh proposal');
    h.bookAppointment({ patientId: 'pat-0', slotId: stolen.proposal.slot.id }, rig.desk.context);
    const items = proposed.map((i) => ({ appointmentId: i.appointment.id, expectedVersion: i.appointment.version, slotId: i.proposal?.slot.id ?? '' }));
    const outcome = h.acceptBacklog({ items }, rig.desk.context);
    const phoned = h.getDay({ date: NEXT }).appointments.find((a) => a.slotId === stolen.proposal?.slot.id);
    expect(outcome.refused).toEqual([
      {
        appointmentId: 'appt-0',
        slotId: proposed.find((i) => i.appointment.id === 'appt-0')?.proposal?.slot.id,
        message: `already booked 21/07/2026 ${phoned?.start ? localTimeOf(phoned.start) : ''} with Dr Tom Okafor meanwhile: not booked twice`,
      },
      { appointmentId: stolen.appointment.id, slotId: stolen.proposal.slot.id, message: expect.stringContaining('has just been taken') as string },
    ]);
    expect(outcome.booked).toHaveLength(27);
    const bookedSlots = outcome.booked.map((b) => b.booked.slotId);
    expect(new Set(bookedSlots).size).toBe(27);
    // Accepting the same again books nothing twice: each is no longer on the callback list.
    const again = h.acceptBacklog({ items: items.slice(0, 3) }, rig.desk.context);
    expect(again.booked).toEqual([]);
    expect(again.refused.map((r) => r.message)).toEqual(Array(3).fill('no longer on the callback list (rebooked or dealt with meanwhile)'));
    // What is left: Sam (booked by phone, so not placed again), the one whose slot was taken (placed elsewhere
    // now) and the nurse's patient.
    const left = h.getBacklog({}).items;
    expect(left.map((i) => i.appointment.id).sort()).toEqual(['appt-0', stolen.appointment.id, unplaced[0]?.appointment.id].sort());
    expect(left.find((i) => i.appointment.id === 'appt-0')).toMatchObject({ proposal: null, reason: expect.stringContaining('already booked 21/07/2026') as string });
    expect(left.find((i) => i.appointment.id === stolen.appointment.id)?.proposal).not.toBeNull();

    // Merge-back: one create per booking (and the phone booking), each once.
    const merge = rig.desk.service.merge;
    const settings = { baseUrl: rig.server.baseUrl };
    await readUpstreamForMerge(merge, settings);
    const applied = await applyMerge(merge, settings, { ctx: rig.desk.context });
    expect(applied.failed).toBe(0);
    const created = rig.server.all('Appointment').filter((a) => JSON.stringify(a['identifier'] ?? []).includes(DESK_ENTRY_SYSTEM));
    expect(created).toHaveLength(28);
    const createdSlots = created.map((a) => JSON.stringify(a['slot']));
    expect(new Set(createdSlots).size).toBe(28);
    await readUpstreamForMerge(merge, settings);
    await applyMerge(merge, settings, { ctx: rig.desk.context });
    expect(rig.server.all('Appointment').filter((a) => JSON.stringify(a['identifier'] ?? []).includes(DESK_ENTRY_SYSTEM))).toHaveLength(28);
    await rig.close();
  });

  it('leaves a patient already booked again, naming when, and refuses what is not on the callback list', async () => {
    const rig = await outageDesk();
    const h = rig.desk.service.handlers();
    const slot = `slot-clin-1-${addDays(DAY, 2)}-0`;
    h.bookAppointment({ patientId: 'pat-3', slotId: slot }, rig.desk.context);
    const item = h.getBacklog({ windowDays: 14 }).items.find((i) => i.appointment.id === 'appt-3');
    expect(item).toMatchObject({ proposal: null, reason: 'already booked 22/07/2026 09:00 with Dr Asha Patel' });
    const booked = h.getDay({ date: addDays(DAY, 2) }).appointments.find((a) => a.slotId === slot);
    const refused = h.acceptBacklog({ items: [{ appointmentId: booked?.id ?? 'none', expectedVersion: 1, slotId: `slot-clin-1-${NEXT}-0` }] }, rig.desk.context);
    expect(refused.refused[0]?.message).toBe('no longer on the callback list (rebooked or dealt with meanwhile)');
    await rig.close();
  });

  it('lists and books the proposals from the command line', async () => {
    const rig = await outageDesk();
    const { dataDir } = rig;
    rig.desk.close();
    // The command's desk reads the process's clock: pinned to the morning after, as the test's desk was.
    const pinned = process.env['STANDBY_DESK_CLOCK'];
    process.env['STANDBY_DESK_CLOCK'] = MORNING_AFTER.toISOString();
    onTestFinished(() => {
      process.env['STANDBY_DESK_CLOCK'] = pinned;
    });
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    expect(await main(['backlog', '--data', dataDir, '--json'], out)).toBe(0);
    const view = JSON.parse(lines.pop() ?? '{}') as BacklogView;
    expect(view.items).toHaveLength(30);
    expect(await main(['backlog', '--data', dataDir], out)).toBe(0);
    expect(lines.join('\n')).toContain('BACKLOGPERSON12, Sam [time-sensitive]: was 20/07/2026 11:00 Dr Asha Patel -> 21/07/2026 09:00 Dr Asha Patel');
    lines.length = 0;
    expect(await main(['backlog', '--data', dataDir, '--accept-all', '--json'], out)).toBe(0);
    const accepted = JSON.parse(lines.pop() ?? '{}') as { booked: unknown[]; refused: unknown[]; unplaced: number };
    expect(accepted).toMatchObject({ refused: [], unplaced: 1 });
    expect(accepted.booked).toHaveLength(29);
    lines.length = 0;
    expect(await main(['backlog', '--data', dataDir], out)).toBe(0);
    expect(lines[0]).toBe('1 to rebook; free slots searched 21/07/2026 to 03/08/2026.');
    await rig.server.close();
  });
});
