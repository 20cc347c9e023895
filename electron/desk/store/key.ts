/**
 * The database key. The desk database (and every backup of it) is encrypted with SQLCipher 4's format through
 * SQLite3 Multiple Ciphers, using a random 256-bit raw key (no passphrase, so no KDF cost at each open).
 *
 * Where the key comes from, first found wins:
 *   1. STANDBY_DESK_KEY: 64 hex digits. The installed app sets it for its desk process from a key kept with
 *      Electron safeStorage (the OS keychain / DPAPI), so on a reception PC the key is protected by the OS
 *      account. Headless and CLI use can set it too.
 *   2. A key file beside the data folder (never inside it: a copied data folder or a backup on a USB stick must
 *      not carry its own key): `<parent>/.<folder name>.key`, created with mode 0600 on first use.
 * Losing the key loses the data, by design: keep a copy where the practice keeps its other secrets.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createFileDurableSync } from '../durable-files';

export const KEY_ENV = 'STANDBY_DESK_KEY';
const HEX_KEY = /^[0-9a-f]{64}$/i;

export class DatabaseKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseKeyError';
  }
}

export function keyFileFor(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.key`);
}

/** Where the app keeps the key encrypted with safeStorage (electron/main/database-key.ts), beside the plain key file's place. */
export function protectedKeyFileFor(dataDir: string): string {
  return `${keyFileFor(dataDir)}.safe`;
}

/**
 * Writes a known key as the data folder's key file (a restore with the recovery sheet, desk/recovery), mode 0600.
 * Never over an existing one: that key may be the only way into a database.
 */
export function writeKeyFile(dataDir: string, key: string): string {
  if (!HEX_KEY.test(key)) throw new DatabaseKeyError('a database key is 64 hex digits (a 256-bit key)');
  const file = keyFileFor(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  createFileDurableSync(file, `${key.toLowerCase()}\n`);
  return file;
}

export function newDatabaseKey(): string {
  return randomBytes(32).toString('hex');
}

/**
 * The key for a data folder. With create, a missing key file is made (first run); without, a missing key is an
 * error that says where it was looked for.
 */
export function resolveDatabaseKey(dataDir: string, options: { create?: boolean; env?: NodeJS.ProcessEnv } = {}): string {
  const fromEnv = (options.env ?? process.env)[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!HEX_KEY.test(fromEnv.trim())) throw new DatabaseKeyError(`${KEY_ENV} must be 64 hex digits (a 256-bit key)`);
    return fromEnv.trim().toLowerCase();
  }
  const file = keyFileFor(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DatabaseKeyError(`cannot read the key file ${file}: ${(error as Error).message}`);
    if (!options.create) throw new DatabaseKeyError(`no database key: set ${KEY_ENV} or put the key file at ${file}`);
    const key = newDatabaseKey();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // wx: never overwrite a key another process wrote a moment ago (that would lose its database).
    try {
      createFileDurableSync(file, `${key}\n`);
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code === 'EEXIST') return resolveDatabaseKey(dataDir, { ...options, create: false });
      throw writeError;
    }
    return key;
  }
  if (process.platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o077;
    if (mode !== 0) throw new DatabaseKeyError(`the key file ${file} can be read by other users (mode ${(fs.statSync(file).mode & 0o777).toString(8)}): chmod 600 it`);
  }
  const key = text.trim();
  if (!HEX_KEY.test(key)) throw new DatabaseKeyError(`the key file ${file} does not hold a 64-hex-digit key`);
  return key.toLowerCase();
}
