/**
 * The CLI's upstream settings, the same for pull, reconcile and serve: --fhir URL, --timeout SECONDS and
 * --page-size N from the command line, the token from $STANDBY_DESK_FHIR_TOKEN (upstream/settings.ts).
 */
import { DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_MS, MIN_PAGE_SIZE, type FhirSettings } from '../desk/upstream/fhir/client';
import { FHIR_TOKEN_ENV, upstreamSettingsOf } from '../desk/upstream/settings';
import { intOption } from './common';

export const UPSTREAM_OPTIONS = {
  fhir: { type: 'string' },
  timeout: { type: 'string' },
  'page-size': { type: 'string' },
} as const;

export const UPSTREAM_USAGE = `--timeout SECONDS (default ${DEFAULT_TIMEOUT_MS / 1000}), --page-size N (default ${DEFAULT_PAGE_SIZE}; smaller by itself when the server refuses a page); token in $${FHIR_TOKEN_ENV}`;

export function upstreamSettingsFromFlags(v: { timeout?: string | undefined; 'page-size'?: string | undefined }, url: string, odsCode?: string): FhirSettings {
  return upstreamSettingsOf({
    url,
    timeoutMs: intOption('timeout', v.timeout, DEFAULT_TIMEOUT_MS / 1000, 1, 600) * 1000,
    pageSize: v['page-size'] === undefined ? undefined : intOption('page-size', v['page-size'], DEFAULT_PAGE_SIZE, MIN_PAGE_SIZE, 1000),
    odsCode,
  });
}
