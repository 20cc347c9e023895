/** The upstream adapters: what the CLI, the server, the bench and the tests reach for. */
export { bookToFhirBundle, bookToFhirResources, type FhirBundleOut, type FhirResource } from './fhir/export';
export { readFhirBundleDocument, readFhirResources } from './fhir/read';
export { bookToCsv } from './csv/export';
export { parseCsv } from './csv/parse';
export { CSV_FIELDS, DEFAULT_CSV_MAPPING, parseMappingFile, resolveMapping, MappingError, type CsvMapping, type ResolvedMapping } from './csv/mapping';
export { readCsv } from './csv/read';
export { readImportFiles, type ImportFormat } from './files';
export { describeInvalid, ImportError, Problems, type InvalidRecord, type UpstreamBatch } from './batch';
