import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localTimeOf, type PracticeBook } from '../../../shared/domain';
import { generateDemoPractice } from '../../../electron/desk/demo/generate';
import { openDesk } from '../../../electron/desk/open';
import { bookToCsv, bookToFhirBundle, DEFAULT_CSV_MAPPING, resolveMapping } from '../../../electron/desk/upstream';
import { FIXTURE_DATE, smallBook, tempDir } from '../../support/fixtures';
import { cli, dayOf, mirrorBook, snapshot, writeTemp } from './support';

const DAY = '2026-07-20';

function demoDay(): PracticeBook {
  return dayOf(generateDemoPractice({ date: DAY, days: 2 }), DAY);
}

function withDesk<T>(dataDir: string, fn: (desk: ReturnType<typeof openDesk>) => T): T {
  const desk = openDesk({ dataDir, user: 'test', desk: 'test' });
  try {
    return fn(desk);
  } finally {
    desk.close();
  }
}

describe('import: FHIR Bundle and CSV files', () => {
  it('a day imported as a FHIR Bundle and as CSV gives the same mirror, and the same as loading the book', async () => {
    const book = demoDay();
    expect(book.appointments.length).toBeGreaterThan(100);
    const files = tempDir('standby-import-');
    const fhirFile = writeTemp('day.json', JSON.stringify(bookToFhirBundle(book)), files);
    const csvFile = writeTemp('day.csv', bookToCsv(book), files);
    const [viaFhir, viaCsv, viaLoad] = [tempDir(), tempDir(), tempDir()];
    expect(await cli('import', fhirFile, '--data', viaFhir)).toMatchObject({ code: 0 });
    expect(await cli('import', csvFile, '--data', viaCsv)).toMatchObject({ code: 0 });
    withDesk(viaLoad, (desk) => desk.service.loadBook(book, 'book', desk.context));
    const mirrored = mirrorBook(viaFhir);
    expect(mirrorBook(viaCsv)).toEqual(mirrored);
    expect(mirrorBook(viaLoad)).toEqual(mirrored);
  });

  it('makes a first import into an empty mirror and reports what it added, as text or JSON', async () => {
    const dataDir = tempDir();
    const file = writeTemp('small.json', JSON.stringify(bookToFhirBundle(smallBook())));
    const text = await cli('import', file, '--data', dataDir);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/from file small\.json \(2026-07-20\)/);
    expect(text.stdout).toMatch(/appointments\s+5 added, 0 changed, 0 removed, 0 unchanged, 0 skipped/);
    const again = await cli('import', file, '--data', dataDir, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ appointments: { unchanged: 5, added: 0 }, patients: { unchanged: 4 }, dataDir });
    withDesk(dataDir, (desk) => expect(desk.service.mirror.practice()).toMatchObject({ odsCode: 'Y99999' }));
  });

  it('imports several files in one refresh (one journal entry)', async () => {
    const dataDir = tempDir();
    const monday = smallBook('2026-07-20');
    const tuesday = smallBook('2026-07-21');
    const rename = (b: PracticeBook, suffix: string): PracticeBook => ({
      ...b,
      sessions: b.sessions.map((s) => ({ ...s, id: `${s.id}-${suffix}` })),
      appointments: b.appointments.map((a) => ({ ...a, id: `${a.id}-${suffix}`, sessionId: a.sessionId && `${a.sessionId}-${suffix}` })),
    });
    const files = tempDir();
    const a = writeTemp('mon.json', JSON.stringify(bookToFhirBundle(rename(monday, 'mon'))), files);
    const b = writeTemp('tue.csv', bookToCsv(rename(tuesday, 'tue')), files);
    const result = await cli('import', a, b, '--data', dataDir, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dates: ['2026-07-20', '2026-07-21'], appointments: { added: 10 } });
    withDesk(dataDir, (desk) => expect(desk.service.journal.list().filter((e) => e.op === 'mirror.refresh')).toHaveLength(1));
  });

  it('reads a CSV in another layout through a mapping file', async () => {
    const mapping = { columns: { ...DEFAULT_CSV_MAPPING.columns, status: 'Slot Status', appointmentId: 'Appt Ref', patientId: 'Patient GUID' }, delimiter: ';' };
    const csv = bookToCsv(smallBook(), mapping);
    expect(csv.split('\r\n')[0]).toContain('Slot Status;');
    const files = tempDir();
    const mappingFile = writeTemp('emis.json', JSON.stringify({ columns: { status: 'Slot Status', appointmentId: 'Appt Ref', patientId: 'Patient GUID' }, delimiter: ';' }), files);
    const dataDir = tempDir();
    const result = await cli('import', writeTemp('export.txt', csv, files), '--format', 'csv', '--mapping', mappingFile, '--data', dataDir, '--json');
    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject({ appointments: { added: 5 } });
  });

  it('ignores FHIR elements and extensions it does not know', async () => {
    const plain = bookToFhirBundle(smallBook(), { versions: false });
    const noisy = {
      ...plain,
      meta: { tag: [{ code: 'x' }] },
      entry: plain.entry.map((e) => ({
        ...e,
        search: { mode: 'match' },
        resource: { ...e.resource, text: { status: 'generated', div: '<div/>' }, somethingNew: [1, 2], extension: [{ url: 'https://example.org/x', valueBoolean: true }] },
      })),
    };
    const [a, b] = [tempDir(), tempDir()];
    expect((await cli('import', writeTemp('plain.json', JSON.stringify(plain)), '--data', a)).code).toBe(0);
    expect((await cli('import', writeTemp('noisy.json', JSON.stringify(noisy)), '--data', b)).code).toBe(0);
    expect(mirrorBook(b)).toEqual(mirrorBook(a));
  });
});

describe('import: times are stored as instants and shown in London time', () => {
  const oneAppointment = (start: string, end: string) => {
    const bundle = bookToFhirBundle(smallBook());
    return {
      ...bundle,
      entry: bundle.entry
        .filter((e) => e.resource.resourceType !== 'Appointment' || e.resource.id === 'appt-1')
        .map((e) => (e.resource.id === 'appt-1' ? { resource: { ...e.resource, start, end } } : e)),
    };
  };
  it.each([
    ['UTC in July (BST)', '2026-07-20T07:00:00Z', '2026-07-20T07:10:00Z', '2026-07-20T07:00:00.000Z', '08:00'],
    ['an offset in July', '2026-07-20T08:00:00+01:00', '2026-07-20T08:10:00+01:00', '2026-07-20T07:00:00.000Z', '08:00'],
    ['UTC in January (GMT)', '2026-01-12T08:00:00Z', '2026-01-12T08:10:00Z', '2026-01-12T08:00:00.000Z', '08:00'],
    ['a +02:00 offset', '2026-07-20T09:30:00+02:00', '2026-07-20T09:40:00+02:00', '2026-07-20T07:30:00.000Z', '08:30'],
  ])('FHIR: %s', async (_name, start, end, stored, local) => {
    const dataDir = tempDir();
    expect((await cli('import', writeTemp('t.json', JSON.stringify(oneAppointment(start, end))), '--data', dataDir)).code).toBe(0);
    withDesk(dataDir, (desk) => {
      const a = desk.service.mirror.appointment('appt-1');
      expect(a?.start).toBe(stored);
      expect(localTimeOf(a?.start ?? '')).toBe(local);
    });
  });

  it('CSV: London wall-clock times on dd/mm/yyyy or ISO dates, and full instants', async () => {
    const header = 'appointment_id,appointment_status,appointment_date,appointment_start_time,appointment_end_time,appointment_clinician,patient_id,family_name';
    const csv = [
      header,
      'a1,booked,20/07/2026,08:00,08:10,c1,p1,Smith',
      'a2,booked,2026-07-20,08:10:30,08:20,c1,p1,Smith',
      'a3,booked,,2026-07-20T07:30:00Z,2026-07-20T07:40:00Z,c1,p1,Smith',
      'a4,booked,,20/07/2026 09:00,20/07/2026 09:10,c1,p1,Smith',
      'a5,booked,12/01/2026,08:00,08:10,c1,p1,Smith',
    ].join('\n');
    const dataDir = tempDir();
    const result = await cli('import', writeTemp('times.csv', csv), '--data', dataDir);
    expect(result).toMatchObject({ code: 0 });
    withDesk(dataDir, (desk) => {
      const start = (id: string) => desk.service.mirror.appointment(id)?.start;
      expect(start('a1')).toBe('2026-07-20T07:00:00.000Z');
      expect(start('a2')).toBe('2026-07-20T07:10:30.000Z');
      expect(start('a3')).toBe('2026-07-20T07:30:00.000Z');
      expect(start('a4')).toBe('2026-07-20T08:00:00.000Z');
      expect(start('a5')).toBe('2026-01-12T08:00:00.000Z');
      // A CSV with no practice columns and no clinician names still makes a usable first import.
      expect(desk.service.mirror.practice()).toEqual({ id: 'practice', name: 'Practice', odsCode: null });
      expect(desk.service.getDay('2026-07-20', null).clinicians).toEqual([{ id: 'c1', name: 'c1', role: 'other', room: null }]);
    });
  });
});

describe('import: bad input changes nothing and says where', () => {
  /** A data folder holding smallBook, and its snapshot. */
  async function populated() {
    const dataDir = tempDir();
    expect((await cli('import', writeTemp('seed.json', JSON.stringify(bookToFhirBundle(smallBook()))), '--data', dataDir)).code).toBe(0);
    return { dataDir, before: snapshot(dataDir) };
  }
  const bundleText = (edit: (b: ReturnType<typeof bookToFhirBundle>) => void = () => {}) => {
    const b = bookToFhirBundle(smallBook());
    edit(b);
    return JSON.stringify(b, null, 1);
  };
  const appointment = (b: ReturnType<typeof bookToFhirBundle>, id: string) => {
    const e = b.entry.find((x) => x.resource.id === id);
    if (!e) throw new Error(`no ${id}`);
    return e;
  };
  const entryIndex = (id: string) => bookToFhirBundle(smallBook()).entry.findIndex((e) => e.resource.id === id);
  const csvText = (edit: (lines: string[]) => string[] = (l) => l) => edit(bookToCsv(smallBook()).trimEnd().split('\r\n')).join('\r\n');

  const cases: Array<[string, string, () => string, string[], RegExp]> = [
    [
      'CSV in a file named .json',
      'day.json',
      () => csvText(),
      [],
      /^standby-desk: day\.json: the file: format: is said to be a FHIR Bundle \(JSON\) but does not start like JSON \(it looks like CSV/,
    ],
    ['JSON said to be CSV', 'day.json', () => bundleText(), ['--format', 'csv'], /day\.json: the file: format: is said to be CSV but holds JSON/],
    ['truncated JSON', 'day.json', () => bundleText().slice(0, 2000), [], /day\.json: the file: JSON: is not valid JSON \(it may be truncated\)/],
    [
      'a JSON resource that is not a Bundle',
      'day.json',
      () => JSON.stringify({ resourceType: 'Patient', id: 'x' }),
      [],
      /day\.json: the file: resourceType: is "Patient", expected "Bundle"/,
    ],
    ['a Bundle of a type we do not import', 'day.json', () => bundleText((b) => Object.assign(b, { type: 'history' })), [], /day\.json: the file: Bundle\.type: is "history"/],
    [
      'an appointment with no start',
      'day.json',
      () => bundleText((b) => delete appointment(b, 'appt-2').resource['start']),
      [],
      new RegExp(`day\\.json: Bundle\\.entry\\[${entryIndex('appt-2')}\\] \\(Appointment/appt-2\\): Appointment\\.start: an appointment needs a start time`),
    ],
    [
      'a reference to a patient absent from the bundle',
      'day.json',
      () => bundleText((b) => (appointment(b, 'appt-3').resource['participant'] = [{ actor: { reference: 'Patient/pat-9' } }, { actor: { reference: 'Practitioner/clin-b' } }])),
      [],
      /day\.json: Bundle\.entry\[\d+\] \(Appointment\/appt-3\): Appointment\.participant\.actor: refers to Patient\/pat-9, which is not in the bundle/,
    ],
    [
      'an unknown status',
      'day.json',
      () => bundleText((b) => (appointment(b, 'appt-5').resource['status'] = 'teleported')),
      [],
      /day\.json: Bundle\.entry\[\d+\] \(Appointment\/appt-5\): Appointment\.status: unknown status "teleported"/,
    ],
    [
      'a CSV missing a mapped column',
      'day.csv',
      () =>
        csvText((lines) =>
          lines.map((l) =>
            l
              .split(',')
              .filter((_c, i) => i !== lines[0]?.split(',').indexOf('appointment_status'))
              .join(','),
          ),
        ),
      [],
      /day\.csv: row 1 \(the header\): appointment_status \(status\): the column is missing/,
    ],
    [
      'a CSV row with an unknown status',
      'day.csv',
      () => csvText((lines) => lines.map((l, i) => (i === 2 ? l.replace(',booked,', ',teleported,') : l))),
      [],
      /day\.csv: row 3: appointment_status: unknown status "teleported"/,
    ],
    [
      'a CSV row with a date that is not one',
      'day.csv',
      () => csvText((lines) => lines.map((l, i) => (i === 4 ? l.replace('20/07/2026', '31/02/2026') : l))),
      [],
      /day\.csv: row 5: appointment_date: "31\/02\/2026" is not a date/,
    ],
    ['a CSV with an unclosed quote', 'day.csv', () => csvText() + '\r\n"unfinished,row', [], /day\.csv: line 7: CSV: a quoted field is not closed/],
    ['an empty file', 'day.csv', () => '', [], /day\.csv: the file: header: the file is empty/],
  ];

  it.each(cases)('%s: exit 1, the place named, the mirror as it was', async (_name, fileName, content, extra, message) => {
    const { dataDir, before } = await populated();
    const file = writeTemp(fileName, content());
    const result = await cli('import', file, ...extra, '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(snapshot(dataDir)).toBe(before);
  });

  it('a mapping file naming a column the CSV lacks: exit 1, the column named, the mirror as it was', async () => {
    const { dataDir, before } = await populated();
    const files = tempDir();
    const mapping = writeTemp('map.json', JSON.stringify({ columns: { reason: 'Slot Notes' } }), files);
    const result = await cli('import', writeTemp('day.csv', csvText(), files), '--mapping', mapping, '--data', dataDir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/day\.csv: row 1 \(the header\): Slot Notes \(reason\): the column is missing/);
    expect(snapshot(dataDir)).toBe(before);
    const badMapping = writeTemp('bad.json', JSON.stringify({ columns: { colour: 'x' } }), files);
    const bad = await cli('import', writeTemp('day2.csv', csvText(), files), '--mapping', badMapping, '--data', dataDir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json: columns: unknown field\(s\) colour/);
    expect(snapshot(dataDir)).toBe(before);
  });

  it('a file that does not exist: exit 1, named', async () => {
    const { dataDir, before } = await populated();
    const result = await cli('import', path.join(tempDir(), 'nope.json'), '--data', dataDir);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringMatching(/nope\.json: the file: path: .*does not exist/) });
    expect(snapshot(dataDir)).toBe(before);
  });

  it('--skip-invalid imports the valid records and lists each one skipped', async () => {
    const { dataDir } = await populated();
    const text = bundleText((b) => {
      appointment(b, 'appt-2').resource['status'] = 'teleported';
      appointment(b, 'appt-2').resource['meta'] = { versionId: '2' };
      delete appointment(b, 'appt-3').resource['start'];
      appointment(b, 'appt-3').resource['meta'] = { versionId: '2' };
      appointment(b, 'appt-5').resource['status'] = 'noshow';
      appointment(b, 'appt-5').resource['meta'] = { versionId: '2' };
    });
    const result = await cli('import', writeTemp('day.json', text), '--skip-invalid', '--data', dataDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/appointments\s+0 added, 1 changed, 0 removed, 2 unchanged, 2 skipped/);
    expect(result.stdout).toMatch(/skipped\s+day\.json: Bundle\.entry\[\d+\] \(Appointment\/appt-2\): Appointment\.status: unknown status "teleported"/);
    expect(result.stdout).toMatch(/skipped\s+day\.json: Bundle\.entry\[\d+\] \(Appointment\/appt-3\): Appointment\.start: an appointment needs a start time/);
    withDesk(dataDir, (desk) => {
      expect(desk.service.mirror.appointment('appt-5')?.status).toBe('dna');
      // The skipped records keep their last good copy: unreadable is not "removed upstream".
      expect(desk.service.mirror.appointment('appt-2')?.status).toBe('booked');
      expect(desk.service.mirror.appointment('appt-3')).not.toBeNull();
    });
  });

  it('--skip-invalid on a CSV skips the bad rows', async () => {
    const dataDir = tempDir();
    const text = csvText((lines) => lines.map((l, i) => (i === 2 ? l.replace(',booked,', ',teleported,') : l)));
    const result = await cli('import', writeTemp('day.csv', text), '--skip-invalid', '--data', dataDir, '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { appointments: { added: number; skipped: number }; invalid: Array<{ where: string; field: string }> };
    expect(report.appointments).toMatchObject({ added: 4, skipped: 1 });
    expect(report.invalid).toEqual([expect.objectContaining({ file: 'day.csv', where: 'row 3', field: 'appointment_status' })]);
  });
});

describe('import: the sample files', () => {
  const fixtures = path.resolve(__dirname, '../../fixtures');
  it.each(['sample-day.fhir.json', 'sample-day.csv'])('%s imports cleanly', async (name) => {
    const dataDir = tempDir();
    const result = await cli('import', path.join(fixtures, name), '--data', dataDir, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dates: [FIXTURE_DATE], appointments: { added: 5, skipped: 0 } });
  });

  it('are what the exporters write for smallBook() (regenerate with tests/fixtures/make-samples.ts)', () => {
    expect(fs.readFileSync(path.join(fixtures, 'sample-day.fhir.json'), 'utf8')).toBe(`${JSON.stringify(bookToFhirBundle(smallBook()), null, 2)}\n`);
    expect(fs.readFileSync(path.join(fixtures, 'sample-day.csv'), 'utf8')).toBe(bookToCsv(smallBook(), resolveMapping()));
  });
});

describe('docs/csv-import.md', () => {
  it('documents every column of the default mapping', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/csv-import.md'), 'utf8');
    for (const [field, column] of Object.entries(DEFAULT_CSV_MAPPING.columns)) {
      expect(doc, field).toContain(`| \`${String(column)}\``);
      expect(doc, field).toContain(`| \`${field}\` |`);
    }
  });
});

describe('import: the same resource twice in one bundle', () => {
  it('is fine when it is the same, and an error naming both entries when it is not', async () => {
    const bundle = bookToFhirBundle(smallBook());
    const patient = bundle.entry.find((e) => e.resource.id === 'pat-2');
    if (!patient) throw new Error('fixture has pat-2');
    const twice = { ...bundle, entry: [...bundle.entry, patient] };
    expect((await cli('import', writeTemp('twice.json', JSON.stringify(twice)), '--data', tempDir())).code).toBe(0);
    const differing = { ...bundle, entry: [...bundle.entry, { resource: { ...patient.resource, meta: { versionId: '2' }, gender: 'male' } }] };
    const result = await cli('import', writeTemp('differing.json', JSON.stringify(differing)), '--data', tempDir());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /differing\.json: Bundle\.entry\[\d+\] \(Patient\/pat-2\): Patient\.id: Patient\/pat-2 is also at Bundle\.entry\[\d+\] \(Patient\/pat-2\), with different content/,
    );
  });
});

describe('import: a transaction Bundle whose entries refer to each other by fullUrl', () => {
  /**
   * The book as a transaction: each entry's fullUrl a urn:uuid and every reference rewritten to it, as an
   * exporter writing a transaction does (the server assigns the ids; here the resources keep theirs, so the
   * mirror can be compared with the searchset's).
   */
  function asTransaction(book: PracticeBook, keepIds: boolean) {
    const bundle = bookToFhirBundle(book);
    const urlOf = new Map(bundle.entry.map((e, i) => [`${e.resource.resourceType}/${e.resource.id}`, `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`]));
    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'reference' && typeof v === 'string' && urlOf.has(v) ? urlOf.get(v) : rewrite(v)]));
    };
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: bundle.entry.map((e) => {
        const { id, ...rest } = rewrite(e.resource) as { id: string };
        const fullUrl = urlOf.get(`${e.resource.resourceType}/${e.resource.id}`);
        return {
          fullUrl,
          resource: keepIds ? { id, ...rest } : rest,
          request: { method: keepIds ? 'PUT' : 'POST', url: keepIds ? `${e.resource.resourceType}/${id}` : e.resource.resourceType },
        };
      }),
    };
  }

  it('gives the same mirror as the searchset when the resources keep their ids', async () => {
    const book = smallBook();
    const [viaSearchset, viaTransaction] = [tempDir(), tempDir()];
    expect(await cli('import', writeTemp('day.json', JSON.stringify(bookToFhirBundle(book))), '--data', viaSearchset)).toMatchObject({ code: 0 });
    const result = await cli('import', writeTemp('transaction.json', JSON.stringify(asTransaction(book, true))), '--data', viaTransaction);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(mirrorBook(viaTransaction)).toEqual(mirrorBook(viaSearchset));
  });

  it('takes the ids from the urn:uuids when the resources have none, and keeps every appointment with its patient', async () => {
    const book = smallBook();
    const dataDir = tempDir();
    const result = await cli('import', writeTemp('transaction.json', JSON.stringify(asTransaction(book, false))), '--data', dataDir, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const mirrored = mirrorBook(dataDir) as { appointments: Array<{ patient_id: string }>; patients: Array<{ id: string; family_name: string }> };
    expect(mirrored.appointments).toHaveLength(book.appointments.length);
    expect(mirrored.patients.map((p) => p.family_name).sort()).toEqual(book.patients.map((p) => p.familyName).sort());
    for (const a of mirrored.appointments) expect(mirrored.patients.some((p) => p.id === a.patient_id)).toBe(true);
  });
});
