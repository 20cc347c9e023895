/**
 * Writing files so that nobody ever sees half of one: write a temporary name in the same folder, flush it to
 * disk, then rename over the real name (a rename within one filesystem is atomic). Flushing the folder too
 * makes the rename itself survive a power cut on Linux; Windows cannot open a folder to flush it, and its
 * rename is already durable once it returns, so that step is best effort.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = tempNameFor(file);
  try {
    await writeDurable(temp, data);
    await fs.promises.rename(temp, file);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  await syncDir(path.dirname(file));
}
