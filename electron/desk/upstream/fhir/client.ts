/**
 * Pulling the book from a FHIR R4 server: searches with _include, Bundle paging (next links), every request
 * under a timeout (Node's fetch with AbortSignal.timeout). Read-only: merge-back writes live elsewhere.
 *
 * Failures are classified because they mean different things at the desk: no answer at all (unreachable,
 * timeout, 5xx) is an outage; a 4xx or an unreadable answer is a configuration or data problem that a person
 * must fix, and switching to outage mode for it would hide the real fault.
 */
import { addDays, dayBoundsUtc, weekdayOf, type LocalDate } from '../../../../shared/domain';
import type { PullFailureKind } from '../../refresh';
import { Problems, type UpstreamBatch } from '../batch';
import { ODS_CODE_SYSTEM } from './resources';
import { readFhirResources, type FoundResource, type KnownFingerprints } from './read';

export interface FhirSettings {
  /** e.g. https://gp-system.example/fhir/R4; no trailing slash needed. */
  baseUrl: string;
  /** Sent as "Authorization: Bearer ..." when present. Kept out of the database on purpose (see docs). */
  bearerToken?: string | undefined;
  /** Per request, including reading the body. */
  timeoutMs?: number | undefined;
  /** _count asked for per page. */
  pageSize?: number | undefined;
  /** A guard against a server whose next links never end. */
  maxPages?: number | undefined;
  /** The practice's ODS code, to find its Organization; without it, a server holding one Organization is enough. */
  odsCode?: string | undefined;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_MAX_PAGES = 2_000;

export class PullError extends Error {
  readonly kind: PullFailureKind;
  readonly status: number | null;
  readonly url: string;
  constructor(kind: PullFailureKind, url: string, message: string, status: number | null = null) {
    super(message);
    this.name = 'PullError';
    this.kind = kind;
    this.url = url;
    this.status = status;
  }
}

/**
 * The dates a pull covers: `from` and the next `days - 1` working days (Mon-Fri), with any weekend between them
 * (extended-access surgeries do book Saturdays). The default, 4, is "today and the next 3 working days".
 */
export function pullDates(from: LocalDate, days: number): LocalDate[] {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a whole number of at least 1');
  const dates = [from];
  let date = from;
  for (let workingDays = 1; workingDays < days; ) {
    date = addDays(date, 1);
    dates.push(date);
    if (isWorkingDay(date)) workingDays++;
  }
  return dates;
}

function isWorkingDay(date: LocalDate): boolean {
  const d = weekdayOf(date);
  return d !== 0 && d !== 6;
}

export class FhirClient {
  readonly base: URL;
  private readonly timeoutMs: number;

  constructor(private readonly settings: FhirSettings) {
    let base: URL;
    try {
      base = new URL(settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`);
    } catch {
      throw new PullError('client', settings.baseUrl, `"${settings.baseUrl}" is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new PullError('client', settings.baseUrl, 'the FHIR base URL must be http: or https:');
    this.base = base;
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** GET a URL on this server and parse its JSON body. */
  async getJson(url: URL): Promise<unknown> {
    if (url.origin !== this.base.origin) {
      // A next link to another host would carry our bearer token (and patient data requests) somewhere else.
      throw new PullError('bad-response', url.href, `the server sent a link to another origin (${url.origin}); not followed`);
    }
    const headers: Record<string, string> = { Accept: 'application/fhir+json, application/json;q=0.9' };
    if (this.settings.bearerToken) headers['Authorization'] = `Bearer ${this.settings.bearerToken}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
      text = await response.text();
    } catch (error) {
      throw classifyFetchError(error, url.href, this.timeoutMs);
    }
    if (response.status >= 500) throw new PullError('server', url.href, `${this.base.host} answered ${response.status} ${response.statusText}`.trim(), response.status);
    if (response.status >= 400) {
      const hint = response.status === 401 || response.status === 403 ? ' (check the access token)' : '';
      throw new PullError('client', url.href, `${this.base.host} refused the request: ${response.status} ${response.statusText}${hint}`.trim(), response.status);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PullError('bad-response', url.href, `${this.base.host} answered ${response.status} with something that is not JSON`, response.status);
    }
  }

  /** Is anyone there? A GET of the CapabilityStatement. */
  async probe(): Promise<void> {
    await this.getJson(new URL('metadata', this.base));
  }

  /** A search, following Bundle.link "next" to the end; every resource on every page, with where it was found. */
  async searchAll(type: string, params: ReadonlyArray<readonly [string, string]>): Promise<FoundResource[]> {
    const url = new URL(type, this.base);
    for (const [k, v] of params) url.searchParams.append(k, v);
    if (!url.searchParams.has('_count')) url.searchParams.set('_count', String(this.settings.pageSize ?? DEFAULT_PAGE_SIZE));
    const found: FoundResource[] = [];
    const seen = new Set<string>();
    const maxPages = this.settings.maxPages ?? DEFAULT_MAX_PAGES;
    let next: URL | null = url;
    let page = 0;
    while (next) {
      if (seen.has(next.href)) throw new PullError('bad-response', next.href, `the ${type} search's next link points back to a page already read`);
      if (++page > maxPages) throw new PullError('bad-response', next.href, `the ${type} search ran past ${maxPages} pages`);
      seen.add(next.href);
      const doc = await this.getJson(next);
      const bundle = doc as { resourceType?: unknown; entry?: unknown; link?: unknown };
      if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') {
        throw new PullError('bad-response', next.href, `the ${type} search did not answer with a Bundle`);
      }
      const where = `${type} search page ${page}`;
      if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) throw new PullError('bad-response', next.href, `${where}: Bundle.entry is not a list`);
      for (const entry of (bundle.entry ?? []) as Array<Record<string, unknown>>) {
        const resource = entry?.['resource'];
        if (resource && typeof resource === 'object' && !Array.isArray(resource) && typeof (resource as Record<string, unknown>)['resourceType'] === 'string') {
          found.push({ resource: resource as Record<string, unknown>, fullUrl: typeof entry['fullUrl'] === 'string' ? entry['fullUrl'] : undefined, where });
        }
      }
      const links = Array.isArray(bundle.link) ? (bundle.link as Array<{ relation?: unknown; url?: unknown }>) : [];
      const nextLink = links.find((l) => l.relation === 'next' && typeof l.url === 'string');
      next = null;
      if (nextLink) {
        try {
          next = new URL(nextLink.url as string, this.base);
        } catch {
          throw new PullError('bad-response', String(nextLink.url), `${where}: the next link is not a URL`);
        }
      }
    }
    return found;
  }

  /** As searchAll, but a server that does not support the search (4xx) yields nothing rather than failing the pull. */
  async searchOptional(type: string, params: ReadonlyArray<readonly [string, string]>): Promise<FoundResource[]> {
    try {
      return await this.searchAll(type, params);
    } catch (error) {
      if (error instanceof PullError && error.kind === 'client' && error.status !== 401 && error.status !== 403) return [];
      throw error;
    }
  }
}

function classifyFetchError(error: unknown, url: string, timeoutMs: number): PullError {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new PullError('timeout', url, `no answer within ${Math.round(timeoutMs / 100) / 10} s from ${new URL(url).host}`);
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new PullError('unreachable', url, `cannot reach ${new URL(url).host} (${detail})`);
}

export interface PullOptions {
  dates: readonly LocalDate[];
  /** What the mirror already holds (UpstreamDesk.knownFingerprints): unchanged records are not read again. */
  known?: KnownFingerprints | undefined;
  /** The desk's clock (DeskService.clock), read once at the first request: the book's "as of". */
  clock?: (() => Date) | undefined;
}

/**
 * The book for the dates, read from the server: appointments with their patients and practitioners, sessions
 * (Schedules) and Slots (so free slots are known for rebooking), roles, flags and the practice. Every page is
 * read before anything is written, so a pull failing halfway leaves the mirror as it was. Records that cannot
 * be read are left out and listed: one odd record must not stop the whole desk from refreshing.
 */
export async function pullBook(settings: FhirSettings, options: PullOptions): Promise<UpstreamBatch> {
  const client = new FhirClient(settings);
  const [first, ...others] = options.dates;
  const last = others.at(-1) ?? first;
  if (first === undefined || last === undefined) throw new RangeError('a pull needs at least one date');
  const from = dayBoundsUtc(first).start;
  const to = dayBoundsUtc(last).end;
  // A pull reads pages for a while; the earliest of them may be this old, and the book cannot be newer (H1).
  const asOf = (options.clock ?? (() => new Date()))().toISOString();
  const found: FoundResource[] = [];
  found.push(
    ...(await client.searchAll('Appointment', [
      ['date', `ge${from}`],
      ['date', `lt${to}`],
      ['_include', 'Appointment:patient'],
      ['_include', 'Appointment:practitioner'],
    ])),
  );
  found.push(...(await client.searchAll('Schedule', [['date', `ge${from}`], ['date', `lt${to}`], ['_include', 'Schedule:actor']])));
  found.push(...(await client.searchAll('Slot', [['start', `ge${from}`], ['start', `lt${to}`], ['_include', 'Slot:schedule']])));
  found.push(...(await client.searchOptional('PractitionerRole', [['active', 'true']])));
  found.push(...(await client.searchOptional('Flag', [['status', 'active']])));
  const orgs = settings.odsCode
    ? await client.searchOptional('Organization', [['identifier', `${ODS_CODE_SYSTEM}|${settings.odsCode}`]])
    : await client.searchOptional('Organization', [['_count', '2']]);
  // Without an ODS code, only a server holding exactly one Organization says unambiguously whose book this is.
  if (settings.odsCode || orgs.length === 1) found.push(...orgs);

  // The same resource can come from two searches (a Practitioner as an Appointment's and a Schedule's include).
  const unique = new Map<string, FoundResource>();
  for (const f of found) {
    const key = `${String(f.resource['resourceType'])}/${String(f.resource['id'])}`;
    if (!unique.has(key)) unique.set(key, f);
  }
  return readFhirResources([...unique.values()], {
    file: client.base.href,
    source: `FHIR ${client.base.href}`,
    problems: new Problems(true),
    dates: options.dates,
    known: options.known,
    asOf,
  });
}
