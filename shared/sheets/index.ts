/**
 * The paper sheets: what each contains, computed from the day (pure). electron/desk/print turns a sheet into
 * HTML and print CSS, and from there into PDF; a renderer preview can show the same HTML.
 */
import { callbackListSheet, type CallbackListSheet } from './callback-list';
import { clinicianListSheet, type ClinicianListSheet } from './clinician-list';
import { consultationRecordsSheet, type ConsultationRecordsSheet } from './consultation-records';
import { masterListSheet, type MasterListSheet } from './master-list';
import { walkInRegisterSheet, type WalkInRegisterSheet } from './walk-in-register';
import type { SheetInput } from './input';
import { missingCaseError } from '../domain';
import { SHEET_CATALOGUE, type SheetKind } from './catalogue';

export * from './input';
export * from './format';
export * from './frame';
export * from './day';
export * from './patient';
export * from './code128';
export * from './clinician-list';
export * from './master-list';
export * from './walk-in-register';
export * from './consultation-records';
export * from './callback-list';

export * from './catalogue';
export * from './access';

export type Sheet = ClinicianListSheet | MasterListSheet | WalkInRegisterSheet | ConsultationRecordsSheet | CallbackListSheet;

export interface SheetOptions {
  clinicianId?: string | null;
  blankRows?: number;
}

export function buildSheet(kind: SheetKind, whole: SheetInput, options: SheetOptions = {}): Sheet {
  const clinicianId = options.clinicianId ?? null;
  // A sheet that prints whole days (the catalogue's restOfDay) ignores a "from", heading included.
  const { from, ...rest } = whole;
  const input: SheetInput = from === undefined || SHEET_CATALOGUE[kind].restOfDay ? whole : rest;
  switch (kind) {
    case 'clinician-list':
      return clinicianListSheet(input, { clinicianId });
    case 'master-list':
      return masterListSheet(input);
    case 'walk-in-register':
      return walkInRegisterSheet(input, options.blankRows === undefined ? {} : { blankRows: options.blankRows });
    case 'consultation-records':
      return consultationRecordsSheet(input, { clinicianId });
    case 'callback-list':
      return callbackListSheet(input, { clinicianId });
    default:
      throw missingCaseError(kind);
  }
}
export * from './merge-back';
