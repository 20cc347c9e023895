/**
 * Who may have a sheet: whoever may call the contract operation that reads what it shows (the catalogue's
 * readVia), by that operation's policy. Apart from catalogue.ts because the contract imports the catalogue.
 */
import { policyOf, type OperationName } from '../api/contract';
import type { Access } from '../api/policy';
import { SHEET_CATALOGUE, type SheetName } from './catalogue';

/** The operation whose access decides who may have the sheet (a readVia that is no operation fails to compile here). */
export function sheetReadOperation(name: SheetName): OperationName {
  return SHEET_CATALOGUE[name].readVia;
}

export function sheetAccess(name: SheetName): Access {
  return policyOf(sheetReadOperation(name)).role;
}
