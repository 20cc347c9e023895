/**
 * The practice list (issue 19 item 4): every registered patient is mirrored from a whole-list source (an EMIS or
 * full SystmOne extract's patient file, a patient-list CSV, a FHIR pull of the practice's Patients); a batch that
 * does not carry the list (a day's book) never removes a patient the list delivered; a whole list removes those who
 * have left. The desk then finds list-only patients, and a walk-in from the list keeps their identity.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppointmentRow, PatientHit } from '../../../shared/api';
import type { Patient } from '../../../shared/domain';
import { openDesk } from '../../../electron/desk/open';
import { databasePath } from '../../../electron/desk/store/connection';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { pullBook } from '../../../electron/desk/upstream/fhir/client';
import type { ListedPatient } from '../../../electron/desk/upstream/batch';
import { FhirTestServer, type FhirJson } from '../../doubles/fhir-server';
import { rawDatabase } from '../../support/raw-db';
import { tempDir, testNhsNumber } from '../../support/fixtures';
import { emisExtract, emisName, EXTRACT_DAY, EXTRACT_ODS, extractDayBook, practiceListOnly, systmOneExtract, toCp1252 } from '../../fixtures/feeds/extracts';
import { cli, writeTemp } from './support';

const FEEDS = path.resolve(__dirname, '../../fixtures/feeds');
const ctx = { user: 'scheduler', desk: 'front-desk-1' };
/** 09:30 London on the extract's day. */
const NINE_THIRTY = new Date(`${EXTRACT_DAY}T08:30:00Z`);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function desk(dataDir = tempDir()) {
  const d = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => NINE_THIRTY });
  cleanups.push(() => d.close());
  return Object.assign(d, { dataDir });
}

function patientIds(dataDir: string): string[] {
  const db = rawDatabase(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id FROM patient ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** What the base records say of each patient on the list (upstream_record.entity for patients). */
function listings(dataDir: string): Map<string, ListedPatient> {
  const db = rawDatabase(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT id, entity FROM upstream_record WHERE resource_type = 'Patient' AND entity IS NOT NULL").raw().all() as Array<[string, string]>;
    return new Map(rows.map(([id, json]) => [id, JSON.parse(json) as ListedPatient]));
  } finally {
    db.close();
  }
}

const BOOKED = extractDayBook().patients.map((p) => p.id);
const LIST_ONLY = practiceListOnly().map((l) => l.patient.id);
const EVERYONE = [...BOOKED, ...LIST_ONLY].sort();

function folderOf(files: ReadonlyMap<string, string>, cp1252 = false): string {
  const dir = tempDir('standby-list-');
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), cp1252 ? toCp1252(text) : text);
  return dir;
}

/** The day's book as a FHIR server holds it, with the practice list: each patient's GP is the practice. */
async function serverWithList(options: { listSize?: number; maxEntriesPerPage?: number } = {}) {
  const server = await FhirTestServer.start(options.maxEntriesPerPage === undefined ? {} : { maxEntriesPerPage: options.maxEntriesPerPage });
  cleanups.push(() => server.close());
  const book = extractDayBook();
  const registered = (r: FhirJson): FhirJson => (r.resourceType === 'Patient' ? { ...r, generalPractitioner: [{ reference: `Organization/${EXTRACT_ODS}` }] } : r);
  const listOnly = Array.from({ length: options.listSize ?? 25 }, (_, i) => ({
    resourceType: 'Patient',
    id: `LIST-${String(i + 1).padStart(3, '0')}`,
    meta: { versionId: '1' },
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: testNhsNumber(5000 + i * 13) }],
    name: [{ use: 'official', family: `Listed${String(i + 1).padStart(3, '0')}`, given: ['Pat'] }],
    gender: 'female',
    birthDate: '1970-01-01',
    ...(i === 0 ? { deceasedDateTime: '2026-06-01T10:00:00Z' } : {}),
    ...(i === 1 ? { address: [{ use: 'home', line: ['1 High Street'], city: 'Testbury', postalCode: 'ZZ99 3AD' }] } : {}),
    generalPractitioner: [{ reference: `Organization/${EXTRACT_ODS}` }],
  }));
  server.seed([...bookToFhirResources(book).map((r) => registered(r as FhirJson)), ...listOnly]);
  return { server, listOnly: listOnly.map((p) => p.id) };
}

describe('the practice list from an extract', () => {
  it('an EMIS extract mirrors every registered patient, booked or not, with what the list says of them', async () => {
    const dataDir = tempDir();
    const result = await cli('import', path.join(FEEDS, 'emis-day'), '--format', 'emis-extract', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ patients: { added: EVERYONE.length, removed: 0 }, appointments: { added: 6 } });
    expect(patientIds(dataDir)).toEqual(EVERYONE);
    const listed = listings(dataDir);
    expect([...listed.keys()].sort()).toEqual(EVERYONE);
    expect(listed.get('PAT-0101')).toEqual({ onList: true, deceased: false, temporaryResident: false, address: '14 Mill Lane, Testbury, ZZ99 3AB' });
    expect(listed.get('PAT-0102')).toMatchObject({ onList: true, temporaryResident: true });
    // Deceased: kept on the list, flagged.
    expect(listed.get('PAT-0103')).toMatchObject({ onList: true, deceased: true });

    // status --json counts the registered apart from the booked.
    const status = await cli('status', '--json', '--data', dataDir);
    expect(JSON.parse(status.stdout)).toMatchObject({ patients: 8, bookedPatients: 5, registeredNotBooked: 3 });
  });

  it('a full SystmOne extract mirrors SRPatient whole, the deceased flagged; a delta removes nobody', async () => {
    const dataDir = tempDir();
    const result = await cli('import', path.join(FEEDS, 'systmone-day'), '--format', 'systmone-extract', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(patientIds(dataDir)).toEqual(EVERYONE);
    expect(listings(dataDir).get('PAT-0103')).toMatchObject({ onList: true, deceased: true });
    // The list-only patients' phones come from SRPatientContactDetails (the mobile).
    const d = desk(dataDir);
    expect(d.service.mirror.patient('PAT-0101')?.phone).toBe('07700900201');
    d.close();
    cleanups.pop();

    // A delta holding one changed list patient, and no one else: nobody is removed for being absent from it.
    const files = systmOneExtract(extractDayBook(), { delta: true, list: practiceListOnly().slice(0, 1) });
    const [header = '', ...rows] = (files.get('SRPatient.csv') ?? '').split('\r\n');
    files.set('SRPatient.csv', [header, ...rows.filter((r) => r.startsWith('PAT-0101,')).map((r) => r.replace(',Fairweather,', ',Fairweather-Hale,'))].join('\r\n'));
    files.set('SRAppointment.csv', (files.get('SRAppointment.csv') ?? '').split('\r\n')[0] ?? '');
    const delta = await cli('import', folderOf(files, true), '--format', 'systmone-extract', '--data', dataDir, '--json');
    expect(delta.stderr).toBe('');
    expect(JSON.parse(delta.stdout)).toMatchObject({ patients: { changed: 1, removed: 0 } });
    expect(patientIds(dataDir)).toEqual(EVERYONE);
  });

  it('a later whole list removes a patient who left the practice, but keeps one who left with an appointment still booked', async () => {
    const dataDir = tempDir();
    expect(await cli('import', folderOf(emisExtract(extractDayBook(), practiceListOnly())), '--format', 'emis-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    // PAT-0101 has moved away (no longer in the patient file); PAT-0004 has left but is booked today (deactivated).
    const files = emisExtract(extractDayBook(), practiceListOnly());
    const name = emisName('Admin_Patient');
    const lines = (files.get(name) ?? '').split('\r\n');
    const header = (lines[0] ?? '').split(',');
    const deactivated = header.indexOf('DateOfDeactivation');
    files.set(
      name,
      lines
        .filter((l) => !l.startsWith('PAT-0101,'))
        .map((l) => {
          if (!l.startsWith('PAT-0004,')) return l;
          const cells = l.split(',');
          cells[deactivated] = '2026-07-19';
          return cells.join(',');
        })
        .join('\r\n'),
    );
    const result = await cli('import', folderOf(files), '--format', 'emis-extract', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ patients: { removed: 1 } });
    expect(patientIds(dataDir)).toEqual(EVERYONE.filter((id) => id !== 'PAT-0101'));
    // Still booked, so still mirrored; but no longer on the list, so the next day's book may let them go.
    expect(listings(dataDir).get('PAT-0004')?.onList).toBe(false);
  });
});

describe('the practice list from a patient-list CSV', () => {
  const LIST_CSV = [
    'patient_id,nhs_number,family_name,given_name,date_of_birth,sex,phone,address,postcode,date_of_death,registration_type',
    `csv-1,${testNhsNumber(7001)},Penhaligon,Tamsin,12/05/1981,F,07700 900301,"2 Quay Street, Testbury",ZZ99 3AE,,Regular`,
    `csv-2,${testNhsNumber(7002)},Oyelaran,Dayo,1999-02-28,M,,,,,Temporary resident`,
    `csv-3,${testNhsNumber(7003)},Marchetti,Luisa,01/01/1930,F,,,,03/07/2026,Regular`,
  ].join('\r\n');

  it('reads the default layout as the whole list, and a later appointment-only CSV keeps it', async () => {
    const dataDir = tempDir();
    const result = await cli('import', writeTemp('practice-list.csv', LIST_CSV), '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ patients: { added: 3 }, appointments: { added: 0 } });
    expect(listings(dataDir).get('csv-1')).toEqual({ onList: true, deceased: false, temporaryResident: false, address: '2 Quay Street, Testbury, ZZ99 3AE' });
    expect(listings(dataDir).get('csv-2')).toMatchObject({ temporaryResident: true });
    expect(listings(dataDir).get('csv-3')).toMatchObject({ deceased: true });

    // A day's book as a FHIR Bundle file (it says nothing of who is registered): the list stays.
    const day = { resourceType: 'Bundle', type: 'collection', entry: bookToFhirResources(extractDayBook()).map((resource) => ({ resource })) };
    const book = await cli('import', writeTemp('day.json', JSON.stringify(day)), '--data', dataDir, '--json');
    expect(book.stderr).toBe('');
    expect(JSON.parse(book.stdout)).toMatchObject({ patients: { added: 5, removed: 0 } });
    expect(patientIds(dataDir)).toEqual([...BOOKED, 'csv-1', 'csv-2', 'csv-3'].sort());

    // The same list again: nothing changes, nothing is written.
    const again = await cli('import', writeTemp('practice-list.csv', LIST_CSV), '--data', dataDir, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ patients: { unchanged: 3, added: 0, changed: 0, removed: 0 } });
  });

  it('a bad row names the file, the row and the column, and changes nothing', async () => {
    const dataDir = tempDir();
    const bad = `${LIST_CSV}\r\ncsv-4,,Nobody,,31/02/1990,F,,,,,`;
    const result = await cli('import', writeTemp('practice-list.csv', bad), '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/practice-list\.csv: row 5: date_of_birth: "31\/02\/1990" is not a date/);
  });
});

describe('the practice list from FHIR', () => {
  it('pages the practice’s Patients with the pull, backing off a page the server refuses for its size', async () => {
    const { server, listOnly } = await serverWithList({ listSize: 25, maxEntriesPerPage: 15 });
    const d = desk();
    const batch = await pullBook({ baseUrl: server.baseUrl, pageSize: 20, odsCode: EXTRACT_ODS }, { dates: [EXTRACT_DAY], practiceList: true, clock: () => NINE_THIRTY });
    expect(batch.patientList).toBe('whole');
    const patientPages = server.requests.filter((r) => r.url.includes('/Patient?'));
    expect(patientPages.some((r) => r.url.includes(`general-practitioner=Organization%2F${EXTRACT_ODS}`))).toBe(true);
    // 30 patients, at most 15 entries a page: refused at 20, asked again at 10, then three pages of 10.
    expect(patientPages.map((r) => new URL(r.url, server.baseUrl).searchParams.get('_count'))).toEqual(['20', '10', '10', '10']);
    const report = d.service.upstream.refresh(batch, ctx, { pulledFrom: server.baseUrl });
    expect(report.invalid).toEqual([]);
    expect(patientIds(d.dataDir)).toEqual([...BOOKED, ...listOnly].sort());
    expect(listings(d.dataDir).get('LIST-001')).toMatchObject({ onList: true, deceased: true });
    expect(listings(d.dataDir).get('LIST-002')).toMatchObject({ address: '1 High Street, Testbury, ZZ99 3AD' });
  });

  it('a later appointment-only pull no longer deletes the unbooked registered patients', async () => {
    const { server, listOnly } = await serverWithList({ listSize: 5 });
    const d = desk();
    const settings = { baseUrl: server.baseUrl, odsCode: EXTRACT_ODS };
    d.service.upstream.refresh(await pullBook(settings, { dates: [EXTRACT_DAY], practiceList: true }), ctx, { pulledFrom: server.baseUrl });
    expect(patientIds(d.dataDir)).toHaveLength(BOOKED.length + listOnly.length);
    // The five-minutely pull: appointments only.
    const pull = await pullBook(settings, { dates: [EXTRACT_DAY] });
    expect(pull.patientList).toBe('referenced');
    const report = d.service.upstream.refresh(pull, ctx, { pulledFrom: server.baseUrl });
    expect(report.patients.removed).toBe(0);
    expect(patientIds(d.dataDir)).toEqual([...BOOKED, ...listOnly].sort());

    // A patient who left the practice goes with the next whole list; one still booked stays.
    server.seed([
      { resourceType: 'Patient', id: 'LIST-003', meta: { versionId: '2' }, name: [{ family: 'Listed003' }], generalPractitioner: [{ reference: 'Organization/ELSEWHERE' }] },
    ]);
    const whole = d.service.upstream.refresh(await pullBook(settings, { dates: [EXTRACT_DAY], practiceList: true }), ctx, { pulledFrom: server.baseUrl });
    expect(whole.patients.removed).toBe(1);
    expect(patientIds(d.dataDir)).not.toContain('LIST-003');
  });

  it('through the CLI: pull --list', async () => {
    const { server, listOnly } = await serverWithList({ listSize: 3 });
    const dataDir = tempDir();
    const result = await cli('pull', '--fhir', server.baseUrl, '--from', EXTRACT_DAY, '--days', '1', '--ods', EXTRACT_ODS, '--list', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(patientIds(dataDir)).toEqual([...BOOKED, ...listOnly].sort());

    // Whose list cannot be told (no --ods, and the server holds two Organizations): not asked for, and said so.
    server.seed([{ resourceType: 'Organization', id: 'OTHER', name: 'Another practice' }]);
    const unknown = await cli('pull', '--fhir', server.baseUrl, '--from', EXTRACT_DAY, '--days', '1', '--list', '--data', tempDir(), '--json');
    expect(unknown.code).toBe(0);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ notes: [expect.stringMatching(/the practice list was not read/)] });
    expect(server.requests.filter((r) => r.url.includes('/Patient?'))).toHaveLength(1);
  });
});

describe('finding list patients at the desk', () => {
  it('search finds a list-only patient by surname, DOB and NHS number, after those booked that day', async () => {
    const dataDir = tempDir();
    expect(await cli('import', path.join(FEEDS, 'emis-day'), '--format', 'emis-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    const d = desk(dataDir);
    const fairweather = practiceListOnly()[0]?.patient;
    if (!fairweather?.nhsNumber || !fairweather.dateOfBirth) throw new Error('fixture');
    const search = (query: string) => {
      const r = d.dispatch('searchPatients', { query, date: EXTRACT_DAY }, ctx);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return (r.value as PatientHit[]).map((h) => h.patient.id);
    };
    expect(search('fairweather')).toEqual(['PAT-0101']);
    expect(search('12/04/1976')).toEqual(['PAT-0101']);
    expect(search(fairweather.nhsNumber)).toEqual(['PAT-0101']);
  });

  it('a walk-in registered for a list patient is that patient, with their NHS number', async () => {
    const dataDir = tempDir();
    expect(await cli('import', path.join(FEEDS, 'emis-day'), '--format', 'emis-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    const d = desk(dataDir);
    d.service.upstream.setMode('outage', ctx, 'clinical system down');
    const r = d.dispatch('registerWalkIn', { patient: { kind: 'existing', patientId: 'PAT-0102' }, triage: 'routine', assignTo: { kind: 'duty' } }, ctx);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const walkIn = r.value as { patient: Patient; appointment: AppointmentRow | null };
    expect(walkIn.patient).toMatchObject({ id: 'PAT-0102', nhsNumber: practiceListOnly()[1]?.patient.nhsNumber, nhsNumberStatus: 'valid' });
    expect(walkIn.appointment?.patient.nhsNumber).toBe(practiceListOnly()[1]?.patient.nhsNumber);
    expect(patientIds(dataDir)).toEqual(EVERYONE);
  });

  it('nobody is registered as a walk-in or booked in the name of a patient the list records as deceased', async () => {
    const dataDir = tempDir();
    expect(await cli('import', path.join(FEEDS, 'emis-day'), '--format', 'emis-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    // At 09:00, with the 09:15 and 09:30 slots still to come.
    const d = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => new Date(`${EXTRACT_DAY}T08:00:00Z`) });
    cleanups.push(() => d.close());
    d.service.upstream.setMode('outage', ctx, 'clinical system down');
    const seqBefore = d.service.journal.lastSeq();
    const walkIn = d.dispatch('registerWalkIn', { patient: { kind: 'existing', patientId: 'PAT-0103' }, triage: 'routine', assignTo: { kind: 'duty' } }, ctx);
    expect(walkIn.ok).toBe(false);
    if (!walkIn.ok) expect(walkIn.error.message).toMatch(/^Harold Lindqvist is recorded as deceased on the practice list: check who this is/);
    const freeSlots = () => {
      const r = d.dispatch('findFreeSlots', { from: EXTRACT_DAY, to: EXTRACT_DAY, limit: 500 }, ctx);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return (r.value as Array<{ slot: { id: string } }>).map((s) => s.slot.id);
    };
    const slot = { slot: { id: freeSlots()[0] ?? '' } };
    if (slot.slot.id === '') throw new Error('the extract day has no free slot');
    const booking = d.dispatch('bookAppointment', { patientId: 'PAT-0103', slotId: slot.slot.id }, ctx);
    expect(booking.ok).toBe(false);
    if (!booking.ok) expect(booking.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/recorded as deceased.*nothing was booked$/) });
    // Nothing changed: no journal entry, the slot still free.
    expect(d.service.journal.lastSeq()).toBe(seqBefore);
    expect(freeSlots()).toContain(slot.slot.id);
    // A living list patient is booked as before.
    expect(d.dispatch('bookAppointment', { patientId: 'PAT-0101', slotId: slot.slot.id }, ctx).ok).toBe(true);
  });
});
