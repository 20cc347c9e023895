/**
 * TEST DOUBLE. A small FHIR R4 server for tests and benchmarks only: it is not a FHIR server, keeps everything in
 * memory, and must never be pointed at real patient data. It listens on 127.0.0.1 only (port 0: a free port),
 * refuses anything not from the loopback address, and bounds what it holds and reads.
 *
 * What it does, because the desk's upstream code depends on it:
 *   - stores resources with versions: meta.versionId and meta.lastUpdated, ETag W/"n" on reads and writes;
 *   - searches (a handful of the R4 search parameters the desk uses) with _include, _count and paging through
 *     Bundle.link "next" with absolute URLs (_offset);
 *   - PUT honours If-Match (412 when the version moved on); POST honours If-None-Exist (a conditional create
 *     returns the existing resource instead of a duplicate; 412 when the criteria match more than one);
 *   - faults on demand: slow answers, a status (5xx, 412, 422) for matching requests, no answer at all (the
 *     client's timeout fires), a write applied and then no answer (timeout after commit), a write delivered
 *     twice (duplicate), a read answered with the version before (stale: a reply overtaken by a newer state),
 *     and the listener closed (unreachable) and reopened on the same port;
 *   - limits as real servers set them, when asked: a bearer token every request must carry (401 with an
 *     OperationOutcome without it), and a most entries per search page, matches and _include results together
 *     (400 with an OperationOutcome naming the limit, as a server built on HAPI FHIR refuses past its
 *     max_includes_per_page of 1,000).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { missingCaseError } from '../../shared/domain/status';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { clockStartingAt } from '../../electron/desk/clock';
import { operationOutcome } from '../../electron/desk/upstream/fhir/resources';
import { TEST_NOW } from '../support/clock';

export type FhirJson = { resourceType: string; id?: string; meta?: { versionId?: string; lastUpdated?: string } } & Record<string, unknown>;

interface Stored {
  resource: FhirJson;
  versionId: number;
  /** The version before this one, for the stale-read fault. */
  previous: Stored | null;
}

export interface RequestInfo {
  method: string;
  /** Path and query, e.g. /fhir/Appointment?date=ge2026-07-20... */
  url: string;
  type: string | null;
  id: string | null;
  headers: { authorization?: string | undefined; ifMatch?: string | undefined; ifNoneExist?: string | undefined };
}

export interface FaultRule {
  /** Which requests it applies to; all when absent. */
  match?: (request: RequestInfo & { query: URLSearchParams }) => boolean;
  /** Answer with this status and an OperationOutcome (500, 503, 412, 422, ...). */
  status?: number;
  /** The OperationOutcome's diagnostics for `status` (a server's own words); "injected fault: <status>" when absent. */
  diagnostics?: string;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  hang?: boolean;
  /** For writes: apply the write first, then fail or hang as above (the client cannot know it was done). */
  afterCommit?: boolean;
  /** How many matching requests it applies to; unlimited when absent. */
  times?: number;
  /** For writes: the request arrives twice (a proxy's retry); the client sees the first answer. */
  duplicate?: boolean;
  /** For reads of one resource: answer with the version before the current one (a lagging replica, a reply overtaken). */
  stale?: boolean;
}

export interface FhirTestServerOptions {
  /** Path the FHIR base sits under; the client must join URLs properly to find it. */
  basePath?: string;
  defaultPageSize?: number;
  maxPageSize?: number;
  maxResources?: number;
  maxBodyBytes?: number;
  now?: () => Date;
  /** When set, every request must carry "Authorization: Bearer <token>"; anything else is answered 401. */
  bearerToken?: string;
  /** When set, a search page whose matches plus _include results pass this is refused with a 400. */
  maxEntriesPerPage?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const MAX_LOG = 2_000;
const MAX_HANGING = 64;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

/** A resource's start as a sortable string: '' when it has none (a Slot or Appointment always has one). */
function startOf(resource: FhirJson): string {
  return typeof resource['start'] === 'string' ? resource['start'] : '';
}

type Matcher = (r: FhirJson) => boolean;

/** A search parameter: the values it finds on a resource (references, tokens, or instants for dates). */
interface SearchParam {
  kind: 'reference' | 'token' | 'date' | 'period' | 'identifier';
  values: (r: FhirJson) => unknown[];
}

const refsOf = (r: unknown): string[] => {
  if (Array.isArray(r)) return r.flatMap(refsOf);
  const ref = (r as { reference?: unknown } | undefined)?.reference;
  return typeof ref === 'string' ? [ref] : [];
};
const actorsOf = (r: FhirJson) => refsOf(((r['participant'] as Array<{ actor?: unknown }> | undefined) ?? []).map((p) => p.actor));

const SEARCH: Record<string, Record<string, SearchParam>> = {
  Appointment: {
    date: { kind: 'date', values: (r) => [r['start']] },
    patient: { kind: 'reference', values: (r) => actorsOf(r).filter((x) => x.startsWith('Patient/')) },
    practitioner: { kind: 'reference', values: (r) => actorsOf(r).filter((x) => x.startsWith('Practitioner/')) },
    actor: { kind: 'reference', values: actorsOf },
    slot: { kind: 'reference', values: (r) => refsOf(r['slot']) },
    status: { kind: 'token', values: (r) => [r['status']] },
    identifier: { kind: 'identifier', values: (r) => (r['identifier'] as unknown[] | undefined) ?? [] },
  },
  Slot: {
    start: { kind: 'date', values: (r) => [r['start']] },
    schedule: { kind: 'reference', values: (r) => refsOf(r['schedule']) },
    status: { kind: 'token', values: (r) => [r['status']] },
  },
  Schedule: {
    date: { kind: 'period', values: (r) => [r['planningHorizon']] },
    actor: { kind: 'reference', values: (r) => refsOf(r['actor']) },
  },
  PractitionerRole: {
    practitioner: { kind: 'reference', values: (r) => refsOf(r['practitioner']) },
    active: { kind: 'token', values: (r) => [r['active'] === undefined ? 'true' : JSON.stringify(r['active'])] },
  },
  Flag: {
    patient: { kind: 'reference', values: (r) => refsOf(r['subject']) },
    subject: { kind: 'reference', values: (r) => refsOf(r['subject']) },
    status: { kind: 'token', values: (r) => [r['status']] },
  },
  Patient: {
    identifier: { kind: 'identifier', values: (r) => (r['identifier'] as unknown[] | undefined) ?? [] },
    // The practice list: the patients registered with an organisation (their GP practice, or managing organisation).
    'general-practitioner': { kind: 'reference', values: (r) => refsOf(r['generalPractitioner']) },
    organization: { kind: 'reference', values: (r) => refsOf(r['managingOrganization']) },
  },
  Practitioner: { identifier: { kind: 'identifier', values: (r) => (r['identifier'] as unknown[] | undefined) ?? [] } },
  Organization: { identifier: { kind: 'identifier', values: (r) => (r['identifier'] as unknown[] | undefined) ?? [] } },
  Location: {},
};

/** _include: Type:param -> the references it follows. */
const INCLUDES: Record<string, (r: FhirJson) => string[]> = {
  'Appointment:patient': (r) => actorsOf(r).filter((x) => x.startsWith('Patient/')),
  'Appointment:practitioner': (r) => actorsOf(r).filter((x) => x.startsWith('Practitioner/')),
  'Appointment:actor': actorsOf,
  'Appointment:slot': (r) => refsOf(r['slot']),
  'Slot:schedule': (r) => refsOf(r['schedule']),
  'Schedule:actor': (r) => refsOf(r['actor']),
  'PractitionerRole:practitioner': (r) => refsOf(r['practitioner']),
  'Flag:patient': (r) => refsOf(r['subject']),
  'Flag:subject': (r) => refsOf(r['subject']),
};

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: OperationOutcomeIssue['code'] = 'processing',
  ) {
    super(message);
  }
}

export class FhirTestServer {
  private readonly store = new Map<string, Map<string, Stored>>();
  private readonly server: http.Server;
  private readonly options: Required<Omit<FhirTestServerOptions, 'now' | 'bearerToken' | 'maxEntriesPerPage'>> & {
    now: () => Date;
    bearerToken: string | undefined;
    maxEntriesPerPage: number | undefined;
  };
  private faults: Array<FaultRule & { used: number }> = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private port = 0;
  private nextGeneratedId = 1;
  private count = 0;
  readonly requests: RequestInfo[] = [];

  private constructor(options: FhirTestServerOptions) {
    this.options = {
      basePath: options.basePath ?? '/fhir',
      defaultPageSize: options.defaultPageSize ?? 50,
      maxPageSize: options.maxPageSize ?? 1_000,
      maxResources: options.maxResources ?? 500_000,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      // The suite's instant, running on (tests/support/clock.ts): the double never reads the real clock either.
      now: options.now ?? clockStartingAt(new Date(TEST_NOW)),
      bearerToken: options.bearerToken,
      maxEntriesPerPage: options.maxEntriesPerPage,
    };
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: FhirTestServerOptions = {}): Promise<FhirTestServer> {
    const s = new FhirTestServer(options);
    await s.listen(0);
    return s;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}${this.options.basePath}`;
  }

  // ---- state --------------------------------------------------------------------------------------------------

  /** Stores resources as the server's own (a new version of each one that exists already). */
  seed(resources: Iterable<FhirJson>): void {
    for (const r of resources) this.write(r);
  }

  read(type: string, id: string): FhirJson | undefined {
    return this.store.get(type)?.get(id)?.resource;
  }

  all(type: string): FhirJson[] {
    return [...(this.store.get(type)?.values() ?? [])].map((s) => s.resource);
  }

  /** Changes a stored resource as another user of the clinical system would: a new version. */
  update(type: string, id: string, change: (r: FhirJson) => FhirJson): FhirJson {
    const current = this.read(type, id);
    if (!current) throw new Error(`no ${type}/${id} in the test server`);
    return this.write(change(structuredClone(current)));
  }

  remove(type: string, id: string): void {
    if (this.store.get(type)?.delete(id)) this.count--;
  }

  private write(resource: FhirJson): FhirJson {
    const id = resource.id;
    if (!id || !ID_RE.test(id)) throw new HttpProblem(400, `resource id ${JSON.stringify(id)} is not a FHIR id`);
    let byId = this.store.get(resource.resourceType);
    if (!byId) this.store.set(resource.resourceType, (byId = new Map<string, Stored>()));
    const current = byId.get(id);
    if (!current && this.count >= this.options.maxResources) throw new HttpProblem(422, `the test server holds at most ${this.options.maxResources} resources`);
    const versionId = (current?.versionId ?? 0) + 1;
    const stored: FhirJson = { ...resource, id, meta: { ...(resource.meta ?? {}), versionId: String(versionId), lastUpdated: this.options.now().toISOString() } };
    byId.set(id, { resource: stored, versionId, previous: current ? { ...current, previous: null } : null });
    if (!current) this.count++;
    return stored;
  }

  // ---- faults -------------------------------------------------------------------------------------------------

  /** Adds a fault; rules are tried in the order added. Returns a function that removes it. */
  inject(rule: FaultRule): () => void {
    const entry = { ...rule, used: 0 };
    this.faults.push(entry);
    return () => {
      this.faults = this.faults.filter((f) => f !== entry);
    };
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Closes the listener and every connection: the server is unreachable (connection refused) until comeBack(). */
  async goDown(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port, so the base URL the desk knows works again. */
  async comeBack(): Promise<void> {
    if (!this.server.listening) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.goDown();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const base = this.options.basePath;
    const rest = url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length + 1) : null;
    const [type = null, id = null, ...extra] = rest === null ? [] : rest.split('/').map(decodeURIComponent);
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const info: RequestInfo = {
      method: req.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      type: type || null,
      id: id || null,
      headers: { authorization: header('authorization'), ifMatch: header('if-match'), ifNoneExist: header('if-none-exist') },
    };
    this.requests.push(info);
    if (this.requests.length > MAX_LOG) this.requests.splice(0, this.requests.length - MAX_LOG);

    const fault = this.faults.find((f) => (f.times === undefined || f.used < f.times) && (!f.match || f.match({ ...info, query: url.searchParams })));
    if (fault) fault.used++;
    try {
      const token = this.options.bearerToken;
      if (token !== undefined && info.headers.authorization !== `Bearer ${token}`) {
        throw new HttpProblem(
          401,
          info.headers.authorization === undefined ? 'no Authorization header: this server needs a bearer token' : 'the bearer token is not valid',
          'login',
        );
      }
      const body = info.method === 'PUT' || info.method === 'POST' ? await this.readBody(req) : null;
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault && !fault.afterCommit) {
        if (fault.hang) return this.hang(res);
        if (fault.status) throw new HttpProblem(fault.status, fault.diagnostics ?? `injected fault: ${fault.status}`, 'transient');
      }
      if (rest === null || extra.length > 0) throw new HttpProblem(404, `no such path ${url.pathname}`, 'not-found');
      if (fault?.stale && info.method === 'GET' && info.type && info.id) {
        const stored = this.store.get(info.type)?.get(info.id);
        const old = stored?.previous ?? stored;
        if (old) return this.send(res, 200, old.resource, { ETag: `W/"${old.versionId}"` });
      }
      const answer = this.route(info, url.searchParams, body);
      if (fault?.duplicate && (info.method === 'PUT' || info.method === 'POST')) {
        // The second delivery meets the first one's effect: its preconditions decide what it does.
        try {
          this.route(info, url.searchParams, body);
        } catch {
          // refused (412 and the like): exactly what a precondition is for
        }
      }
      if (fault?.afterCommit) {
        if (fault.hang) return this.hang(res);
        if (fault.status) throw new HttpProblem(fault.status, `injected fault after the write was applied: ${fault.status}`, 'transient');
      }
      this.send(res, answer.status, answer.body, answer.headers);
    } catch (error) {
      const problem = error instanceof HttpProblem ? error : new HttpProblem(500, error instanceof Error ? error.message : String(error), 'exception');
      this.send(res, problem.status, operationOutcome(problem.code, problem.message));
    }
  }

  private hang(res: http.ServerResponse): void {
    if (this.hanging.size >= MAX_HANGING) {
      res.destroy();
      return;
    }
    this.hanging.add(res);
    res.on('close', () => this.hanging.delete(res));
  }

  private readBody(req: http.IncomingMessage): Promise<FhirJson> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.options.maxBodyBytes) {
          reject(new HttpProblem(413, `the body is larger than ${this.options.maxBodyBytes} bytes`, 'too-costly'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        try {
          const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (!json || typeof json !== 'object' || typeof (json as FhirJson).resourceType !== 'string') throw new Error('not a resource');
          resolve(json as FhirJson);
        } catch {
          reject(new HttpProblem(400, 'the body is not a FHIR resource in JSON', 'structure'));
        }
      });
      req.on('error', reject);
    });
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': FHIR_JSON, ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private route(info: RequestInfo, query: URLSearchParams, body: FhirJson | null): { status: number; body?: unknown; headers?: Record<string, string> } {
    const { method, type, id } = info;
    if (type === 'metadata' && method === 'GET') {
      return { status: 200, body: { resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'], date: '2026-01-01' } };
    }
    if (!type || !(type in SEARCH)) throw new HttpProblem(404, `resource type ${type ?? '(none)'} is not supported by the test server`, 'not-supported');
    if (method === 'GET' && id === null) return { status: 200, body: this.search(type, query) };
    if (method === 'GET' && id !== null) {
      const stored = this.store.get(type)?.get(id);
      if (!stored) throw new HttpProblem(404, `${type}/${id} is not known`, 'not-found');
      return { status: 200, body: stored.resource, headers: { ETag: `W/"${stored.versionId}"` } };
    }
    if (method === 'PUT' && id !== null && body) {
      if (body.resourceType !== type || body.id !== id) throw new HttpProblem(400, `the body is ${body.resourceType}/${String(body.id)}, the URL says ${type}/${id}`, 'invalid');
      const current = this.store.get(type)?.get(id);
      const ifMatch = info.headers.ifMatch;
      if (ifMatch !== undefined) {
        const wanted = /^(?:W\/)?"([^"]+)"$/.exec(ifMatch.trim())?.[1];
        if (!current || wanted !== String(current.versionId)) {
          throw new HttpProblem(412, `version conflict: If-Match ${ifMatch}, current ${current ? `W/"${current.versionId}"` : 'none'}`, 'conflict');
        }
      }
      const stored = this.write(body);
      return { status: current ? 200 : 201, body: stored, headers: this.writeHeaders(type, stored) };
    }
    if (method === 'POST' && id === null && body) {
      if (body.resourceType !== type) throw new HttpProblem(400, `the body is a ${body.resourceType}, the URL says ${type}`, 'invalid');
      const criteria = info.headers.ifNoneExist;
      if (criteria !== undefined) {
        const matches = this.matching(type, new URLSearchParams(criteria));
        if (matches.length > 1) throw new HttpProblem(412, `If-None-Exist ${criteria} matches ${matches.length} resources`, 'duplicate');
        const [existing] = matches;
        if (existing) return { status: 200, body: existing, headers: this.writeHeaders(type, existing) };
      }
      const newId = `gen-${this.nextGeneratedId++}`;
      const stored = this.write({ ...body, id: newId });
      return { status: 201, body: stored, headers: this.writeHeaders(type, stored) };
    }
    if (method === 'DELETE' && id !== null) {
      this.remove(type, id);
      return { status: 204 };
    }
    throw new HttpProblem(405, `${method} is not supported here`, 'not-supported');
  }

  private writeHeaders(type: string, r: FhirJson): Record<string, string> {
    const v = r.meta?.versionId ?? '1';
    return { ETag: `W/"${v}"`, Location: `${this.baseUrl}/${type}/${String(r.id)}/_history/${v}` };
  }

  /** The resources of a type matching every search parameter in the query (control parameters aside). */
  private matching(type: string, query: URLSearchParams): FhirJson[] {
    const params = SEARCH[type] ?? {};
    const matchers: Matcher[] = [];
    for (const [name, value] of query) {
      if (name.startsWith('_')) {
        if (name === '_count' || name === '_offset' || name === '_include') continue;
        if (name === '_id') {
          const ids = new Set(value.split(','));
          matchers.push((r) => ids.has(String(r.id)));
          continue;
        }
        throw new HttpProblem(400, `the test server does not support ${name}`, 'not-supported');
      }
      const param = params[name];
      if (!param) throw new HttpProblem(400, `unknown search parameter ${type}?${name}`, 'not-supported');
      matchers.push(matcherFor(param, value, name));
    }
    return [...(this.store.get(type)?.values() ?? [])].map((s) => s.resource).filter((r) => matchers.every((m) => m(r)));
  }

  private search(type: string, query: URLSearchParams): unknown {
    const count = Math.min(Number(query.get('_count') ?? this.options.defaultPageSize) || this.options.defaultPageSize, this.options.maxPageSize);
    const offset = Math.max(0, Number(query.get('_offset') ?? 0) || 0);
    const includes = query.getAll('_include');
    for (const inc of includes) {
      if (!INCLUDES[inc.split(':').slice(0, 2).join(':')]) throw new HttpProblem(400, `the test server does not support _include=${inc}`, 'not-supported');
    }
    const matches = this.matching(type, query).sort((a, b) => startOf(a).localeCompare(startOf(b)) || String(a.id).localeCompare(String(b.id)));
    const page = matches.slice(offset, offset + count);
    const included = new Map<string, FhirJson>();
    for (const inc of includes) {
      const [, , target] = inc.split(':');
      const follow = INCLUDES[inc.split(':').slice(0, 2).join(':')] ?? (() => []);
      for (const r of page) {
        for (const ref of follow(r)) {
          const [refType, refId] = ref.split('/').slice(-2);
          if (!refType || !refId || (target && refType !== target)) continue;
          const found = this.read(refType, refId);
          if (found) included.set(`${refType}/${refId}`, found);
        }
      }
    }
    const most = this.options.maxEntriesPerPage;
    if (most !== undefined && page.length + included.size > most) {
      throw new HttpProblem(
        400,
        `This search page would return ${page.length + included.size} resources (${page.length} matches and ${included.size} _include results); the maximum per page is ${most}. Ask for fewer with _count.`,
        // HAPI answers an invalid request as "processing"; only the words say it is a page limit.
        'processing',
      );
    }
    const self = new URL(`${this.baseUrl}/${type}`);
    for (const [k, v] of query) self.searchParams.append(k, v);
    const link = [{ relation: 'self', url: self.href }];
    if (offset + count < matches.length) {
      const next = new URL(self.href);
      next.searchParams.set('_count', String(count));
      next.searchParams.set('_offset', String(offset + count));
      link.push({ relation: 'next', url: next.href });
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      link,
      entry: [
        ...page.map((resource) => ({ fullUrl: `${this.baseUrl}/${type}/${String(resource.id)}`, resource, search: { mode: 'match' } })),
        ...[...included.values()].map((resource) => ({
          fullUrl: `${this.baseUrl}/${resource.resourceType}/${String(resource.id)}`,
          resource,
          search: { mode: 'include' },
        })),
      ],
    };
  }
}

function matcherFor(param: SearchParam, value: string, name: string): Matcher {
  switch (param.kind) {
    case 'reference': {
      const wanted = new Set(value.split(','));
      return (r) => param.values(r).some((v) => typeof v === 'string' && (wanted.has(v) || wanted.has(v.split('/').at(-1) ?? '')));
    }
    case 'token': {
      const wanted = new Set(value.split(','));
      return (r) => param.values(r).some((v) => wanted.has(String(v)));
    }
    case 'identifier': {
      const [system, code] = value.includes('|') ? value.split('|', 2) : [undefined, value];
      return (r) =>
        param.values(r).some((i) => {
          const id = i as { system?: string; value?: string };
          // "system|" alone matches any value in that system (FHIR token search).
          return (system === undefined || system === '' || id.system === system) && (code === '' ? system !== undefined && system !== '' : id.value === code);
        });
    }
    case 'date':
    case 'period': {
      const m = /^(eq|ne|gt|lt|ge|le)?(.+)$/.exec(value);
      const prefix = m?.[1] ?? 'eq';
      const at = Date.parse(m?.[2] ?? '');
      if (Number.isNaN(at)) throw new HttpProblem(400, `${name}=${value} is not a date`, 'invalid');
      const compare = (lo: number, hi: number) => {
        switch (prefix) {
          case 'ge':
            return hi >= at;
          case 'gt':
            return hi > at;
          case 'le':
            return lo <= at;
          case 'lt':
            return lo < at;
          case 'ne':
            return !(lo <= at && at <= hi);
          default:
            return lo <= at && at <= hi;
        }
      };
      return (r) =>
        param.values(r).some((v) => {
          if (param.kind === 'date') {
            const t = typeof v === 'string' ? Date.parse(v) : NaN;
            return !Number.isNaN(t) && compare(t, t);
          }
          // A Schedule without a planning horizon (a clinician's calendar) has no dates to rule it out.
          const p = v as { start?: string; end?: string } | undefined;
          if (!p?.start && !p?.end) return true;
          return compare(p.start ? Date.parse(p.start) : -Infinity, p.end ? Date.parse(p.end) : Infinity);
        });
    }
    default:
      throw missingCaseError(param.kind);
  }
}
