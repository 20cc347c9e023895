/**
 * Model-based property test of merge-back against the FHIR test double: random desk work during an outage,
 * random changes made upstream meanwhile, random faults while applying (412, 422, 5xx, a timeout after the
 * write landed, a write delivered twice, a stale read), stops part way and runs again. Fixed seed, so CI runs
 * the same cases every time; FC_SEED and FC_RUNS explore more by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeskError } from '../../../shared/api';
import { isMergeOp, NEAR_MATCH_MINUTES, planMerge, type ResolutionChoice } from '../../../shared/merge';
import { applyMerge, readUpstreamForMerge } from '../../../electron/desk/merge/apply';
import { DESK_ENTRY_SYSTEM } from '../../../electron/desk/upstream/fhir/write';
import type { FaultRule } from '../../doubles/fhir-server';
import { bookUpstream, DAY, mergeRigs, pull } from './support';

const SEED = Number(process.env['FC_SEED'] ?? 20260720);
const RUNS = Number(process.env['FC_RUNS'] ?? 14);

const rigs = mergeRigs();

type DeskAction =
  | { kind: 'status'; k: number; status: 'arrived' | 'sent_in' | 'seen' | 'dna' | 'cancelled' }
  | { kind: 'undo'; k: number }
  | { kind: 'rebook'; k: number; slot: number }
  | { kind: 'walkIn'; patient: number };
type UpstreamChange =
  | { kind: 'cancel' | 'arrive' | 'comment'; k: number }
  | { kind: 'book'; slot: number }
  // The practice keys the n-th desk walk-in by hand meanwhile, a little later: as arrived (what the desk has) or booked.
  | { kind: 'keyWalkIn'; n: number; minutes: number; status: 'arrived' | 'booked' };
type Fault = { kind: '412' | '422' | '500' | 'hangAfterCommit' | 'duplicate' | 'stale'; method: 'PUT' | 'POST' | 'GET'; times: number };

const deskAction: fc.Arbitrary<DeskAction> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      k: fc.integer({ min: 0, max: 7 }),
      status: fc.constantFrom('arrived' as const, 'sent_in' as const, 'seen' as const, 'dna' as const, 'cancelled' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), k: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rebook' as const), k: fc.integer({ min: 0, max: 7 }), slot: fc.integer({ min: 8, max: 11 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('walkIn' as const), patient: fc.integer({ min: 5, max: 7 }) }) },
);
const upstreamChange: fc.Arbitrary<UpstreamChange> = fc.oneof(
  fc.record({ kind: fc.constantFrom('cancel' as const, 'arrive' as const, 'comment' as const), k: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('book' as const), slot: fc.integer({ min: 8, max: 11 }) }),
  fc.record({
    kind: fc.constant('keyWalkIn' as const),
    n: fc.integer({ min: 0, max: 2 }),
    minutes: fc.constantFrom(5, 40, NEAR_MATCH_MINUTES + 15),
    status: fc.constantFrom('arrived' as const, 'booked' as const),
  }),
);
const fault: fc.Arbitrary<Fault> = fc.record({
  kind: fc.constantFrom('412' as const, '422' as const, '500' as const, 'hangAfterCommit' as const, 'duplicate' as const, 'stale' as const),
  method: fc.constantFrom('PUT' as const, 'POST' as const, 'GET' as const),
  times: fc.integer({ min: 1, max: 3 }),
});

function rule(f: Fault): FaultRule {
  const match = (r: { method: string; type: string | null; id: string | null }) => r.method === f.method && (r.type === 'Appointment' || r.type === 'Slot');
  switch (f.kind) {
    case '412':
      return { match, status: 412, times: f.times };
    case '422':
      return { match, status: 422, times: f.times };
    case '500':
      return { match, status: 500, times: f.times };
    case 'hangAfterCommit':
      return { match, afterCommit: true, hang: true, times: f.times };
    case 'duplicate':
      return { match, duplicate: true, times: f.times };
    case 'stale':
      return { match: (r) => r.method === 'GET' && r.type === 'Appointment' && r.id !== null, stale: true, times: f.times };
  }
}

function attempt(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    // Refused actions (a forbidden transition, a slot just taken) are part of the model: they change nothing.
    if (!(error instanceof DeskError)) throw error;
  }
}

describe('merge-back against the FHIR test double (model-based)', () => {
  it('loses no entry, applies once, never overwrites blind, ends with mirror = upstream, never double-books', { timeout: 120_000 }, async () => {
    // What the cases exercised, so a generator gone quietly wrong (every action refused, say) shows.
    const exercised = { applied: 0, conflicts: 0, created: 0, walkIns: 0, keyedByHand: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(deskAction, { minLength: 1, maxLength: 12 }),
        fc.array(upstreamChange, { maxLength: 4 }),
        fc.array(fault, { maxLength: 4 }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
        fc.array(fc.constantFrom<ResolutionChoice>('keep_desk', 'keep_upstream', 'manual'), { minLength: 8, maxLength: 8 }),
        async (actions, changes, faults, stopAfter, choices) => {
          const rig = await rigs.rig();
          const { server, desk } = rig;
          const s = desk.service;
          const ctx = desk.context;
          s.upstream.setMode('outage', ctx, 'test outage');

          // ---- the outage day at the desk
          for (const a of actions) {
            desk.clock.now = new Date(desk.clock.now.getTime() + 60_000);
            const id = (k: number) => `appt-${k}`;
            switch (a.kind) {
              case 'status':
                attempt(() => s.setAppointmentStatus({ appointmentId: id(a.k), status: a.status, ...(a.status === 'cancelled' ? { reason: 'Patient phoned' } : {}) }, ctx));
                break;
              case 'undo':
                attempt(() => s.reception.undoLastChange({ appointmentId: id(a.k), expectedVersion: s.mirror.appointment(id(a.k))?.version ?? 0 }, ctx));
                break;
              case 'rebook':
                attempt(() => s.reception.rebook({ appointmentId: id(a.k), expectedVersion: s.mirror.appointment(id(a.k))?.version ?? 0, slotId: `slot-${a.slot}` }, ctx));
                break;
              case 'walkIn':
                attempt(() =>
                  s.reception.registerWalkIn(
                    { patient: { kind: 'existing', patientId: `pat-${a.patient}` }, triage: 'same_day', assignTo: { kind: 'duty' }, despiteAppointmentToday: true },
                    ctx,
                  ),
                );
                break;
            }
          }
          // ---- meanwhile, upstream
          const comments = new Map<string, string>();
          let booked = 0;
          const walkIns = s.merge
            .entries()
            .filter((e) => e.op === 'appointment.walkIn')
            .map((e) => ({ identifier: e.id, appointment: (e.after as { appointment: { patientId: string; start: string } }).appointment }));
          const keyedByHand: Array<{ id: string; identifier: string; near: boolean }> = [];
          for (const c of changes) {
            if (c.kind === 'keyWalkIn') {
              const w = walkIns[c.n];
              if (!w || keyedByHand.some((k) => k.identifier === w.identifier)) continue;
              const id = `hand-${keyedByHand.length}`;
              const start = new Date(Date.parse(w.appointment.start) + c.minutes * 60_000).toISOString();
              server.seed([
                {
                  resourceType: 'Appointment',
                  id,
                  status: c.status,
                  start,
                  end: new Date(Date.parse(start) + 600_000).toISOString(),
                  participant: [{ actor: { reference: `Patient/${w.appointment.patientId}` } }, { actor: { reference: 'Practitioner/clin-1' } }],
                },
              ]);
              keyedByHand.push({ id, identifier: w.identifier, near: c.minutes <= NEAR_MATCH_MINUTES });
              continue;
            }
            if (c.kind === 'book') {
              const holders = server.all('Appointment').filter((x) => JSON.stringify(x['slot'] ?? []).includes(`Slot/slot-${c.slot}"`) && x['status'] !== 'cancelled');
              if (holders.length === 0) bookUpstream(server, `slot-${c.slot}`, `pat-${8 + (booked % 2)}`, `up-booked-${booked++}`);
              continue;
            }
            const id = `appt-${c.k}`;
            const text = `changed upstream ${comments.size}`;
            server.update('Appointment', id, (r) => {
              if (c.kind === 'cancel') return { ...r, status: 'cancelled', cancelationReason: { text: 'Cancelled in the NHS App' } };
              if (c.kind === 'arrive') return r['status'] === 'booked' ? { ...r, status: 'arrived' } : r;
              comments.set(id, text);
              return { ...r, comment: text };
            });
          }
          s.upstream.setMode('online', ctx, 'clinical system back');

          // ---- plan: deterministic
          const settings = { baseUrl: server.baseUrl, timeoutMs: 400 };
          const view = await readUpstreamForMerge(s.merge, settings);
          const input = {
            entries: s.merge.entries(),
            base: s.merge.base(),
            upstream: view,
            capability: 'fhir' as const,
            today: DAY,
            done: s.merge.done(),
            resolutions: s.merge.resolutions(),
          };
          expect(JSON.stringify(planMerge(input))).toBe(JSON.stringify(planMerge({ ...input, entries: [...input.entries], base: new Map([...input.base].reverse()) })));

          exercised.walkIns += s.merge.entries().filter((e) => e.op === 'appointment.walkIn').length;
          exercised.conflicts += s.merge.plan().counts.conflict;
          // ---- a person decides every conflict (never double-booking a slot on purpose)
          // Each decision can change what depends on it (a rebooking kept out leaves its old appointment to decide).
          for (let n = 0; n < 30; n++) {
            const item = s.merge.plan().items.find((i) => i.class === 'conflict' && i.resolution === null);
            if (!item) break;
            let choice = choices[n % choices.length] ?? 'manual';
            if ((item.conflict === 'slot_taken' || item.conflict === 'booked_upstream') && item.kind === 'create' && choice === 'keep_desk') choice = 'keep_upstream';
            s.merge.resolve({ itemKey: item.key, choice }, ctx);
          }

          // ---- apply under faults, stopped part way, then again until nothing is left to write
          for (const f of faults) server.inject(rule(f));
          const stop = new AbortController();
          let seen = 0;
          await applyMerge(s.merge, settings, {
            ctx,
            signal: stop.signal,
            onProgress: () => {
              if (stopAfter !== null && ++seen > stopAfter) stop.abort();
            },
          });
          server.clearFaults();
          for (let run = 0; run < 3; run++) await applyMerge(s.merge, settings, { ctx });

          // Every PUT carried If-Match: no upstream change could be overwritten unseen.
          const puts = server.requests.filter((r) => r.method === 'PUT');
          for (const p of puts) expect(p.headers.ifMatch, p.url).toMatch(/^W\/"\d+"$/);
          for (const p of server.requests.filter((r) => r.method === 'POST')) expect(p.headers.ifNoneExist).toContain(DESK_ENTRY_SYSTEM);
          // Upstream's own changes to other details survived the desk's writes.
          for (const [id, text] of comments) expect(server.read('Appointment', id)?.['comment']).toBe(text);

          // No entry lost: each has an outcome for every step, or is still visibly pending in the plan.
          const after = s.merge.plan();
          const pending = new Set(after.items.flatMap((i) => i.entryIds));
          const withOutcome = new Set(s.merge.done().keys());
          for (const e of s.merge.entries()) {
            if (!isMergeOp(e.op)) continue;
            expect(pending.has(e.id) || withOutcome.has(e.id), `entry ${e.seq} ${e.op}`).toBe(true);
          }
          // Nothing pending is writable any more except what was refused or kept failing.
          const attempts = s.merge.attempts();
          for (const i of after.items) if (i.write !== null) expect(attempts.get(i.key)?.result ?? 'none', i.key).toMatch(/rejected|failed|conflict/);

          // Replaying is harmless: a further apply writes nothing.
          const writesBefore = server.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length;
          await applyMerge(s.merge, settings, { ctx });
          const rewritten = server.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length - writesBefore;
          expect(rewritten).toBe(0);

          // No duplicate walk-in or rebooking: one upstream appointment per journal-entry identifier.
          const identifiers = server
            .all('Appointment')
            .flatMap((a) => ((a['identifier'] as Array<{ system?: string; value?: string }> | undefined) ?? []).filter((i) => i.system === DESK_ENTRY_SYSTEM).map((i) => i.value));
          expect(new Set(identifiers).size).toBe(identifiers.length);
          exercised.created += identifiers.length;
          exercised.applied += [...s.merge.itemOutcomes().values()].filter((o) => o === 'applied').length;
          // No single-capacity slot holds two live appointments.
          const holders = new Map<string, number>();
          for (const a of server.all('Appointment')) {
            if (a['status'] === 'cancelled' || a['status'] === 'noshow') continue;
            for (const ref of (a['slot'] as Array<{ reference?: string }> | undefined) ?? []) holders.set(ref.reference ?? '', (holders.get(ref.reference ?? '') ?? 0) + 1);
          }
          for (const [slot, n] of holders) expect(n, slot).toBeLessThanOrEqual(1);
          // A walk-in the practice keyed by hand near its time is never created a second time.
          for (const k of keyedByHand) if (k.near) expect(identifiers, k.id).not.toContain(k.identifier);
          exercised.keyedByHand += keyedByHand.filter((k) => k.near).length;

          // Full reconciliation: conflicts that arose while applying are left for manual entry by a manager, what
          // is on the worklist is keyed by hand (here: dismissed), and what that unblocks is applied; then a pull.
          for (let round = 0; round < 4 && !s.merge.complete(); round++) {
            for (let n = 0; n < 30; n++) {
              const conflict = s.merge.plan().items.find((i) => i.class === 'conflict');
              if (!conflict) break;
              s.merge.resolve({ itemKey: conflict.key, choice: 'manual' }, ctx);
            }
            for (const p of s.merge.worklist()) for (const i of p.items) s.merge.tick({ itemKey: i.key, state: 'dismissed', reason: 'model test' }, ctx);
            await applyMerge(s.merge, settings, { ctx });
          }
          expect(s.merge.plan().items.map((i) => `${i.key} ${i.class}`)).toEqual([]);
          expect(s.merge.complete()).toBe(true);
          await pull(desk, server);
          const mirror = s
            .getDay(DAY, null)
            .appointments.map((a) => ({ id: a.id, status: a.fhirStatus, start: a.start, slotId: a.slotId }))
            .sort((x, y) => x.id.localeCompare(y.id));
          const upstream = server
            .all('Appointment')
            .map((a) => ({
              id: String(a.id),
              status: String(a['status']),
              start: new Date(String(a['start'])).toISOString(),
              slotId: ((a['slot'] as Array<{ reference: string }> | undefined)?.[0]?.reference ?? null)?.replace('Slot/', '') ?? null,
            }))
            .sort((x, y) => x.id.localeCompare(y.id));
          expect(mirror).toEqual(upstream);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(exercised.applied).toBeGreaterThan(0);
    expect(exercised.conflicts).toBeGreaterThan(0);
    expect(exercised.created).toBeGreaterThan(0);
    expect(exercised.walkIns).toBeGreaterThan(0);
    expect(exercised.keyedByHand).toBeGreaterThan(0);
  });
});
