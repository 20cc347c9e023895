/**
 * A backup restored with the recovery sheet, on a PC that has lost the key (or never had it): the words are
 * checked (recovery words' checksum), the backup is opened with the key they hold, and only then is it put in
 * place (backup/restore.ts) and the key kept for the data folder as the desk keeps it (store/key.ts: the 0600 key
 * file beside the folder). Anything wrong is refused before anything changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { restoreBackup, RestoreRefusedError, type RestoreOptions, type RestoreReport } from '../backup/restore';
import { verifyDatabaseFile } from '../backup/verify';
import { KEY_ENV, keyFileFor, protectedKeyFileFor, resolveDatabaseKey, writeKeyFile } from '../store/key';
import { keyFingerprint, RecoveryWordsError, recoveryWordsToKey } from './words';

/** Where the restore reads the words when they are not typed in: never the command line, which others can see. */
export const RECOVERY_WORDS_ENV = 'STANDBY_DESK_RECOVERY_WORDS';

export interface RecoveryRestoreReport extends RestoreReport {
  /** The fingerprint of the sheet's key, for the person to check against the sheet. */
  keyFingerprint: string;
  /** The key file written for the data folder; null when the folder already had this key. */
  keyFile: string | null;
}

export function restoreWithRecoveryWords(
  dataDir: string,
  backupFile: string,
  words: string,
  options: Omit<RestoreOptions, 'key'> & { env?: NodeJS.ProcessEnv } = {},
): RecoveryRestoreReport {
  const source = path.resolve(backupFile);
  let key: string;
  try {
    key = recoveryWordsToKey(words);
  } catch (error) {
    if (error instanceof RecoveryWordsError) throw new RestoreRefusedError(source, [`the recovery words are wrong: ${error.message}`]);
    throw error;
  }
  const fingerprint = keyFingerprint(key);
  const keptKey = keyAlreadyKept(dataDir, source, key, options.env ?? process.env);
  if (fs.existsSync(source)) {
    const opened = verifyDatabaseFile(source, 'quick', key);
    if (opened.wrongKey) {
      throw new RestoreRefusedError(source, [
        `this sheet's key does not open this backup (sheet fingerprint ${fingerprint}): it was made with another key, so find the sheet printed for that desk`,
      ]);
    }
  }
  const report = restoreBackup(dataDir, source, { ...(options.now ? { now: options.now } : {}), key });
  const keyFile = keptKey ? null : writeKeyFile(dataDir, key);
  return { ...report, keyFingerprint: fingerprint, keyFile };
}

/**
 * Whether the data folder already has the sheet's key (true), has none (false), or has another one: refused, since
 * the restore would leave the folder's database and its key apart, and the key in place may be the only way into
 * the database it would set aside.
 */
function keyAlreadyKept(dataDir: string, source: string, key: string, env: NodeJS.ProcessEnv): boolean {
  const refuse = (problem: string): never => {
    throw new RestoreRefusedError(source, [problem]);
  };
  const fromEnv = env[KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const envKey = resolveDatabaseKey(dataDir, { env });
    if (envKey === key) return true;
    refuse(`${KEY_ENV} is set to another key (fingerprint ${keyFingerprint(envKey)}): unset it to restore with the recovery sheet`);
  }
  const file = keyFileFor(dataDir);
  if (fs.existsSync(file)) {
    const fileKey = resolveDatabaseKey(dataDir, { env: {} });
    if (fileKey === key) return true;
    refuse(
      `this data folder already has another key (fingerprint ${keyFingerprint(fileKey)}) in ${file}: restore into a new data folder (--data), or move that folder and its key file aside first`,
    );
  }
  if (fs.existsSync(protectedKeyFileFor(dataDir))) {
    refuse(
      `the app has already made its own key for this data folder (${protectedKeyFileFor(dataDir)}): restore into a new data folder (--data), or move that folder and its key file aside first`,
    );
  }
  return false;
}
