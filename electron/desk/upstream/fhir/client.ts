/**
 * Pulling the book from a FHIR R4 server: searches with _include, Bundle paging (next links), every request
 * under a timeout (Node's fetch with AbortSignal.timeout). Read-only: merge-back writes live elsewhere.
 *
 * Failures are classified because they mean different things at the desk: no answer at all (unreachable,
 * timeout, 5xx) is an outage; a 4xx or an unreadable answer is a configuration or data problem that a person
 * must fix, and switching to outage mode for it would hide the real fault. Every refusal carries the server's own
 * words (its OperationOutcome's diagnostics), because "400 Bad Request" alone tells the person nothing to fix.
 *
 * Pages are small on purpose (DEFAULT_PAGE_SIZE), and smaller still when a server refuses a page for its size:
 * HAPI FHIR, which many clinical systems' FHIR endpoints are built on, allows at most 1,000 _include results per
 * page (max_includes_per_page) and clamps _count to its max_page_size (200 in its starter), and other servers
 * refuse a page past their own limit outright.
 */
import { deskClock } from '../../clock';
import { addDays, dayBoundsUtc, weekdayOf, type LocalDate } from '../../../../shared/domain';
import type { PullFailureKind } from '../../refresh';
import { Problems, type KnownFingerprints, type UpstreamBatch } from '../batch';
import { ODS_CODE_SYSTEM } from './resources';
import { readFhirResources, type FoundResource } from './read';

export interface FhirSettings {
  /** e.g. https://gp-system.example/fhir/R4; no trailing slash needed. */
  baseUrl: string;
  /** Sent as "Authorization: Bearer ..." when present. Kept out of the database on purpose (see docs). */
  bearerToken?: string | undefined;
  /** Per request, including reading the body. */
  timeoutMs?: number | undefined;
  /** _count asked for per page; halved (down to MIN_PAGE_SIZE) while the server refuses a page for its size. */
  pageSize?: number | undefined;
  /** A guard against a server whose next links never end. */
  maxPages?: number | undefined;
  /** The practice's ODS code, to find its Organization; without it, a server holding one Organization is enough. */
  odsCode?: string | undefined;
}

export const DEFAULT_TIMEOUT_MS = 20_000;
/**
 * 100 appointments a page bring at most 200 included patients and practitioners: well inside HAPI's 1,000
 * _include results per page and its starter's max_page_size of 200, and still only 6 pages for a 600-appointment day.
 */
export const DEFAULT_PAGE_SIZE = 100;
/** The smallest page asked for after refusals: below this a server's limit is not about page size. */
export const MIN_PAGE_SIZE = 10;
/** Against next links that never end; generous, as pages are small (at 100 a page, 2,000,000 resources a search). */
const DEFAULT_MAX_PAGES = 20_000;

/** What a server said about a refusal: its OperationOutcome's issues, as text and as issue codes. */
export interface ServerOutcome {
  diagnostics: string | null;
  codes: string[];
}

export class PullError extends Error {
  readonly kind: PullFailureKind;
  readonly status: number | null;
  readonly url: string;
  /** The server's OperationOutcome, when it sent one (also in the message). */
  readonly outcome: ServerOutcome | null;
  constructor(kind: PullFailureKind, url: string, message: string, status: number | null = null, outcome: ServerOutcome | null = null) {
    super(message);
    this.name = 'PullError';
    this.kind = kind;
    this.url = url;
    this.status = status;
    this.outcome = outcome;
  }
}

/** The issues of an OperationOutcome (diagnostics, else details.text), or null for anything else. */
export function serverOutcome(json: unknown): ServerOutcome | null {
  if (json === null || typeof json !== 'object' || (json as { resourceType?: unknown }).resourceType !== 'OperationOutcome') return null;
  const issue = (json as { issue?: unknown }).issue;
  const issues = Array.isArray(issue) ? (issue as Array<{ code?: unknown; diagnostics?: unknown; details?: { text?: unknown } } | null>) : [];
  const text = issues.map((i) => (typeof i?.diagnostics === 'string' ? i.diagnostics.trim() : typeof i?.details?.text === 'string' ? i.details.text.trim() : '')).filter(Boolean);
  return { diagnostics: text.length ? text.join('; ') : null, codes: issues.map((i) => i?.code).filter((c): c is string => typeof c === 'string') };
}

/** An OperationOutcome's text as it goes into a message, or null when there is none. */
export function outcomeText(json: unknown): string | null {
  return serverOutcome(json)?.diagnostics ?? null;
}

const PAGE_LIMIT_WORDS = /_count|\bcount\b|\bpage|_include|\binclude|too many|too large|maximum|\bmax\b|\blimit|exceed/i;

/**
 * A refusal of a page for its size: a 400 or 422 whose OperationOutcome says "too-costly" or names a page, count
 * or include limit. Another refusal (a search parameter the server lacks, a bad token) is not helped by paging smaller.
 */
export function isPageLimitRefusal(error: PullError): boolean {
  if (error.kind !== 'client' || (error.status !== 400 && error.status !== 422)) return false;
  const outcome = error.outcome;
  if (outcome === null) return false;
  return outcome.codes.includes('too-costly') || (outcome.diagnostics !== null && PAGE_LIMIT_WORDS.test(outcome.diagnostics));
}

/**
 * The dates a pull covers: `from` and the next `days - 1` working days (Mon-Fri), with any weekend between them
 * (extended-access surgeries do book Saturdays). The default, 4, is "today and the next 3 working days".
 */
export function pullDates(from: LocalDate, days: number): LocalDate[] {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a whole number of at least 1');
  const dates = [from];
  let date = from;
  for (let workingDays = 1; workingDays < days;) {
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
  /** _count for the next search: smaller once the server has refused a page for its size, for the rest of the pull. */
  private pageSize: number;

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
    this.pageSize = Math.max(MIN_PAGE_SIZE, settings.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  /** The page size searches ask for now (smaller than the settings' after a refusal). */
  get currentPageSize(): number {
    return this.pageSize;
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
    if (response.status >= 400) {
      const outcome = serverOutcome(parseJson(text));
      const said = outcome?.diagnostics ? `: ${outcome.diagnostics}` : '';
      const answer = `${response.status} ${response.statusText}`.trim();
      if (response.status >= 500) throw new PullError('server', url.href, `${this.base.host} answered ${answer}${said}`, response.status, outcome);
      const hint = response.status === 401 || response.status === 403 ? ' (check the access token)' : '';
      throw new PullError('client', url.href, `${this.base.host} refused the request: ${answer}${said}${hint}`, response.status, outcome);
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
    if (!url.searchParams.has('_count')) url.searchParams.set('_count', String(this.pageSize));
    const found: FoundResource[] = [];
    const seen = new Set<string>();
    const maxPages = this.settings.maxPages ?? DEFAULT_MAX_PAGES;
    let next: URL | null = url;
    let page = 0;
    while (next) {
      if (seen.has(next.href)) throw new PullError('bad-response', next.href, `the ${type} search's next link points back to a page already read`);
      if (++page > maxPages) throw new PullError('bad-response', next.href, `the ${type} search ran past ${maxPages} pages`);
      seen.add(next.href);
      let doc: unknown;
      try {
        doc = await this.getJson(next);
      } catch (error) {
        const smaller = error instanceof PullError ? this.smallerPage(error, next) : null;
        if (smaller === null) throw error;
        // The same page again, smaller; the server's next links carry the new size from here on.
        next = new URL(next.href);
        next.searchParams.set('_count', String(smaller));
        page--;
        continue;
      }
      const bundle = doc as { resourceType?: unknown; entry?: unknown; link?: unknown };
      if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') {
        const said = outcomeText(doc);
        throw new PullError('bad-response', next.href, `the ${type} search did not answer with a Bundle${said ? `: ${said}` : ''}`, null, serverOutcome(doc));
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

  /**
   * After a refusal of `url`: the page size to ask for instead when the server refused the page for its size
   * (half, down to MIN_PAGE_SIZE), else null. Past the floor the refusal stands, saying what was tried.
   */
  private smallerPage(error: PullError, url: URL): number | null {
    if (!isPageLimitRefusal(error)) return null;
    const asked = Number(url.searchParams.get('_count')) || this.pageSize;
    if (asked <= MIN_PAGE_SIZE) {
      throw new PullError(error.kind, error.url, `${error.message} (refused even at ${asked} a page)`, error.status, error.outcome);
    }
    this.pageSize = Math.max(MIN_PAGE_SIZE, Math.floor(asked / 2));
    return this.pageSize;
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
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
  /**
   * Also read the whole practice list: every Patient whose general practitioner is the practice's Organization
   * (paged like any search). The batch then carries the whole list, and removes those who have left it.
   */
  practiceList?: boolean | undefined;
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
  const asOf = (options.clock ?? deskClock())().toISOString();
  const found: FoundResource[] = [];
  found.push(
    ...(await client.searchAll('Appointment', [
      ['date', `ge${from}`],
      ['date', `lt${to}`],
      ['_include', 'Appointment:patient'],
      ['_include', 'Appointment:practitioner'],
    ])),
  );
  found.push(
    ...(await client.searchAll('Schedule', [
      ['date', `ge${from}`],
      ['date', `lt${to}`],
      ['_include', 'Schedule:actor'],
    ])),
  );
  found.push(
    ...(await client.searchAll('Slot', [
      ['start', `ge${from}`],
      ['start', `lt${to}`],
      ['_include', 'Slot:schedule'],
    ])),
  );
  found.push(...(await client.searchOptional('PractitionerRole', [['active', 'true']])));
  found.push(...(await client.searchOptional('Flag', [['status', 'active']])));
  const orgs = settings.odsCode
    ? await client.searchOptional('Organization', [['identifier', `${ODS_CODE_SYSTEM}|${settings.odsCode}`]])
    : await client.searchOptional('Organization', [['_count', '2']]);
  // Without an ODS code, only a server holding exactly one Organization says unambiguously whose book this is.
  if (settings.odsCode || orgs.length === 1) found.push(...orgs);
  // The practice list needs to know whose list: without the practice's Organization it is not asked for, and the
  // pull stays a book that says nothing of who is registered.
  const practiceOrg = options.practiceList && (settings.odsCode || orgs.length === 1) ? orgs[0]?.resource['id'] : undefined;
  const wholeList = typeof practiceOrg === 'string';
  if (wholeList) found.push(...(await client.searchAll('Patient', [['general-practitioner', `Organization/${practiceOrg}`]])));

  // The same resource can come from two searches (a Practitioner as an Appointment's and a Schedule's include).
  const unique = new Map<string, FoundResource>();
  for (const f of found) {
    const key = `${String(f.resource['resourceType'])}/${String(f.resource['id'])}`;
    if (!unique.has(key)) unique.set(key, f);
  }
  const batch = readFhirResources([...unique.values()], {
    file: client.base.href,
    source: `FHIR ${client.base.href}`,
    problems: new Problems(true),
    dates: options.dates,
    known: options.known,
    asOf,
  });
  batch.patientList = wholeList ? 'whole' : 'referenced';
  if (options.practiceList && !wholeList) {
    batch.notes = [...(batch.notes ?? []), 'the practice list was not read: the practice’s Organization is not known (give --ods, or the server must hold one Organization)'];
  }
  return batch;
}
