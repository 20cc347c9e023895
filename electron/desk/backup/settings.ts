/**
 * Where backups go, how often, how many: backup-settings.json in the data folder, which practice IT edits.
 */
import path from 'node:path';
import { z } from 'zod';
import { readSettingsFile } from '../settings-file';

export const DEFAULT_BACKUP_EVERY_MINUTES = 15;
export const DEFAULT_BACKUP_KEEP = 10;
export const BACKUP_FOLDER = 'backups';
/** Optional, in the data folder: where backups go, how often, how many. Practice IT edits it. */
export const BACKUP_SETTINGS_FILE = 'backup-settings.json';

export interface BackupSettings {
  dir: string;
  everyMinutes: number;
  keep: number;
}

const SettingsFile = z.strictObject({
  dir: z.string().min(1).optional(),
  everyMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
  keep: z.number().int().min(1).max(1000).optional(),
});

export function defaultBackupSettings(dataDir: string): BackupSettings {
  return { dir: path.join(dataDir, BACKUP_FOLDER), everyMinutes: DEFAULT_BACKUP_EVERY_MINUTES, keep: DEFAULT_BACKUP_KEEP };
}

/**
 * The settings in force for a data folder. A missing file means the defaults; a broken one also means the
 * defaults, with the problem said, because a typo by IT must not stop the desk (or its backups) from starting.
 * A relative `dir` is taken from the data folder.
 */
export function readBackupSettings(dataDir: string): { settings: BackupSettings; problem: string | null } {
  const defaults = defaultBackupSettings(dataDir);
  const read = readSettingsFile(path.join(dataDir, BACKUP_SETTINGS_FILE), SettingsFile);
  if (read.kind === 'absent') return { settings: defaults, problem: null };
  if (read.kind === 'problem') return { settings: defaults, problem: `${read.message}; using the defaults` };
  const s = read.value;
  return {
    settings: {
      dir: s.dir === undefined ? defaults.dir : path.resolve(dataDir, s.dir),
      everyMinutes: s.everyMinutes ?? defaults.everyMinutes,
      keep: s.keep ?? defaults.keep,
    },
    problem: null,
  };
}
