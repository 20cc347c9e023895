/**
 * The two merge-back sheets: the manual worklist (what to key into the clinical system by hand, in keying
 * order, with a box to tick) and the outage impact report (the counts a practice needs for its ICB claim).
 * Pure: built from the worklist and the impact figures (shared/merge) and the frame every sheet carries.
 */
import { DESK_STATUS_LABEL, PATIENT_FLAG_LABEL, TIME_SENSITIVE_FLAGS, formatNhsNumber, formatUkDate, localDateOf, localTimeOf } from '../domain';
import { IMPACT_FIGURES, type ImpactFigure, type ImpactFigures, type ImpactReport, type ImpactReportView, type ImpactSection, type WorklistPatient } from '../merge';
import { londonDateTime } from './format';
import { sheetFrame, type SheetFrame } from './frame';
import type { SheetInput } from './input';

/** What the frame needs: the practice, the day the sheet is about, the mirror, the moment of printing. */
export type MergeFrameInput = Pick<SheetInput, 'practice' | 'date' | 'mirror' | 'printedAt'>;

const frameOf = (input: MergeFrameInput, title: string): SheetFrame => sheetFrame({ ...input, clinicians: [], sessions: [], appointments: [], walkIns: [] }, title);

export interface WorklistSheetRow {
  number: number;
  when: string;
  action: string;
  why: string;
  attendance: boolean;
  /**
   * A clinician's note's consultation record reference (printed in the action too, with the marking "Entry typed
   * from contemporaneous note" and, in why, the prompt to re-check allergies and medication); null otherwise.
   */
  reference: string | null;
}

export interface WorklistSheetPatient {
  name: string;
  born: string | null;
  /** "NHS 999 000 0018", printed on one line (never wrapped: a number split over two lines is misread). */
  nhs: string;
  priority: string;
  flags: string[];
  /** "(TR) temporary resident": keyed as one, and their registered practice may need to know. */
  temporaryResident: boolean;
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
    born: p.dateOfBirth ? `born ${formatUkDate(p.dateOfBirth)}` : null,
    nhs: `NHS ${p.nhsNumber ? formatNhsNumber(p.nhsNumber) : 'not recorded'}`,
    priority: PRIORITY[p.rank],
    flags: p.flags.filter((f) => TIME_SENSITIVE_FLAGS.includes(f)).map((f) => PATIENT_FLAG_LABEL[f]),
    temporaryResident: p.temporaryResident,
    rows: p.items.map((i) => ({
      number: ++n,
      when: i.when ? `${formatUkDate(localDateOf(i.when))} ${localTimeOf(i.when)}` : '',
      action: i.action,
      why: i.why,
      attendance: i.attendance,
      reference: i.reference ?? null,
    })),
  }));
  return { kind: 'worklist', frame: frameOf(input, 'Merge-back worklist'), patients, total: n, complete: input.complete };
}

export interface ImpactRows {
  window: string;
  rows: Array<{ label: string; value: string }>;
  entries: Array<{ label: string; value: string }>;
  /** The week after's work and its cost in staff time (shared/merge/claim.ts). */
  work: Array<{ label: string; value: string }>;
}

export interface ImpactPatientRow {
  name: string;
  nhs: string;
  born: string;
  care: string;
  outage: string;
  appointments: string;
}

export interface ImpactReportSheet extends ImpactRows {
  kind: 'impact-report';
  frame: SheetFrame;
  /** Each outage on its own (the top level is all of them together). */
  outages: Array<ImpactRows & { title: string }>;
  /** The patient-identifiable version only: the patients in time-sensitive care affected, by name. */
  patients: ImpactPatientRow[] | null;
}

const windowOf = (o: ImpactFigures['outage']) => (o.from ? `${londonDateTime(o.from)} to ${o.to ? londonDateTime(o.to) : 'not yet ended'}` : 'No outage recorded');

function figureRows(r: ImpactFigures): ImpactRows {
  const rowsOf = (section: ImpactSection) => IMPACT_FIGURES.filter((f) => f.section === section).map((f) => ({ label: f.label, value: figureText(f, r) }));
  return { window: windowOf(r.outage), rows: rowsOf('book'), entries: rowsOf('entries'), work: rowsOf('work') };
}

/** A figure as printed: pounds to the penny, "not given" where the practice set no cost per hour. */
function figureText(f: ImpactFigure, r: ImpactFigures): string {
  const v = f.value(r);
  if (v === null) return 'not given';
  return f.unit === 'GBP' ? v.toFixed(2) : String(v);
}

/**
 * The impact report's figures as labelled rows: all outages together, then each on its own. The printed report
 * and the review screen show the same ones.
 */
export function impactRows(r: ImpactReport): ImpactRows & { outages: Array<ImpactRows & { title: string }> } {
  return { ...figureRows(r), outages: r.outages.map((o, i) => ({ title: `Outage ${i + 1}`, ...figureRows(o) })) };
}

/** The patients in time-sensitive care each outage touched, as the identifiable report lists them. */
export function impactPatientRows(r: ImpactReportView): ImpactPatientRow[] {
  return r.patients.map((p) => ({
    name: p.name,
    nhs: p.nhsNumber ? formatNhsNumber(p.nhsNumber) : 'not recorded',
    born: p.dateOfBirth ? formatUkDate(p.dateOfBirth) : '',
    care: p.flags.map((f) => PATIENT_FLAG_LABEL[f]).join(', '),
    outage: `Outage ${p.outage + 1}`,
    appointments: p.appointments.map((a) => `${londonDateTime(a.start)} ${a.clinician}: ${DESK_STATUS_LABEL[a.status]}`).join('; '),
  }));
}

/** Counts only, unless `identifiable` (and the report carries its patients): then the patients are listed by name. */
export function impactReportSheet(input: MergeFrameInput & { report: ImpactReport | ImpactReportView; identifiable?: boolean }): ImpactReportSheet {
  const { report } = input;
  const patients = input.identifiable && 'patients' in report ? impactPatientRows(report) : null;
  return { kind: 'impact-report', frame: frameOf(input, patients ? 'Outage impact report (patient-identifiable)' : 'Outage impact report'), ...impactRows(report), patients };
}
