/**
 * Which CSV column holds which field. No GP system publishes an export layout, so the mapping is configurable;
 * the field list, the mapping's JSON shape and the default live in shared/api/feed-mapping.ts, because the
 * manager's mapping screen builds the same mapping this file resolves for the reader (read.ts). A mapping comes
 * from a file (--mapping, upkeep-settings.json's watch.mapping) or is the practice's own, saved from the screen
 * (actions/feed-mapping.ts); both are this one shape, laid over the default.
 */
import { CSV_FIELD_NAMES, CSV_FIELDS, CsvMappingFile, DEFAULT_CSV_MAPPING, type CsvField, type CsvMapping } from '../../../../shared/api/feed-mapping';

export { CSV_FIELD_NAMES, CSV_FIELDS, CsvMappingFile, DEFAULT_CSV_MAPPING, type CsvField, type CsvMapping } from '../../../../shared/api/feed-mapping';

export interface ResolvedMapping extends CsvMapping {
  /** Fields the mapping file named: their columns must be in the file, whether required or not. */
  explicit: ReadonlySet<CsvField>;
}

export class MappingError extends Error {}

/** Lays a mapping file over the default. Refuses unknown fields and a required field mapped to nothing. */
export function resolveMapping(file?: CsvMappingFile): ResolvedMapping {
  const columns = { ...DEFAULT_CSV_MAPPING.columns };
  const explicit = new Set<CsvField>();
  for (const field of CSV_FIELD_NAMES) {
    const value = file?.columns?.[field];
    if (value === undefined) continue;
    if (value === null && CSV_FIELDS[field].required) throw new MappingError(`columns.${field}: is required and cannot be null`);
    columns[field] = value;
    if (value !== null) explicit.add(field);
  }
  return { columns, delimiter: file?.delimiter ?? DEFAULT_CSV_MAPPING.delimiter, explicit };
}

/** Parses a mapping file's JSON text; the message names the field that is wrong. */
export function parseMappingFile(text: string, name: string): ResolvedMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingError(`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = CsvMappingFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : '(mapping)';
    const message = issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}; the fields are ${CSV_FIELD_NAMES.join(', ')}` : issue?.message;
    throw new MappingError(`${name}: ${where}: ${message ?? 'is not a column mapping'}`);
  }
  try {
    return resolveMapping(parsed.data);
  } catch (error) {
    throw new MappingError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
