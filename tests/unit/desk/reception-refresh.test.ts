/**
 * What the reception desk makes locally (walk-ins, new patients, rebookings, and the slots they take) must
 * survive every mirror refresh until merge-back: refresh.ts never overwrites or removes a local change, and
 * these records are marked as local changes (appointments: version >= 1 and no upstream version; patients:
 * `local`). Both refresh paths are covered: a refresh on its own base, and the first refresh after a whole-book
 * load (the demo), which starts its base afresh and removes whatever it does not recognise as local.
 */
import { rawDatabase } from '../../support/raw-db';
import { describe, expect, it } from 'vitest';
import type { AppointmentRow } from '../../../shared/api';
import { localToIso, type PracticeBook } from '../../../shared/domain';
import { openDesk } from '../../../electron/desk/open';
import { databasePath } from '../../../electron/desk/store/connection';
import { bookToFhirBundle, Problems, readFhirBundleDocument, type UpstreamBatch } from '../../../electron/desk/upstream';
import type { FhirResource } from '../../../electron/desk/upstream/fhir/export';
import { FIXTURE_DATE, tempDir } from '../../support/fixtures';
import { NEXT_DAY, openReceptionDesk, receptionBook } from './reception-fixture';

const ctx = { user: 'ann.receptionist', desk: 'front-desk-1' };

function batchOf(book: PracticeBook, edit: (resources: FhirResource[]) => FhirResource[] = (r) => r, dates?: string[]): UpstreamBatch {
  const bundle = bookToFhirBundle(book);
  const resources = edit(bundle.entry.map((e) => e.resource));
  return readFhirBundleDocument(
    { ...bundle, entry: resources.map((resource) => ({ resource })) },
    { file: 'book.json', source: 'file book.json', problems: new Problems(false), ...(dates ? { dates } : {}) },
  );
}

type Desk = ReturnType<typeof openDesk>;

/** A morning's local work: a new patient walks in, a cancelled patient is rebooked tomorrow, one is moved. */
function doLocalWork(desk: Desk) {
  const call = <T>(name: Parameters<Desk['dispatch']>[0], input: unknown): T => {
    const r = desk.dispatch(name, input, ctx);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  };
  const walkIn = call<{ appointment: AppointmentRow }>('registerWalkIn', {
    patient: { kind: 'new', details: { familyName: 'Nowicka', givenName: 'Ola', dateOfBirth: '1995-02-03', temporaryResident: true } },
    triage: 'urgent_today',
    assignTo: { kind: 'duty' },
  }).appointment;
  const rebooked = call<{ booked: AppointmentRow }>('rebookAppointment', { appointmentId: 'appt-4', expectedVersion: 0, slotId: 'slot-a-next-0900' }).booked;
  const moved = call<{ booked: AppointmentRow }>('rebookAppointment', { appointmentId: 'appt-2', expectedVersion: 0, slotId: 'slot-a-next-0910' }).booked;
  return { walkIn, rebooked, moved };
}

function localState(desk: Desk, ids: { walkIn: AppointmentRow; rebooked: AppointmentRow; moved: AppointmentRow }) {
  const m = desk.service.mirror;
  return {
    walkIn: m.appointmentRow(ids.walkIn.id),
    rebooked: m.appointmentRow(ids.rebooked.id),
    moved: m.appointmentRow(ids.moved.id),
    appt4: m.appointment('appt-4'),
    appt2: m.appointment('appt-2'),
    patient: m.patient(ids.walkIn.patientId),
  };
}

describe('refresh keeps what the reception desk made', () => {
  it('on its own base: an unchanged upstream, then an upstream that changed and dropped things, leave every local record', () => {
    const dataDir = tempDir();
    const clock = { now: new Date(localToIso(FIXTURE_DATE, '08:00')) };
    const desk = openDesk({ dataDir, user: 'test', desk: 'test-desk', clock: () => clock.now });
    desk.service.upstream.refresh(batchOf(receptionBook()), ctx);
    const ids = doLocalWork(desk);
    const before = localState(desk, ids);
    expect(before.walkIn).toMatchObject({ version: 1, upstreamVersion: null, patient: { desk: { origin: 'desk' } } });
    expect(before.rebooked).toMatchObject({ version: 1, upstreamVersion: null, slotId: 'slot-a-next-0900' });

    clock.now = new Date(localToIso(FIXTURE_DATE, '08:05'));
    const same = desk.service.upstream.refresh(batchOf(receptionBook()), ctx);
    expect(same.appointments).toMatchObject({ added: 0, removed: 0 });
    expect(localState(desk, ids)).toEqual(before);

    // Upstream moves on: it lost appt-4 and appt-2 (cancelled there too), books its own patient into tomorrow's
    // 09:00 slot (now busy upstream) and sends both days. The desk's records stay; upstream's changes wait beside them.
    const changed = receptionBook();
    changed.appointments = changed.appointments.filter((a) => a.id !== 'appt-4' && a.id !== 'appt-2');
    changed.slots = changed.slots.map((s) => (s.id === 'slot-a-next-0900' ? { ...s, status: 'busy' as const } : s));
    clock.now = new Date(localToIso(FIXTURE_DATE, '08:10'));
    const bumped = (r: FhirResource) => (r.id === 'slot-a-next-0900' ? { ...r, meta: { versionId: '2' } } : r);
    const report = desk.service.upstream.refresh(
      batchOf(changed, (rs) => rs.map(bumped), [FIXTURE_DATE, NEXT_DAY]),
      ctx,
    );
    expect(report.held.map((h) => [h.id, h.change]).toSorted()).toEqual([
      ['appt-2', 'removed'],
      ['appt-4', 'removed'],
    ]);
    expect(localState(desk, ids)).toEqual(before);
    // The slot row is upstream's truth (busy); the desk's rebooking into it is kept for merge-back to resolve.
    expect(desk.service.mirror.slot('slot-a-next-0900')?.status).toBe('busy');
    expect(
      desk.service
        .getDay(NEXT_DAY, null)
        .appointments.map((a) => a.id)
        .toSorted(),
    ).toEqual([ids.moved.id, ids.rebooked.id].toSorted());
    expect(desk.service.getMirrorStatus().upstream.localChanges).toBeGreaterThanOrEqual(5);
    desk.close();
  });

  it('after a whole-book load (base started afresh): local appointments, their patient and their slots stay', () => {
    const desk = openReceptionDesk();
    desk.at('08:00');
    const ids = doLocalWork(desk);
    const before = localState(desk, ids);
    desk.at('08:05');
    const upstream = receptionBook();
    upstream.slots = upstream.slots.filter((s) => s.id !== 'slot-a-next-0910');
    desk.service.upstream.refresh(
      batchOf(upstream, (r) => r, [FIXTURE_DATE, NEXT_DAY]),
      ctx,
    );
    expect(localState(desk, ids)).toEqual(before);
    // Still referenced by the desk's rebooking, so not removed though upstream no longer lists it.
    expect(desk.service.mirror.slot('slot-a-next-0910')).not.toBeNull();
    desk.close();
  });

  it('the database itself will not delete a patient registered at the desk, and a whole-book load is refused', () => {
    const desk = openReceptionDesk();
    const { walkIn } = doLocalWork(desk);
    const raw = rawDatabase(databasePath(desk.dataDir));
    raw.pragma('foreign_keys = OFF');
    raw.prepare('DELETE FROM patient WHERE local = 1').run();
    expect(raw.prepare('SELECT count(*) AS n FROM patient WHERE local = 1').get()).toEqual({ n: 1 });
    raw.close();
    expect(() => desk.service.loadBook(receptionBook(), 'again', ctx)).toThrow(/not yet merged back/);
    expect(desk.service.mirror.patient(walkIn.patientId)).not.toBeNull();
    desk.close();
  });
});
