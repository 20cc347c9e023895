import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDesk } from '../../../electron/desk/open';
import { bookToFhirResources } from '../../../electron/desk/upstream';
import { tempDir } from '../../support/fixtures';
import { EXTRACT_MADE, emisExtract, extractDayBook, practiceListOnly, systmOneExtract, toCp1252, writeFeedFixtures } from '../../fixtures/feeds/extracts';
import { zipOf } from '../../fixtures/feeds/zip-writer';
import { cli, mirrorBook, writeTemp } from './support';

function folderOf(files: ReadonlyMap<string, string>): string {
  const dir = tempDir('standby-s1-');
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), toCp1252(text));
  return dir;
}

type Row = Record<string, unknown>;
interface Mirrored {
  practice: Row[];
  clinicians: Row[];
  sessions: Row[];
  patients: Row[];
  appointments: Row[];
}

/**
 * What a SystmOne extract can say of the day: everything but the slots (SRRotaSlot has no times), the session's
 * bounds (SRRota is not read) and the end of the consultation (no column for it).
 */
function comparable(m: Mirrored) {
  return {
    practice: m.practice,
    clinicians: m.clinicians,
    // Address (SRPatientAddressHistory), temporary resident (SRPatientRegistration) and deceased included.
    patients: m.patients,
    sessions: m.sessions.map(({ start: _s, end: _e, ...rest }) => rest),
    appointments: m.appointments.map(({ slot_id: _slot, seen_at: _seen, ...rest }) => rest),
  };
}

describe('import --format systmone-extract', () => {
  it("gives the same appointments, patients (with address, temporary resident, deceased), statuses and clinicians as the same day from EMIS and FHIR (registration type from GP Connect's registration details)", async () => {
    const book = extractDayBook();
    const list = practiceListOnly();
    const [viaS1, viaEmis, viaFhir] = [tempDir(), tempDir(), tempDir()];
    const s1 = await cli('import', folderOf(systmOneExtract(book, { list })), '--format', 'systmone-extract', '--data', viaS1);
    expect(s1.stderr).toBe('');
    expect(s1.code).toBe(0);
    const emisDir = tempDir();
    for (const [name, text] of emisExtract(book, list)) fs.writeFileSync(path.join(emisDir, name), text);
    expect(await cli('import', emisDir, '--format', 'emis-extract', '--data', viaEmis)).toMatchObject({ code: 0 });
    // The day as FHIR, the list's patients too, each with the home address the extracts give, the deceased marked and
    // the temporary resident's registration type in GP Connect's registration details.
    const listed = [
      ...book.patients.map((p) => ({ ...p, address: 'ZZ99 3AA' })),
      ...list.map(({ patient, address, temporaryResident, deceasedOn }) => ({
        ...patient,
        address: address ? `${address.street}, ${address.town}, ${address.postcode}` : 'ZZ99 3AA',
        ...(temporaryResident ? { temporaryResident: true as const } : {}),
        ...(deceasedOn ? { deceased: true as const } : {}),
      })),
    ];
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: bookToFhirResources({ ...book, patients: listed }).map((resource) => ({ resource })) };
    expect(await cli('import', writeTemp('day.json', JSON.stringify(bundle)), '--data', viaFhir)).toMatchObject({ code: 0, stderr: '' });
    const mirrored = comparable(mirrorBook(viaS1) as Mirrored);
    expect(mirrored).toEqual(comparable(mirrorBook(viaEmis) as Mirrored));
    expect(mirrored).toEqual(comparable(mirrorBook(viaFhir) as Mirrored));
    expect(mirrored.patients.map((p) => [p['id'], p['address'], p['temporary_resident'], p['deceased']])).toEqual([
      ...book.patients.map((p) => [p.id, 'ZZ99 3AA', 0, 0]),
      ['PAT-0101', '14 Mill Lane, Testbury, ZZ99 3AB', 0, 0],
      ['PAT-0102', 'ZZ99 3AA', 1, 0],
      ['PAT-0103', 'ZZ99 3AA', 0, 1],
    ]);
    expect(mirrored.appointments.map((a) => a['status']).sort()).toEqual(['booked', 'booked', 'booked', 'dna', 'seen', 'seen']);
    // The mobile, not the older home number.
    expect(mirrored.patients.map((p) => p['phone'])).toEqual([...book.patients, ...list.map((l) => l.patient)].map((p) => p.phone));
  });

  it('reads Windows-1252 text, the manifest\'s extract time as "as of", and a zip of the files', async () => {
    const book = extractDayBook();
    const zoe = { ...book, patients: book.patients.map((p) => (p.id === 'PAT-0003' ? { ...p, givenName: 'Zoë', familyName: "O'Brien" } : p)) };
    const files = systmOneExtract(zoe);
    expect(toCp1252(files.get('SRPatient.csv') ?? '').includes(0xeb)).toBe(true);
    const zip = path.join(tempDir(), 's1-day.zip');
    fs.writeFileSync(zip, zipOf(new Map([...files].map(([n, t]) => [n, toCp1252(t)])), { date: '2026-07-20', time: '07:00' }));
    const dataDir = tempDir();
    const result = await cli('import', zip, '--format', 'systmone-extract', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ source: 'SystmOne extract s1-day.zip', asOf: EXTRACT_MADE, appointments: { added: 6 } });
    const desk = openDesk({ dataDir });
    try {
      expect(desk.service.mirror.practice()).toEqual({ id: 'Y99999', name: 'Riverside Test Practice', odsCode: 'Y99999' });
      const patients = (mirrorBook(dataDir) as Mirrored).patients;
      expect(patients.find((p) => p['id'] === 'PAT-0003')).toMatchObject({ given_name: 'Zoë', family_name: "O'Brien" });
    } finally {
      desk.close();
    }
  });

  it('maps SystmOne statuses: arrived, in progress, walked out and a cancellation date', async () => {
    const files = systmOneExtract();
    const text = files.get('SRAppointment.csv') ?? '';
    const lines = text.split('\r\n').map((l) => {
      if (l.startsWith('SLT-0001-0900,')) return l.replace(',Booked,', ',Arrived,');
      if (l.startsWith('SLT-0001-0930,')) return l.replace(',Booked,', ',In Progress,');
      if (l.startsWith('SLT-0001-0845,')) return l.replace(',Did Not Attend,', ',Patient Walked Out,');
      // Still "Booked", but with a cancellation date.
      if (l.startsWith('SLT-0002-0915,')) return l.replace(',N,,,SES-0002,', ',N,,19 Jul 2026 16:00:00,SES-0002,');
      return l;
    });
    files.set('SRAppointment.csv', lines.join('\r\n'));
    const dataDir = tempDir();
    const result = await cli('import', folderOf(files), '--format', 'systmone-extract', '--data', dataDir);
    expect(result.stderr).toBe('');
    const desk = openDesk({ dataDir });
    try {
      expect(desk.service.mirror.appointment('SLT-0001-0900')?.status).toBe('arrived');
      expect(desk.service.mirror.appointment('SLT-0001-0930')?.status).toBe('sent_in');
      expect(desk.service.mirror.appointment('SLT-0001-0845')?.status).toBe('walked_out');
      expect(desk.service.mirror.appointment('SLT-0002-0915')?.status).toBe('cancelled');
      expect(desk.service.mirror.appointment('SLT-0001-0830')).toMatchObject({ status: 'seen', arrivedAt: '2026-07-20T07:20:00.000Z', sentInAt: '2026-07-20T07:32:00.000Z' });
    } finally {
      desk.close();
    }
  });

  it('a full extract removes what it marks removed; a delta removes the appointments it marks removed, and nothing for being absent', async () => {
    const dataDir = tempDir();
    expect(await cli('import', folderOf(systmOneExtract()), '--format', 'systmone-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    const removing = (delta: boolean) => {
      const files = systmOneExtract(extractDayBook(), { delta });
      const text = files.get('SRAppointment.csv') ?? '';
      files.set(
        'SRAppointment.csv',
        text
          .split('\r\n')
          .map((l) => (l.startsWith('SLT-0001-0930,') ? l.replace(/,0$/, ',1') : l.startsWith('SLT-0001-0900,') ? l.replace(',Booked,', ',Arrived,') : l))
          .join('\r\n'),
      );
      return folderOf(files);
    };
    const delta = await cli('import', removing(true), '--format', 'systmone-extract', '--data', dataDir, '--json');
    expect(delta.stderr).toBe('');
    const deltaReport = JSON.parse(delta.stdout) as { dates: string[]; appointments: object; notes: string[] };
    expect(deltaReport).toMatchObject({ dates: [], appointments: { changed: 1, removed: 1, unchanged: 4 } });
    expect((mirrorBook(dataDir) as Mirrored).appointments.map((x) => x.id)).not.toContain('SLT-0001-0930');
    // The full extract that follows agrees: nothing left to remove.
    const full = await cli('import', removing(false), '--format', 'systmone-extract', '--data', dataDir, '--json');
    expect(JSON.parse(full.stdout)).toMatchObject({ dates: ['2026-07-20'], appointments: { removed: 0, unchanged: 5 } });
  });

  it('a delta’s removal of an appointment the desk has changed keeps it, held beside it for reconciliation, and says so', async () => {
    const dataDir = tempDir();
    expect(await cli('import', folderOf(systmOneExtract()), '--format', 'systmone-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    const desk = openDesk({ dataDir });
    try {
      const before = desk.service.mirror.appointment('SLT-0001-0900');
      expect(before?.status).toBe('booked');
      const changed = desk.dispatch('setAppointmentStatus', { appointmentId: 'SLT-0001-0900', status: 'arrived', expectedVersion: 0 }, { user: 'ann', desk: 'front-desk-1' });
      expect(changed.ok).toBe(true);
    } finally {
      desk.close();
    }
    const files = systmOneExtract(extractDayBook(), { delta: true });
    files.set(
      'SRAppointment.csv',
      (files.get('SRAppointment.csv') ?? '')
        .split('\r\n')
        .map((l) => (l.startsWith('SLT-0001-0900,') || l.startsWith('SLT-0002-0915,') ? l.replace(/,0$/, ',1') : l))
        .join('\r\n'),
    );
    const result = await cli('import', folderOf(files), '--format', 'systmone-extract', '--data', dataDir);
    expect(result.stderr).toBe('');
    // The one the desk changed stays, with its change; the other goes.
    expect(result.stdout).toMatch(/held {9}Appointment\/SLT-0001-0900: upstream removed it, but the desk has changed it; kept beside it for reconciliation/);
    expect(result.stdout).toMatch(/appointments +0 added, 0 changed, 1 removed, 4 unchanged, 1 skipped/);
    const after = mirrorBook(dataDir) as Mirrored;
    expect(after.appointments.find((x) => x.id === 'SLT-0001-0900')).toMatchObject({ status: 'arrived' });
    expect(after.appointments.map((x) => x.id)).not.toContain('SLT-0002-0915');
  });

  it('a delta holding one changed appointment refers to the patient, clinician and rota the mirror holds, and changes only it', async () => {
    const dataDir = tempDir();
    expect(await cli('import', folderOf(systmOneExtract()), '--format', 'systmone-extract', '--data', dataDir)).toMatchObject({ code: 0 });
    const before = mirrorBook(dataDir) as Mirrored;
    const onlyHeaders = (text: string) => text.split('\r\n')[0] ?? '';
    const delta = (patient: string) => {
      const files = systmOneExtract(extractDayBook(), { delta: true });
      for (const name of ['SRPatient.csv', 'SRPatientContactDetails.csv', 'SRStaffMember.csv', 'SRStaffMemberProfile.csv', 'SRRotaSlot.csv'])
        files.set(name, onlyHeaders(files.get(name) ?? ''));
      const [header = '', ...rows] = (files.get('SRAppointment.csv') ?? '').split('\r\n');
      const row = rows.find((l) => l.startsWith('SLT-0001-0900,')) ?? '';
      files.set('SRAppointment.csv', [header, row.replace(',Booked,', ',Arrived,').replace(',PAT-0003,', `,${patient},`)].join('\r\n'));
      return folderOf(files);
    };
    const result = await cli('import', delta('PAT-0003'), '--format', 'systmone-extract', '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({
      dates: [],
      appointments: { changed: 1, removed: 0, added: 0 },
      patients: { removed: 0 },
      sessions: { changed: 0, removed: 0 },
    });
    const after = mirrorBook(dataDir) as Mirrored;
    expect(after.appointments.find((a) => a['id'] === 'SLT-0001-0900')).toMatchObject({ status: 'arrived', patient_id: 'PAT-0003' });
    expect({ ...after, appointments: after.appointments.filter((a) => a['id'] !== 'SLT-0001-0900') }).toEqual({
      ...before,
      appointments: before.appointments.filter((a) => a['id'] !== 'SLT-0001-0900'),
    });
    const unknown = await cli('import', delta('PAT-0404'), '--format', 'systmone-extract', '--data', dataDir);
    expect(unknown).toMatchObject({ code: 1 });
    expect(unknown.stderr).toMatch(/SRAppointment\.csv: row 2: IDPatient: refers to patient PAT-0404, who is not in \S+SRPatient\.csv nor in the mirror$/);
  });

  it('the committed fixture folders are what the fixture writer writes, and import as the same day', async () => {
    const committed = path.resolve(__dirname, '../../fixtures/feeds');
    const written = tempDir();
    writeFeedFixtures(written);
    for (const folder of ['emis-day', 'systmone-day']) {
      const names = fs.readdirSync(path.join(written, folder)).sort();
      expect(fs.readdirSync(path.join(committed, folder)).sort(), folder).toEqual(names);
      for (const name of names) expect(fs.readFileSync(path.join(committed, folder, name)).equals(fs.readFileSync(path.join(written, folder, name))), name).toBe(true);
    }
    const [viaEmis, viaS1] = [tempDir(), tempDir()];
    expect(await cli('import', path.join(committed, 'emis-day'), '--format', 'emis-extract', '--data', viaEmis)).toMatchObject({ code: 0, stderr: '' });
    expect(await cli('import', path.join(committed, 'systmone-day'), '--format', 'systmone-extract', '--data', viaS1)).toMatchObject({ code: 0, stderr: '' });
    expect(comparable(mirrorBook(viaS1) as Mirrored)).toEqual(comparable(mirrorBook(viaEmis) as Mirrored));
  });
});
