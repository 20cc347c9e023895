/**
 * A bare connection to a desk database file for tests that look underneath the desk (or tamper with it): the
 * same encrypted driver and key as the desk (STANDBY_DESK_KEY, set for every test run in vitest.config.ts).
 */
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openEncrypted } from '../../electron/desk/store/connection';
import { resolveDatabaseKey } from '../../electron/desk/store/key';

export function rawDatabase(file: string, options: { readonly?: boolean; fileMustExist?: boolean } = {}): BetterSqlite3.Database {
  return openEncrypted(file, resolveDatabaseKey(path.dirname(file), { create: true }), options);
}
