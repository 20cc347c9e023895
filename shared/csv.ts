/**
 * The one CSV writer: RFC 4180 fields (quoted when they hold the delimiter, a quote or a line break), CRLF line
 * ends, and one rule against spreadsheet formula injection. A cell that starts with =, +, -, @, a tab or a carriage
 * return is a formula (or becomes one) to Excel and LibreOffice, so a patient's name or a note typed as
 * `=HYPERLINK(...)` could run when a manager opens the worklist or the audit export. Such a cell gets a leading
 * apostrophe, which the spreadsheet shows as text, and is quoted so the apostrophe is plainly part of the value.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** True when a spreadsheet would read the cell as a formula. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

export interface CsvOptions {
  /** ',' unless a mapping says otherwise. */
  delimiter?: string;
  /**
   * 'neutralise' (the default) for every file a person opens in a spreadsheet. 'keep' only for a file that stands
   * for a clinical system's own export, which the desk's importer reads back value for value (a phone number
   * "+44…" must stay as it is).
   */
  formulas?: 'neutralise' | 'keep';
}

/** One field, quoted when it must be and neutralised unless told to keep formulas. */
export function csvField(value: string, options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const neutralise = (options.formulas ?? 'neutralise') === 'neutralise' && looksLikeFormula(value);
  const text = neutralise ? `'${value}` : value;
  if (neutralise || text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** Records as CSV text, a header row first if the caller gives one; null cells are written empty. */
export function formatCsv(rows: readonly (readonly (string | null)[])[], options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  return rows.map((r) => r.map((f) => csvField(f ?? '', options)).join(delimiter)).join('\r\n') + '\r\n';
}
