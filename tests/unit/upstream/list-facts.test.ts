/**
 * What the practice list says of a patient beyond who they are (deceased, temporary resident, address) reaches the
 * Patient the desk reads, from each source: an EMIS extract, a SystmOne extract (its SRPatientAddressHistory and
 * SRPatientRegistration: extract-systmone-list.test.ts), a patient-list CSV and FHIR Patient
 * (deceasedBoolean, deceasedDateTime, address). Read back as the screens read it: the patient, search results and
 * the day's rows; a day's book after the list keeps it; a corrected list takes it back; a desk group's member gets it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applySnapshot, installCapture, takeSnapshot } from '../../../electron/desk/group/replica';
import { openDesk } from '../../../electron/desk/open';
import { closeDatabase, databasePath, openDatabase } from '../../../electron/desk/store/connection';
import { MirrorStore } from '../../../electron/desk/store/mirror';
import { Db } from '../../../electron/desk/store/sql';
import { bookToCsv, bookToFhirResources, readImportFiles } from '../../../electron/desk/upstream';
import type { ImportFilesOptions } from '../../../electron/desk/upstream/files';
import { EXTRACT_DAY, extractDayBook } from '../../fixtures/feeds/extracts';
import { databasesAtVersion, expectMigratesTo } from '../../support/migrations';
import { tempDir, testNhsNumber } from '../../support/fixtures';

const FEEDS = path.resolve(__dirname, '../../fixtures/feeds');
const ctx = { user: 'test', desk: 'front-desk-1' };
const NINE_THIRTY = new Date(`${EXTRACT_DAY}T08:30:00Z`);

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function desk(dataDir = tempDir()) {
  const d = openDesk({ dataDir, user: 'test', desk: 'test', clock: () => NINE_THIRTY });
  cleanups.push(() => d.close());
  const importFiles = (files: string[], options: ImportFilesOptions = {}) => d.service.upstream.refresh(readImportFiles(files, options), ctx);
  return Object.assign(d, { dataDir, importFiles });
}

function writeTemp(name: string, text: string): string {
  const file = path.join(tempDir('standby-facts-'), name);
  fs.writeFileSync(file, text);
  return file;
}

const LIST_CSV_HEADER = 'patient_id,nhs_number,family_name,given_name,date_of_birth,sex,phone,address,postcode,date_of_death,registration_type';
const LIST_CSV_ROWS = [
  `csv-1,${testNhsNumber(7001)},Penhaligon,Tamsin,12/05/1981,F,07700 900301,"2 Quay Street, Testbury",ZZ99 3AE,,Regular`,
  `csv-2,${testNhsNumber(7002)},Oyelaran,Dayo,1999-02-28,M,,,,,Temporary resident`,
  `csv-3,${testNhsNumber(7003)},Marchetti,Luisa,01/01/1930,F,,,,03/07/2026,Regular`,
];

describe('the list’s facts on the Patient the desk reads', () => {
  it('from an EMIS extract: address, temporary resident, deceased, in the patient and in search results', () => {
    const d = desk();
    d.importFiles([path.join(FEEDS, 'emis-day')], { format: 'emis-extract' });
    expect(d.service.mirror.patient('PAT-0101')).toMatchObject({ familyName: 'Fairweather', address: '14 Mill Lane, Testbury, ZZ99 3AB' });
    expect(d.service.mirror.patient('PAT-0101')).not.toHaveProperty('deceased');
    expect(d.service.mirror.patient('PAT-0101')).not.toHaveProperty('temporaryResident');
    expect(d.service.mirror.patient('PAT-0102')).toMatchObject({ temporaryResident: true });
    expect(d.service.mirror.patient('PAT-0103')).toMatchObject({ deceased: true });
    const hits = d.service.searchPatients('lindqvist', EXTRACT_DAY, 5);
    expect(hits.map((h) => [h.patient.id, h.patient.deceased])).toEqual([['PAT-0103', true]]);
    expect(d.service.searchPatients('kowalczyk', EXTRACT_DAY, 5)[0]?.patient.temporaryResident).toBe(true);
  });

  it('from a SystmOne extract: address (SRPatientAddressHistory), temporary resident (SRPatientRegistration), deceased (SRPatient)', () => {
    const d = desk();
    d.importFiles([path.join(FEEDS, 'systmone-day')], { format: 'systmone-extract' });
    expect(d.service.mirror.patient('PAT-0103')).toMatchObject({ familyName: 'Lindqvist', deceased: true });
    expect(d.service.mirror.patient('PAT-0101')).toMatchObject({ familyName: 'Fairweather', address: '14 Mill Lane, Testbury, ZZ99 3AB' });
    expect(d.service.mirror.patient('PAT-0101')).not.toHaveProperty('deceased');
    expect(d.service.mirror.patient('PAT-0101')).not.toHaveProperty('temporaryResident');
    expect(d.service.mirror.patient('PAT-0102')).toMatchObject({ temporaryResident: true });
    expect(d.service.searchPatients('kowalczyk', EXTRACT_DAY, 5)[0]?.patient.temporaryResident).toBe(true);
  });

  it('from a patient-list CSV; a day’s book after it keeps them, and a corrected list takes them back', () => {
    const d = desk();
    d.importFiles([writeTemp('practice-list.csv', [LIST_CSV_HEADER, ...LIST_CSV_ROWS].join('\r\n'))]);
    expect(d.service.mirror.patient('csv-1')).toMatchObject({ address: '2 Quay Street, Testbury, ZZ99 3AE' });
    expect(d.service.mirror.patient('csv-2')).toMatchObject({ temporaryResident: true });
    expect(d.service.mirror.patient('csv-3')).toMatchObject({ deceased: true });

    // A day's book as a CSV in which csv-1 is booked: the book says nothing of the address; the list's stays.
    const day = extractDayBook();
    const booked = day.patients[0]?.id;
    const asCsv1 = (id: string) => (id === booked ? 'csv-1' : id);
    const book = { ...day, patients: day.patients.map((p) => ({ ...p, id: asCsv1(p.id) })), appointments: day.appointments.map((a) => ({ ...a, patientId: asCsv1(a.patientId) })) };
    const report = d.importFiles([writeTemp('day.csv', bookToCsv(book))]);
    expect(report.invalid).toEqual([]);
    const row = d.service.mirror.appointmentRowsOn(EXTRACT_DAY, null).find((r) => r.patientId === 'csv-1');
    expect(row?.patient).toMatchObject({ id: 'csv-1', address: '2 Quay Street, Testbury, ZZ99 3AE' });

    // The list again, csv-3's death recorded in error and taken off, csv-2 now a regular patient.
    const corrected = [LIST_CSV_HEADER, LIST_CSV_ROWS[0], LIST_CSV_ROWS[1]?.replace('Temporary resident', 'Regular'), LIST_CSV_ROWS[2]?.replace('03/07/2026', '')];
    d.importFiles([writeTemp('practice-list.csv', corrected.join('\r\n'))]);
    expect(d.service.mirror.patient('csv-3')).not.toHaveProperty('deceased');
    expect(d.service.mirror.patient('csv-2')).not.toHaveProperty('temporaryResident');
    expect(d.service.mirror.patient('csv-1')).toMatchObject({ address: '2 Quay Street, Testbury, ZZ99 3AE' });
  });

  it('from FHIR Patient: deceasedBoolean, deceasedDateTime, and the home address now in use', () => {
    const d = desk();
    const book = extractDayBook();
    const [first, second, third] = book.patients.map((p) => p.id);
    const resources = bookToFhirResources(book).map((r) => {
      const x = r as { resourceType: string; id: string };
      if (x.resourceType !== 'Patient') return r;
      if (x.id === first) {
        return {
          ...x,
          address: [
            { use: 'old', line: ['9 Former Road'], city: 'Elsewhere', postalCode: 'ZZ99 9ZZ' },
            { use: 'home', line: ['Flat 2', '3 Bridge Street'], city: 'Testbury', postalCode: 'ZZ99 3AF' },
          ],
        };
      }
      if (x.id === second) return { ...x, deceasedBoolean: true };
      if (x.id === third) return { ...x, deceasedDateTime: '2026-07-01T09:00:00Z' };
      return r;
    });
    const file = writeTemp('day.json', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) }));
    d.importFiles([file]);
    expect(d.service.mirror.patient(first ?? '')).toMatchObject({ address: 'Flat 2, 3 Bridge Street, Testbury, ZZ99 3AF' });
    expect(d.service.mirror.patient(second ?? '')).toMatchObject({ deceased: true });
    expect(d.service.mirror.patient(third ?? '')).toMatchObject({ deceased: true });
    expect(d.service.mirror.patient(first ?? '')).not.toHaveProperty('deceased');
    // The day's rows carry them: the appointment row shows its patient's address.
    const rows = d.service.mirror.appointmentRowsOn(EXTRACT_DAY, null);
    expect(rows.find((r) => r.patientId === first)?.patient.address).toBe('Flat 2, 3 Bridge Street, Testbury, ZZ99 3AF');
    expect(rows.find((r) => r.patientId === second)?.patient.deceased).toBe(true);
  });

  it('a desk group’s member gets them with the patient rows', () => {
    const d = desk();
    installCapture(d.service['db'].raw);
    d.importFiles([path.join(FEEDS, 'emis-day')], { format: 'emis-extract' });
    const member = openDatabase(databasePath(tempDir()));
    cleanups.push(() => closeDatabase(member));
    applySnapshot(member, takeSnapshot(d.service['db'].raw));
    const mirror = new MirrorStore(new Db(member));
    expect(mirror.patient('PAT-0101')).toMatchObject({ address: '14 Mill Lane, Testbury, ZZ99 3AB' });
    expect(mirror.patient('PAT-0102')).toMatchObject({ temporaryResident: true });
    expect(mirror.patient('PAT-0103')).toMatchObject({ deceased: true });
  });
});

describe('migration 0012-patient-list-facts', () => {
  const databaseAt = databasesAtVersion();

  it('fills the new columns from what the base records kept of the list, leaving a desk-registered patient as it was', () => {
    const db = databaseAt(11);
    const patient = db.prepare(`INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold,
      date_of_birth, sex, phone, phone_digits, flags, local, temporary_resident) VALUES (?, NULL, 'missing', ?, 'Pat', ?, 'pat', NULL, 'unknown', NULL, NULL, '[]', ?, ?)`);
    patient.run('listed', 'Listed', 'listed', 0, 0);
    patient.run('plain', 'Plain', 'plain', 0, 0);
    patient.run('walk-in', 'Walkin', 'walkin', 1, 1);
    const base = db.prepare(`INSERT INTO upstream_record (resource_type, id, version, fingerprint, format, raw, entity, source, pulled_at)
      VALUES ('Patient', ?, '1', '1:1', 'csv', '{}', ?, 'test', '2026-07-20T07:00:00.000Z')`);
    base.run('listed', JSON.stringify({ onList: true, deceased: true, temporaryResident: true, address: '1 High Street, Testbury' }));
    base.run('plain', null);

    expectMigratesTo(db, 12);
    const rows = db.prepare('SELECT id, deceased, temporary_resident, address FROM patient ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'listed', deceased: 1, temporary_resident: 1, address: '1 High Street, Testbury' },
      { id: 'plain', deceased: 0, temporary_resident: 0, address: null },
      { id: 'walk-in', deceased: 0, temporary_resident: 1, address: null },
    ]);
  });
});
