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

/** Where each value came from: the file, the settings saved on screen (`stored`), or the default. */
export type BackupSources = Record<keyof BackupSettings, 'file' | 'screen' | 'default'>;

/**
 * The settings in force for a data folder: the file's values over those saved on screen (practice-settings.ts),
 * over the defaults. A broken file means the saved values and the defaults, with the problem said, because a typo
 * by IT must not stop the desk (or its backups) from starting. A relative `dir` is taken from the data folder.
 */
export function readBackupSettings(
  dataDir: string,
  stored: { dir?: string; everyMinutes?: number } = {},
): { settings: BackupSettings; problem: string | null; sources: BackupSources } {
  const defaults = defaultBackupSettings(dataDir);
  const read = readSettingsFile(path.join(dataDir, BACKUP_SETTINGS_FILE), SettingsFile);
  const file = read.kind === 'read' ? read.value : {};
  const sourceOf = (key: keyof BackupSettings): 'file' | 'screen' | 'default' =>
    file[key] !== undefined ? 'file' : key !== 'keep' && stored[key] !== undefined ? 'screen' : 'default';
  const dir = file.dir ?? stored.dir;
  return {
    settings: {
      dir: dir === undefined ? defaults.dir : path.resolve(dataDir, dir),
      everyMinutes: file.everyMinutes ?? stored.everyMinutes ?? defaults.everyMinutes,
      keep: file.keep ?? defaults.keep,
    },
    problem: read.kind === 'problem' ? `${read.message}; using the defaults` : null,
    sources: { dir: sourceOf('dir'), everyMinutes: sourceOf('everyMinutes'), keep: sourceOf('keep') },
  };
}
