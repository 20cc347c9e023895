/**
 * A SystmOne extract's list files (extract/systmone-list.ts): SRPatientAddressHistory gives the current address,
 * SRPatientRegistration who is registered now and who as a temporary resident. Both optional; full or delta; bad rows
 * refused by file, row and column, or listed with --skip-invalid while the mirror keeps the patient as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath } from '../../../electron/desk/store/connection';
import type { ListedPatient } from '../../../electron/desk/upstream/batch';
import { rawDatabase } from '../../support/raw-db';
import { tempDir } from '../../support/fixtures';
import { extractDayBook, practiceListOnly, systmOneExtract, toCp1252 } from '../../fixtures/feeds/extracts';
import { cli, snapshot } from './support';

type Files = Map<string, string>;
const ADDRESS = 'SRPatientAddressHistory.csv';
const REGISTRATION = 'SRPatientRegistration.csv';

function folderOf(files: ReadonlyMap<string, string>): string {
  const dir = path.join(tempDir('standby-s1-list-'), 'extract');
  fs.mkdirSync(dir);
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), toCp1252(text));
  return dir;
}

/** Changes the lines of one file; line 0 is the header (row 1); null drops the line. */
function edit(files: Files, name: string, change: (line: string) => string | null): Files {
  const lines = (files.get(name) ?? '').split('\r\n').map(change);
  files.set(name, lines.filter((l): l is string => l !== null).join('\r\n'));
  return files;
}

/** The day with the rest of the practice list (an address, a temporary resident, the deceased). */
const dayWithList = (delta = false): Files => systmOneExtract(extractDayBook(), { list: practiceListOnly(), delta });

function listings(dataDir: string): Map<string, ListedPatient> {
  const db = rawDatabase(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT id, entity FROM upstream_record WHERE resource_type = 'Patient' AND entity IS NOT NULL").raw().all() as Array<[string, string]>;
    return new Map(rows.map(([id, json]) => [id, JSON.parse(json) as ListedPatient]));
  } finally {
    db.close();
  }
}

/** What the desk reads of a patient: its list columns. */
function patientRow(dataDir: string, id: string): { family_name: string; address: string | null; temporary_resident: number } | undefined {
  const db = rawDatabase(databasePath(dataDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT family_name, address, temporary_resident FROM patient WHERE id = ?').get(id) as
      { family_name: string; address: string | null; temporary_resident: number } | undefined;
  } finally {
    db.close();
  }
}

async function imported(files: Files, ...more: string[]): Promise<string> {
  const dataDir = tempDir();
  const result = await cli('import', folderOf(files), '--format', 'systmone-extract', '--data', dataDir, ...more);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return dataDir;
}

describe('SystmOne list files', () => {
  it('without them the extract imports as before: everyone on the list, no address, no temporary residents', async () => {
    const files = dayWithList();
    files.delete(ADDRESS);
    files.delete(REGISTRATION);
    const dataDir = await imported(files);
    expect(listings(dataDir).size).toBe(8);
    expect([...listings(dataDir).values()].every((l) => l.onList && l.address === null && !l.temporaryResident)).toBe(true);
  });

  it('a registration ended on or before the extract’s day takes the patient off the list; booked, they stay, off it', async () => {
    // PAT-0004 (booked at 09:30) and PAT-0101 (list only) left on 1 July; the extract is of 20 July.
    const ended = (l: string) => (/^R(3|5),/.test(l) ? l.replace(',01 Mar 2019,,GMS,', ',01 Mar 2019,01 Jul 2026,GMS,') : l);
    const dataDir = await imported(edit(dayWithList(), REGISTRATION, ended));
    const listed = listings(dataDir);
    expect(listed.has('PAT-0101')).toBe(false);
    expect(listed.get('PAT-0004')).toMatchObject({ onList: false });
    expect(listed.get('PAT-0102')).toMatchObject({ onList: true, temporaryResident: true });
    const status = await cli('status', '--json', '--data', dataDir);
    expect(JSON.parse(status.stdout)).toMatchObject({ patients: 7, registeredNotBooked: 2 });
  });

  it('an address row marked RemovedData is left out: the ended one and the correspondence address are not the home', async () => {
    const dataDir = await imported(edit(dayWithList(), ADDRESS, (l) => (l.startsWith('A0a,') ? l.replace(/,0$/, ',1') : l)));
    expect(patientRow(dataDir, 'PAT-0001')?.address).toBeNull();
    expect(patientRow(dataDir, 'PAT-0002')?.address).toBe('ZZ99 3AA');
  });

  it('a delta keeps the address and residence of a patient it carries without rows on them, and takes new ones', async () => {
    const dataDir = await imported(dayWithList());
    const only = (ids: string[]) => (l: string, i: number) => (i === 0 || ids.some((id) => l.includes(`,${id},`) || l.startsWith(`${id},`)) ? l : null);
    const delta = dayWithList(true);
    for (const name of [...delta.keys()].filter((n) => n !== 'SRManifest.csv')) {
      const keep = only(name === ADDRESS ? ['PAT-0102', 'PAT-0103'] : name === REGISTRATION ? ['PAT-0102'] : ['PAT-0101', 'PAT-0102']);
      delta.set(
        name,
        (delta.get(name) ?? '')
          .split('\r\n')
          .map((l, i) => keep(l, i))
          .filter((l): l is string => l !== null)
          .join('\r\n'),
      );
    }
    // PAT-0101 renamed, nothing said of their address; PAT-0102 moved in and registered for good.
    edit(delta, 'SRPatient.csv', (l) => (l.startsWith('PAT-0101,') ? l.replace(',Fairweather,', ',Fairweather-Hale,') : l));
    edit(delta, ADDRESS, (l) => (l.includes(',PAT-0102,') ? l.replace(',,,,,,,ZZ99 3AA,', ',,3,Bridge Street,,Testbury,,ZZ99 3AF,') : l));
    edit(delta, REGISTRATION, (l) => (l.includes(',PAT-0102,') ? l.replace('Temporary Resident < 16 days', 'GMS') : l));
    const result = await cli('import', folderOf(delta), '--format', 'systmone-extract', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { patients: object; notes: string[] };
    expect(report.patients).toMatchObject({ changed: 2, removed: 0 });
    expect(patientRow(dataDir, 'PAT-0101')).toEqual({ family_name: 'Fairweather-Hale', address: '14 Mill Lane, Testbury, ZZ99 3AB', temporary_resident: 0 });
    expect(patientRow(dataDir, 'PAT-0102')).toEqual({ family_name: 'Kowalczyk', address: '3 Bridge Street, Testbury, ZZ99 3AF', temporary_resident: 0 });
    // PAT-0103's address row: the delta does not carry PAT-0103, so it is said, not applied.
    expect(report.notes).toContain(`extract/${ADDRESS}: 1 rows are for patients this delta's SRPatient does not repeat: not applied until an extract carries those patients`);
  });
});

describe('bad SystmOne list rows: one error naming the file, the row and the column, and the mirror as it was', () => {
  const cases: Array<[string, () => Files, string]> = [
    [
      'an address for a patient who is not in SRPatient',
      () => edit(systmOneExtract(), ADDRESS, (l) => (l.startsWith('A2a,') ? l.replace(',PAT-0003,', ',PAT-0404,') : l)),
      `extract/${ADDRESS}: row 6: IDPatient: refers to patient PAT-0404, who is not in extract/SRPatient.csv`,
    ],
    [
      'a registration for a patient who is not in SRPatient',
      () => edit(systmOneExtract(), REGISTRATION, (l) => (l.startsWith('R3,') ? l.replace(',PAT-0004,', ',PAT-0404,') : l)),
      `extract/${REGISTRATION}: row 7: IDPatient: refers to patient PAT-0404, who is not in extract/SRPatient.csv`,
    ],
    [
      'an address end date in an unknown form',
      () => edit(systmOneExtract(), ADDRESS, (l) => (l.startsWith('A0o,') ? l.replace(',28 Feb 2019,', ',2019-02-28,') : l)),
      `extract/${ADDRESS}: row 2: DateTo: "2019-02-28" is a date in an unknown form (SystmOne writes 01 Jul 2026)`,
    ],
    [
      'a deregistration date in an unknown form',
      () => edit(systmOneExtract(), REGISTRATION, (l) => (l.startsWith('R0x,') ? l.replace(',01 Mar 2019,Applied,', ',1/3/2019,Applied,') : l)),
      `extract/${REGISTRATION}: row 2: DateDeRegistration: "1/3/2019" is a date in an unknown form (SystmOne writes 01 Jul 2026)`,
    ],
    [
      'an address type the desk does not know',
      () => edit(systmOneExtract(), ADDRESS, (l) => (l.startsWith('A1a,') ? l.replace(',Home,', ',Holiday home,') : l)),
      `extract/${ADDRESS}: row 5: AddressType: "Holiday home" is not a SystmOne address type the desk knows (Home, Temporary, Official, Correspondence only)`,
    ],
    [
      'a registration type the desk does not know',
      () => edit(systmOneExtract(), REGISTRATION, (l) => (l.startsWith('R2,') ? l.replace(',GMS,', ',"GMS,Weekend",') : l)),
      `extract/${REGISTRATION}: row 6: RegistrationStatus: "Weekend" is not a SystmOne registration type the desk knows`,
    ],
  ];

  it.each(cases)('%s', async (_name, files, message) => {
    const dataDir = await imported(systmOneExtract());
    const before = snapshot(dataDir);
    const result = await cli('import', folderOf(files()), '--format', 'systmone-extract', '--data', dataDir);
    expect(result).toMatchObject({ code: 1, stderr: `standby-desk: ${message}` });
    expect(snapshot(dataDir)).toBe(before);
  });

  it('with --skip-invalid each bad row is listed, its patient (and their appointments) kept as the mirror had them', async () => {
    const dataDir = await imported(systmOneExtract());
    // PAT-0001 moves (a good row), but one of their rows has a bad date: the move is not taken on a half-read history.
    const files = edit(systmOneExtract(), ADDRESS, (l) =>
      l.startsWith('A0a,') ? l.replace(',ZZ99 3AA,', ',ZZ99 3AG,') : l.startsWith('A0o,') ? l.replace(',28 Feb 2019,', ',Feb 2019,') : l,
    );
    edit(files, REGISTRATION, (l) => (l.startsWith('R2,') ? l.replace(',GMS,', ',Weekend,') : l));
    const result = await cli('import', folderOf(files), '--format', 'systmone-extract', '--skip-invalid', '--data', dataDir, '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout) as { invalid: Array<{ file: string; where: string; field: string; id: string }>; patients: object; appointments: object };
    expect(report.invalid.slice(0, 2).map((p) => [p.file, p.where, p.field, p.id])).toEqual([
      [`extract/${ADDRESS}`, 'row 2', 'DateTo', 'PAT-0001'],
      [`extract/${REGISTRATION}`, 'row 6', 'RegistrationStatus', 'PAT-0003'],
    ]);
    // Their appointments (PAT-0001 twice, PAT-0003 once) refer to a patient not read: listed too, and kept.
    expect(report.invalid.slice(2).map((p) => [p.field, p.id])).toEqual([
      ['IDPatient', 'SLT-0001-0830'],
      ['IDPatient', 'SLT-0001-0900'],
      ['IDPatient', 'SLT-0002-0915'],
    ]);
    expect(report).toMatchObject({ patients: { removed: 0, changed: 0 }, appointments: { removed: 0, skipped: 3 } });
    expect(patientRow(dataDir, 'PAT-0001')?.address).toBe('ZZ99 3AA');
  });
});
