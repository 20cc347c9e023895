/**
 * The drill's sandbox: a consistent copy of the desk's database (VACUUM INTO, as a backup is taken) in
 * `<data folder>/drill/`, with the live database's key, opened as a desk of its own. Deleted when the drill ends,
 * and when a desk that serves screens opens and finds one left by a drill the desk stopped during.
 */
import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { makeSelfContained } from '../backup/verify';
import { removeQuietly } from '../durable-files';
import { DATABASE_FILE, keyOf, openDatabase } from '../store/connection';
import { Db, sql } from '../store/sql';

export const DRILL_DIR = 'drill';
/** When the drill this copy is the sandbox of started: never in a real desk's database (DeskService.mirrorInfo reads it). */
export const DRILL_META = 'drill.startedAt';

export function sandboxDir(dataDir: string): string {
  return path.join(dataDir, DRILL_DIR);
}

/** Copies the live database into a new sandbox and opens it; marks it as the drill's. */
export function openSandbox(live: BetterSqlite3.Database, dataDir: string, startedAt: string): Db {
  removeSandbox(dataDir);
  const dir = sandboxDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, DATABASE_FILE);
  const key = keyOf(live);
  try {
    live.prepare('VACUUM INTO ?').run(file);
    makeSelfContained(file, key);
    const db = new Db(openDatabase(file, { key }));
    db.run(sql`INSERT INTO meta (key, value) VALUES (${DRILL_META}, ${startedAt}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    // Only the sandbox holds this key: what makes its mirror say DRILL (MirrorInfo.drill), on screen and on paper.
    return db;
  } catch (error) {
    removeSandbox(dataDir);
    throw error;
  }
}

/** Deletes the sandbox and everything SQLite kept beside it; nothing when there is none. */
export function removeSandbox(dataDir: string): void {
  const dir = sandboxDir(dataDir);
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) removeQuietly(path.join(dir, name));
  fs.rmSync(dir, { recursive: true, force: true });
}

export function sandboxExists(dataDir: string): boolean {
  return fs.existsSync(sandboxDir(dataDir));
}
