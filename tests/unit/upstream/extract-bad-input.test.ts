import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDesk } from '../../../electron/desk/open';
import { databasePath } from '../../../electron/desk/store/connection';
import { tempDir } from '../../support/fixtures';
import { EMIS_ORG, emisExtract, emisName, OTHER_EMIS_ORG, systmOneExtract, toCp1252 } from '../../fixtures/feeds/extracts';
import { zipOf } from '../../fixtures/feeds/zip-writer';
import { cli, mirrorBook, snapshot } from './support';

type Files = Map<string, string>;

function folderOf(files: ReadonlyMap<string, string>, name: string, cp1252 = false): string {
  const dir = path.join(tempDir('standby-bad-'), name);
  fs.mkdirSync(dir);
  for (const [file, text] of files) fs.writeFileSync(path.join(dir, file), cp1252 ? toCp1252(text) : text);
  return dir;
}

/** Changes the lines of one file of a set; line 0 is the header (row 1). */
function edit(files: Files, name: string, change: (line: string, i: number) => string | null): Files {
  const text = files.get(name);
  if (text === undefined) throw new Error(`no ${name} in the fixture`);
  files.set(
    name,
    text
      .split('\r\n')
      .map(change)
      .filter((l): l is string => l !== null)
      .join('\r\n'),
  );
  return files;
}

/** A mirror holding the good EMIS day, and the database as it is. */
async function populated(): Promise<{ dataDir: string; before: string }> {
  const dataDir = tempDir();
  const first = await cli('import', folderOf(emisExtract(), 'good'), '--format', 'emis-extract', '--data', dataDir);
  expect(first).toMatchObject({ code: 0, stderr: '' });
  return { dataDir, before: snapshot(dataDir) };
}

const SLOT = emisName('Appointment_Slot');
const PATIENT = emisName('Admin_Patient');

describe('bad extract input: one error naming the file, the row and the column, and the mirror as it was', () => {
  const cases: Array<[string, 'emis-extract' | 'systmone-extract', () => Files, RegExp]> = [
    [
      'EMIS: a missing file in the set',
      'emis-extract',
      () => {
        const files = emisExtract();
        files.delete(emisName('Appointment_SessionUser'));
        return files;
      },
      /^standby-desk: extract: the extract: file: the session user file \(Appointment_SessionUser\) is missing; an EMIS extract needs/,
    ],
    [
      'SystmOne: a missing file in the set',
      'systmone-extract',
      () => {
        const files = systmOneExtract();
        files.delete('SRPatient.csv');
        return files;
      },
      /^standby-desk: extract: the extract: file: the patient file \(SRPatient\) is missing/,
    ],
    [
      'EMIS: a slot booked for a patient who is not in the patient file',
      'emis-extract',
      () => edit(emisExtract(), PATIENT, (l) => (l.startsWith('PAT-0003,') ? null : l)),
      new RegExp(`^standby-desk: extract/${SLOT}: row 4: PatientGuid: refers to patient PAT-0003, who is not in extract/${PATIENT}$`),
    ],
    [
      'EMIS: a slot in a session that is not in the session file',
      'emis-extract',
      () => edit(emisExtract(), SLOT, (l) => (l.startsWith('SLT-0002-0930,') ? l.replace(',SES-0002,', ',SES-0404,') : l)),
      new RegExp(`^standby-desk: extract/${SLOT}: row 9: SessionGuid: refers to session SES-0404, which is not in extract/291_Appointment_Session_\\S+$`),
    ],
    [
      'SystmOne: an appointment for a patient who is not in SRPatient',
      'systmone-extract',
      () => edit(systmOneExtract(), 'SRAppointment.csv', (l) => (l.startsWith('SLT-0001-0930,') ? l.replace(',PAT-0004,', ',PAT-0404,') : l)),
      /^standby-desk: extract\/SRAppointment\.csv: row 5: IDPatient: refers to patient PAT-0404, who is not in extract\/SRPatient\.csv$/,
    ],
    [
      'EMIS: the same slot on two rows',
      'emis-extract',
      () => edit(emisExtract(), SLOT, (l) => (l.startsWith('SLT-0002-0930,') ? l.replace('SLT-0002-0930,', 'SLT-0001-0830,') : l)),
      new RegExp(`^standby-desk: extract/${SLOT}: row 9: SlotGuid: slot SLT-0001-0830 is also on row 2$`),
    ],
    [
      'EMIS: a date in an unknown form',
      'emis-extract',
      () => edit(emisExtract(), SLOT, (l) => (l.startsWith('SLT-0001-0845,') ? l.replace(',2026-07-20,', ',20 Jul 2026,') : l)),
      new RegExp(`^standby-desk: extract/${SLOT}: row 3: AppointmentDate: "20 Jul 2026" is a date in an unknown form \\(EMIS writes yyyy-MM-dd\\)$`),
    ],
    [
      'SystmOne: a date in an unknown form',
      'systmone-extract',
      () => edit(systmOneExtract(), 'SRAppointment.csv', (l) => (l.startsWith('SLT-0001-0900,') ? l.replace('20 Jul 2026 09:00:00', '2026-07-20 09:00') : l)),
      /^standby-desk: extract\/SRAppointment\.csv: row 4: DateStart: "2026-07-20 09:00" is a date in an unknown form \(SystmOne writes 01 Jul 2026 09:30:00\)$/,
    ],
    [
      "EMIS: another practice's slot file in the set",
      'emis-extract',
      () => edit(emisExtract(), SLOT, (l, i) => (i > 0 ? l.replace(EMIS_ORG, OTHER_EMIS_ORG) : l)),
      new RegExp(
        `^standby-desk: extract/${SLOT}: row 2: OrganisationGuid: is ${OTHER_EMIS_ORG}, but this extract's sessions are for organisation ${EMIS_ORG}: the file is from another practice$`,
      ),
    ],
    [
      "SystmOne: another practice's extract (the mirror holds Y99999)",
      'systmone-extract',
      () => {
        const files = systmOneExtract();
        for (const name of files.keys()) edit(files, name, (l) => l.replaceAll('Y99999', 'Y11111'));
        return files;
      },
      /^standby-desk: extract\/SRAppointment\.csv: row 2: IDOrganisationVisibleTo: is Y11111, but this desk is for the practice Y99999: the file is from another practice$/,
    ],
  ];

  it.each(cases)('%s', async (_name, format, files, message) => {
    const { dataDir, before } = await populated();
    const result = await cli('import', folderOf(files(), 'extract', format === 'systmone-extract'), '--format', format, '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(snapshot(dataDir)).toBe(before);
  });

  it("EMIS: an organisation file naming another ODS code than upkeep-settings.json's is refused", async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'upkeep-settings.json'), JSON.stringify({ fhir: { url: 'https://gp-system.invalid/fhir', ods: 'Y22222' } }));
    const result = await cli('import', folderOf(emisExtract(), 'extract'), '--format', 'emis-extract', '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^standby-desk: extract\/291_Admin_Organisation_\S+: row 2: ODSCode: is Y99999, but this desk is for the practice Y22222: the extract is from another practice$/,
    );
    expect(fs.existsSync(databasePath(dataDir))).toBe(false);
  });

  it('EMIS: an organisation file naming another ODS code than the practice saved on screen is refused', async () => {
    const dataDir = tempDir();
    const desk = openDesk({ dataDir });
    const settings = { practice: { name: 'Riverside Medical Practice', odsCode: 'Y22222' }, book: { kind: 'watch', dir: tempDir() }, pack: null, backup: null };
    expect(desk.dispatch('saveSettings', { settings }, desk.context)).toMatchObject({ ok: true });
    desk.close();
    const before = snapshot(dataDir);
    const result = await cli('import', folderOf(emisExtract(), 'extract'), '--format', 'emis-extract', '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/row 2: ODSCode: is Y99999, but this desk is for the practice Y22222: the extract is from another practice$/);
    expect(snapshot(dataDir)).toBe(before);
  });

  it('--mapping with an extract is a usage error (exit 2), not silently ignored', async () => {
    const result = await cli('import', folderOf(emisExtract(), 'extract'), '--format', 'emis-extract', '--mapping', 'map.json', '--data', tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^standby-desk: --mapping is for CSV exports; an emis-extract is read by its published column names/);
  });

  it('a zip cut short, or one damaged inside, is refused by name and changes nothing', async () => {
    const { dataDir, before } = await populated();
    const zip = zipOf(emisExtract());
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'cut.zip'), zip.subarray(0, zip.length - 40));
    const cut = await cli('import', path.join(dir, 'cut.zip'), '--format', 'emis-extract', '--data', dataDir);
    expect(cut).toMatchObject({ code: 1, stderr: 'standby-desk: cut.zip: the file: zip: is not a zip file (no central directory; it may be truncated)' });
    const damaged = Buffer.from(zip);
    // A byte of the first entry's deflated data: past its 30-byte local header and its name.
    const inData = 30 + emisName('Appointment_Session').length + 5;
    damaged[inData] = (damaged[inData] ?? 0) ^ 0xff;
    fs.writeFileSync(path.join(dir, 'damaged.zip'), damaged);
    const result = await cli('import', path.join(dir, 'damaged.zip'), '--format', 'emis-extract', '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^standby-desk: damaged\.zip: the file: zip: 291_Appointment_Session_\S+: (fails its checksum|cannot be inflated)/);
    expect(snapshot(dataDir)).toBe(before);
  });

  it('a row with too many fields: refused, or with --skip-invalid listed and the mirrored appointment kept', async () => {
    const { dataDir, before } = await populated();
    const files = edit(emisExtract(), SLOT, (l) => (l.startsWith('SLT-0001-0930,') ? `${l},stray` : l));
    const refused = await cli('import', folderOf(files, 'extract'), '--format', 'emis-extract', '--data', dataDir);
    expect(refused).toMatchObject({ code: 1, stderr: `standby-desk: extract/${SLOT}: row 6: (row): has 17 fields, the header has 16` });
    expect(snapshot(dataDir)).toBe(before);
    const skipped = await cli('import', folderOf(files, 'extract'), '--format', 'emis-extract', '--skip-invalid', '--data', dataDir, '--json');
    expect(JSON.parse(skipped.stdout)).toMatchObject({
      appointments: { removed: 0, unchanged: 5, skipped: 1 },
      invalid: [{ where: 'row 6', id: 'SLT-0001-0930', resourceType: 'Appointment' }],
    });
    expect((mirrorBook(dataDir) as { appointments: Array<{ id: string }> }).appointments.map((a) => a.id)).toContain('SLT-0001-0930');
  });

  it('with --skip-invalid, every skipped row is listed, and the rest is imported', async () => {
    const { dataDir } = await populated();
    const files = edit(emisExtract(), PATIENT, (l) => (l.startsWith('PAT-0001,') ? null : l));
    edit(files, SLOT, (l) => (l.startsWith('SLT-0001-0900,') ? l.replace(',2026-07-20,', ',Monday,') : l));
    const result = await cli('import', folderOf(files, 'extract'), '--format', 'emis-extract', '--skip-invalid', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { invalid: Array<{ file: string; where: string; field: string; id: string }>; appointments: { skipped: number } };
    expect(report.invalid.map((p) => [p.file, p.where, p.field, p.id])).toEqual([
      [`extract/${SLOT}`, 'row 2', 'PatientGuid', 'SLT-0001-0830'],
      [`extract/${SLOT}`, 'row 4', 'AppointmentDate', 'SLT-0001-0900'],
      [`extract/${SLOT}`, 'row 8', 'PatientGuid', 'SLT-0002-0915'],
    ]);
    expect(report.appointments.skipped).toBe(3);
    const text = await cli('import', folderOf(files, 'extract'), '--format', 'emis-extract', '--skip-invalid', '--data', dataDir);
    expect(text.stdout.split('\n').filter((l) => /^\s+skipped\s/.test(l))).toHaveLength(3);
  });
});
