/**
 * What both extract readers share: the files of an extract set (from folders, zips or single files), each file's
 * header worked out into a layout (its version), its rows as cells by column name, and rows marked deleted set
 * aside. Nothing is written here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImportError, type Problems, type ResourceType } from '../batch';
import { CsvSyntaxError, parseCsv } from '../csv/parse';
import { readZip, ZipError } from './zip';

/** One file of an extract, wherever it came from. */
export interface ExtractFile {
  /** As messages name it: "Appointment_Slot.csv", or "day.zip/Appointment_Slot.csv" for a zip's or a folder's file. */
  name: string;
  /** The file's own name, without folders: what says which file of the set it is. */
  baseName: string;
  bytes: Buffer;
  /** When the file was last written (or zipped): its data cannot be newer (hazard H1). */
  modifiedAt: string | null;
}

/** Largest file or zip read, as for the other imports. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;
const EXTRACT_EXTENSIONS = new Set(['.csv', '.txt']);

const fileError = (file: string, where: string, field: string, message: string) => new ImportError({ file, where, resourceType: null, id: null, field, message });

/** The files of the PATHs given: a folder's CSV files, a zip's entries, or a file itself. */
export function openExtract(paths: readonly string[]): ExtractFile[] {
  const out: ExtractFile[] = [];
  for (const given of paths) {
    const name = path.basename(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw fileError(name, 'the file', 'path', code === 'ENOENT' ? `${given} does not exist` : `cannot be read (${code ?? String(error)})`);
    }
    if (stat.isDirectory()) {
      const entries = fs.readdirSync(given, { withFileTypes: true }).filter((e) => e.isFile() && EXTRACT_EXTENSIONS.has(path.extname(e.name).toLowerCase()));
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) out.push({ ...readOne(path.join(given, e.name), e.name), name: `${name}/${e.name}` });
      continue;
    }
    const file = readOne(given, name);
    if (path.extname(given).toLowerCase() === '.zip' || (file.bytes.length >= 4 && file.bytes.readUInt32LE(0) === 0x04034b50)) {
      let entries;
      try {
        entries = readZip(file.bytes);
      } catch (error) {
        if (error instanceof ZipError) throw fileError(name, 'the file', 'zip', error.message);
        throw error;
      }
      for (const e of entries) {
        const baseName = path.posix.basename(e.name);
        if (!EXTRACT_EXTENSIONS.has(path.extname(baseName).toLowerCase())) continue;
        out.push({ name: `${name}/${e.name}`, baseName, bytes: e.data, modifiedAt: e.modifiedAt ?? file.modifiedAt });
      }
      continue;
    }
    out.push(file);
  }
  return out;
}

function readOne(file: string, name: string): ExtractFile {
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_FILE_BYTES) throw fileError(name, 'the file', 'size', `is ${Math.round(stat.size / 1e6)} MB; the largest import is ${MAX_FILE_BYTES / 1e6} MB`);
    const modifiedAt = Number.isFinite(stat.mtimeMs) && stat.mtimeMs > 0 ? stat.mtime.toISOString() : null;
    const bytes = fs.readFileSync(file);
    return { name, baseName: name, bytes, modifiedAt };
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw fileError(name, 'the file', 'path', `cannot be read (${(error as { code?: string }).code ?? String(error)})`);
  }
}

/** A kind of file in an extract: how it is recognised and which of its columns are read. */
export interface TableSpec {
  /** What a person calls it in a message: "the appointment slot file (Appointment_Slot)". */
  label: string;
  /** Columns read: a header without one of these is refused, naming it. */
  required: readonly string[];
  /** The published column list (FEEDS.md): a header equal to it is that layout; others are described against it. */
  published: readonly string[];
  /** The column marking a removed row ("Deleted", "RemovedData"), if the file has one. */
  removedColumn?: string;
  /**
   * What a row is, for a row too malformed to read: skipped with --skip-invalid, it is named by its id so the
   * refresh keeps the mirror's copy rather than take it as removed upstream.
   */
  record?: { resourceType: ResourceType; idColumn: string };
}

export interface TableRow {
  /** 1-based as a spreadsheet shows it: the header is row 1. */
  number: number;
  where: string;
  cell(column: string): string;
  /** The row by column name: kept as the upstream record's raw form. */
  raw: Record<string, string>;
}

export interface Table {
  file: ExtractFile;
  /** The version worked out from the header: "published layout", or how it differs from it. */
  layout: string;
  columns: ReadonlySet<string>;
  rows: TableRow[];
  /** Rows marked removed (Deleted / RemovedData): left out of the book. */
  removed: TableRow[];
}

type TextEncoding = 'utf-8' | 'windows-1252';

const TRUE_WORDS = new Set(['true', '1', 'y', 'yes', 't']);
export const isTrue = (text: string): boolean => TRUE_WORDS.has(text.trim().toLowerCase());

/** `problems`: a row with the wrong number of fields is reported there (fatal, or listed and left out with --skip-invalid). */
export function readTable(file: ExtractFile, spec: TableSpec, encoding: TextEncoding, problems: Problems): Table {
  const text = new TextDecoder(encoding).decode(file.bytes);
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw fileError(file.name, `line ${error.line}`, 'CSV', error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw fileError(file.name, 'the file', 'header', `is empty: ${spec.label} needs a header row naming its columns`);
  const names = header.fields.map((h) => h.trim());
  if ([...names.join('')].some((ch) => ch.charCodeAt(0) < 0x20)) throw fileError(file.name, 'row 1', 'header', 'holds control characters: this is not a text CSV file');
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (n === '') return;
    if (index.has(n)) throw fileError(file.name, 'row 1 (the header)', n, 'the column appears twice in the header');
    index.set(n, i);
  });
  for (const column of spec.required) {
    if (!index.has(column)) throw fileError(file.name, 'row 1 (the header)', column, `the column is missing from ${spec.label}; the header has: ${names.join(', ')}`);
  }
  const rows: TableRow[] = [];
  const removed: TableRow[] = [];
  body.forEach((record, i) => {
    const number = i + 2;
    const where = record.line === number ? `row ${number}` : `row ${number} (line ${record.line})`;
    if (record.fields.length !== names.length) {
      const at = spec.record ? index.get(spec.record.idColumn) : undefined;
      const id = at === undefined ? '' : (record.fields[at] ?? '').trim();
      problems.report({
        file: file.name,
        where,
        resourceType: id ? (spec.record?.resourceType ?? null) : null,
        id: id || null,
        field: '(row)',
        message: `has ${record.fields.length} fields, the header has ${names.length}`,
      });
      return;
    }
    const raw: Record<string, string> = {};
    names.forEach((n, k) => {
      if (n !== '') raw[n] = (record.fields[k] ?? '').trim();
    });
    const row: TableRow = { number, where, cell: (column) => raw[column] ?? '', raw };
    if (spec.removedColumn !== undefined && isTrue(row.cell(spec.removedColumn))) removed.push(row);
    else rows.push(row);
  });
  return { file, layout: layoutOf(names, spec), columns: new Set(index.keys()), rows, removed };
}

/**
 * The file's version as far as its header tells: the published layout, or that layout with columns added or
 * without optional ones. Suppliers change columns without notice, so the reader reads by name and says what
 * it saw rather than refusing a layout it has not met.
 */
function layoutOf(names: readonly string[], spec: TableSpec): string {
  const have = new Set(names.filter((n) => n !== ''));
  const extra = [...have].filter((n) => !spec.published.includes(n));
  const without = spec.published.filter((n) => !have.has(n));
  if (extra.length === 0 && without.length === 0) return 'published layout';
  const parts = [];
  if (without.length) parts.push(`without ${without.join(', ')}`);
  if (extra.length) parts.push(`with ${extra.join(', ')} added`);
  return `published layout ${parts.join(', ')}`;
}
