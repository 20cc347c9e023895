/**
 * A small practice day for merge-back tests: one GP, one session of 12 ten-minute slots (8 booked, 4 free),
 * patients in the 999 range (one in time-sensitive care), served by the FHIR test double and pulled into a desk,
 * so every appointment's base carries a real FHIR version.
 */
import { afterEach } from 'vitest';
import { localToIso, type Appointment, type Patient, type PracticeBook, type Slot } from '../../../shared/domain';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { pullBook } from '../../../electron/desk/upstream/fhir/client';
import { FhirTestServer, type FhirJson } from '../../doubles/fhir-server';
import { testAppointment, testPatient } from '../../support/builders';
import { tempDir, testNhsNumber } from '../../support/fixtures';

export const DAY = '2026-07-20';
/** 07:30 London: before the session, so every slot can still be rebooked into. */
export const DESK_NOW = new Date('2026-07-20T06:30:00Z');

export function mergeBook(): PracticeBook {
  const patients: Patient[] = Array.from({ length: 10 }, (_v, i) =>
    testPatient({
      id: `pat-${i}`,
      nhsNumber: testNhsNumber(100 + i * 13),
      familyName: `Testperson${i}`,
      givenName: i % 2 ? 'Alex' : 'Sam',
      dateOfBirth: `19${60 + i}-0${(i % 9) + 1}-1${i % 9}`,
      sex: i % 2 ? 'male' : 'female',
      phone: `07700 9001${String(i).padStart(2, '0')}`,
      flags: i === 0 ? ['suspected_cancer'] : [],
    }),
  );
  const time = (k: number) => {
    const m = 9 * 60 + k * 10;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  const slots: Slot[] = Array.from({ length: 12 }, (_v, k) => ({
    id: `slot-${k}`,
    sessionId: 'sess-1',
    clinicianId: 'clin-1',
    start: localToIso(DAY, time(k)),
    end: localToIso(DAY, time(k + 1)),
    status: k < 8 ? 'busy' : 'free',
  }));
  const appointments: Appointment[] = Array.from({ length: 8 }, (_v, k) =>
    testAppointment({
      id: `appt-${k}`,
      patientId: `pat-${k}`,
      clinicianId: 'clin-1',
      sessionId: 'sess-1',
      slotId: `slot-${k}`,
      start: localToIso(DAY, time(k)),
      end: localToIso(DAY, time(k + 1)),
    }),
  );
  return {
    practice: { id: 'prac-1', name: 'Test Street Surgery', odsCode: 'Y99999' },
    clinicians: [{ id: 'clin-1', name: 'Dr Asha Patel', role: 'gp', room: 'Room 1' }],
    sessions: [{ id: 'sess-1', clinicianId: 'clin-1', room: 'Room 1', date: DAY, start: localToIso(DAY, '09:00'), end: localToIso(DAY, '11:00'), label: 'Morning' }],
    slots,
    patients,
    appointments,
  };
}

export interface MergeRig {
  server: FhirTestServer;
  desk: OpenDesk & { dataDir: string; clock: { now: Date } };
  close(): Promise<void>;
}

export async function mergeRig(book: PracticeBook = mergeBook()): Promise<MergeRig> {
  const server = await FhirTestServer.start();
  server.seed(bookToFhirResources(book));
  const dataDir = tempDir('standby-merge-');
  const clock = { now: DESK_NOW };
  const d = openDesk({ dataDir, user: 'reception-1', desk: 'front-desk', clock: () => clock.now });
  const desk = Object.assign(d, { dataDir, clock });
  await pull(desk, server);
  return {
    server,
    desk,
    close: async () => {
      desk.close();
      await server.close();
    },
  };
}

export async function pull(desk: OpenDesk, server: FhirTestServer): Promise<void> {
  const batch = await pullBook({ baseUrl: server.baseUrl }, { dates: [DAY], known: desk.service.upstream.knownFingerprints() });
  desk.service.upstream.refresh(batch, desk.context, { pulledFrom: server.baseUrl });
}

/** Another user of the clinical system books a patient into a slot (and marks it busy). */
export function bookUpstream(server: FhirTestServer, slotId: string, patientId: string, id: string): FhirJson {
  const slot = server.read('Slot', slotId);
  if (!slot) throw new Error(`no slot ${slotId}`);
  server.update('Slot', slotId, (s) => ({ ...s, status: 'busy' }));
  const [created] = [
    {
      resourceType: 'Appointment',
      id,
      status: 'booked',
      start: slot['start'],
      end: slot['end'],
      slot: [{ reference: `Slot/${slotId}` }],
      participant: [{ actor: { reference: `Patient/${patientId}` } }, { actor: { reference: 'Practitioner/clin-1' } }],
    } as FhirJson,
  ];
  server.seed([created]);
  return created;
}

export interface MergeRigs {
  /** A pulled desk and its upstream, closed after the test. */
  rig(book?: PracticeBook): Promise<MergeRig>;
  /** A rig whose desk went through an outage: `work` is what the desk did while upstream was down. */
  outage(work: (rig: MergeRig) => void, book?: PracticeBook): Promise<MergeRig>;
}

/** Call once per test file: the rigs it makes are closed after each test. */
export function mergeRigs(): MergeRigs {
  const open: MergeRig[] = [];
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
  });
  const rig = async (book?: PracticeBook) => {
    const made = await mergeRig(book);
    open.push(made);
    return made;
  };
  return {
    rig,
    outage: async (work, book) => {
      const made = await rig(book);
      const { service: s, context: ctx } = made.desk;
      s.upstream.setMode('outage', ctx, 'down');
      work(made);
      s.upstream.setMode('online', ctx, 'back');
      return made;
    },
  };
}

/** The writes upstream was asked for (PUT and POST), in order. */
export const writesTo = (rig: MergeRig) => rig.server.requests.filter((r) => r.method === 'PUT' || r.method === 'POST');

/**
 * The next write of this method lands upstream and its answer never comes; the person stops the apply meanwhile.
 * Returns the signal that stops it.
 */
export function stopAfterWriteLands(rig: MergeRig, method: 'PUT' | 'POST'): AbortSignal {
  const stop = new AbortController();
  rig.server.inject({
    match: (r) => {
      if (r.method !== method) return false;
      stop.abort();
      return true;
    },
    afterCommit: true,
    hang: true,
    times: 1,
  });
  return stop.signal;
}
