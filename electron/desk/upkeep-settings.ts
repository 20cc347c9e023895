/**
 * What the installed app keeps fresh by itself, from `upkeep-settings.json` in the data folder (practice IT writes
 * it, as it does backup-settings.json): which FHIR server to pull from and how often, which folder an export job
 * drops files into, and where the outage pack goes. `serve` takes the same things as flags.
 *
 *   {
 *     "fhir": { "url": "https://gp-system.example/fhir/R4", "token": "…", "everyMinutes": 5, "days": 4, "ods": "A12345", "timeoutSeconds": 20, "pageSize": 100, "listEveryHours": 24 },
 *     "watch": { "dir": "\\\\server\\exports\\standby", "feed": "export", "mapping": "emis-mapping.json" },
 *     "pack": { "dir": "E:\\OutagePack", "days": 2, "keep": 5 }
 *   }
 *
 * Each part is optional and stands alone: a part that is wrong is left off with one line saying why, and the
 * rest still runs (a mistyped pack folder must not stop the pulls). Relative paths are from the data folder.
 *
 * "watch.feed" is what the folder is given: "export" (the default: CSV or FHIR JSON files, the newest read), or
 * "emis-extract" / "systmone-extract" (the newest zip, read as `standby-desk import --format` reads it).
 *
 * "watch.mapping" is a CSV mapping file (docs/csv-import.md). Without one the watched folder reads CSV files with the
 * mapping a manager saved on screen (actions/feed-mapping.ts), else the default; with one, the file wins.
 *
 * The "fhir" part is the app's upstream settings (upstream/settings.ts): its scheduled pulls and its merge-back
 * both use them. Without a "token" the token is $STANDBY_DESK_FHIR_TOKEN's, if that is set.
 *
 * The settings saved on screen (practice-settings.ts, in the database) come under the file: each field the file
 * gives wins over the saved one, and `sources` says which fields came from the file, for the settings screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WatchFeed } from '../../shared/api';
import { readSettingsFile } from './settings-file';
import type { UpkeepParts } from './practice-settings';
import { DEFAULT_PULL_DAYS, DEFAULT_PULL_EVERY_MS, type ScheduledPullSettings } from './upstream/scheduler';
import { MappingError, parseMappingFile, type ResolvedMapping } from './upstream';
import { MIN_PAGE_SIZE } from './upstream/fhir/client';
import { upstreamSettingsOf } from './upstream/settings';

export const UPKEEP_SETTINGS_FILE = 'upkeep-settings.json';

const FhirPart = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** The bearer token, if the server wants one. The file is as private as the data folder it sits in. */
  token: z.string().min(1).optional(),
  everyMinutes: z.number().int().min(1).max(60).optional(),
  days: z.number().int().min(1).max(14).optional(),
  ods: z
    .string()
    .regex(/^[A-Z0-9]{3,10}$/, 'an ODS code is 3-10 capital letters and digits')
    .optional(),
  timeoutSeconds: z.number().int().min(1).max(300).optional(),
  /** Appointments asked for per search page (default 100); the desk pages smaller by itself if the server refuses. */
  pageSize: z.number().int().min(MIN_PAGE_SIZE).max(1000).optional(),
  /** Hours between the scheduled pulls that also read the practice list (needs "ods"; default 24; 0: never). */
  listEveryHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 7)
    .optional(),
});
/** feed: as on screen (shared/api/setup.ts WatchFeed); an extract feed takes no CSV mapping. */
const WatchPart = z
  .strictObject({ dir: z.string().min(1), feed: WatchFeed.optional(), mapping: z.string().min(1).optional() })
  .refine((w) => w.mapping === undefined || w.feed === undefined || w.feed === 'export', {
    message: 'a mapping is for CSV exports; an extract is read by its published column names',
    path: ['mapping'],
  });
const PackPart = z.strictObject({
  dir: z.string().min(1),
  /** 1: today; 2: today and the next working day. */
  days: z.union([z.literal(1), z.literal(2)]).optional(),
  keep: z.number().int().min(1).max(100).optional(),
});
/** Each part checked on its own, so one bad part does not take the others with it. */
const SettingsFile = z.strictObject({ fhir: z.unknown().optional(), watch: z.unknown().optional(), pack: z.unknown().optional() });

/** What upkeep.ts's startUpkeep takes for its pulls, watched folder and pack (its UpkeepOptions has these). */
export interface UpkeepSettings {
  fhir?: (ScheduledPullSettings & { everyMs?: number }) | undefined;
  watch?: { folder: string; feed: WatchFeed; mapping?: ResolvedMapping; mappingFile?: string } | undefined;
  pack?: { folder: string; days: number; keep?: number } | undefined;
}

/** "fhir.url" and the like: the fields whose value the file gave, over what was saved on screen. */
export type UpkeepSources = Record<string, 'file' | 'screen'>;

/**
 * The upkeep a data folder asks for: the file's fields over the ones saved on screen (`stored`), a line for each
 * part left off, and where each field came from. No file and nothing saved: nothing to keep fresh.
 */
export function readUpkeepSettings(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  stored: UpkeepParts = {},
): { settings: UpkeepSettings; problems: string[]; sources: UpkeepSources } {
  const file = path.join(dataDir, UPKEEP_SETTINGS_FILE);
  const fromFile = readSettingsFile(file, SettingsFile);
  const sources: UpkeepSources = {};
  if (fromFile.kind === 'problem') return { settings: {}, problems: [`${fromFile.message}; nothing is pulled, watched or packed automatically`], sources };
  const fileParts = fromFile.kind === 'read' ? fromFile.value : {};
  const read = {
    value: {
      fhir: over('fhir', fileParts.fhir, stored.fhir, sources),
      watch: over('watch', fileParts.watch, stored.watch, sources),
      pack: over('pack', fileParts.pack, stored.pack, sources),
    },
  };
  const problems: string[] = [];
  const part = <T>(name: string, schema: z.ZodType<T>, value: unknown, what: string): T | undefined => {
    if (value === undefined) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    problems.push(`${file}: ${parsed.error.issues.map((i) => [name, ...i.path].join('.') + `: ${i.message}`).join('; ')}; ${what}`);
    return undefined;
  };
  const settings: UpkeepSettings = {};
  const fhir = part('fhir', FhirPart, read.value.fhir, 'not pulling from FHIR');
  if (fhir) {
    settings.fhir = {
      ...upstreamSettingsOf(
        { url: fhir.url, token: fhir.token, timeoutMs: fhir.timeoutSeconds === undefined ? undefined : fhir.timeoutSeconds * 1000, pageSize: fhir.pageSize, odsCode: fhir.ods },
        env,
      ),
      days: fhir.days ?? DEFAULT_PULL_DAYS,
      everyMs: fhir.everyMinutes === undefined ? DEFAULT_PULL_EVERY_MS : fhir.everyMinutes * 60_000,
      ...(fhir.listEveryHours === undefined ? {} : { listEveryHours: fhir.listEveryHours }),
    };
  }
  const watch = part('watch', WatchPart, read.value.watch, 'not watching for exports');
  if (watch) {
    const folder = path.resolve(dataDir, watch.dir);
    try {
      const mapping = watch.mapping === undefined ? undefined : parseMappingFile(fs.readFileSync(path.resolve(dataDir, watch.mapping), 'utf8'), watch.mapping);
      // Without a mapping file here, the watched folder uses the mapping a manager saved on screen, if any.
      settings.watch = { folder, feed: watch.feed ?? 'export', ...(mapping === undefined || watch.mapping === undefined ? {} : { mapping, mappingFile: watch.mapping }) };
    } catch (error) {
      const message = error instanceof MappingError ? error.message : `${watch.mapping ?? ''}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
      problems.push(`${file}: watch.mapping: ${message}; not watching for exports`);
    }
  }
  const pack = part('pack', PackPart, read.value.pack, 'no outage pack is written');
  if (pack) settings.pack = { folder: path.resolve(dataDir, pack.dir), days: pack.days ?? 1, keep: pack.keep ?? 5 };
  return { settings, problems, sources };
}

/** One part: the file's fields over the saved ones (a file part that is not an object is left to fail its schema). */
function over(name: string, file: unknown, saved: Record<string, unknown> | undefined, sources: UpkeepSources): unknown {
  const fileObject = typeof file === 'object' && file !== null && !Array.isArray(file) ? (file as Record<string, unknown>) : null;
  if (file !== undefined && fileObject === null) return file;
  for (const key of Object.keys(saved ?? {})) sources[`${name}.${key}`] = 'screen';
  for (const key of Object.keys(fileObject ?? {})) sources[`${name}.${key}`] = 'file';
  if (fileObject === null && saved === undefined) return undefined;
  return { ...saved, ...fileObject };
}
