/**
 * Merge-back's contract shapes (shared/api/contract.ts names the operations; their inputs and outputs are here,
 * beside the planner whose types they mirror).
 */
import { z } from 'zod';
import type { OperationEntry } from '../api/policy';
import { PatientFlag } from '../domain/entities';
import { DeskStatus, FhirAppointmentStatus } from '../domain/status';
import { ATTEMPT_RESULTS, OUTCOMES } from './worklist';
import { CAPABILITIES, CONFLICT_KINDS, MERGE_OPS, PLAN_CLASSES, RESOLUTION_CHOICES } from './plan';
import { ClaimSettings } from './claim';

const Key = z.string().min(1).max(200);

export const UpstreamAppointmentView = z.object({
  id: z.string(),
  version: z.string(),
  status: FhirAppointmentStatus,
  start: z.string(),
  end: z.string(),
  slotId: z.string().nullable(),
  patientId: z.string(),
  clinicianId: z.string(),
  deskIdentifier: z.string().nullable(),
});

export const DeskStateView = z.object({
  status: DeskStatus,
  fhirStatus: FhirAppointmentStatus,
  arrivedAt: z.string().nullable(),
  sentInAt: z.string().nullable(),
  seenAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

export const MergeItemView = z.object({
  key: Key,
  kind: z.enum(['status', 'create', 'entry']),
  op: z.enum(MERGE_OPS),
  class: z.enum(PLAN_CLASSES),
  conflict: z.enum(CONFLICT_KINDS).nullable(),
  reason: z.string(),
  start: z.string().nullable(),
  /** The three sides a person compares: as pulled before the outage, upstream now, what the desk did. */
  base: UpstreamAppointmentView.nullable(),
  upstream: UpstreamAppointmentView.nullable(),
  desk: DeskStateView.nullable(),
  resolution: z.object({ choice: z.enum(RESOLUTION_CHOICES), slotId: z.string().nullable().optional() }).nullable(),
  attempt: z.object({ result: z.enum(ATTEMPT_RESULTS), detail: z.string() }).nullable(),
  entryIds: z.array(z.string()),
  writes: z.boolean(),
  detail: z.string().nullable(),
  /** The appointment's clinician, by name (from the plan, else the desk's own copy); null for an entry about none. */
  clinician: z.string().nullable(),
});
export type MergeItemView = z.infer<typeof MergeItemView>;

export const MergePatientGroup = z.object({
  patientId: z.string().nullable(),
  name: z.string(),
  nhsNumber: z.string().nullable(),
  timeSensitive: z.boolean(),
  conflicts: z.number().int().nonnegative(),
  items: z.array(MergeItemView),
});
export type MergePatientGroup = z.infer<typeof MergePatientGroup>;

export const MergePlanView = z.object({
  /** When upstream was last read for this plan; null: never (run reconcile first). */
  upstreamReadAt: z.string().nullable(),
  capability: z.enum(CAPABILITIES),
  complete: z.boolean(),
  running: z.boolean(),
  counts: z.record(z.enum(PLAN_CLASSES), z.number().int()),
  /** Patients with conflicts first, then the rest. */
  groups: z.array(MergePatientGroup),
});
export type MergePlanView = z.infer<typeof MergePlanView>;

export const WorklistView = z.object({
  complete: z.boolean(),
  patients: z.array(
    z.object({
      patientId: z.string().nullable(),
      name: z.string(),
      nhsNumber: z.string().nullable(),
      dateOfBirth: z.string().nullable(),
      timeSensitive: z.boolean(),
      flags: z.array(PatientFlag),
      temporaryResident: z.boolean(),
      rank: z.union([z.literal(0), z.literal(1), z.literal(2)]),
      items: z.array(
        z.object({
          key: z.string(),
          action: z.string(),
          why: z.string(),
          when: z.string().nullable(),
          clinician: z.string().nullable(),
          attendance: z.boolean(),
          entryIds: z.array(z.string()),
        }),
      ),
    }),
  ),
});
export type WorklistView = z.infer<typeof WorklistView>;

const Count = z.number().int().nonnegative();
const ImpactFiguresView = z.object({
  outage: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  appointments: Count,
  seen: Count,
  dna: Count,
  cancelled: Count,
  rebooked: Count,
  walkIns: Count,
  signposted: Count,
  timeSensitivePatients: Count,
  entries: z.object({ appliedAutomatically: Count, keyedByHand: Count, inConflict: Count, alreadyUpstream: Count, keptUpstream: Count, dismissed: Count, pending: Count }),
  work: z.object({ rebookings: Count, keyedByHand: Count, callbacks: Count, messages: Count, minutes: z.number().min(0), cost: z.number().min(0).nullable() }),
});

/**
 * The impact report: all outages together at the top level, each on its own in `outages`, and (the
 * patient-identifiable part, never stored with the counts) the patients in time-sensitive care each one touched.
 */
export const ImpactReportView = ImpactFiguresView.extend({
  outages: z.array(ImpactFiguresView),
  /** The minutes per task and costs per hour the work is priced at (the practice's, else the defaults). */
  claim: ClaimSettings,
  patients: z.array(
    z.object({
      /** Index into outages. */
      outage: z.number().int().nonnegative(),
      patientId: z.string(),
      name: z.string(),
      nhsNumber: z.string().nullable(),
      dateOfBirth: z.string().nullable(),
      flags: z.array(PatientFlag),
      appointments: z.array(z.object({ start: z.string(), clinician: z.string(), status: DeskStatus })),
    }),
  ),
});
export type ImpactReportView = z.infer<typeof ImpactReportView>;

export const MERGE_CONTRACT = {
  getMergePlan: {
    input: z.strictObject({}),
    output: MergePlanView,
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** A person's decision on a conflict; keep_upstream ends the item at once, the others change what apply does. */
  resolveMergeConflict: {
    input: z.strictObject({ itemKey: Key, choice: z.enum(RESOLUTION_CHOICES), slotId: z.string().min(1).max(128).optional() }),
    output: MergeItemView,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** Re-reads upstream and applies every clean item, in the background; progress as merge.progress events. */
  startMergeApply: {
    input: z.strictObject({ confirmed: z.literal(true), dryRun: z.boolean().optional() }),
    output: z.object({ runId: z.string() }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  getWorklist: {
    input: z.strictObject({}),
    output: WorklistView,
    policy: { role: 'desk', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  tickWorklistItem: {
    input: z.strictObject({ itemKey: Key, state: z.enum(['keyed', 'dismissed']), reason: z.string().trim().max(500).optional() }),
    output: z.object({ itemKey: z.string(), outcome: z.enum(OUTCOMES) }),
    policy: { role: 'desk', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  getImpactReport: {
    input: z.strictObject({}),
    output: ImpactReportView,
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
  /** What the clinical system can take (none: everything to the worklist) and how long outage data is kept. */
  setMergeSettings: {
    input: z.strictObject({ capability: z.enum(CAPABILITIES).optional(), retentionDays: z.number().int().min(1).max(3650).optional(), claim: ClaimSettings.optional() }),
    output: z.object({ capability: z.enum(CAPABILITIES), retentionDays: z.number().int(), claim: ClaimSettings }),
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true },
  },
} as const satisfies Record<string, OperationEntry>;
