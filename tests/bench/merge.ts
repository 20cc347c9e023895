/**
 * Planning merge-back for a whole area's day: 34,000 journal entries (Kent & Medway lost about 34,000
 * appointments on 19 July 2024) against a 34,000-appointment upstream, some of it changed meanwhile. Baseline:
 * the least any planner must do with the same records: a Map of the upstream appointments and one plain loop
 * over the entries comparing statuses. Nothing here asserts a time.
 */
import { performance } from 'node:perf_hooks';
import { planMerge, type PlanEntry, type UpstreamAppointment, type UpstreamSlot } from '../../shared/merge';

interface Measurement {
  name: string;
  n: number;
  ms: number;
  baseline_ms: number;
}

const N = 34_000;
const DAY_START = Date.parse('2026-07-20T07:00:00.000Z');
const STATUSES = ['arrived', 'seen', 'dna', 'cancelled'] as const;
const FHIR = { arrived: 'arrived', seen: 'fulfilled', dna: 'noshow', cancelled: 'cancelled' } as const;

function inputs() {
  const base = new Map<string, UpstreamAppointment>();
  const upstream: UpstreamAppointment[] = [];
  const slots: UpstreamSlot[] = [];
  const entries: PlanEntry[] = [];
  for (let i = 0; i < N; i++) {
    const start = new Date(DAY_START + (i % 60) * 600_000).toISOString();
    const end = new Date(DAY_START + ((i % 60) + 1) * 600_000).toISOString();
    const a: UpstreamAppointment = {
      id: `appt-${i}`,
      version: '1',
      status: 'booked',
      start,
      end,
      slotId: `slot-${i}`,
      patientId: `pat-${i}`,
      clinicianId: `clin-${i % 400}`,
      deskIdentifier: null,
    };
    base.set(a.id, a);
    slots.push({ id: a.slotId ?? '', status: 'busy', start, end, clinicianId: a.clinicianId });
    // One in ten changed upstream meanwhile: half something else (compatible), half cancelled (conflicts).
    upstream.push(i % 10 === 0 ? { ...a, version: '2', status: i % 20 === 0 ? 'cancelled' : 'booked' } : a);
    const status = STATUSES[i % STATUSES.length] ?? 'arrived';
    if (i % 50 === 7) {
      // A rebooking: a new appointment and the old one's cancellation, in one entry.
      const booked = {
        id: `desk-appt-${i}`,
        patientId: a.patientId,
        clinicianId: a.clinicianId,
        slotId: `free-${i}`,
        start,
        end,
        type: 'face_to_face',
        reason: null,
        status: 'booked',
        arrivedAt: null,
        sentInAt: null,
        seenAt: null,
        cancelReason: null,
      };
      slots.push({ id: `free-${i}`, status: 'free', start, end, clinicianId: a.clinicianId });
      entries.push({
        seq: i + 1,
        id: `e-${i}`,
        at: start,
        user: 'u',
        desk: 'd',
        op: 'appointment.rebook',
        entityId: a.id,
        before: null,
        after: { status: 'cancelled', arrivedAt: null, sentInAt: null, seenAt: null, cancelReason: 'Rebooked', booked },
        baseVersion: '1',
      });
    } else {
      entries.push({
        seq: i + 1,
        id: `e-${i}`,
        at: start,
        user: 'u',
        desk: 'd',
        op: 'appointment.setStatus',
        entityId: a.id,
        before: null,
        after: { status, arrivedAt: null, sentInAt: null, seenAt: null, cancelReason: null },
        baseVersion: '1',
      });
    }
  }
  return { base, upstream, slots, entries };
}

export function benchMerge(report: (m: Measurement) => void): void {
  const { base, upstream, slots, entries } = inputs();
  const view = () => {
    const appointments = new Map<string, UpstreamAppointment>();
    for (const a of upstream) appointments.set(a.id, a);
    return { appointments, byDeskIdentifier: new Map<string, UpstreamAppointment>(), slots: new Map(slots.map((s) => [s.id, s])) };
  };
  // Warm both paths once (JIT), then time the second run of each.
  const plan = () => planMerge({ entries, base, upstream: view(), capability: 'fhir', today: '2026-07-20' });
  const raw = () => {
    const byId = new Map<string, UpstreamAppointment>();
    for (const a of upstream) byId.set(a.id, a);
    let differ = 0;
    for (const e of entries) {
      const now = e.entityId === null ? undefined : byId.get(e.entityId);
      const status = (e.after as { status?: keyof typeof FHIR } | null)?.status;
      if (now && status && FHIR[status] !== now.status) differ++;
    }
    return differ;
  };
  plan();
  raw();
  let t = performance.now();
  const result = plan();
  const ms = performance.now() - t;
  t = performance.now();
  raw();
  const baseline = performance.now() - t;
  const planned = new Set(result.items.flatMap((i) => i.entryIds)).size;
  if (planned !== N) throw new Error(`bench: planned ${planned} entries, expected ${N}`);
  report({ name: 'merge-plan-34000-entries', n: N, ms, baseline_ms: baseline });
}
