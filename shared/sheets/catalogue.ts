/**
 * The paper sheets, once: each sheet's name (as the command line, the URL, the contract's printSheet and the
 * outage pack spell it), its title, whether it can be printed for one clinician, which contract operation decides
 * who may have it, its formats, whether and how the outage pack files it, and its place in the Print menu. The
 * print dialog, the merge review, the server's /sheets/ routes, the app's printSheet, the pack and the CLI all
 * read it (tests/unit/print/catalogue.test.ts holds them to it).
 *
 * Imports nothing: the contract names the sheets from here (printSheet's input), so this must not load the
 * contract back, not even its types. Who may have a sheet comes from its operation's policy on the contract, and
 * that each readVia is an operation of the contract is type-checked there: see access.ts.
 */

export type SheetFormat = 'pdf' | 'html' | 'csv';

/** A day's sheet is printed for a date; the merge-back sheets cover the whole outage and take no date. */
type SheetCovers = 'day' | 'outage';

/** How the outage pack files a sheet: one file, or one file per clinician (each pile numbered on its own). */
type PackFiling = 'one-file' | 'per-clinician' | null;

interface SheetEntry {
  /** As the Print menu and the merge review name it. */
  readonly title: string;
  /** One line under the title in the Print menu. */
  readonly detail: string;
  readonly covers: SheetCovers;
  /** It can be narrowed to one clinician (?clinician=ID, --clinician ID, printSheet's clinicianId). */
  readonly perClinician: boolean;
  /**
   * The contract operation that reads what the sheet shows: who may call it may have the sheet (its policy's
   * role), over HTTP and in the app alike.
   */
  readonly readVia: string;
  readonly formats: readonly SheetFormat[];
  readonly pack: PackFiling;
  /** Its place in the Print menu (day sheets), counted from 1; null for sheets the menu does not list. */
  readonly menu: number | null;
  /**
   * It can print the rest of the day from a time (?from=HH:MM): what is left, not the morning again. The outage
   * pack always prints whole days; the callback list and the walk-in register are the whole day's by nature.
   */
  readonly restOfDay: boolean;
}

/**
 * In the order the outage pack files a day's sheets (its file names number them so): the list a receptionist
 * grabs first when the system goes down, the master list, comes first.
 */
export const SHEET_CATALOGUE = {
  'master-list': {
    title: 'Master list',
    detail: 'The whole day in time order, with rooms',
    covers: 'day',
    perClinician: false,
    readVia: 'getDay',
    formats: ['pdf', 'html'],
    pack: 'one-file',
    menu: 2,
    restOfDay: true,
  },
  'clinician-list': {
    title: 'Clinician lists',
    detail: 'One per session, with Arrived / Seen / DNA boxes',
    covers: 'day',
    perClinician: true,
    readVia: 'getDay',
    formats: ['pdf', 'html'],
    pack: 'one-file',
    menu: 1,
    restOfDay: true,
  },
  'walk-in-register': {
    title: 'Walk-in register',
    detail: 'Numbered rows to fill in by hand',
    covers: 'day',
    perClinician: false,
    readVia: 'getDay',
    formats: ['pdf', 'html'],
    pack: 'one-file',
    menu: 3,
    restOfDay: false,
  },
  'callback-list': {
    title: 'Callback list',
    detail: 'Cancelled and missed patients, time-sensitive first',
    covers: 'day',
    perClinician: true,
    readVia: 'getDay',
    formats: ['pdf', 'html'],
    pack: 'one-file',
    menu: 5,
    restOfDay: false,
  },
  'consultation-records': {
    title: 'Consultation records',
    detail: 'A page per appointment for the clinician’s notes',
    covers: 'day',
    perClinician: true,
    readVia: 'getDay',
    formats: ['pdf', 'html'],
    pack: 'per-clinician',
    menu: 4,
    restOfDay: true,
  },
  worklist: {
    title: 'The worklist on paper, in keying order',
    detail: 'What to key into the clinical system by hand, by patient in keying order',
    covers: 'outage',
    perClinician: false,
    readVia: 'getWorklist',
    formats: ['pdf', 'html', 'csv'],
    pack: null,
    menu: null,
    restOfDay: false,
  },
  'impact-report': {
    title: 'The impact report',
    detail: 'Each outage’s impact in counts, and all together (for the ICB)',
    covers: 'outage',
    perClinician: false,
    readVia: 'getImpactReport',
    formats: ['pdf', 'html', 'csv'],
    pack: null,
    menu: null,
    restOfDay: false,
  },
} as const satisfies Record<string, SheetEntry>;

type Catalogue = typeof SHEET_CATALOGUE;
export type SheetName = keyof Catalogue;
/** A day's sheet. */
export type SheetKind = { [N in SheetName]: Catalogue[N]['covers'] extends 'day' ? N : never }[SheetName];
/** A merge-back sheet: it covers the whole outage. */
export type MergeSheetKind = Exclude<SheetName, SheetKind>;

/** Every sheet, in the catalogue's order. A tuple type so the contract can make a zod enum of it. */
export const SHEET_NAMES = Object.keys(SHEET_CATALOGUE) as [SheetName, ...SheetName[]];

function isSheetName(name: string): name is SheetName {
  return Object.hasOwn(SHEET_CATALOGUE, name);
}

/** A day's sheets, in the pack's order. */
export const SHEET_KINDS = SHEET_NAMES.filter((n) => SHEET_CATALOGUE[n].covers === 'day') as [SheetKind, ...SheetKind[]];
export const MERGE_SHEET_KINDS = SHEET_NAMES.filter((n) => SHEET_CATALOGUE[n].covers === 'outage') as [MergeSheetKind, ...MergeSheetKind[]];

export function isSheetKind(name: string): name is SheetKind {
  return isSheetName(name) && SHEET_CATALOGUE[name].covers === 'day';
}

export function isMergeSheetKind(name: string): name is MergeSheetKind {
  return isSheetName(name) && SHEET_CATALOGUE[name].covers === 'outage';
}

/** Sheets that can be narrowed to one clinician. */
export const PER_CLINICIAN_SHEETS: readonly SheetName[] = SHEET_NAMES.filter((n) => SHEET_CATALOGUE[n].perClinician);

/** Sheets that can print the rest of the day from a time. */
export const REST_OF_DAY_SHEETS: readonly SheetName[] = SHEET_NAMES.filter((n) => SHEET_CATALOGUE[n].restOfDay);

/** The day's sheets as the Print menu lists them. */
export const MENU_SHEETS: readonly SheetKind[] = SHEET_KINDS.filter((n) => SHEET_CATALOGUE[n].menu !== null).sort(
  (a, b) => (SHEET_CATALOGUE[a].menu ?? 0) - (SHEET_CATALOGUE[b].menu ?? 0),
);

function sheetFormats(name: SheetName): readonly SheetFormat[] {
  return SHEET_CATALOGUE[name].formats;
}

// ---- URLs: /sheets/<name>.<format>?date=YYYY-MM-DD[&clinician=ID][&desk=ID][&patients=1][&from=HH:MM] -------

const SHEET_PATH_RE = /^\/sheets\/([a-z-]{1,40})\.(pdf|html|csv)$/;

export interface SheetQuery {
  /** The day, for a day's sheet. */
  date?: string | null | undefined;
  /** Narrows a per-clinician sheet; left out of the URL for any other (the catalogue says which). */
  clinicianId?: string | null | undefined;
  /** Names the asking desk in the audit trail's print record. */
  desk?: string | null | undefined;
  /** The impact report with the time-sensitive patients by name. */
  patients?: boolean | undefined;
  /** The rest of the day from this London time (HH:MM); left out of the URL for sheets that print whole days. */
  from?: string | null | undefined;
}

export function sheetUrl(name: SheetName, format: SheetFormat, query: SheetQuery = {}): string {
  const params = new URLSearchParams();
  if (query.date) params.set('date', query.date);
  if (query.clinicianId && SHEET_CATALOGUE[name].perClinician) params.set('clinician', query.clinicianId);
  if (query.desk) params.set('desk', query.desk);
  if (query.patients) params.set('patients', '1');
  if (query.from && SHEET_CATALOGUE[name].restOfDay) params.set('from', query.from);
  const search = params.toString();
  return `/sheets/${name}.${format}${search ? `?${search}` : ''}`;
}

type ParsedSheetUrl =
  /** A sheet the catalogue has, in a format it comes in. */
  | { ok: true; sheet: SheetName; format: SheetFormat; query: Required<{ [K in keyof SheetQuery]: Exclude<SheetQuery[K], undefined> }> }
  /** Under /sheets/ but no such sheet, or not in that format. */
  | { ok: false };

/** The parse back of sheetUrl: what a /sheets/ path and its query ask for. */
export function parseSheetUrl(pathname: string, search: URLSearchParams = new URLSearchParams()): ParsedSheetUrl {
  const match = SHEET_PATH_RE.exec(pathname);
  const name = match?.[1] ?? '';
  const format = match?.[2] as SheetFormat | undefined;
  if (format === undefined || !isSheetName(name) || !sheetFormats(name).includes(format)) return { ok: false };
  const text = (key: string) => {
    const value = search.get(key);
    return value === null || value === '' ? null : value;
  };
  return {
    ok: true,
    sheet: name,
    format,
    query: { date: text('date'), clinicianId: text('clinician'), desk: text('desk'), patients: search.get('patients') === '1', from: text('from') },
  };
}
