/**
 * Writing files so that nobody ever sees half of one, for everything the desk writes to disk (the outage pack,
 * sheets and worklists, backups, a restore): write a temporary name in the same folder, flush it to disk, then
 * rename over the real name (a rename within one filesystem is atomic). Flushing the folder too makes the rename
 * itself survive a power cut on Linux; Windows cannot open a folder to flush it, and its rename is already durable
 * once it returns, so that step is best effort.
 *
 * On Windows a rename fails with EPERM, EACCES or EBUSY while another program (an antivirus scanner, the search
 * indexer) has just opened the file to look at it; a moment later it succeeds. Every rename here retries that.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
}

export function isTempName(name: string): boolean {
  return /^\..+\.tmp-\d+-[0-9a-f]{8}$/.test(name);
}

/** Writes and flushes a new file (which must not exist). */
export async function writeDurable(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.promises.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a file already written (a backup SQLite wrote by itself, say). */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems (network shares) refuse to flush a directory; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}

export function syncDirSync(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems (network shares) refuse to flush a directory; the rename is still atomic.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** How many times a rename is tried before its error is passed on, and how long the n-th wait is. */
export const RENAME_ATTEMPTS = 5;
const retryDelayMs = (attempt: number) => 50 * attempt;
const TRANSIENT_RENAME_CODES: ReadonlySet<string> = new Set(['EPERM', 'EACCES', 'EBUSY']);

function isTransient(error: unknown, attempt: number): boolean {
  return attempt < RENAME_ATTEMPTS && TRANSIENT_RENAME_CODES.has((error as NodeJS.ErrnoException).code ?? '');
}

/** The file system calls a rename goes through; tests pass a double that fails the way Windows does. */
export interface RenameFs {
  renameSync(from: string, to: string): void;
  rename(from: string, to: string): Promise<void>;
}
const nodeRename: RenameFs = { renameSync: (from, to) => fs.renameSync(from, to), rename: (from, to) => fs.promises.rename(from, to) };

export function renameRetryingSync(from: string, to: string, renameFs: RenameFs = nodeRename): void {
  for (let attempt = 1; ; attempt++) {
    try {
      renameFs.renameSync(from, to);
      return;
    } catch (error) {
      if (!isTransient(error, attempt)) throw error;
      // Synchronous callers (backup, restore) hold no event loop work worth running meanwhile.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, retryDelayMs(attempt));
    }
  }
}

export async function renameRetrying(from: string, to: string, renameFs: RenameFs = nodeRename): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await renameFs.rename(from, to);
      return;
    } catch (error) {
      if (!isTransient(error, attempt)) throw error;
      await sleep(retryDelayMs(attempt));
    }
  }
}

export async function writeFileAtomic(file: string, data: Uint8Array | string, renameFs: RenameFs = nodeRename): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = tempNameFor(file);
  try {
    await writeDurable(temp, data);
    await renameRetrying(temp, file, renameFs);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  await syncDir(path.dirname(file));
}

/**
 * Creates `file` holding `data`, flushed, only if no file has that name yet (EEXIST otherwise): for what must be
 * neither overwritten nor lost, the database key above all. A key lost in a power cut after the database was
 * written with it would leave the database unreadable for ever, and one overwritten by a second process starting
 * at the same moment would do the same to that process's database. Written and flushed under a temporary name, then
 * hard-linked to its name (a link fails, atomically, when the name exists), so nobody ever reads half a key.
 */
export function createFileDurableSync(file: string, data: Uint8Array | string, mode = 0o600): void {
  const temp = tempNameFor(file);
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temp, file);
  } finally {
    removeQuietly(temp);
  }
  syncDirSync(path.dirname(file));
}

/** Best effort: a leftover temporary file is tidied by the next run that looks for stale ones. */
export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Not there, or not ours to remove: either way nothing to do.
  }
}
