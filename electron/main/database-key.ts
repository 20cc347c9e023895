/**
 * The installed app's database key, protected by the OS: kept beside the data folder encrypted with Electron
 * safeStorage (DPAPI on Windows, the keychain on macOS, libsecret on Linux), so another Windows account, or a
 * copy of the disk, cannot read it. Handed to the desk process as STANDBY_DESK_KEY (store/key.ts), never written
 * in the clear. Where safeStorage is not available (a Linux PC without a keyring) the plain 0600 key file is used
 * instead, and main logs that it did.
 */
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';
import { createFileDurableSync } from '../desk/durable-files';
import { keyFileFor, newDatabaseKey, protectedKeyFileFor, resolveDatabaseKey } from '../desk/store/key';

export function appDatabaseKey(dataDir: string, warn: (message: string) => void): string {
  const file = protectedKeyFileFor(dataDir);
  if (fs.existsSync(file)) return safeStorage.decryptString(fs.readFileSync(file));
  if (!safeStorage.isEncryptionAvailable()) {
    warn('OS key protection (safeStorage) is not available: the database key is kept in a file readable only by this user');
    return resolveDatabaseKey(dataDir, { create: true, env: {} });
  }
  // A key file the CLI made earlier is taken over, so the data it guards stays readable.
  const plain = keyFileFor(dataDir);
  const key = fs.existsSync(plain) ? resolveDatabaseKey(dataDir, { env: {} }) : newDatabaseKey();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  createFileDurableSync(file, safeStorage.encryptString(key));
  return key;
}
