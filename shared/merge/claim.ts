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

/** The tasks and the staff in a manager's words (the CLI and the settings form). */
export const CLAIM_TASK_LABEL: Record<ClaimTask, string> = {
  rebooking: 'Rebooking an appointment',
  keyedItem: 'Keying one item by hand',
  callback: 'One try at calling back',
  message: 'One message sent',
};
export const CLAIM_STAFF_LABEL: Record<ClaimStaff, string> = { receptionist: 'Receptionist', administrator: 'Administrator', clinician: 'Clinician' };

/**
 * A manager's changes as typed, by task or staff kind (unknown names are refused): minutes, staff kind, and pounds
 * per hour where blank or "none" means not given. What is not mentioned keeps its current value.
 */
export interface ClaimChanges {
  minutes?: Readonly<Record<string, string>>;
  staff?: Readonly<Record<string, string>>;
  cost?: Readonly<Record<string, string>>;
}

/** One refused value: `field` is "minutes.rebooking", "staff.message", "cost.clinician" (a form marks that field). */
export interface ClaimProblem {
  field: string;
  message: string;
}

const NUMBER = /^\d+(\.\d+)?$/;
const POUNDS = /^£?\s*(\d+(\.\d{1,2})?)$/;

/** What a problem calls the value it is about: the CLI's own names ("minutes for keyedItem") unless told otherwise. */
export type ClaimValueWords = (kind: 'minutes' | 'staff' | 'cost', name: string) => string;
const CLI_WORDS: ClaimValueWords = (kind, name) => `${kind === 'cost' ? 'cost per hour' : kind} for ${name}`;

/** The settings with the changes made, or every problem with them (then nothing is to change). */
export function changedClaimSettings(
  current: ClaimSettings,
  changes: ClaimChanges,
  words: ClaimValueWords = CLI_WORDS,
): { ok: true; settings: ClaimSettings } | { ok: false; problems: ClaimProblem[] } {
  const problems: ClaimProblem[] = [];
  const tasks = { ...current.tasks };
  const costPerHour = { ...current.costPerHour };
  const isTask = (name: string): name is ClaimTask => (CLAIM_TASKS as readonly string[]).includes(name);
  const isStaff = (name: string): name is ClaimStaff => (CLAIM_STAFF as readonly string[]).includes(name);
  const unknown = (kind: 'minutes' | 'staff' | 'cost', name: string) =>
    problems.push({
      field: `${kind}.${name}`,
      message: `no ${kind === 'cost' ? 'kind of staff' : 'task'} called "${name}": ${(kind === 'cost' ? CLAIM_STAFF : CLAIM_TASKS).join(', ')}`,
    });
  for (const [task, typed] of Object.entries(changes.minutes ?? {})) {
    if (!isTask(task)) {
      unknown('minutes', task);
      continue;
    }
    const value = typed.trim();
    const minutes = Number(value);
    if (!NUMBER.test(value) || minutes > 240) problems.push({ field: `minutes.${task}`, message: `${words('minutes', task)} must be a number from 0 to 240, got "${typed}"` });
    else tasks[task] = { ...tasks[task], minutes };
  }
  for (const [task, typed] of Object.entries(changes.staff ?? {})) {
    if (!isTask(task)) {
      unknown('staff', task);
      continue;
    }
    const staff = typed.trim().toLowerCase();
    if (!isStaff(staff)) problems.push({ field: `staff.${task}`, message: `${words('staff', task)} must be ${CLAIM_STAFF.join(', ')}, got "${typed}"` });
    else tasks[task] = { ...tasks[task], staff };
  }
  for (const [staff, typed] of Object.entries(changes.cost ?? {})) {
    if (!isStaff(staff)) {
      unknown('cost', staff);
      continue;
    }
    const value = typed.trim();
    if (value === '' || value.toLowerCase() === 'none') {
      costPerHour[staff] = null;
      continue;
    }
    const pounds = POUNDS.exec(value)?.[1];
    if (pounds === undefined || Number(pounds) > 1000)
      problems.push({ field: `cost.${staff}`, message: `${words('cost', staff)} must be pounds from 0 to 1000 (like 12.50), or none, got "${typed}"` });
    else costPerHour[staff] = Number(pounds);
  }
  if (problems.length > 0) return { ok: false, problems };
  const settings = ClaimSettings.safeParse({ tasks, costPerHour });
  if (!settings.success) return { ok: false, problems: settings.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })) };
  return { ok: true, settings: settings.data };
}
