/**
 * First-run set-up and the practice's settings (issue 20, items 1 and 2): the practice, where the book comes from
 * (a FHIR server or a watched folder), where the outage pack and the backups go, and the first accounts. Kept in
 * the desk's database (encrypted with the database key), the FHIR token too: never in a clear file. The JSON files
 * practice IT deploys (upkeep-settings.json, backup-settings.json) still win where they say something, and the
 * settings screen says which values came from them (electron/desk/setup.ts).
 *
 * The set-up operations are public only while no account exists (and, over HTTP, only from this PC); once the
 * first manager exists they are a manager's, and completeSetup is refused.
 *
 * The desk group (ADR 0011) is chosen in the set-up too: started here (completeSetup's startGroup, once the
 * accounts exist), or joined (joinGroupInSetup): a joining desk takes the practice, its settings, the accounts and
 * the day from the coordinator, so it asks nothing else.
 */
import { z } from 'zod';
import { DisplayName, NewSecret, SessionInfo, Username } from './auth';
import { DeskName, PairingCode } from './group';
import type { OperationEntry } from './policy';

export const OdsCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,10}$/, 'an ODS code is 3 to 10 letters and digits (A12345)');
export const FolderPath = z.string().trim().min(1, 'give a folder').max(500);
export const FhirUrl = z.url({ protocol: /^https?$/, error: 'a web address starting http:// or https://' }).max(500);
const FhirToken = z.string().trim().min(1).max(4000);

/** What a watched folder is given (upkeep-settings.json's "watch.feed" says the same). */
export const WATCH_FEEDS = ['export', 'emis-extract', 'systmone-extract'] as const;
export const WatchFeed = z.enum(WATCH_FEEDS);
export type WatchFeed = z.infer<typeof WatchFeed>;

export const BookSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fhir'), url: FhirUrl, everyMinutes: z.number().int().min(1).max(60) }),
  /**
   * feed: what the folder is given. "export": report CSVs, Vision's appointments backup (CSV) or FHIR JSON, the
   * newest file read; an EMIS or SystmOne extract: the newest zip (extract sets are delivered zipped). Settings
   * saved before there was a choice are "export".
   */
  z.strictObject({ kind: z.literal('watch'), dir: FolderPath, feed: WatchFeed.default('export') }),
  /** Imports by hand (`standby-desk import`) until one is chosen. */
  z.strictObject({ kind: z.literal('none') }),
]);
export type BookSource = z.infer<typeof BookSource>;

/** What the set-up and the settings screen save: everything but the token and the accounts. */
export const PracticeSettings = z.strictObject({
  practice: z.strictObject({ name: z.string().trim().min(1, 'give the practice name').max(200), odsCode: OdsCode }),
  book: BookSource,
  /** null: no outage pack written by this desk (readiness says so). */
  pack: z.strictObject({ dir: FolderPath, days: z.union([z.literal(1), z.literal(2)]) }).nullable(),
  /** null: the default, a folder inside the data folder (readiness says it is not off this disk). */
  backup: z.strictObject({ dir: FolderPath, everyMinutes: z.number().int().min(1).max(1440) }).nullable(),
});
export type PracticeSettings = z.infer<typeof PracticeSettings>;

export const SETTING_FIELDS = [
  'practice.name',
  'practice.odsCode',
  'fhir.url',
  'fhir.token',
  'fhir.everyMinutes',
  'watch.dir',
  'watch.feed',
  'pack.dir',
  'pack.days',
  'backup.dir',
  'backup.everyMinutes',
] as const;
export const SettingField = z.enum(SETTING_FIELDS);
export type SettingField = z.infer<typeof SettingField>;

/** One value in force: where it came from. A file's value wins, and the screen shows it read-only. */
export const SettingInForce = z.object({
  field: SettingField,
  /** Shown as it is; for the token only ever "a token is kept" (it is never sent). null: not set. */
  value: z.string().nullable(),
  source: z.enum(['file', 'screen', 'default']),
  /** The file's name when source is "file". */
  file: z.string().nullable(),
});
export type SettingInForce = z.infer<typeof SettingInForce>;

export const PracticeSettingsView = z.object({
  /** What was saved on screen; null before set-up. */
  saved: PracticeSettings.nullable(),
  /** Whether a FHIR token is kept in the database (never the token itself). */
  tokenKept: z.boolean(),
  inForce: z.array(SettingInForce),
  /** The files' own problems (a field that does not fit), one line each. */
  problems: z.array(z.string()),
});
export type PracticeSettingsView = z.infer<typeof PracticeSettingsView>;

export const FolderCheck = z.object({
  folder: z.string(),
  exists: z.boolean(),
  writable: z.boolean(),
  /** What a person reads: found and writable, or what is wrong and what to do. */
  message: z.string(),
});
export type FolderCheck = z.infer<typeof FolderCheck>;

export const FhirConnectionTest = z.discriminatedUnion('state', [
  z.object({ state: z.literal('running') }),
  z.object({
    state: z.literal('found'),
    practice: z.object({ name: z.string(), odsCode: z.string().nullable() }).nullable(),
    clinicians: z.number().int().nonnegative(),
    appointmentsToday: z.number().int().nonnegative(),
    date: z.string(),
  }),
  z.object({ state: z.literal('failed'), message: z.string() }),
]);
export type FhirConnectionTest = z.infer<typeof FhirConnectionTest>;

/** Where another desk reaches a coordinator's group link: host:port (as `standby-desk group join` takes it). */
export const GroupAddress = z
  .string()
  .trim()
  .max(300)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "the coordinator's address as HOST:PORT (for example 192.168.1.20:4781)");

/**
 * The set-up's desk group, as the screen follows it (making the certificate and copying the day take a while):
 * none chosen, under way, the group started here (with the code the second PC joins with), joined, or why not.
 */
export const GroupSetupProgress = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('running'), action: z.enum(['start', 'join']) }),
  z.object({
    state: z.literal('started'),
    groupName: z.string(),
    deskName: z.string(),
    pairing: PairingCode,
    /** Where this desk's group link listens (bound host:port) once it does; null until then. */
    listening: z.string().nullable(),
  }),
  z.object({ state: z.literal('joined'), groupName: z.string(), deskName: z.string(), coordinator: z.string(), seq: z.number().int().nonnegative() }),
  z.object({ state: z.literal('failed'), action: z.enum(['start', 'join']), message: z.string() }),
]);
export type GroupSetupProgress = z.infer<typeof GroupSetupProgress>;

const FirstAccount = z.strictObject({ username: Username, displayName: DisplayName, secret: NewSecret });

/** Public (no session): each refuses once an account exists unless a manager asks (electron/desk/setup.ts). */
const SETUP_POLICY = { role: 'public', reads: true, display: false, room: false, session: false, runsIn: 'desk', standalone: true, thisDesk: true } as const;

export const SETUP_CONTRACT = {
  /** Whether a folder is there and can be written, by writing and removing a small file. Never creates it. */
  checkFolder: {
    input: z.strictObject({ dir: FolderPath, purpose: z.enum(['pack', 'backup', 'watch']) }),
    output: FolderCheck,
    policy: SETUP_POLICY,
  },
  /** Starts reading today's book from a FHIR server, without keeping it; getFhirConnectionTest says what was found. */
  testFhirConnection: {
    /** No token: the one kept, if any (the settings screen). */
    input: z.strictObject({ url: FhirUrl, token: FhirToken.optional(), odsCode: OdsCode.optional() }),
    output: z.object({ testId: z.string() }),
    policy: SETUP_POLICY,
  },
  getFhirConnectionTest: {
    input: z.strictObject({ testId: z.string().min(1).max(64) }),
    output: FhirConnectionTest,
    policy: SETUP_POLICY,
  },
  /**
   * First run only: the settings, the first manager (signed in) and optionally a receptionist, in one go; with
   * startGroup, this desk then becomes the coordinator of a new desk group (getGroupSetup follows it).
   */
  completeSetup: {
    input: z.strictObject({
      settings: PracticeSettings,
      fhirToken: FhirToken.optional(),
      manager: FirstAccount,
      receptionist: FirstAccount.optional(),
      startGroup: z.strictObject({ deskName: DeskName }).optional(),
    }),
    output: SessionInfo,
    policy: { role: 'public', reads: false, display: false, room: false, session: false, runsIn: 'desk', standalone: true },
  },
  /**
   * First run only, instead of completeSetup: pairs this empty data folder with the coordinator at `address` using
   * the code it shows, and copies the practice, the accounts and the day (getGroupSetup follows it). A wrong code or
   * an unreachable coordinator stores nothing.
   */
  joinGroupInSetup: {
    input: z.strictObject({ address: GroupAddress, code: z.string().trim().min(4).max(20), deskName: DeskName }),
    output: GroupSetupProgress,
    policy: { role: 'public', reads: false, display: false, room: false, session: false, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /** How the set-up's desk group is getting on (started here, or joined). */
  getGroupSetup: {
    input: z.strictObject({}),
    output: GroupSetupProgress,
    policy: SETUP_POLICY,
  },
  getSettings: {
    input: z.strictObject({}),
    output: PracticeSettingsView,
    policy: { role: 'manager', reads: true, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
  /** Audited ('settings-changed', never the token); upkeep restarts with the values in force. fhirToken null removes it. */
  saveSettings: {
    input: z.strictObject({ settings: PracticeSettings, fhirToken: FhirToken.nullable().optional() }),
    output: PracticeSettingsView,
    policy: { role: 'manager', reads: false, display: false, room: false, session: true, runsIn: 'desk', standalone: true, thisDesk: true },
  },
} as const satisfies Record<string, OperationEntry>;
