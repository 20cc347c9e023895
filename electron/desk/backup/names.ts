/**
 * Backup file names and the folder that holds them. Names carry a UTC timestamp, so they sort by age and do not
 * jump when the clocks change.
 */
import fs from 'node:fs';
import path from 'node:path';

const BACKUP_NAME = /^standby-desk-(\d{8}T\d{6}Z)(?:-(\d+))?\.sqlite$/;

export function utcStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** `standby-desk-20260720T081400Z.sqlite`; a second backup in the same second gets `-2`, then `-3`. */
export function backupFileName(at: Date, taken: ReadonlySet<string> = new Set()): string {
  const stamp = utcStamp(at);
  for (let n = 1; ; n++) {
    const name = `standby-desk-${stamp}${n === 1 ? '' : `-${n}`}.sqlite`;
    if (!taken.has(name)) return name;
  }
}

/** When a backup was taken, from its name; null for anything that is not one of ours. */
export function backupTakenAt(name: string): Date | null {
  const m = BACKUP_NAME.exec(name);
  if (!m?.[1]) return null;
  const s = m[1];
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Newest first: by time, then by the same-second counter. */
function compareNewestFirst(a: string, b: string): number {
  const ma = BACKUP_NAME.exec(a);
  const mb = BACKUP_NAME.exec(b);
  const sa = ma?.[1] ?? '';
  const sb = mb?.[1] ?? '';
  if (sa !== sb) return sa < sb ? 1 : -1;
  return Number(mb?.[2] ?? 1) - Number(ma?.[2] ?? 1);
}

export interface BackupFile {
  name: string;
  file: string;
  takenAt: Date;
  bytes: number;
}

/** The backups in a folder, newest first. A folder that does not exist holds none, as does one under a file. */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file where a folder on the way should be (a drive's mount point left empty, then written to).
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const found: BackupFile[] = [];
  for (const name of names.sort(compareNewestFirst)) {
    const takenAt = backupTakenAt(name);
    if (!takenAt) continue;
    const file = path.join(dir, name);
    try {
      const stat = fs.statSync(file);
      if (stat.isFile()) found.push({ name, file, takenAt, bytes: stat.size });
    } catch {
      // Pruned by another process between readdir and stat: not a backup any more.
    }
  }
  return found;
}
