/**
 * Merge-back's writes to a FHIR R4 server: conditional updates (If-Match) and conditional creates
 * (If-None-Exist on our journal-entry identifier), each under a timeout. Every answer is classified by what the
 * caller must do next, because a wrong guess either loses a change or makes it twice:
 *
 *   ok          written (or, for a conditional create, found already there);
 *   precondition 412: upstream moved on since we read it; re-read and re-classify, never overwrite blind;
 *   rejected    4xx (422 above all): the server will not take it; shown to a person, not retried;
 *   transient   5xx, timeout, no connection: the write may or may not have landed; re-read before retrying.
 */
import { FHIR_STATUS_OF, type FhirAppointmentStatus } from '../../../../shared/domain';
import type { DeskAppointment, DeskState, UpstreamAppointment, UpstreamSlot } from '../../../../shared/merge';
import { DEFAULT_TIMEOUT_MS, FhirClient, outcomeText, type FhirSettings } from './client';
import { appointmentResource, asJson, DESK_ENTRY_SYSTEM, DESK_TIME_EXTENSIONS, timeExtensions } from './resources';

export { DESK_ENTRY_SYSTEM };

export type Json = Record<string, unknown>;

export type WriteResult =
  | { kind: 'ok'; status: number; resource: Json; version: string }
  | { kind: 'precondition'; status: number; message: string }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'transient'; status: number | null; message: string };

export type ReadResult = { kind: 'ok'; resource: Json; version: string } | { kind: 'gone' } | Extract<WriteResult, { kind: 'rejected' | 'transient' }>;

export class FhirWriter {
  readonly client: FhirClient;
  private readonly timeoutMs: number;

  constructor(private readonly settings: FhirSettings) {
    this.client = new FhirClient(settings);
    this.timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private url(path: string): URL {
    return new URL(path, this.client.base);
  }

  private async request(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body?: Json,
  ): Promise<{ status: number; etag: string | null; json: Json | null } | { error: string }> {
    const h: Record<string, string> = { Accept: 'application/fhir+json', ...headers };
    if (body) h['Content-Type'] = 'application/fhir+json';
    if (this.settings.bearerToken) h['Authorization'] = `Bearer ${this.settings.bearerToken}`;
    try {
      const response = await fetch(url, {
        method,
        headers: h,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let json: Json | null = null;
      try {
        json = text ? (JSON.parse(text) as Json) : null;
      } catch {
        json = null;
      }
      return { status: response.status, etag: response.headers.get('etag'), json };
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') return { error: `no answer within ${this.timeoutMs / 1000} s` };
      return { error: `cannot reach ${url.host}` };
    }
  }

  private classify(method: string, r: Awaited<ReturnType<FhirWriter['request']>>): WriteResult {
    if ('error' in r) return { kind: 'transient', status: null, message: `${method}: ${r.error}` };
    const diagnostics = outcomeText(r.json);
    if (r.status === 412) return { kind: 'precondition', status: 412, message: diagnostics ?? 'the resource changed upstream (412)' };
    if (r.status >= 500 || r.status === 429 || r.status === 408)
      return { kind: 'transient', status: r.status, message: `${method}: the server answered ${r.status}${diagnostics ? `: ${diagnostics}` : ''}` };
    if (r.status >= 400) return { kind: 'rejected', status: r.status, message: `${r.status}${diagnostics ? `: ${diagnostics}` : ''}` };
    if (!r.json || typeof r.json['resourceType'] !== 'string')
      return { kind: 'transient', status: r.status, message: `${method}: the server answered ${r.status} without the resource` };
    return { kind: 'ok', status: r.status, resource: r.json, version: versionOf(r.json, r.etag) };
  }

  async read(type: string, id: string): Promise<ReadResult> {
    const r = await this.request('GET', this.url(`${type}/${encodeURIComponent(id)}`), {});
    if (!('error' in r) && (r.status === 404 || r.status === 410)) return { kind: 'gone' };
    const c = this.classify('GET', r);
    if (c.kind === 'precondition') return { kind: 'rejected', status: c.status, message: c.message };
    return c;
  }

  /** PUT with If-Match: never without it, so no upstream change can be overwritten unseen. */
  async update(resource: Json & { resourceType: string; id: string }, ifMatch: string): Promise<WriteResult> {
    const r = await this.request('PUT', this.url(`${resource.resourceType}/${encodeURIComponent(resource.id)}`), { 'If-Match': `W/"${ifMatch}"` }, resource);
    return this.classify('PUT', r);
  }

  /** POST with If-None-Exist on our identifier: a replay finds the one already made instead of making another. */
  async create(resource: Json & { resourceType: string }, identifier: string): Promise<WriteResult> {
    const r = await this.request('POST', this.url(resource.resourceType), { 'If-None-Exist': `identifier=${DESK_ENTRY_SYSTEM}|${identifier}` }, resource);
    return this.classify('POST', r);
  }

  /** The appointment carrying our identifier, if upstream has it (after a create whose answer was lost). */
  async findCreated(identifier: string): Promise<ReadResult> {
    const url = this.url('Appointment');
    url.searchParams.set('identifier', `${DESK_ENTRY_SYSTEM}|${identifier}`);
    const r = await this.request('GET', url, {});
    const c = this.classify('GET', r);
    if (c.kind !== 'ok') return c.kind === 'precondition' ? { kind: 'rejected', status: c.status, message: c.message } : c;
    const entries = Array.isArray(c.resource['entry']) ? (c.resource['entry'] as Array<{ resource?: Json }>) : [];
    const found = entries.map((e) => e.resource).find((x): x is Json => x?.['resourceType'] === 'Appointment');
    return found ? { kind: 'ok', resource: found, version: versionOf(found, null) } : { kind: 'gone' };
  }
}

function versionOf(resource: Json, etag: string | null): string {
  const meta = resource['meta'] as { versionId?: unknown } | undefined;
  if (typeof meta?.versionId === 'string') return meta.versionId;
  const m = etag ? /^(?:W\/)?"([^"]+)"$/.exec(etag.trim()) : null;
  return m?.[1] ?? '';
}

// ---- resources ---------------------------------------------------------------------------------------------

/**
 * Upstream's resource as just read, with the desk's status and times laid on it: whatever else upstream holds
 * (a comment, a changed description, extensions we do not know) is sent back as it was.
 */
export function withDeskState(current: Json, state: DeskState): Json & { resourceType: string; id: string } {
  const others = (Array.isArray(current['extension']) ? (current['extension'] as Array<{ url?: unknown }>) : []).filter((e) => !DESK_TIME_EXTENSIONS.has(String(e.url)));
  const extension = [...others, ...timeExtensions(state)];
  const out: Json = { ...current, status: state.fhirStatus };
  if (extension.length) out['extension'] = extension;
  else delete out['extension'];
  if (state.fhirStatus === 'cancelled') out['cancelationReason'] = { text: state.cancelReason ?? 'Cancelled at the desk during the outage' };
  // The desk's state over an upstream cancellation (the patient came): upstream's reason must not stay on an
  // appointment that is no longer cancelled.
  else delete out['cancelationReason'];
  return out as Json & { resourceType: string; id: string };
}

/** A desk-made appointment (walk-in, rebooking) as a new FHIR Appointment carrying our identifier. */
export function newAppointmentResource(a: DeskAppointment, state: DeskState, identifier: string): Json & { resourceType: 'Appointment' } {
  // No id: the server gives one; our journal entry's identifier is what finds it again.
  const { id: _deskId, ...parts } = a;
  const resource = appointmentResource({
    ...parts,
    ...state,
    deskEntry: identifier,
    status: state.fhirStatus,
    cancelReason: state.fhirStatus === 'cancelled' ? (state.cancelReason ?? 'Cancelled at the desk') : null,
    sessionId: null,
  });
  return asJson(resource) as Json & { resourceType: 'Appointment' };
}

// ---- reading upstream for the planner -------------------------------------------------------------------------

const FHIR_STATUSES: ReadonlySet<string> = new Set(Object.values(FHIR_STATUS_OF).concat(['proposed', 'pending', 'entered-in-error', 'checked-in', 'waitlist']));

const refId = (ref: unknown, type: string): string | null => {
  const r = (ref as { reference?: unknown } | undefined)?.reference;
  if (typeof r !== 'string') return null;
  const [t, id] = r.split('/').slice(-2);
  return t === type && id ? id : null;
};

/** A FHIR Appointment as the planner compares it; null when it lacks what merge-back needs to reason about it. */
export function upstreamAppointmentOf(r: Json, version?: string): UpstreamAppointment | null {
  const id = r['id'];
  const status = r['status'];
  const start = r['start'];
  const end = r['end'];
  if (typeof id !== 'string' || typeof status !== 'string' || !FHIR_STATUSES.has(status) || typeof start !== 'string') return null;
  const participants = Array.isArray(r['participant']) ? (r['participant'] as Array<{ actor?: unknown }>) : [];
  const patientId = participants.map((p) => refId(p.actor, 'Patient')).find((x) => x !== null) ?? null;
  const clinicianId = participants.map((p) => refId(p.actor, 'Practitioner')).find((x) => x !== null) ?? null;
  const slots = Array.isArray(r['slot']) ? (r['slot'] as unknown[]) : [];
  const identifiers = Array.isArray(r['identifier']) ? (r['identifier'] as Array<{ system?: unknown; value?: unknown }>) : [];
  const desk = identifiers.find((i) => i.system === DESK_ENTRY_SYSTEM && typeof i.value === 'string');
  return {
    id,
    version: version ?? versionOf(r, null),
    status: status as FhirAppointmentStatus,
    start: new Date(start).toISOString(),
    end: typeof end === 'string' ? new Date(end).toISOString() : new Date(start).toISOString(),
    slotId: slots.length ? refId(slots[0], 'Slot') : null,
    patientId: patientId ?? '',
    clinicianId: clinicianId ?? '',
    deskIdentifier: typeof desk?.value === 'string' ? desk.value : null,
  };
}

export function upstreamSlotOf(r: Json, clinicianOfSchedule: (scheduleId: string) => string | null): UpstreamSlot | null {
  const id = r['id'];
  const start = r['start'];
  const end = r['end'];
  if (typeof id !== 'string' || typeof start !== 'string' || typeof end !== 'string') return null;
  const scheduleId = refId(r['schedule'], 'Schedule');
  return {
    id,
    status: typeof r['status'] === 'string' ? r['status'] : 'busy',
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    clinicianId: (scheduleId && clinicianOfSchedule(scheduleId)) ?? '',
  };
}
