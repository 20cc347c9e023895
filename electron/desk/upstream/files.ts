/**
 * Reading import files (FHIR Bundle JSON, CSV, or an EMIS or SystmOne extract as a folder, zip or files) into one
 * batch. Nothing is written here: the caller hands the batch to the refresh, so a bad file fails before the
 * database is touched and the mirror stays as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImportError, mergeBatches, Problems, type ResourceType, type UpstreamBatch } from './batch';
import { readCsv } from './csv/read';
import { resolveMapping, type ResolvedMapping } from './csv/mapping';
import { csvHeaderOf, isPatientListHeader, readPatientListCsv } from './csv/patient-list';
import { readFhirBundleDocument } from './fhir/read';
import { readEmisExtract } from './extract/emis';
import { readSystmOneExtract } from './extract/systmone';
import { openExtract } from './extract/table';

export type ImportFormat = 'fhir' | 'csv' | 'emis-extract' | 'systmone-extract';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['fhir', 'csv', 'emis-extract', 'systmone-extract'];

export interface ImportFilesOptions {
  /** What the files are; by default each file's extension (.json, .csv) or, failing that, its first character. */
  format?: ImportFormat | undefined;
  mapping?: ResolvedMapping | undefined;
  skipInvalid?: boolean | undefined;
  /** The practice's ODS code as the desk knows it: an extract for another organisation is refused. */
  practiceOds?: string | null | undefined;
  /** Whether the mirror holds an upstream record: a delta extract may refer to records it does not repeat. */
  mirrored?: ((resourceType: ResourceType, id: string) => boolean) | undefined;
}

/** Largest file read: a day of 34,000 appointments as FHIR is about 60 MB. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

export function readImportFiles(files: readonly string[], options: ImportFilesOptions = {}): UpstreamBatch {
  const problems = new Problems(options.skipInvalid ?? false);
  if (options.format === 'emis-extract' || options.format === 'systmone-extract') {
    // The PATHs together are one extract (folders, zips or the files themselves): its files refer to each other.
    const extract = openExtract(files);
    const names = files.map((f) => path.basename(f)).join(', ');
    const read = options.format === 'emis-extract' ? readEmisExtract : readSystmOneExtract;
    const source = `${options.format === 'emis-extract' ? 'EMIS' : 'SystmOne'} extract ${names}`;
    return mergeBatches([read(extract, { source, problems, practiceOds: options.practiceOds, mirrored: options.mirrored })], problems);
  }
  const format = options.format;
  const batches = files.map((file) => readImportFile(file, { ...options, format }, problems));
  return mergeBatches(batches, problems);
}

function readImportFile(file: string, options: ImportFilesOptions & { format?: 'fhir' | 'csv' | undefined }, problems: Problems): UpstreamBatch {
  const name = path.basename(file);
  const fail = (field: string, message: string): never => {
    throw new ImportError({ file: name, where: 'the file', resourceType: null, id: null, field, message });
  };
  let text: string;
  /** When the file was last written: its data cannot be newer than that (hazard H1). */
  let modifiedAt: string | null;
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) fail('size', `is ${Math.round(stat.size / 1e6)} MB; the largest import is ${MAX_FILE_BYTES / 1e6} MB`);
    modifiedAt = Number.isFinite(stat.mtimeMs) && stat.mtimeMs > 0 ? stat.mtime.toISOString() : null;
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const code = (error as { code?: string }).code;
    return fail('path', code === 'ENOENT' ? `${file} does not exist` : `cannot be read (${code ?? String(error)})`);
  }
  const format = options.format ?? formatOf(file, text);
  const source = `file ${name}`;
  if (format === 'csv' && options.mapping === undefined && isPatientListHeader(csvHeaderOf(text) ?? [])) {
    // A patient-list CSV (csv/patient-list.ts): the whole practice list, no appointments.
    return readPatientListCsv(text, { file: name, source, problems, asOf: modifiedAt });
  }
  if (format === 'csv') return readCsv(text, { file: name, source, mapping: options.mapping ?? resolveMapping(), problems, asOf: modifiedAt });
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head === '') fail('format', 'is empty');
  if (!head.startsWith('{') && !head.startsWith('[')) {
    fail('format', `is said to be a FHIR Bundle (JSON) but does not start like JSON${/^[^\n]*,/.test(head) ? ' (it looks like CSV: use --format csv)' : ''}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    fail('JSON', `is not valid JSON${/end of (JSON )?input|Unterminated|Expected/i.test(message) ? ' (it may be truncated)' : ''}: ${message}`);
  }
  return readFhirBundleDocument(doc, { file: name, source, problems, asOf: modifiedAt });
}

function formatOf(file: string, text: string): ImportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return 'fhir';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  const head = text.replace(/^\uFEFF/, '').trimStart();
  return head.startsWith('{') ? 'fhir' : 'csv';
}
