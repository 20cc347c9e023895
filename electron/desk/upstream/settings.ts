/**
 * The upstream settings: which FHIR server, with what token, timeout and page size. Each process that holds a
 * desk builds them once, in one place, and its pulls, its scheduler and its merge-back all use that one value:
 *
 *   the app's desk process   upkeep-settings.json's "fhir" part (readUpkeepSettings), the token falling back to
 *                            the environment;
 *   `serve`                  --fhir URL, --timeout, --page-size, the token from the environment;
 *   the CLI's pull/reconcile the same flags and the same environment variable.
 *
 * A desk told nothing (no settings file, no flags) merges back to the server it last pulled from, as recorded in
 * the mirror, with the token from the environment. Merge-back once read its token only from the environment, so
 * the app's writes went out without Authorization although the settings file held the token: two sources of one
 * setting, and the one merge-back read was empty.
 *
 * The token is never stored in the database or taken from the command line (where other users can see it).
 */
import type { FhirSettings } from './fhir/client';

/** The bearer token's environment variable, for the CLI, `serve`, and the app when its settings file has none. */
export const FHIR_TOKEN_ENV = 'STANDBY_DESK_FHIR_TOKEN';

/** The desk's upstream settings as they are now; null when no FHIR server is known. */
export type UpstreamSettingsProvider = () => FhirSettings | null;

export interface GivenUpstreamSettings {
  url: string;
  /** From a settings file; the environment's when absent. */
  token?: string | undefined;
  timeoutMs?: number | undefined;
  pageSize?: number | undefined;
  odsCode?: string | undefined;
}

/** The settings a person gave (flags or a settings file), with the token from the environment when they gave none. */
export function upstreamSettingsOf(given: GivenUpstreamSettings, env: NodeJS.ProcessEnv = process.env): FhirSettings {
  const token = given.token ?? env[FHIR_TOKEN_ENV];
  return {
    baseUrl: given.url,
    ...(token ? { bearerToken: token } : {}),
    ...(given.timeoutMs === undefined ? {} : { timeoutMs: given.timeoutMs }),
    ...(given.pageSize === undefined ? {} : { pageSize: given.pageSize }),
    ...(given.odsCode === undefined ? {} : { odsCode: given.odsCode }),
  };
}

/** For a desk given no settings: the server it last pulled from (null if none), the token from the environment. */
export function lastPulledSettings(lastPulledFrom: () => string | null, env: NodeJS.ProcessEnv = process.env): UpstreamSettingsProvider {
  return () => {
    const url = lastPulledFrom();
    return url ? upstreamSettingsOf({ url }, env) : null;
  };
}
