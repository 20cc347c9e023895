/**
 * The mapping a manager builds on screen from a sample file (issue 19 item 3, shared/api/feed-mapping.ts): the
 * guess from the columns' names and values, what each of the first rows becomes (or its problem, naming the
 * column), the practice's own mapping saved in the database (a manager's, audited) and the watched folder reading
 * CSV exports with it unless upkeep-settings.json names a mapping file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contract, FEED_MAPPING_PRESETS, type FeedMappingPreview, type FeedMappingState, type OperationName } from '../../../shared/api';
import type { RequestContext } from '../../../electron/desk/dispatch';
import { openDesk, type OpenDesk } from '../../../electron/desk/open';
import { startUpkeep, WatchedFolder } from '../../../electron/desk/upkeep';
import { readUpkeepSettings, UPKEEP_SETTINGS_FILE } from '../../../electron/desk/upkeep-settings';
import { guessColumns, guessDelimiter, previewMapping } from '../../../electron/desk/upstream/csv/guess';
import { parseMappingFile } from '../../../electron/desk/upstream/csv/mapping';
import { addTestAccounts, FIXTURE_DATE, tempDir } from '../../support/fixtures';
import { TEST_NOW } from '../../support/clock';
import { ManualTimers } from '../../support/timers';

const FIXTURES = path.join(__dirname, '../../fixtures/feeds-mapping');
const REPORT = fs.readFileSync(path.join(FIXTURES, 'systmone-style-report.csv'), 'utf8');
const DEFAULT_SAMPLE = fs.readFileSync(path.join(__dirname, '../../fixtures/sample-day.csv'), 'utf8');

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function desk(): OpenDesk & { dataDir: string } {
  const dataDir = tempDir('standby-feed-mapping-');
  const d = openDesk({ dataDir, user: 'pat.manager', desk: 'office' });
  cleanups.push(() => d.close());
  return Object.assign(d, { dataDir });
}

function call<T>(d: OpenDesk, name: OperationName, input: unknown, ctx: RequestContext = d.context): T {
  const result = d.dispatch(name, input, ctx);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  expect(contract[name].output.safeParse(result.value).success).toBe(true);
  return result.value as T;
}

describe('guessing a mapping from a sample', () => {
  it('finds the fields of a report written from SystmOne’s published column names', () => {
    const preview = previewMapping(REPORT);
    expect(preview.header).toHaveLength(14);
    expect(preview.guessed.delimiter).toBe(',');
    expect(preview.guessed.columns).toMatchObject({
      appointmentId: 'RowIdentifier',
      start: 'DateStart',
      end: 'DateEnd',
      status: 'AppointmentStatus',
      clinicianId: 'IDClinician',
      sessionLabel: 'RotaName',
      sessionRoom: 'RotaLocation',
      patientId: 'IDPatient',
      nhsNumber: 'NHSNumber',
      familyName: 'Surname',
      givenName: 'FirstName',
      dateOfBirth: 'DateBirth',
      sex: 'Gender',
      phone: 'BookingContactNumber',
      date: null,
      slotId: null,
    });
    expect(preview.problems).toEqual([]);
  });

  it('reads what columns hold when their names say nothing: dates, times, NHS numbers, statuses', () => {
    const header = ['Col1', 'Col2', 'Col3', 'Col4', 'Col5', 'Col6', 'Col7', 'Col8', 'Col9'];
    const rows = [
      ['a1', '20/07/2026', '08:30', '08:40', 'Booked', 'Hughes', '999 000 0018', 'F', '02/03/1984'],
      ['a2', '20/07/2026', '08:40', '08:50', 'DNA', 'Okoro', '9990000204', 'M', '30/11/1950'],
      ['a3', '20/07/2026', '08:50', '09:00', 'Arrived', 'Price', '9990003009', 'F', '15/06/2019'],
    ];
    const columns = guessColumns(header, rows);
    expect(columns).toMatchObject({ date: 'Col2', start: 'Col3', end: 'Col4', status: 'Col5', nhsNumber: 'Col7', sex: 'Col8', dateOfBirth: 'Col9' });
    // Ten digits failing Modulus 11 are not taken for NHS numbers.
    expect(guessColumns(['Number'], [['9990000019'], ['9990000205']]).nhsNumber).toBeNull();
    // A column named like a date but holding words is not a date.
    expect(guessColumns(['Appointment Date'], [['soon'], ['later']]).date).toBeNull();
  });

  it('finds the delimiter from the header line', () => {
    expect(guessDelimiter('a;b;c\n1;2;3')).toBe(';');
    expect(guessDelimiter('a\tb\tc')).toBe('\t');
    expect(guessDelimiter('"x;y",b,c')).toBe(',');
  });

  it('takes our own default layout as it is: each of its columns the file has', () => {
    const preview = previewMapping(DEFAULT_SAMPLE);
    const standbyDesk = FEED_MAPPING_PRESETS.find((p) => p.id === 'standby-desk')?.mapping.columns ?? {};
    const present = Object.fromEntries(Object.entries(standbyDesk).map(([field, column]) => [field, column && preview.header.includes(column) ? column : null]));
    expect(preview.guessed.columns).toEqual(present);
    expect(preview.guessed.columns.extractedAt).toBeNull();
    expect(preview.rows.every((r) => r.becomes.kind !== 'problem')).toBe(true);
  });
});

describe('what each row becomes', () => {
  it('shows the first rows as appointments with their patient and clinician', () => {
    const preview = previewMapping(REPORT);
    expect(preview.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);
    const first = preview.rows[0];
    expect(first?.cells[0]).toBe('sr-1001');
    expect(first?.becomes).toMatchObject({
      kind: 'appointment',
      appointment: { id: 'sr-1001', status: 'booked', start: '2026-07-20T07:30:00.000Z', end: '2026-07-20T07:40:00.000Z', patientId: 'P1', clinicianId: 'S1' },
      patient: { familyName: 'Hughes', givenName: 'Alys', nhsNumber: '9990000018', nhsNumberStatus: 'valid', dateOfBirth: '1984-03-02', sex: 'female' },
      clinician: { id: 'S1' },
    });
    expect(preview.rows[2]?.becomes).toMatchObject({ kind: 'appointment', appointment: { status: 'dna' } });
  });

  it('names the column of a row’s problem, and reads the other rows', () => {
    const preview = previewMapping(REPORT.replace('Did not attend', 'Teleported'));
    expect(preview.rows[2]?.becomes).toEqual({ kind: 'problem', column: 'AppointmentStatus', message: 'unknown status "Teleported"' });
    expect(preview.rows.filter((r) => r.becomes.kind === 'appointment')).toHaveLength(4);
  });

  it('shows only the first ten rows', () => {
    const lines = REPORT.trim().split('\n');
    const many = [lines[0], ...Array.from({ length: 30 }, (_, i) => (lines[1] ?? '').replace('sr-1001', `sr-${2000 + i}`))].join('\n');
    expect(previewMapping(many).rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('previews a changed choice, and says what the mapping lacks', () => {
    const guessed = previewMapping(REPORT).guessed;
    // The clinician taken from the rota's name instead: every row now books with "Morning surgery" or "Nurse clinic".
    const changed = previewMapping(REPORT, { columns: { ...guessed.columns, clinicianId: 'RotaName' }, delimiter: ',' });
    expect(changed.rows[0]?.becomes).toMatchObject({ kind: 'appointment', appointment: { clinicianId: 'Morning surgery' } });
    expect(changed.mapping.columns.clinicianId).toBe('RotaName');
    expect(changed.guessed.columns.clinicianId).toBe('IDClinician');

    const noStatus = previewMapping(REPORT, { columns: { ...guessed.columns, status: null }, delimiter: ',' });
    expect(noStatus.problems).toEqual(['Status: choose its column (every row needs one)']);
    const wrong = previewMapping(REPORT, { columns: { ...guessed.columns, phone: 'Mobile' }, delimiter: ',' });
    expect(wrong.problems).toEqual(['Phone: the column "Mobile" is not in the sample\'s header']);
  });

  it('says so when the sample is not CSV', () => {
    expect(previewMapping('').problems).toEqual(['The sample is empty: it needs a header row naming its columns.']);
    expect(previewMapping('a,b\n"unclosed,2').problems[0]).toMatch(/cannot be read as CSV: line 2: a quoted field is not closed/);
  });
});

describe('the practice’s own mapping', () => {
  it('is saved in the database by a manager, audited, and read back', () => {
    const d = desk();
    expect(call<FeedMappingState>(d, 'getFeedMapping', {})).toEqual({ saved: null, inForce: { source: 'default' } });
    const preview = call<FeedMappingPreview>(d, 'previewFeedMapping', { sample: REPORT });
    const state = call<FeedMappingState>(d, 'saveFeedMapping', { name: 'SystmOne day report', mapping: preview.guessed });
    expect(state).toEqual({
      saved: { name: 'SystmOne day report', mapping: preview.guessed, savedAt: expect.stringMatching(/^2026-07-20T09:30:/) as unknown, savedBy: 'pat.manager' },
      inForce: { source: 'saved', name: 'SystmOne day report' },
    });
    expect(call<FeedMappingState>(d, 'getFeedMapping', {})).toEqual(state);
    expect(d.service.audit.list({ kind: 'settings-changed' }).at(-1)).toMatchObject({
      user: 'pat.manager',
      detail: { setting: 'feed-mapping', from: null, to: 'SystmOne day report' },
    });
    // Not a clear file: nothing new in the data folder holds the mapping.
    for (const name of fs.readdirSync(d.dataDir)) {
      const file = path.join(d.dataDir, name);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes('IDClinician')).toBe(false);
    }
  });

  it('is refused without a column for every field each row needs', () => {
    const d = desk();
    const result = d.dispatch('saveFeedMapping', { name: 'Half done', mapping: { columns: { status: null } } }, d.context);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/choose a column for Status/) as unknown } });
    expect(call<FeedMappingState>(d, 'getFeedMapping', {}).saved).toBeNull();
  });

  it('is a manager’s to see and save, not a receptionist’s', () => {
    const d = desk();
    const accounts = addTestAccounts(d);
    const reception: RequestContext = { user: 'anonymous', desk: 'front-1', sessionId: 'reception-session' };
    expect(d.dispatch('signIn', { username: accounts.receptionist.username, secret: accounts.receptionist.secret }, reception)).toMatchObject({ ok: true });
    for (const [name, input] of [
      ['saveFeedMapping', { name: 'Mine', mapping: {} }],
      ['getFeedMapping', {}],
      ['previewFeedMapping', { sample: REPORT }],
    ] as const) {
      expect(d.dispatch(name, input, reception)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(call<FeedMappingState>(d, 'getFeedMapping', {}).saved).toBeNull();
  });
});

describe('the watched folder and the saved mapping', () => {
  /** A file dropped with a modification time of its own, counted back from the suite's instant. */
  function drop(folder: string, name: string, text: string, secondsAgo: number): void {
    const file = path.join(folder, name);
    fs.writeFileSync(file, text);
    const t = new Date(Date.parse(TEST_NOW) - secondsAgo * 1000);
    fs.utimesSync(file, t, t);
  }

  it('imports a CSV export with the mapping saved on screen', () => {
    const d = desk();
    const folder = tempDir('standby-watch-');
    const watched = new WatchedFolder(folder, d);
    drop(folder, 'report.csv', REPORT, 60);
    expect(watched.check().kind).toBe('waiting');
    // Without a saved mapping the default's columns are missing: one clear failure.
    expect(watched.check()).toMatchObject({ kind: 'failed', error: { message: expect.stringMatching(/report\.csv.*appointment_id/) as unknown } });

    call(d, 'saveFeedMapping', { name: 'SystmOne day report', mapping: previewMapping(REPORT).guessed });
    drop(folder, 'report.csv', REPORT.replace('Okoro', 'Okoro-Bell'), 30);
    expect(watched.check().kind).toBe('waiting');
    expect(watched.check()).toMatchObject({ kind: 'imported', file: 'report.csv', report: { appointments: { added: 5 } } });
    expect(d.service.mirrorDates()).toEqual([FIXTURE_DATE]);
    expect(d.service.mirror.patient('P2')?.familyName).toBe('Okoro-Bell');
  });

  it('gives way to a mapping file named in upkeep-settings.json, and the screen says which is in force', async () => {
    const d = desk();
    call(d, 'saveFeedMapping', { name: 'SystmOne day report', mapping: previewMapping(REPORT).guessed });
    fs.writeFileSync(path.join(d.dataDir, 'it-mapping.json'), JSON.stringify({ columns: { status: 'Slot Status' } }));
    fs.writeFileSync(path.join(d.dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify({ watch: { dir: 'exports', mapping: 'it-mapping.json' } }));
    const { settings, problems } = readUpkeepSettings(d.dataDir);
    expect(problems).toEqual([]);
    expect(settings.watch).toMatchObject({ mappingFile: 'it-mapping.json', mapping: { columns: { status: 'Slot Status' } } });

    const upkeep = startUpkeep(d, { ...settings, log: () => undefined, timers: new ManualTimers() });
    expect(call<FeedMappingState>(d, 'getFeedMapping', {}).inForce).toEqual({ source: 'file', file: 'it-mapping.json' });
    await upkeep.stop();
    expect(call<FeedMappingState>(d, 'getFeedMapping', {}).inForce).toEqual({ source: 'saved', name: 'SystmOne day report' });

    // Without a mapping file the folder's settings carry none, and the saved one is used.
    fs.writeFileSync(path.join(d.dataDir, UPKEEP_SETTINGS_FILE), JSON.stringify({ watch: { dir: 'exports' } }));
    expect(readUpkeepSettings(d.dataDir).settings.watch).toEqual({ folder: path.join(d.dataDir, 'exports'), feed: 'export' });
  });

  it('is the same shape as a mapping file', () => {
    const guessed = previewMapping(REPORT).guessed;
    expect(parseMappingFile(JSON.stringify(guessed), 'saved.json').columns).toEqual(guessed.columns);
  });
});
