import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDesk } from '../../../electron/desk/open';
import { bookToFhirBundle } from '../../../electron/desk/upstream';
import { readZip } from '../../../electron/desk/upstream/extract/zip';
import { tempDir } from '../../support/fixtures';
import { EMIS_HEADERS, emisExtract, emisName, EXTRACT_MADE, extractDayBook } from '../../fixtures/feeds/extracts';
import { zipOf } from '../../fixtures/feeds/zip-writer';
import { cli, mirrorBook, writeTemp } from './support';

/** The files written into a fresh folder. */
function folderOf(files: ReadonlyMap<string, string | Buffer>): string {
  const dir = tempDir('standby-emis-');
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function edit(files: Map<string, string>, part: string, change: (lines: string[]) => string[]): Map<string, string> {
  const name = emisName(part);
  const text = files.get(name);
  if (text === undefined) throw new Error(`no ${name}`);
  files.set(name, change(text.split('\r\n')).join('\r\n'));
  return files;
}

describe('import --format emis-extract', () => {
  it('gives the same mirror as the same day as a FHIR Bundle', async () => {
    const book = extractDayBook();
    const [viaEmis, viaFhir] = [tempDir(), tempDir()];
    const emis = await cli('import', folderOf(emisExtract(book)), '--format', 'emis-extract', '--data', viaEmis);
    expect(emis.stderr).toBe('');
    expect(emis.code).toBe(0);
    expect(await cli('import', writeTemp('day.json', JSON.stringify(bookToFhirBundle(book))), '--data', viaFhir)).toMatchObject({ code: 0 });
    const mirrored = mirrorBook(viaEmis) as { appointments: Array<{ status: string }>; patients: Array<Record<string, unknown>>; slots: unknown[] };
    // The extract's patient file has an address (the fixture writes a postcode); the book as FHIR has none.
    const withoutAddress = (m: { patients: Array<Record<string, unknown>> }) => ({ ...m, patients: m.patients.map(({ address: _a, ...rest }) => rest) });
    expect(mirrored.patients.map((x) => x['address'])).toEqual(mirrored.patients.map(() => 'ZZ99 3AA'));
    expect(withoutAddress(mirrored)).toEqual(withoutAddress(mirrorBook(viaFhir) as typeof mirrored));
    expect(mirrored.appointments.map((a) => a.status).sort()).toEqual(['booked', 'booked', 'booked', 'dna', 'seen', 'seen']);
    expect(mirrored.patients).toHaveLength(5);
    expect(mirrored.slots).toHaveLength(8);
  });

  it('reads a zip, says each file\'s layout, and takes "as of" from the time in the file names', async () => {
    const zipDir = tempDir();
    const zip = path.join(zipDir, 'emis-day.zip');
    fs.writeFileSync(zip, zipOf(emisExtract()));
    expect(readZip(fs.readFileSync(zip)).map((e) => e.name)).toContain(emisName('Appointment_Slot'));
    const dataDir = tempDir();
    const result = await cli('import', zip, '--format', 'emis-extract', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { source: string; asOf: string; dates: string[]; appointments: { added: number }; notes: string[] };
    expect(report).toMatchObject({ source: 'EMIS extract emis-day.zip', asOf: EXTRACT_MADE, dates: ['2026-07-20'], appointments: { added: 6 } });
    expect(report.notes).toContain(`emis-day.zip/${emisName('Appointment_Slot')}: published layout; 8 rows, 0 marked deleted`);
    const text = await cli('import', zip, '--format', 'emis-extract', '--data', dataDir);
    expect(text.stdout).toMatch(/appointments\s+0 added, 0 changed, 0 removed, 6 unchanged, 0 skipped/);
    expect(text.stdout).toMatch(/read\s+emis-day\.zip\/291_Admin_Patient_\S+: published layout; 5 rows/);
  });

  it('maps the outcome columns: send-in time without a left time is sent in, and arrival is send-in less the wait', async () => {
    const files = edit(emisExtract(), 'Appointment_Slot', (lines) =>
      // SLT-0001-0900 (booked): sent in at 09:03 after a 7 minute wait.
      lines.map((l) => (l.startsWith('SLT-0001-0900,') ? l.replace(',PAT-0003,,,false,,', ',PAT-0003,09:03,,false,7,') : l)),
    );
    const dataDir = tempDir();
    expect(await cli('import', folderOf(files), '--format', 'emis-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    const desk = openDesk({ dataDir });
    try {
      expect(desk.service.mirror.appointment('SLT-0001-0900')).toMatchObject({
        status: 'sent_in',
        sentInAt: '2026-07-20T08:03:00.000Z',
        arrivedAt: '2026-07-20T07:56:00.000Z',
        seenAt: null,
      });
    } finally {
      desk.close();
    }
  });

  it('leaves out rows marked deleted, and a later extract that deletes a slot removes it from the mirror', async () => {
    const dataDir = tempDir();
    expect(await cli('import', folderOf(emisExtract()), '--format', 'emis-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    const files = edit(emisExtract(), 'Appointment_Slot', (lines) => lines.map((l) => (l.startsWith('SLT-0001-0930,') ? l.replace(/,false,291$/, ',true,291') : l)));
    const result = await cli('import', folderOf(files), '--format', 'emis-extract', '--data', dataDir, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ appointments: { removed: 1, unchanged: 5 }, slots: { removed: 1 } });
    const mirrored = mirrorBook(dataDir) as { appointments: Array<{ id: string }> };
    expect(mirrored.appointments.map((a) => a.id)).not.toContain('SLT-0001-0930');
  });

  it('works the layout out from the header: columns in another order, one more and one fewer, still read by name', async () => {
    const files = emisExtract();
    const name = emisName('Appointment_Slot');
    const [header = '', ...rows] = (files.get(name) ?? '').split('\r\n');
    const columns = header.split(',');
    const dropped = columns.indexOf('DnaReasonCodeId');
    const reorder = (cells: string[]) => [...cells.filter((_c, i) => i !== dropped).reverse(), 'x'];
    files.set(
      name,
      [
        reorder(columns)
          .map((c) => (c === 'x' ? 'NewColumn' : c))
          .join(','),
        ...rows.filter((r) => r !== '').map((r) => reorder(r.split(',')).join(',')),
      ].join('\r\n'),
    );
    const [viaChanged, viaPublished] = [tempDir(), tempDir()];
    const folder = folderOf(files);
    const result = await cli('import', folder, '--format', 'emis-extract', '--data', viaChanged, '--json');
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as { notes: string[] }).notes).toContain(
      `${path.basename(folder)}/${name}: published layout without DnaReasonCodeId, with NewColumn added; 8 rows, 0 marked deleted`,
    );
    await cli('import', folderOf(emisExtract()), '--format', 'emis-extract', '--data', viaPublished);
    expect(mirrorBook(viaChanged)).toEqual(mirrorBook(viaPublished));
    expect(EMIS_HEADERS.slot.split(',')).toContain('DnaReasonCodeId');
  });
});
