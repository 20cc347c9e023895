/**
 * Reading upstream for the plan, and applying the plan's writable items through FHIR.
 *
 * Apply goes item by item in dependency order. Before every write it re-reads the record and re-classifies the
 * item against what upstream says now (the plan a person confirmed may be minutes old): a write goes out only if
 * the item is still clean or compatible, always with If-Match on the version just read, or as a conditional
 * create. A 412 means upstream moved between the read and the write: read again, classify again (bounded). A
 * 5xx or a timeout may have hidden a write that landed: the re-read finds it (the status is already the desk's,
 * or our identifier is there) and records it, rather than writing twice. Each outcome is committed before the
 * next item starts, so stopping at any point (or a crash) loses at most the write in flight, which the next run
 * finds by re-reading.
 */
import { addDays, dayBoundsUtc, localDateOf, missingCaseError } from '../../../shared/domain';
import { planMerge, writableItems, type Outcome, type PlanEntry, type PlanItem, type UpstreamAppointment, type UpstreamSlot, type UpstreamView } from '../../../shared/merge';
import type { RequestContext } from '../dispatch';
import { FhirClient, PullError, type FhirSettings } from '../upstream/fhir/client';
import { DESK_ENTRY_SYSTEM, FhirWriter, newAppointmentResource, upstreamAppointmentOf, upstreamSlotOf, withDeskState, type Json } from '../upstream/fhir/write';
import type { MergeRecords } from './records';

export const DEFAULT_MAX_TRIES = 4;
/** Items written at once. Low on purpose: a practice's clinical system is shared with everyone else using it. */
export const DEFAULT_CONCURRENCY = 4;

export interface ApplyProgress {
  done: number;
  total: number;
  itemKey: string | null;
  result: ItemResult | null;
}

export type ItemResult = 'applied' | 'already' | 'conflict' | 'rejected' | 'failed' | 'skipped';

export interface ApplyReport {
  total: number;
  applied: number;
  already: number;
  conflict: number;
  rejected: number;
  failed: number;
  skipped: number;
  stopped: boolean;
  items: Array<{ key: string; result: ItemResult; detail: string | null }>;
}

export interface ApplyOptions {
  ctx: RequestContext;
  maxTries?: number;
  /** Pause before a retry after a 5xx or timeout, times the try number. */
  retryDelayMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ApplyProgress) => void;
  /** Items in flight at once (default 4). */
  concurrency?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- reading upstream --------------------------------------------------------------------------------------

/**
 * Upstream as it is now, for the dates the journal touches: the appointments on them, any appointment carrying
 * our identifier (a create from an earlier run, whatever its date), and the slots (who holds them is read from
 * the appointments). Stored for the plan and returned.
 */
export async function readUpstreamForMerge(merge: MergeRecords, settings: FhirSettings): Promise<UpstreamView> {
  const fhir = new FhirClient(settings);
  // Reads are safe to repeat: a dropped keep-alive connection (ECONNRESET) or a 5xx gets two more tries.
  const client = {
    searchAll: async (type: string, params: ReadonlyArray<readonly [string, string]>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fhir.searchAll(type, params);
        } catch (error) {
          if (!(error instanceof PullError) || error.kind === 'client' || error.kind === 'bad-response' || attempt >= 3) throw error;
          await sleep(200 * attempt);
        }
      }
    },
  };
  const plan = merge.plan({ appointments: new Map(), byDeskIdentifier: new Map(), slots: new Map() });
  const dates = new Set<string>();
  const base = merge.base();
  for (const item of plan.items) {
    if (item.start) dates.add(localDateOf(item.start));
    if (item.appointmentId) {
      const b = base.get(item.appointmentId);
      if (b) dates.add(localDateOf(b.start));
    }
  }
  const appointments = new Map<string, UpstreamAppointment>();
  const slots = new Map<string, UpstreamSlot>();
  const sorted = [...dates].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  const found: Json[] = [];
  if (first !== undefined && last !== undefined) {
    const from = dayBoundsUtc(first).start;
    const to = dayBoundsUtc(addDays(last, 0)).end;
    found.push(
      ...(
        await client.searchAll('Appointment', [
          ['date', `ge${from}`],
          ['date', `lt${to}`],
        ])
      ).map((f) => f.resource),
    );
    const schedules = (
      await client.searchAll('Schedule', [
        ['date', `ge${from}`],
        ['date', `lt${to}`],
      ])
    ).map((f) => f.resource);
    const clinicianOf = new Map<string, string>();
    for (const s of schedules) {
      const actors = Array.isArray(s['actor']) ? (s['actor'] as Array<{ reference?: unknown }>) : [];
      const practitioner = actors.map((a) => a.reference).find((r): r is string => typeof r === 'string' && r.startsWith('Practitioner/'));
      if (typeof s['id'] === 'string' && practitioner) clinicianOf.set(s['id'], practitioner.slice('Practitioner/'.length));
    }
    for (const f of await client.searchAll('Slot', [
      ['start', `ge${from}`],
      ['start', `lt${to}`],
    ])) {
      const s = upstreamSlotOf(f.resource, (id) => clinicianOf.get(id) ?? null);
      if (s) slots.set(s.id, s);
    }
  }
  found.push(...(await client.searchAll('Appointment', [['identifier', `${DESK_ENTRY_SYSTEM}|`]])).map((f) => f.resource));
  for (const r of found) {
    const a = upstreamAppointmentOf(r);
    if (a) appointments.set(a.id, a);
  }
  merge.saveUpstream(appointments.values(), slots.values());
  return merge.upstreamView();
}

// ---- applying --------------------------------------------------------------------------------------------

/**
 * Applies every clean and compatible item (and conflicts a person resolved to the desk's), and records every item
 * upstream already has (the same state, the desk's changes undone, a walk-in keyed by hand), each after a re-read:
 * without an outcome those would stay pending for ever and their appointments held back from every pull.
 * Confirmed by the caller.
 */
export async function applyMerge(merge: MergeRecords, settings: FhirSettings, options: ApplyOptions): Promise<ApplyReport> {
  const writer = new FhirWriter(settings);
  const maxTries = options.maxTries ?? DEFAULT_MAX_TRIES;
  const plan = merge.plan();
  // A refused item (422) is for a person now, on the worklist: sending it again would only be refused again.
  const attempts = merge.attempts();
  const items = [...writableItems(plan).filter((i) => attempts.get(i.key)?.result !== 'rejected'), ...plan.items.filter((i) => i.class === 'already')];
  const report: ApplyReport = { total: items.length, applied: 0, already: 0, conflict: 0, rejected: 0, failed: 0, skipped: 0, stopped: false, items: [] };
  const entries = new Map<string, PlanEntry>(merge.entries().map((e) => [e.id, e]));
  const base = merge.base();
  // Read once and kept up to date as outcomes are recorded: re-reading whole tables for every item would make
  // an outage-sized apply quadratic.
  const done = merge.done();
  const itemOutcomes = merge.itemOutcomes();
  const resolutions = merge.resolutions();
  const capability = merge.capability();
  const finished = new Set<string>();
  options.onProgress?.({ done: 0, total: items.length, itemKey: null, result: null });

  const record: Recorder = (item, outcome, upstream, detail) => {
    merge.recordOutcome(item, outcome, options.ctx, upstream, detail);
    for (const id of item.entryIds) {
      const keys = done.get(id) ?? new Set<string>();
      keys.add(item.key);
      done.set(id, keys);
    }
    itemOutcomes.set(item.key, outcome);
  };

  // The item as it stands against one record just read: the planner's own rules, on just this item's entries.
  const reclassify = (item: PlanItem, view: UpstreamView): PlanItem | null => {
    const own = item.entryIds.map((id) => entries.get(id)).filter((e): e is PlanEntry => e !== undefined);
    const mini = planMerge({ entries: own, base, upstream: view, capability, today: merge.today(), done, resolutions, itemOutcomes });
    return mini.items.find((i) => i.key === item.key) ?? null;
  };

  let completed = 0;
  const runOne = async (item: PlanItem): Promise<void> => {
    let result: ItemResult;
    let detail: string | null = null;
    if (item.dependsOn !== null && !finished.has(item.dependsOn) && !itemOutcomes.has(item.dependsOn)) {
      result = 'skipped';
      detail = `waits for ${item.dependsOn}, not yet made upstream`;
      // Shown in review: the old appointment stays until its rebooking exists upstream (or a person decides).
      merge.recordAttempt(item.key, 'conflict', detail);
    } else {
      ({ result, detail } = await applyItem(merge, writer, item, reclassify, record, maxTries, options));
    }
    if (result === 'applied' || result === 'already') finished.add(item.key);
    report[result]++;
    report.items.push({ key: item.key, result, detail });
    options.onProgress?.({ done: ++completed, total: items.length, itemKey: item.key, result });
  };
  // Items touch different records, so a few go at once (the round trips dominate); anything that depends on
  // another item goes only after every independent one has finished. SQLite writes stay one at a time (the
  // driver is synchronous), each outcome committed on its own.
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  for (const phase of [items.filter((i) => i.dependsOn === null), items.filter((i) => i.dependsOn !== null)]) {
    let next = 0;
    const worker = async () => {
      while (next < phase.length) {
        if (options.signal?.aborted) {
          report.stopped = true;
          return;
        }
        const item = phase[next++];
        if (item) await runOne(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, phase.length) }, worker));
    if (report.stopped) break;
  }
  return report;
}

type Recorder = (item: PlanItem, outcome: Outcome, upstream: { id: string; version: string } | null, detail: string | null) => void;

async function applyItem(
  merge: MergeRecords,
  writer: FhirWriter,
  item: PlanItem,
  reclassify: (item: PlanItem, view: UpstreamView) => PlanItem | null,
  record: Recorder,
  maxTries: number,
  options: ApplyOptions,
): Promise<{ result: ItemResult; detail: string | null }> {
  let last = 'no answer';
  for (let attempt = 1; attempt <= maxTries; attempt++) {
    if (attempt > 1 && options.retryDelayMs) await sleep(options.retryDelayMs * attempt);
    if (options.signal?.aborted) return { result: 'skipped', detail: 'stopped' };
    const view = await freshView(writer, item);
    if (view.kind === 'error') {
      last = view.message;
      if (view.permanent) {
        merge.recordAttempt(item.key, 'rejected', view.message);
        return { result: 'rejected', detail: view.message };
      }
      continue;
    }
    for (const a of view.view.appointments.values()) merge.noteUpstream(a);
    const now = reclassify(item, view.view);
    if (now === null) return { result: 'already', detail: 'recorded meanwhile' };
    if (now.class === 'already') {
      const up = now.upstream ?? null;
      // Ours, if a write for it went out unanswered (this run or one stopped or killed before it could record
      // the answer), or if upstream's appointment carries our identifier: that write landed, so it is applied.
      const ours = merge.writeSent(item.key) || (up !== null && now.identifier !== null && up.deskIdentifier === now.identifier);
      const outcome = ours ? 'applied' : 'already';
      record(now, outcome, up ? { id: up.id, version: up.version } : null, now.reason);
      return { result: outcome, detail: now.reason };
    }
    const write = now.write;
    if (write === null) {
      merge.recordAttempt(item.key, 'conflict', now.reason);
      return { result: 'conflict', detail: now.reason };
    }
    let res;
    // An earlier write for this item still unanswered may have landed, whatever this one's answer says.
    const sentBefore = merge.writeSent(item.key);
    merge.noteWriteSent(item.key);
    switch (write.kind) {
      case 'update': {
        if (view.raw === null) return { result: 'failed', detail: 'the record was not read' };
        res = await writer.update(withDeskState(view.raw, write.state), write.ifMatch);
        break;
      }
      case 'create':
        res = await writer.create(newAppointmentResource(write.appointment, write.state, write.identifier), write.identifier);
        break;
      default:
        throw missingCaseError(write);
    }
    switch (res.kind) {
      case 'ok': {
        const id = typeof res.resource['id'] === 'string' ? res.resource['id'] : '';
        // A conditional create answered 200 found the one an earlier write of ours made (its answer lost): that
        // write was the desk's, so it is applied all the same; nothing was written twice.
        record(now, 'applied', { id, version: res.version }, null);
        return { result: 'applied', detail: null };
      }
      case 'precondition':
        if (!sentBefore) merge.clearWriteSent(item.key);
        last = res.message;
        continue;
      case 'rejected':
        if (!sentBefore) merge.clearWriteSent(item.key);
        merge.recordAttempt(item.key, 'rejected', res.message);
        return { result: 'rejected', detail: res.message };
      case 'transient':
        // The write may have landed: the mark stays, and the re-read decides.
        last = res.message;
        continue;
      default:
        throw missingCaseError(res);
    }
  }
  merge.recordAttempt(item.key, 'failed', `gave up after ${maxTries} tries: ${last}`);
  return { result: 'failed', detail: last };
}

type Fresh = { kind: 'ok'; view: UpstreamView; raw: Json | null } | { kind: 'error'; message: string; permanent: boolean };

/**
 * Upstream for one item, read now: the appointment (status items), or for an appointment the desk made: ours by
 * identifier, else the patient's appointments that day (one keyed by hand meanwhile: see NEAR_MATCH_MINUTES) and
 * the holders of the slot it would go into.
 */
async function freshView(writer: FhirWriter, item: PlanItem): Promise<Fresh> {
  const appointments = new Map<string, UpstreamAppointment>();
  const byDeskIdentifier = new Map<string, UpstreamAppointment>();
  const slots = new Map<string, UpstreamSlot>();
  const write = item.write;
  if (item.kind === 'status' && item.appointmentId !== null) {
    const r = await writer.read('Appointment', item.appointmentId);
    switch (r.kind) {
      case 'gone':
        return { kind: 'ok', view: { appointments, byDeskIdentifier, slots }, raw: null };
      case 'ok': {
        const a = upstreamAppointmentOf(r.resource, r.version);
        if (a) appointments.set(a.id, a);
        return { kind: 'ok', view: { appointments, byDeskIdentifier, slots }, raw: r.resource };
      }
      case 'rejected':
        return { kind: 'error', message: r.message, permanent: true };
      case 'transient':
        return { kind: 'error', message: r.message, permanent: false };
      default:
        throw missingCaseError(r);
    }
  }
  if (item.kind === 'create' && item.identifier !== null) {
    const identifier = item.identifier;
    const r = await writer.findCreated(identifier);
    if (r.kind === 'transient') return { kind: 'error', message: r.message, permanent: false };
    if (r.kind === 'rejected') return { kind: 'error', message: r.message, permanent: true };
    if (r.kind === 'ok') {
      const a = upstreamAppointmentOf(r.resource, r.version);
      if (a) {
        appointments.set(a.id, a);
        byDeskIdentifier.set(identifier, a);
      }
      return { kind: 'ok', view: { appointments, byDeskIdentifier, slots }, raw: r.resource };
    }
    if (item.patientId !== null && item.start !== null) {
      const day = dayBoundsUtc(localDateOf(item.start));
      try {
        const theirs = await writer.client.searchAll('Appointment', [
          ['patient', `Patient/${item.patientId}`],
          ['date', `ge${day.start}`],
          ['date', `lt${day.end}`],
        ]);
        for (const h of theirs) {
          const a = upstreamAppointmentOf(h.resource);
          if (a) appointments.set(a.id, a);
        }
      } catch (error) {
        return { kind: 'error', message: error instanceof Error ? error.message : String(error), permanent: false };
      }
    }
    const slotId = write?.kind === 'create' ? write.appointment.slotId : null;
    if (write?.kind === 'create' && slotId !== null) {
      const s = await writer.read('Slot', slotId);
      if (s.kind === 'transient') return { kind: 'error', message: s.message, permanent: false };
      if (s.kind === 'ok') {
        const slot = upstreamSlotOf(s.resource, () => write.appointment.clinicianId);
        if (slot) slots.set(slot.id, slot);
      }
      try {
        const holders = await writer.client.searchAll('Appointment', [['slot', `Slot/${slotId}`]]);
        for (const h of holders) {
          const a = upstreamAppointmentOf(h.resource);
          if (a) appointments.set(a.id, a);
        }
      } catch (error) {
        return { kind: 'error', message: error instanceof Error ? error.message : String(error), permanent: false };
      }
    }
    return { kind: 'ok', view: { appointments, byDeskIdentifier, slots }, raw: null };
  }
  return { kind: 'ok', view: { appointments, byDeskIdentifier, slots }, raw: null };
}
