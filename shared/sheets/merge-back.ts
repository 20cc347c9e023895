/**
 * The two merge-back sheets: the manual worklist (what to key into the clinical system by hand, in keying
 * order, with a box to tick) and the outage impact report (the counts a practice needs for its ICB claim).
 * Pure: built from the worklist and the impact figures (shared/merge) and the frame every sheet carries.
 */
import { PATIENT_FLAG_LABEL, TIME_SENSITIVE_FLAGS, formatUkDate, localDateOf, localTimeOf } from '../domain';
import type { ImpactReport, WorklistPatient } from '../merge';
import { londonDateTime } from './format';
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput } from './input';

export { MERGE_SHEET_KINDS, isMergeSheetKind, type MergeSheetKind } from './kinds';

/** What the frame needs: the practice, the day the sheet is about, the mirror, the moment of printing. */
export type MergeFrameInput = Pick<SheetInput, 'practice' | 'date' | 'mirror' | 'printedAt'>;

const frameOf = (input: MergeFrameInput, title: string): SheetFrame =>
  sheetFrame({ ...input, clinicians: [], sessions: [], appointments: [], walkIns: [] }, title);

export interface WorklistSheetRow {
  number: number;
  when: string;
  action: string;
  why: string;
  attendance: boolean;
}

export interface WorklistSheetPatient {
  name: string;
  ids: string;
  priority: string;
  flags: string[];
  rows: WorklistSheetRow[];
}

export interface WorklistSheet {
  kind: 'worklist';
  frame: SheetFrame;
  patients: WorklistSheetPatient[];
  total: number;
  complete: boolean;
}

const PRIORITY = ['Outage-day attendance: key first (before any overnight auto-DNA)', 'Time-sensitive care', 'Routine'] as const;

export function worklistSheet(input: MergeFrameInput & { worklist: readonly WorklistPatient[]; complete: boolean }): WorklistSheet {
  let n = 0;
  const patients = input.worklist.map((p) => ({
    name: p.name,
    ids: [p.dateOfBirth ? `born ${formatUkDate(p.dateOfBirth)}` : null, `NHS ${p.nhsNumber ? p.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3') : 'not recorded'}`].filter(Boolean).join(' \u00b7 '),
    priority: PRIORITY[p.rank],
    flags: p.flags.filter((f) => TIME_SENSITIVE_FLAGS.includes(f)).map((f) => PATIENT_FLAG_LABEL[f]),
    rows: p.items.map((i) => ({
      number: ++n,
      when: i.when ? `${formatUkDate(localDateOf(i.when))} ${localTimeOf(i.when)}` : '',
      action: i.action,
      why: i.why,
      attendance: i.attendance,
    })),
  }));
  return { kind: 'worklist', frame: frameOf(input, 'Merge-back worklist'), patients, total: n, complete: input.complete };
}

export interface ImpactReportSheet {
  kind: 'impact-report';
  frame: SheetFrame;
  window: string;
  rows: Array<{ label: string; value: number | string }>;
  entries: Array<{ label: string; value: number }>;
}

/** The impact report's figures as labelled rows: the printed report and the review screen show the same ones. */
export function impactRows(r: ImpactReport): Pick<ImpactReportSheet, 'window' | 'rows' | 'entries'> {
  const window = r.outage.from ? `${londonDateTime(r.outage.from)} to ${r.outage.to ? londonDateTime(r.outage.to) : 'not yet ended'}` : 'No outage recorded';
  return {
    window,
    rows: [
      { label: 'Appointments in the outage', value: r.appointments },
      { label: 'Seen', value: r.seen },
      { label: 'Did not attend (DNA, walked out)', value: r.dna },
      { label: 'Cancelled', value: r.cancelled },
      { label: 'Rebooked', value: r.rebooked },
      { label: 'Walk-ins', value: r.walkIns },
      { label: 'Patients in time-sensitive care affected', value: r.timeSensitivePatients },
    ],
    entries: [
      { label: 'Applied to the clinical system automatically', value: r.entries.appliedAutomatically },
      { label: 'Already in the clinical system', value: r.entries.alreadyUpstream },
      { label: 'Keyed by hand from the worklist', value: r.entries.keyedByHand },
      { label: 'In conflict, awaiting a decision', value: r.entries.inConflict },
      { label: 'Upstream kept (a person decided)', value: r.entries.keptUpstream },
      { label: 'Dismissed with a reason', value: r.entries.dismissed },
      { label: 'Still pending', value: r.entries.pending },
    ],
  };
}

export function impactReportSheet(input: MergeFrameInput & { report: ImpactReport }): ImpactReportSheet {
  return { kind: 'impact-report', frame: frameOf(input, 'Outage impact report'), ...impactRows(input.report) };
}
