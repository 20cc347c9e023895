/**
 * Merge-back's views, built from the records (records.ts) and the mirror: names for the review and the worklist,
 * the outage windows, the impact report's input and its patient-identifiable version, and the plan grouped by
 * patient as the review screen shows it. Reads only: nothing here writes.
 */
import { DeskStatus, Patient, TIME_SENSITIVE_FLAGS, type PatientFlag } from '../../../shared/domain';
import {
  affectedPatients,
  emptyCounts,
  impactReport,
  itemPlace,
  refusedReason,
  type AttemptResult,
  type ImpactInput,
  type ImpactReportView,
  type MergeItemView,
  type MergePatientGroup,
  type MergePlanView,
  type OutageWindow,
  type PatientInfo,
  type Plan,
  type PlanEntry,
  type PlanItem,
  type WorklistLookup,
} from '../../../shared/merge';
import type { MirrorStore } from '../store/mirror';
import type { MergeRecords } from './records';

type Attempts = ReadonlyMap<string, { result: AttemptResult; detail: string; tries: number }>;

/**
 * Names for the views: patients from the mirror, else as the journal recorded them (a signposted walk-in new to
 * the practice is never in the mirror), clinicians by name, appointments as the desk holds them.
 */
export function mergeLookup(mirror: MirrorStore, entries: () => readonly PlanEntry[], attempts: Attempts): WorklistLookup {
  const names = new Map<string, string>();
  let journalled: Map<string, PatientInfo> | null = null;
  const info = (p: {
    id: string;
    familyName: string;
    givenName: string;
    nhsNumber: string | null;
    dateOfBirth: string | null;
    phone: string | null;
    flags: readonly PatientFlag[];
    temporaryResident?: boolean | undefined;
  }): PatientInfo => ({
    id: p.id,
    name: `${p.familyName.toUpperCase()}, ${p.givenName}`,
    nhsNumber: p.nhsNumber,
    dateOfBirth: p.dateOfBirth,
    phone: p.phone,
    flags: p.flags,
    temporaryResident: p.temporaryResident === true,
  });
  return {
    patient: (id) => {
      const p = mirror.patient(id);
      if (p) return info(p);
      journalled ??= patientsInJournal(entries(), info);
      return journalled.get(id) ?? null;
    },
    clinicianName: (id) => {
      let n = names.get(id);
      if (n === undefined) names.set(id, (n = mirror.clinician(id)?.name ?? id));
      return n;
    },
    appointment: (id) => {
      const a = mirror.appointment(id);
      return a ? { patientId: a.patientId, start: a.start, clinicianId: a.clinicianId } : null;
    },
    attempt: (key) => attempts.get(key) ?? null,
  };
}

/** Patients as the journal recorded them when the desk registered them (a walk-in, a signposted walk-in). */
function patientsInJournal(entries: readonly PlanEntry[], info: (p: Patient) => PatientInfo): Map<string, PatientInfo> {
  const out = new Map<string, PatientInfo>();
  for (const e of entries) {
    const after = e.after as { newPatient?: unknown; patient?: unknown } | null;
    for (const candidate of [after?.newPatient, after?.patient]) {
      const p = Patient.safeParse(candidate);
      if (!p.success) continue;
      // Entries written before Patient.temporaryResident kept a walk-in's under desk (the schema drops it).
      const legacyTemporary = (candidate as { desk?: { temporaryResident?: unknown } }).desk?.temporaryResident === true;
      out.set(p.data.id, info(legacyTemporary ? { ...p.data, temporaryResident: true } : p.data));
    }
  }
  return out;
}

/**
 * Each outage, from a switch to outage mode to the switch back (to: null while it lasts), from the journal's
 * mode switches; without any, one outage from the first to the last desk change.
 */
export function outageWindows(records: MergeRecords): OutageWindow[] {
  const out: OutageWindow[] = [];
  let open: string | null = null;
  for (const m of records.modeSwitches()) {
    if (m.mode === 'outage' && open === null) open = m.at;
    if (m.mode === 'online' && open !== null) {
      out.push({ from: open, to: m.at });
      open = null;
    }
  }
  if (open !== null) out.push({ from: open, to: null });
  if (out.length === 0) {
    const span = records.changeSpan();
    if (span.first) out.push({ from: span.first, to: span.last });
  }
  return out;
}

/** The impact report's input: the outages, the desk's changes, the practice's own book, and what is pending. */
export function impactInputOf(records: MergeRecords, mirror: MirrorStore, plan: Plan, now: Date): ImpactInput {
  const entries = records.entries();
  // The practice's own book: what the desk made (walk-ins, rebookings), under its own id or the one upstream
  // gave it once merged back, is counted from the journal instead.
  const made = new Set<string>();
  for (const e of entries) {
    const after = e.after as { appointment?: { id?: unknown }; booked?: { id?: unknown } } | null;
    for (const id of [after?.appointment?.id, after?.booked?.id]) if (typeof id === 'string') made.add(id);
  }
  for (const id of records.createdUpstreamIds()) made.add(id);
  const book = records.upstreamBook().filter((a) => !made.has(a.id));
  const base = records.base();
  const flags = new Map<string, boolean>();
  return {
    outages: outageWindows(records),
    now: now.toISOString(),
    entries,
    book,
    patientOf: (id) => mirror.appointment(id)?.patientId ?? base.get(id)?.patientId ?? null,
    timeSensitive: (id) => {
      let ts = flags.get(id);
      if (ts === undefined) flags.set(id, (ts = (mirror.patient(id)?.flags ?? []).some((f) => TIME_SENSITIVE_FLAGS.includes(f))));
      return ts;
    },
    outcomes: records.entryOutcomes(),
    pending: plan.items.flatMap((i) => i.entryIds.map((entryId) => ({ entryId, class: i.class }))),
    ...records.followUps(),
    claim: records.claimSettings(),
  };
}

/**
 * The figures with the patient-identifiable part: the patients in time-sensitive care each outage touched, by
 * name, with their appointments inside it. For the practice (a manager's), never stored with the counts.
 */
export function impactViewOf(input: ImpactInput, mirror: MirrorStore, lookup: WorklistLookup): ImpactReportView {
  const patients = affectedPatients(input).map((a) => {
    const p = lookup.patient(a.patientId);
    return {
      outage: a.outage,
      patientId: a.patientId,
      name: p?.name ?? 'Patient not recorded',
      nhsNumber: p?.nhsNumber ?? null,
      dateOfBirth: p?.dateOfBirth ?? null,
      flags: (p?.flags ?? []).filter((f) => TIME_SENSITIVE_FLAGS.includes(f)),
      appointments: a.appointments.flatMap((x) => {
        const held = mirror.appointment(x.id);
        if (!held) return [];
        const status = DeskStatus.safeParse(x.status ?? held.status);
        return [{ start: held.start, clinician: lookup.clinicianName(held.clinicianId), status: status.success ? status.data : held.status }];
      }),
    };
  });
  return { ...impactReport(input), claim: input.claim, patients };
}

/**
 * One item as the review shows it: named (time and clinician, from the desk's copy when the plan has no base),
 * and an item the clinical system refused (a 422) as what it now is: one to key by hand, not "ready to apply"
 * (apply does not retry it; the worklist carries it).
 */
export function itemViewOf(item: PlanItem, attempts: Attempts, lookup: WorklistLookup): MergeItemView {
  const attempt = attempts.get(item.key);
  const refused = attempt?.result === 'rejected' && item.write !== null;
  const place = itemPlace(item, lookup);
  return {
    key: item.key,
    kind: item.kind,
    op: item.op,
    class: refused ? 'manual' : item.class,
    conflict: item.conflict,
    reason: refused ? refusedReason(attempt.detail) : item.reason,
    start: place.start,
    base: item.base,
    upstream: item.upstream,
    desk: item.desk,
    resolution: item.resolution ? { choice: item.resolution.choice, slotId: item.resolution.slotId ?? null } : null,
    attempt: attempt ? { result: attempt.result, detail: attempt.detail } : null,
    entryIds: item.entryIds,
    writes: item.write !== null && !refused,
    detail: item.detail,
    clinician: place.clinicianId !== null ? lookup.clinicianName(place.clinicianId) : null,
  };
}

/** The plan grouped by patient, patients with conflicts first (then time-sensitive, then by time). */
export function planGroups(plan: Plan, attempts: Attempts, lookup: WorklistLookup): Pick<MergePlanView, 'counts' | 'groups'> {
  const groups = new Map<string, MergePatientGroup & { first: string }>();
  const counts = emptyCounts();
  for (const item of plan.items) {
    const view = itemViewOf(item, attempts, lookup);
    counts[view.class]++;
    const patientId = itemPlace(item, lookup).patientId;
    const k = patientId ?? '';
    let g = groups.get(k);
    if (!g) {
      const p = patientId !== null ? lookup.patient(patientId) : null;
      g = {
        patientId,
        name: p?.name ?? 'Patient not recorded',
        nhsNumber: p?.nhsNumber ?? null,
        timeSensitive: (p?.flags ?? []).some((f) => TIME_SENSITIVE_FLAGS.includes(f)),
        conflicts: 0,
        items: [],
        first: view.start ?? '9999',
      };
      groups.set(k, g);
    }
    if (item.class === 'conflict' && item.resolution === null) g.conflicts++;
    if ((view.start ?? '9999') < g.first) g.first = view.start ?? '9999';
    g.items.push(view);
  }
  const rank = (c: MergeItemView) => (c.class === 'conflict' ? 0 : c.class === 'manual' ? 1 : 2);
  const sorted = [...groups.values()].sort(
    (a, b) =>
      Number(b.conflicts > 0) - Number(a.conflicts > 0) ||
      Number(b.timeSensitive) - Number(a.timeSensitive) ||
      a.first.localeCompare(b.first) ||
      (a.patientId ?? '').localeCompare(b.patientId ?? ''),
  );
  for (const g of sorted) g.items.sort((a, b) => rank(a) - rank(b) || (a.start ?? '').localeCompare(b.start ?? '') || a.key.localeCompare(b.key));
  return { counts, groups: sorted.map(({ first: _first, ...g }) => g) };
}
