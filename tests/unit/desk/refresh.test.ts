import { rawDatabase } from '../../support/raw-db';
import { describe, expect, it } from 'vitest';
import { DeskError, UpstreamInfo, type DeskEvent } from '../../../shared/api';
import { localToIso, type PracticeBook } from '../../../shared/domain';
import { openDesk } from '../../../electron/desk/open';
import { databasePath } from '../../../electron/desk/store/connection';
import { bookToFhirBundle, Problems, readFhirBundleDocument, type UpstreamBatch } from '../../../electron/desk/upstream';
import type { FhirResource } from '../../../electron/desk/upstream/fhir/export';
import type { KnownFingerprints } from '../../../electron/desk/upstream/batch';
import { FIXTURE_DATE, openTestDesk, smallBook, tempDir } from '../../support/fixtures';
import { snapshot } from '../upstream/support';

const ctx = { user: 'ann.receptionist', desk: 'front-desk-1' };

/** A Bundle of the book, assembled upstream at `timestamp` (by default the moment emptyDesk's clock starts at). */
function batchOf(
  book: PracticeBook,
  edit: (resources: FhirResource[]) => FhirResource[] = (r) => r,
  skipInvalid = false,
  known?: KnownFingerprints,
  timestamp = '2026-07-20T07:30:00Z',
): UpstreamBatch {
  const bundle = bookToFhirBundle(book);
  const resources = edit(bundle.entry.map((e) => e.resource));
  return readFhirBundleDocument(
    { ...bundle, timestamp, entry: resources.map((resource) => ({ resource })) },
    { file: 'book.json', source: 'file book.json', problems: new Problems(skipInvalid), known },
  );
}
/** Read lazily: the entity is a getter (on the item's class), not a value the reader filled in. */
const isLazy = (item: object) => !Object.prototype.hasOwnProperty.call(item, 'entity');

/** A desk on an empty data folder (no loadBook), with a clock the test moves. */
function emptyDesk() {
  const clock = { now: new Date('2026-07-20T07:30:00Z') };
  const dataDir = tempDir();
  const desk = openDesk({ dataDir, user: 'test', desk: 'test-desk', clock: () => clock.now });
  const events: DeskEvent[] = [];
  desk.onEvent((e) => events.push(e));
  return Object.assign(desk, { dataDir, clock, events });
}

const withVersion = (r: FhirResource, versionId: string, change: Partial<FhirResource> = {}): FhirResource => ({ ...r, ...change, meta: { versionId } });
const byId = (id: string) => (r: FhirResource) => r.id === id;
const tables = (dataDir: string, names: string[]) => {
  const all = JSON.parse(snapshot(dataDir)) as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, all[n]]));
};

describe('refresh: a first import into an empty mirror', () => {
  it('loads the book, the practice from its Organization, journals it and announces it after the commit', () => {
    const desk = emptyDesk();
    let seenByAnotherReader: number | null = null;
    desk.onEvent(() => {
      const reader = rawDatabase(databasePath(desk.dataDir), { readonly: true });
      seenByAnotherReader = (reader.prepare('SELECT count(*) AS n FROM appointment').get() as { n: number }).n;
      reader.close();
    });
    const report = desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    expect(report).toMatchObject({
      practice: 'added',
      dates: [FIXTURE_DATE],
      appointments: { added: 5, changed: 0, removed: 0, unchanged: 0, skipped: 0 },
      patients: { added: 4 },
      clinicians: { added: 2 },
      sessions: { added: 2 },
      held: [],
      invalid: [],
    });
    expect(desk.service.mirror.practice()).toEqual({ id: 'prac-1', name: 'Test Street Surgery', odsCode: 'Y99999' });
    const day = desk.service.getDay(FIXTURE_DATE, null);
    expect(day.appointments.map((a) => a.id)).toEqual(['appt-1', 'appt-2', 'appt-5', 'appt-3', 'appt-4']);
    expect(day.appointments[0]).toMatchObject({ patient: { familyName: "O'Brien", flags: ['suspected_cancer'] }, version: 0, upstreamVersion: '1' });
    expect(day.mirror).toEqual({ asOf: '2026-07-20T07:30:00.000Z', loadedAt: '2026-07-20T07:30:00.000Z', source: 'file book.json', mode: 'online', staleAfterMinutes: 30 });
    const entry = desk.service.journal.list().at(-1);
    expect(entry).toMatchObject({ op: 'mirror.refresh', user: ctx.user, desk: ctx.desk, after: { appointments: { added: 5 }, dates: [FIXTURE_DATE] } });
    expect(desk.events).toEqual([{ kind: 'mirror.replaced', seq: entry?.seq, asOf: '2026-07-20T07:30:00.000Z' }]);
    expect(seenByAnotherReader).toBe(5);
    desk.close();
  });

  it('uses a default practice ("Practice", no ODS code) when the data names none', () => {
    const desk = emptyDesk();
    const report = desk.service.upstream.refresh(
      batchOf(smallBook(), (rs) => rs.filter((r) => r.resourceType !== 'Organization')),
      ctx,
    );
    expect(report.practice).toBe('default');
    expect(desk.service.mirror.practice()).toEqual({ id: 'practice', name: 'Practice', odsCode: null });
    desk.close();
  });

  it('keeps the upstream record and its version as the base for merge-back', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const raw = rawDatabase(databasePath(desk.dataDir), { readonly: true });
    const row = raw.prepare("SELECT * FROM upstream_record WHERE resource_type = 'Appointment' AND id = 'appt-1'").get() as Record<string, string>;
    raw.close();
    expect(row).toMatchObject({ version: '1', format: 'fhir', pulled_at: '2026-07-20T07:30:00.000Z', source: 'file book.json' });
    expect(JSON.parse(row['raw'] ?? '')).toMatchObject({ resourceType: 'Appointment', id: 'appt-1', status: 'booked' });
    expect(JSON.parse(row['entity'] ?? '')).toMatchObject({ id: 'appt-1', status: 'booked', patientId: 'pat-1' });
    desk.close();
  });
});

describe('refresh: a mirror that already holds the book', () => {
  it('skips unchanged records without rewriting them', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const mirrored = ['appointment', 'patient', 'clinician', 'session', 'slot', 'upstream_record', 'upstream_pending'];
    const before = tables(desk.dataDir, mirrored);
    desk.clock.now = new Date('2026-07-20T07:35:00Z');
    const report = desk.service.upstream.refresh(batchOf(smallBook(), undefined, false, undefined, '2026-07-20T07:35:00Z'), ctx);
    expect(report.appointments).toEqual({ added: 0, changed: 0, removed: 0, unchanged: 5, skipped: 0 });
    expect(report.patients).toMatchObject({ unchanged: 4, changed: 0 });
    expect(tables(desk.dataDir, mirrored)).toEqual(before);
    expect(desk.service.mirrorInfo().asOf).toBe('2026-07-20T07:35:00.000Z');
    desk.close();
  });

  it('does not read again what the mirror holds at the same version, yet still checks what the batch needs', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const known = desk.service.upstream.knownFingerprints();
    expect(known.byType.get('Appointment')?.size).toBe(5);
    const batch = batchOf(smallBook(), (rs) => rs.map((r) => (byId('appt-2')(r) ? withVersion(r, '2', { status: 'arrived' }) : r)), false, known);
    expect([...batch.appointments.values()].map((i) => [i.id, isLazy(i)])).toEqual([
      ['appt-1', true],
      ['appt-2', false],
      ['appt-3', true],
      ['appt-4', true],
      ['appt-5', true],
    ]);
    expect(batch.dates).toEqual([FIXTURE_DATE]);
    const report = desk.service.upstream.refresh(batch, ctx);
    expect(report.appointments).toMatchObject({ changed: 1, unchanged: 4 });
    // An unchanged appointment whose patient has gone from the bundle is read in full, and the problem named.
    expect(() => batchOf(smallBook(), (rs) => rs.filter((r) => r.id !== 'pat-1'), false, desk.service.upstream.knownFingerprints())).toThrow(
      /Appointment\/appt-1\): Appointment\.participant\.actor: refers to Patient\/pat-1, which is not in the bundle/,
    );
    desk.close();
  });

  it('reuses the fingerprints it read while no base record is written, and reads them again after any write', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const first = desk.service.upstream.knownFingerprints();
    // An unchanged refresh writes no base record: the same reading serves the next pull.
    desk.service.upstream.refresh(
      batchOf(smallBook(), (r) => r, false, first),
      ctx,
    );
    expect(desk.service.upstream.knownFingerprints()).toBe(first);
    // A write the journal does not see (merge-back settling an item rewrites the fingerprint in place) is seen
    // all the same: the triggers move the counter whoever writes.
    const raw = (desk.service.journal as unknown as { db: { raw: { prepare(sql: string): { run(): unknown } } } }).db.raw;
    raw.prepare("UPDATE upstream_record SET fingerprint = 'settled' WHERE resource_type = 'Appointment' AND id = 'appt-1'").run();
    const after = desk.service.upstream.knownFingerprints();
    expect(after).not.toBe(first);
    expect(after.generation).toBeGreaterThan(first.generation);
    expect(after.byType.get('Appointment')?.get('appt-1')).toBe('settled');
    // And a batch read against the old fingerprints is not trusted by the refresh: appt-1 is written again.
    const stale = batchOf(smallBook(), (r) => r, false, first);
    const report = desk.service.upstream.refresh(stale, ctx);
    expect(report.appointments).toMatchObject({ changed: 1, unchanged: 4 });
    expect(desk.service.upstream.knownFingerprints().byType.get('Appointment')?.get('appt-1')).not.toBe('settled');
    desk.close();
  });

  it('reads a skipped record after all if the mirror changed between reading and writing', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const stale = batchOf(smallBook(), (r) => r, false, desk.service.upstream.knownFingerprints());
    // Meanwhile another refresh takes appt-1 away.
    desk.service.upstream.refresh(
      batchOf(smallBook(), (rs) => rs.filter((r) => r.id !== 'appt-1')),
      ctx,
    );
    expect(desk.service.mirror.appointment('appt-1')).toBeNull();
    const report = desk.service.upstream.refresh(stale, ctx);
    expect(report.appointments).toMatchObject({ added: 1, unchanged: 4 });
    expect(desk.service.mirror.appointment('appt-1')).toMatchObject({ id: 'appt-1', patientId: 'pat-1', status: 'booked', upstreamVersion: '1' });
    desk.close();
  });

  it('applies an upstream change to a record the desk has not touched', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const report = desk.service.upstream.refresh(
      batchOf(smallBook(), (rs) => rs.map((r) => (byId('appt-2')(r) ? withVersion(r, '2', { status: 'cancelled', cancelationReason: { text: 'Practice closed' } }) : r))),
      ctx,
    );
    expect(report.appointments).toMatchObject({ changed: 1, unchanged: 4 });
    expect(desk.service.mirror.appointment('appt-2')).toMatchObject({ status: 'cancelled', cancelReason: 'Practice closed', upstreamVersion: '2', version: 0 });
    desk.close();
  });

  it('never overwrites an appointment with local changes: the upstream change waits beside it', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    expect(desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived', expectedVersion: 0 }, ctx).ok).toBe(true);
    const report = desk.service.upstream.refresh(
      batchOf(smallBook(), (rs) => rs.map((r) => (byId('appt-1')(r) ? withVersion(r, '2', { status: 'cancelled' }) : r))),
      ctx,
    );
    expect(report.appointments).toMatchObject({ skipped: 1, changed: 0, unchanged: 4 });
    expect(report.held).toEqual([{ resourceType: 'Appointment', id: 'appt-1', change: 'changed' }]);
    expect(desk.service.mirror.appointment('appt-1')).toMatchObject({ status: 'arrived', version: 1, upstreamVersion: '1' });
    const raw = rawDatabase(databasePath(desk.dataDir), { readonly: true });
    expect(raw.prepare("SELECT version FROM upstream_record WHERE id = 'appt-1'").get()).toEqual({ version: '1' });
    expect(raw.prepare("SELECT change, version, base_version, local_version FROM upstream_pending WHERE id = 'appt-1'").get()).toEqual({
      change: 'changed',
      version: '2',
      base_version: '1',
      local_version: 1,
    });
    raw.close();
    expect(desk.service.getMirrorStatus().upstream).toMatchObject({ heldChanges: 1, localChanges: 1 });
    desk.close();
  });

  it('removes what upstream no longer has on the refreshed dates, keeps other dates, and holds removals of changed records', () => {
    const desk = emptyDesk();
    const book = smallBook();
    const nextDay = '2026-07-21';
    const tomorrow = {
      ...book.appointments[0],
      id: 'appt-6',
      start: localToIso(nextDay, '09:00'),
      end: localToIso(nextDay, '09:10'),
      sessionId: null,
    } as (typeof book.appointments)[number];
    desk.service.upstream.refresh(batchOf({ ...book, appointments: [...book.appointments, tomorrow] }), ctx);
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived' }, ctx);
    // Upstream now: appt-2 and appt-3 gone from the 20th; the file covers only the 20th.
    const report = desk.service.upstream.refresh(
      batchOf(book, (rs) => rs.filter((r) => r.id !== 'appt-2' && r.id !== 'appt-3' && r.id !== 'pat-2')),
      ctx,
    );
    expect(report.dates).toEqual([FIXTURE_DATE]);
    expect(report.appointments).toMatchObject({ removed: 1, skipped: 1, unchanged: 3 });
    expect(report.held).toEqual([{ resourceType: 'Appointment', id: 'appt-3', change: 'removed' }]);
    expect(report.patients.removed).toBe(1);
    expect(desk.service.mirror.appointment('appt-2')).toBeNull();
    expect(desk.service.mirror.appointment('appt-3')).toMatchObject({ status: 'arrived' });
    expect(desk.service.mirror.appointment('appt-6')).not.toBeNull();
    // pat-3 is absent upstream now, but the kept appointment still needs them.
    expect(desk.service.searchPatients('smith-jones', FIXTURE_DATE, 5).map((h) => h.patient.id)).toEqual(['pat-3']);
    expect(desk.service.searchPatients('muller', FIXTURE_DATE, 5)).toEqual([]);
    desk.close();
  });

  it('with invalid records skipped, lists them and does not take them as removed upstream', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const batch = batchOf(smallBook(), (rs) => rs.map((r) => (byId('appt-1')(r) ? withVersion({ ...r, start: undefined }, '2') : r)), true);
    const report = desk.service.upstream.refresh(batch, ctx);
    expect(report.invalid).toEqual([expect.objectContaining({ id: 'appt-1', field: 'Appointment.start', message: 'an appointment needs a start time' })]);
    expect(report.appointments).toMatchObject({ removed: 0, skipped: 1, unchanged: 4 });
    expect(desk.service.mirror.appointment('appt-1')).not.toBeNull();
    desk.close();
  });

  it("refuses another practice's book and changes nothing", () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const before = snapshot(desk.dataDir);
    const other = batchOf(smallBook(), (rs) =>
      rs.map((r) => (r.resourceType === 'Organization' ? { ...r, identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'Y88888' }] } : r)),
    );
    expect(() => desk.service.upstream.refresh(other, ctx)).toThrow(DeskError);
    expect(() => desk.service.upstream.refresh(other, ctx)).toThrow(/ODS code Y88888.*Test Street Surgery \(Y99999\)/);
    expect(snapshot(desk.dataDir)).toBe(before);
    desk.close();
  });

  it('after a whole-book load (the demo), starts afresh: the loaded book is replaced on the dates refreshed', () => {
    const desk = openTestDesk();
    const book = smallBook();
    const report = desk.service.upstream.refresh(batchOf({ ...book, appointments: book.appointments.slice(0, 2) }), ctx);
    expect(report.appointments).toMatchObject({ changed: 2, removed: 3 });
    expect(desk.service.getDay(FIXTURE_DATE, null).appointments.map((a) => a.id)).toEqual(['appt-1', 'appt-2']);
    desk.close();
  });
});

describe('refresh: atomicity', () => {
  it('a failure half way leaves the old book byte for byte, and announces nothing', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const before = snapshot(desk.dataDir);
    const events = desk.events.length;
    const batch = batchOf(smallBook(), (rs) => rs.map((r) => (byId('appt-5')(r) ? withVersion(r, '2') : byId('appt-1')(r) ? withVersion(r, '2', { status: 'noshow' }) : r)));
    // A record that passed reading but breaks a constraint when written (the last appointment written).
    const item = batch.appointments.get('appt-5');
    if (!item) throw new Error('fixture has appt-5');
    item.entity = { ...item.entity, patientId: 'no-such-patient' };
    expect(() => desk.service.upstream.refresh(batch, ctx)).toThrow(/FOREIGN KEY/);
    expect(snapshot(desk.dataDir)).toBe(before);
    expect(desk.events.length).toBe(events);
    desk.close();
  });

  it('a reader sees the old book or the new one, never a mix', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    const reader = rawDatabase(databasePath(desk.dataDir), { readonly: true });
    const ids = () => (reader.prepare('SELECT id FROM appointment ORDER BY id').pluck().all() as string[]).join(',');
    reader.exec('BEGIN');
    const old = ids();
    desk.service.upstream.refresh(
      batchOf(smallBook(), (rs) => rs.filter((r) => r.id !== 'appt-1' && r.id !== 'appt-2')),
      ctx,
    );
    expect(ids()).toBe(old);
    reader.exec('COMMIT');
    expect(ids()).toBe('appt-3,appt-4,appt-5');
    reader.close();
    desk.close();
  });
});

describe('outage mode and freshness', () => {
  it('switches itself to outage mode when upstream does not answer, journals it and says so', () => {
    const desk = emptyDesk();
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    expect(desk.service.upstream.recordPullFailure('timeout', 'no answer within 20 s from gp.example', ctx)).toBe(true);
    expect(desk.service.mirrorInfo().mode).toBe('outage');
    // The upstream part of getMirrorStatus, through its contract schema.
    const upstream = UpstreamInfo.parse(desk.service.getMirrorStatus().upstream);
    expect(upstream).toMatchObject({ reachable: false, lastError: 'no answer within 20 s from gp.example', lastErrorAt: '2026-07-20T07:30:00.000Z' });
    expect(desk.service.journal.list().slice(-2)).toEqual([
      expect.objectContaining({ op: 'upstream.reachability', after: { reachable: false, error: 'no answer within 20 s from gp.example' } }),
      expect.objectContaining({ op: 'desk.setMode', before: { mode: 'online' }, after: expect.objectContaining({ mode: 'outage', automatic: true }) }),
    ]);
    expect(desk.events.at(-1)).toMatchObject({ kind: 'mirror.replaced' });
    // A second failure changes the error, not the mode, and adds nothing to the journal.
    const entries = desk.service.journal.summary().entries;
    expect(desk.service.upstream.recordPullFailure('server', 'gp.example answered 503', ctx)).toBe(false);
    expect(desk.service.journal.summary().entries).toBe(entries);
    desk.close();
  });

  it('does not switch to outage mode for a refusal (4xx) or bad data: that is a fault to fix, not an outage', () => {
    const desk = emptyDesk();
    expect(desk.service.upstream.recordPullFailure('client', 'refused the request: 401', ctx)).toBe(false);
    expect(desk.service.mirrorInfo().mode).toBe('online');
    expect(desk.service.getMirrorStatus().upstream).toMatchObject({ reachable: true, lastError: 'refused the request: 401' });
    desk.close();
  });

  it('records upstream answering again but stays in outage mode until a person switches it back', () => {
    const desk = emptyDesk();
    desk.service.upstream.recordPullFailure('unreachable', 'cannot reach gp.example (ECONNREFUSED)', ctx);
    desk.service.upstream.recordReachable(ctx);
    expect(desk.service.getMirrorStatus()).toMatchObject({ mirror: { mode: 'outage' }, upstream: { reachable: true } });
    const result = desk.dispatch('setMode', { mode: 'online', reason: 'EMIS back, checked with practice manager' }, ctx);
    expect(result).toMatchObject({ ok: true, value: { mode: 'online' } });
    expect(desk.service.journal.list().at(-1)).toMatchObject({
      op: 'desk.setMode',
      user: ctx.user,
      before: { mode: 'outage' },
      after: { mode: 'online', automatic: false, reason: 'EMIS back, checked with practice manager' },
    });
    const entries = desk.service.journal.summary().entries;
    expect(desk.dispatch('setMode', { mode: 'online' }, ctx).ok).toBe(true);
    expect(desk.service.journal.summary().entries).toBe(entries);
    expect(desk.dispatch('setMode', { mode: 'offline' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'mode' }] } });
    desk.close();
  });

  it("reports the mirror's age and warns when it is older than the threshold", () => {
    const desk = emptyDesk();
    expect(desk.service.getMirrorStatus().upstream).toMatchObject({ asOf: null, ageMinutes: null, stale: false, staleAfterMinutes: 30 });
    desk.service.upstream.refresh(batchOf(smallBook()), ctx);
    desk.clock.now = new Date('2026-07-20T07:59:59Z');
    expect(desk.service.getMirrorStatus().upstream).toMatchObject({ ageMinutes: 29, stale: false, dates: [FIXTURE_DATE] });
    desk.clock.now = new Date('2026-07-20T08:00:00Z');
    expect(desk.service.getMirrorStatus().upstream).toMatchObject({ ageMinutes: 30, stale: true });
    desk.service.upstream.setStaleAfterMinutes(45);
    expect(desk.service.getMirrorStatus().upstream).toMatchObject({ stale: false, staleAfterMinutes: 45 });
    desk.close();
  });
});
