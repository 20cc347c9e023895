/**
 * The mirror's benchmarks, for tests/bench/run.ts: a Kent-and-Medway-sized day (34,000 appointments, their
 * patients, ~1,100 clinicians) as a FHIR Bundle, imported into an empty mirror and then refreshed unchanged.
 * Each against a raw baseline in the same process: JSON.parse plus plain prepared inserts (or reads) of the
 * same rows, with the raw resource, into a WAL file in one transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { FHIR_STATUS_OF, foldName, type DeskStatus } from '../../shared/domain';
import { openDesk } from '../../electron/desk/open';
import { TEST_NOW } from '../support/clock';
import { closeDatabase, databasePath, openDatabase } from '../../electron/desk/store/connection';
import { bookToFhirBundle, Problems, readFhirBundleDocument } from '../../electron/desk/upstream';
import type { KnownFingerprints } from '../../electron/desk/upstream/batch';
import { bulkBook, tempDir } from '../support/fixtures';
import { median } from './median';

export interface MirrorMeasurement {
  name: string;
  n: number;
  ms: number;
  baseline_ms: number;
}

const ctx = { user: 'bench', desk: 'bench' };

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

type Json = Record<string, unknown>;

/** What a hand-written importer would do with no validation, mapping layer or change detection. */
export function rawImport(db: BetterSqlite3.Database, text: string): void {
  const bundle = JSON.parse(text) as { entry: Array<{ resource: Json }> };
  const insertRecord = db.prepare(
    `INSERT INTO upstream_record (resource_type, id, version, fingerprint, format, raw, entity, source, pulled_at) VALUES (?, ?, ?, ?, 'fhir', ?, '{}', 'raw', ?)`,
  );
  const insertPractice = db.prepare('INSERT INTO practice (id, name, ods_code) VALUES (?, ?, ?)');
  const insertClinician = db.prepare('INSERT INTO clinician (id, name, role, room) VALUES (?, ?, ?, ?)');
  const insertPatient = db.prepare(`INSERT INTO patient (id, nhs_number, nhs_number_status, family_name, given_name, family_fold, given_fold,
    date_of_birth, sex, phone, phone_digits, flags) VALUES (?, ?, 'valid', ?, ?, ?, ?, ?, ?, ?, NULL, '[]')`);
  const insertAppointment = db.prepare(`INSERT INTO appointment (id, patient_id, clinician_id, session_id, slot_id, start, "end", local_date, type,
    status, fhir_status, reason, cancel_reason, arrived_at, sent_in_at, seen_at, version, upstream_version, updated_at)
    VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, 'face_to_face', ?, ?, NULL, NULL, NULL, NULL, NULL, 0, ?, ?)`);
  const now = TEST_NOW;
  db.transaction(() => {
    for (const { resource: r } of bundle.entry) {
      const id = r['id'] as string;
      const version = ((r['meta'] as Json | undefined)?.['versionId'] as string | undefined) ?? '1';
      switch (r['resourceType']) {
        case 'Organization':
          insertPractice.run(id, r['name'], (r['identifier'] as Json[] | undefined)?.[0]?.['value'] ?? null);
          break;
        case 'Practitioner':
          insertClinician.run(id, (r['name'] as Json[])[0]?.['text'] ?? id, 'gp', null);
          break;
        case 'Patient': {
          const name = (r['name'] as Json[])[0] ?? {};
          const family = (name['family'] as string | undefined) ?? '';
          const given = ((name['given'] as string[] | undefined) ?? []).join(' ');
          insertPatient.run(
            id,
            (r['identifier'] as Json[] | undefined)?.[0]?.['value'] ?? null,
            family,
            given,
            foldName(family),
            foldName(given),
            r['birthDate'] ?? null,
            r['gender'] ?? 'unknown',
            null,
          );
          break;
        }
        case 'Appointment': {
          const actors = (r['participant'] as Array<{ actor: { reference: string } }>).map((p) => p.actor.reference);
          const patient = actors.find((a) => a.startsWith('Patient/'))?.slice(8) ?? '';
          const clinician = actors.find((a) => a.startsWith('Practitioner/'))?.slice(13) ?? '';
          const start = r['start'] as string;
          insertAppointment.run(id, patient, clinician, start, r['end'], start.slice(0, 10), 'booked', FHIR_STATUS_OF['booked' as DeskStatus], version, now);
          break;
        }
        default:
          continue;
      }
      insertRecord.run(r['resourceType'], id, version, version, JSON.stringify(r), now);
    }
  })();
}

/** What a hand-written "anything changed?" check would do: parse, read the stored versions, compare. */
export function rawUnchangedCheck(db: BetterSqlite3.Database, text: string): number {
  const bundle = JSON.parse(text) as { entry: Array<{ resource: Json }> };
  const versions = new Map<string, string>();
  for (const row of db.prepare('SELECT resource_type, id, version FROM upstream_record').raw().iterate() as IterableIterator<[string, string, string]>) {
    versions.set(`${row[0]}/${row[1]}`, row[2]);
  }
  let changed = 0;
  for (const { resource: r } of bundle.entry) {
    const version = (r['meta'] as Json | undefined)?.['versionId'];
    if (versions.get(`${String(r['resourceType'])}/${String(r['id'])}`) !== version) changed++;
  }
  return changed;
}

/** The bench's input, made in its own scope so the book's objects are garbage before anything is timed. */
function bundleText(n: number): string {
  return JSON.stringify(bookToFhirBundle(bulkBook(n)));
}

export function benchMirror(report: (m: MirrorMeasurement) => void, n = 34_000, runs = 3): void {
  const text = bundleText(n);
  const read = (known?: KnownFingerprints) => readFhirBundleDocument(JSON.parse(text), { file: 'bench.json', source: 'bench', problems: new Problems(false), known });

  // Ours: parse, read and check every resource, write the mirror and the base records, journal it; each run into
  // a new data folder. Baseline: the same rows and raw resources, plain prepared inserts, one transaction, the
  // same pragmas and schema (openDatabase), into a new file.
  const ours: number[] = [];
  const baseline: number[] = [];
  let desk: ReturnType<typeof openDesk> | null = null;
  let raw: BetterSqlite3.Database | null = null;
  for (let i = 0; i < runs; i++) {
    desk?.close();
    if (raw) closeDatabase(raw);
    desk = openDesk({ dataDir: tempDir('bench-mirror-'), user: 'bench', desk: 'bench' });
    const d = desk;
    const first = time(() => d.service.upstream.refresh(read(), ctx));
    if (first.value.appointments.added !== n) throw new Error(`bench: expected ${n} added, got ${JSON.stringify(first.value.appointments)}`);
    ours.push(first.ms);
    raw = openDatabase(databasePath(tempDir('bench-mirror-raw-')));
    const r = raw;
    baseline.push(time(() => rawImport(r, text)).ms);
  }
  if (!desk || !raw) throw new Error('bench: no runs');
  const d = desk;
  const r = raw;
  report({ name: `import-fhir-bundle-${n}-appointments`, n, ms: median(ours), baseline_ms: median(baseline) });

  // An unchanged refresh, as a scheduled pull does it: parse, skip every record on its version (not read again,
  // not rewritten), journal that the book was checked. Baseline: parse, read the stored versions, compare.
  const unchanged: number[] = [];
  const fullRead: number[] = [];
  const check: number[] = [];
  for (let i = 0; i < runs; i++) {
    const again = time(() => d.service.upstream.refresh(read(d.service.upstream.knownFingerprints()), ctx));
    if (again.value.appointments.unchanged !== n) throw new Error(`bench: expected ${n} unchanged, got ${JSON.stringify(again.value.appointments)}`);
    unchanged.push(again.ms);
    // The same without the fast path: every record read and checked in full, then skipped on its version.
    fullRead.push(time(() => d.service.upstream.refresh(read(), ctx)).ms);
    check.push(time(() => rawUnchangedCheck(r, text)).ms);
  }
  report({ name: `refresh-unchanged-${n}-appointments`, n, ms: median(unchanged), baseline_ms: median(check) });
  report({ name: `refresh-unchanged-${n}-appointments-full-read`, n, ms: median(fullRead), baseline_ms: median(check) });
  d.close();
  closeDatabase(r);
}
