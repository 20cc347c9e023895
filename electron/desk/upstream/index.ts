/** The upstream adapters: what the CLI, the server, the bench and the tests reach for. */
export { bookToFhirBundle, bookToFhirResources } from './fhir/export';
export { readFhirBundleDocument } from './fhir/read';
export { bookToCsv } from './csv/export';
export { DEFAULT_CSV_MAPPING, parseMappingFile, resolveMapping, MappingError, type ResolvedMapping } from './csv/mapping';
export { IMPORT_FORMATS, readImportFiles } from './files';
export { describeInvalid, Problems, type UpstreamBatch } from './batch';
