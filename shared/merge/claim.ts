/**
 * What the outage cost the practice in work, for its claim to the ICB (issue 21): each task of the week after is
 * counted by the impact report and priced here in staff minutes, by the practice's own minutes per task, and in
 * money when the practice gives a cost per hour for the role that does it. GP leaders told practices in July 2024 to
 * "cost up everything and send invoice to ICB"; these defaults are a starting point a manager changes.
 */
import { z } from 'zod';

const PerHour = z.number().min(0).max(1000).nullable();
/** Pounds per hour by kind of staff; null: not given, so the report gives no money figure for their tasks. */
const CostPerHour = z.strictObject({ receptionist: PerHour, administrator: PerHour, clinician: PerHour });
export type ClaimStaff = keyof z.infer<typeof CostPerHour>;
export const CLAIM_STAFF = Object.keys(CostPerHour.shape) as ClaimStaff[];

const Task = z.strictObject({ minutes: z.number().min(0).max(240), staff: z.enum(CLAIM_STAFF as [ClaimStaff, ...ClaimStaff[]]) });
/** The week after's tasks the report counts, each done by one kind of staff. */
const Tasks = z.strictObject({ rebooking: Task, keyedItem: Task, callback: Task, message: Task });
export type ClaimTask = keyof z.infer<typeof Tasks>;
export const CLAIM_TASKS = Object.keys(Tasks.shape) as ClaimTask[];

export const ClaimSettings = z.strictObject({ tasks: Tasks, costPerHour: CostPerHour });
export type ClaimSettings = z.infer<typeof ClaimSettings>;

export const DEFAULT_CLAIM_SETTINGS: ClaimSettings = {
  tasks: {
    rebooking: { minutes: 5, staff: 'receptionist' },
    keyedItem: { minutes: 3, staff: 'administrator' },
    callback: { minutes: 4, staff: 'receptionist' },
    message: { minutes: 1, staff: 'receptionist' },
  },
  costPerHour: { receptionist: null, administrator: null, clinician: null },
};

/** Minutes and (when every task's staff has a cost per hour) pounds, to the penny, for the tasks counted. */
export function workCost(counts: Record<ClaimTask, number>, settings: ClaimSettings): { minutes: number; cost: number | null } {
  let minutes = 0;
  let pence: number | null = 0;
  for (const task of CLAIM_TASKS) {
    const { minutes: each, staff } = settings.tasks[task];
    const taskMinutes = counts[task] * each;
    minutes += taskMinutes;
    const perHour = settings.costPerHour[staff];
    if (counts[task] === 0) continue;
    pence = perHour === null || pence === null ? null : pence + Math.round((taskMinutes * perHour * 100) / 60);
  }
  return { minutes: Math.round(minutes * 10) / 10, cost: pence === null ? null : pence / 100 };
}
