/**
 * The desk group's replication engine (issue 16, ADR 0011): pure database code, no networking.
 *
 * The coordinator captures every row its transactions write into repl_log (triggers, so no writer can forget it);
 * a member receives either a snapshot of every replicated table or the log's rows after the seq it holds, and
 * applies them in one transaction into its own encrypted copy, copying the log rows too, so a member that takes
 * over carries on the same numbering. Two desks at the same seq hold the same replicated rows (stateDigest).
 *
 * Rows are addressed by rowid: every table is a rowid table (checked in installCapture), and a member inserts each
 * row at the coordinator's rowid, so rowids agree on every desk. Hazard: VACUUM may renumber the rowids of a table
 * without an INTEGER PRIMARY KEY; the desk only ever runs VACUUM INTO (backups), which leaves the source alone.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { Db, sql } from '../store/sql';

/**
 * Tables never replicated. Every other table in sqlite_master is, so a later migration's table replicates without
 * anyone remembering to list it.
 */
export const LOCAL_TABLES: ReadonlySet<string> = new Set([
  // This desk's own place in the group (role, epoch, its credential, the replicated base seq): a member's copy
  // must never claim to be the coordinator.
  'group_local',
  // The log itself: members copy its rows verbatim in applyBatch, not through capture.
  'repl_log',
  // Kept by triggers on upstream_record (migration 7): each desk's own triggers keep it as they apply the
  // coordinator's upstream_record rows, and it only tells that desk's own cache that base records moved.
  'upstream_generation',
  // SQLite's internals (sqlite_sequence, sqlite_stat1...) are SQLite's to keep: replicatedTables skips every
  // sqlite_ name, these are listed for the reader.
  'sqlite_sequence',
  'sqlite_stat1',
  'sqlite_stat4',
]);

const CAPTURE_PREFIX = 'repl_capture_';
const BASE_SEQ_KEY = 'repl.baseSeq';

export type ReplicaValue = string | number | null;

/** One row written on the coordinator, at its place in the log. */
export interface Change {
  seq: number;
  table: string;
  op: 'put' | 'delete';
  rowId: number;
  /** Every column of the row after the write (put); null for a delete. */
  image: Record<string, ReplicaValue> | null;
}

/** The log's rows after afterSeq up to toSeq (the coordinator's newest seq when it was read). */
export interface Batch {
  afterSeq: number;
  toSeq: number;
  changes: Change[];
}

/** Every replicated table at seq; each row's first value is its rowid, then `columns` in order. */
export interface Snapshot {
  seq: number;
  tables: Array<{ name: string; columns: string[]; rows: ReplicaValue[][] }>;
}

/** A batch that does not start at the seq this database holds: applying it would skip or repeat changes. */
export class ReplicaGapError extends Error {
  readonly holds: number;
  readonly batchAfter: number;
  constructor(holds: number, batchAfter: number) {
    super(`this desk holds the group's changes up to ${holds}, but the batch follows ${batchAfter}: nothing was applied`);
    this.name = 'ReplicaGapError';
    this.holds = holds;
    this.batchAfter = batchAfter;
  }
}

/** The snapshot or batch does not fit this database's tables (another schema version): nothing was applied. */
export class ReplicaSchemaError extends Error {
  constructor(detail: string) {
    super(`the group's data does not fit this desk's database (${detail}): nothing was applied`);
    this.name = 'ReplicaSchemaError';
  }
}

const dbs = new WeakMap<BetterSqlite3.Database, Db>();

/** One Db (statement cache) per connection, so the fixed queries here go through the sql tag and stay prepared. */
function wrap(raw: BetterSqlite3.Database): Db {
  let db = dbs.get(raw);
  if (!db) {
    db = new Db(raw);
    dbs.set(raw, db);
  }
  return db;
}

/** Identifiers come from sqlite_master and PRAGMA table_info, never from a person, but are still quoted. */
function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function replicatedTables(raw: BetterSqlite3.Database): string[] {
  const rows = wrap(raw).all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`);
  return rows.map((r) => r.name).filter((name) => !LOCAL_TABLES.has(name) && !name.startsWith('sqlite_'));
}

interface Column {
  name: string;
  type: string;
  pk: number;
}

function columnsOf(raw: BetterSqlite3.Database, table: string): Column[] {
  return wrap(raw).all<Column>(sql`SELECT name, type, pk FROM pragma_table_info(${table}) ORDER BY cid`);
}

/**
 * The images are JSON (json_object), which cannot hold a BLOB. Today every table is STRICT with only TEXT,
 * INTEGER and REAL columns, so no value can be a BLOB; a later table that could hold one (a BLOB or ANY column,
 * or a table that is not STRICT) is refused here, at open, rather than failing a coordinator's write later.
 * Likewise a WITHOUT ROWID table has no rowid to address its rows by.
 */
function checkReplicable(raw: BetterSqlite3.Database, table: string, columns: readonly Column[]): void {
  const listed = wrap(raw).get<{ strict: number; wr: number }>(sql`SELECT strict, wr FROM pragma_table_list WHERE schema = 'main' AND name = ${table}`);
  if (!listed || listed.strict !== 1) throw new ReplicaSchemaError(`table ${table} is not STRICT, so a value could be a BLOB, which the log cannot carry`);
  if (listed.wr !== 0) throw new ReplicaSchemaError(`table ${table} is WITHOUT ROWID, and rows are replicated by rowid`);
  for (const c of columns) {
    if (!['TEXT', 'INTEGER', 'REAL'].includes(c.type.toUpperCase())) {
      throw new ReplicaSchemaError(`column ${table}.${c.name} is ${c.type || 'untyped'}; the log carries only TEXT, INTEGER and REAL`);
    }
  }
}

/**
 * The next log seq, computed in the trigger rather than left to INTEGER PRIMARY KEY: once the log is pruned or
 * replaced by a snapshot, max(seq) alone would start again from an old number.
 */
const NEXT_SEQ = `(coalesce((SELECT max(seq) FROM repl_log), (SELECT CAST(value AS INTEGER) FROM group_local WHERE key = ${literal(BASE_SEQ_KEY)}), 0) + 1)`;

/**
 * (Re)creates the capture triggers on every replicated table from its columns as they are now; called at open, so
 * a later migration's new table or column is picked up. recursive_triggers makes INSERT OR REPLACE's implicit
 * delete of a conflicting row fire the delete trigger too (a connection setting: set here, on the writer).
 * Hazard for the wiring: the triggers name every column, so a later migration's ALTER TABLE DROP COLUMN on a
 * captured table fails while they exist; remove capture before migrating, and install it again after.
 */
export function installCapture(raw: BetterSqlite3.Database): void {
  const tables = replicatedTables(raw).map((table) => {
    const columns = columnsOf(raw, table);
    checkReplicable(raw, table, columns);
    return { table, columns };
  });
  raw.pragma('recursive_triggers = ON');
  raw.transaction(() => {
    removeCaptureIn(raw);
    for (const { table, columns } of tables) {
      const image = `json_object(${columns.map((c) => `${literal(c.name)}, NEW.${ident(c.name)}`).join(', ')})`;
      const name = (op: string): string => ident(`${CAPTURE_PREFIX}${table}_${op}`);
      const put = `INSERT INTO repl_log (seq, tbl, op, row_id, image) VALUES (${NEXT_SEQ}, ${literal(table)}, 'put', NEW.rowid, ${image});`;
      raw.exec(`CREATE TRIGGER ${name('insert')} AFTER INSERT ON ${ident(table)} BEGIN ${put} END;`);
      // An UPDATE that moves a row to another rowid leaves nothing at the old one.
      raw.exec(
        `CREATE TRIGGER ${name('update')} AFTER UPDATE ON ${ident(table)} BEGIN ` +
          `INSERT INTO repl_log (seq, tbl, op, row_id, image) SELECT ${NEXT_SEQ}, ${literal(table)}, 'delete', OLD.rowid, NULL WHERE OLD.rowid IS NOT NEW.rowid; ` +
          `${put} END;`,
      );
      raw.exec(
        `CREATE TRIGGER ${name('delete')} AFTER DELETE ON ${ident(table)} BEGIN ` +
          `INSERT INTO repl_log (seq, tbl, op, row_id, image) VALUES (${NEXT_SEQ}, ${literal(table)}, 'delete', OLD.rowid, NULL); END;`,
      );
    }
  })();
}

function captureTriggers(raw: BetterSqlite3.Database): string[] {
  const rows = wrap(raw).all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'trigger' AND substr(name, 1, ${CAPTURE_PREFIX.length}) = ${CAPTURE_PREFIX}`);
  return rows.map((r) => r.name);
}

function removeCaptureIn(raw: BetterSqlite3.Database): void {
  for (const name of captureTriggers(raw)) raw.exec(`DROP TRIGGER ${ident(name)}`);
}

/** A member, or a coordinator handing over: its writes stop going into the log. */
export function removeCapture(raw: BetterSqlite3.Database): void {
  raw.transaction(() => removeCaptureIn(raw))();
}

export function isCapturing(raw: BetterSqlite3.Database): boolean {
  return captureTriggers(raw).length > 0;
}

function baseSeq(db: Db): number {
  const value = db.get<{ value: string }>(sql`SELECT value FROM group_local WHERE key = ${BASE_SEQ_KEY}`)?.value;
  return value === undefined ? 0 : Number(value);
}

function setBaseSeq(db: Db, seq: number): void {
  db.run(sql`INSERT INTO group_local (key, value) VALUES (${BASE_SEQ_KEY}, ${String(seq)}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
}

/** The seq of the newest change this database holds: its newest log row, or the snapshot/prune base if later. */
export function replicatedSeq(raw: BetterSqlite3.Database): number {
  const db = wrap(raw);
  const newest = db.get<{ seq: number | null }>(sql`SELECT max(seq) AS seq FROM repl_log`)?.seq ?? 0;
  return Math.max(newest, baseSeq(db));
}

/** How many changes follow afterSeq: the coordinator sends a snapshot instead when a member is this far behind. */
export function changesSince(raw: BetterSqlite3.Database, afterSeq: number): number {
  return wrap(raw).get<{ n: number }>(sql`SELECT count(*) AS n FROM repl_log WHERE seq > ${afterSeq}`)?.n ?? 0;
}

interface LogRow {
  seq: number;
  tbl: string;
  op: string;
  row_id: number;
  image: string | null;
}

/**
 * Every change after afterSeq, up to the newest; null when there is none.
 *
 * Never cut short: a batch is applied atomically, but a cut inside one coordinator transaction would give the
 * member a state the coordinator never held, and the log has no record of where transactions end (SQLite has no
 * commit trigger, and better-sqlite3 exposes no commit hook). One SELECT reads one committed state (WAL), so the
 * batch always ends at a commit. The coordinator ships after each committed transaction, so batches stay one
 * transaction long; a member far behind gets a snapshot instead (changesSince says how far).
 */
export function batchSince(raw: BetterSqlite3.Database, afterSeq: number): Batch | null {
  const rows = wrap(raw).all<LogRow>(sql`SELECT seq, tbl, op, row_id, image FROM repl_log WHERE seq > ${afterSeq} ORDER BY seq`);
  const last = rows[rows.length - 1];
  if (!last) return null;
  return { afterSeq, toSeq: last.seq, changes: rows.map(toChange) };
}

function toChange(row: LogRow): Change {
  if (row.op !== 'put' && row.op !== 'delete') throw new Error(`repl_log ${row.seq} has op ${row.op}`);
  return {
    seq: row.seq,
    table: row.tbl,
    op: row.op,
    rowId: row.row_id,
    image: row.image === null ? null : (JSON.parse(row.image) as Record<string, ReplicaValue>),
  };
}

/**
 * Whether the log still holds every change after afterSeq, for a member that holds the state at afterSeq. A new
 * member holds no such state and always starts from a snapshot. False also for a member ahead of this desk
 * (afterSeq beyond its newest seq): that member holds changes this desk does not, which is for review, not a batch.
 */
export function canServeFrom(raw: BetterSqlite3.Database, afterSeq: number): boolean {
  return afterSeq >= baseSeq(wrap(raw)) && afterSeq <= replicatedSeq(raw);
}

function refuseWhileCapturing(raw: BetterSqlite3.Database): void {
  // A capturing desk would log the applied rows a second time, at new seqs.
  if (isCapturing(raw)) throw new Error('this desk is capturing its own changes (a coordinator): it cannot apply the group log');
}

/**
 * Applies a batch in one transaction (BEGIN IMMEDIATE) on a member (no capture triggers), in seq order, and copies
 * its log rows. A put updates the row at its rowid, or inserts it there: never INSERT OR REPLACE, whose implicit
 * delete would cascade to children. The rows arrive in the order the coordinator wrote them, so the guard triggers
 * (journal and audit append-only, the purge mark) see the same sequence and pass; foreign keys are checked at
 * commit, as one coordinator statement may have written parent and child in either order.
 */
export function applyBatch(raw: BetterSqlite3.Database, batch: Batch): number {
  refuseWhileCapturing(raw);
  const db = wrap(raw);
  const tables = new Set(replicatedTables(raw));
  return db.transaction(() => {
    const holds = replicatedSeq(raw);
    if (batch.afterSeq !== holds) throw new ReplicaGapError(holds, batch.afterSeq);
    raw.pragma('defer_foreign_keys = ON');
    let previous = batch.afterSeq;
    for (const change of batch.changes) {
      // The log has no holes (seqs are given one after another, and pruning only takes the oldest), so neither may a batch.
      if (change.seq !== previous + 1) throw new ReplicaGapError(previous, change.seq - 1);
      if (!tables.has(change.table)) throw new ReplicaSchemaError(`no replicated table ${change.table}`);
      previous = change.seq;
      if (change.op === 'delete') {
        db.prepare(`DELETE FROM ${ident(change.table)} WHERE rowid = ?`).run(change.rowId);
      } else {
        if (change.image === null) throw new ReplicaSchemaError(`put ${change.seq} has no image`);
        putRow(db, change.table, change.rowId, change.image);
      }
      db.run(
        sql`INSERT INTO repl_log (seq, tbl, op, row_id, image) VALUES (${change.seq}, ${change.table}, ${change.op}, ${change.rowId}, ${change.image === null ? null : JSON.stringify(change.image)})`,
      );
    }
    if (previous !== batch.toSeq) throw new ReplicaSchemaError(`the batch says it ends at ${batch.toSeq} but its last change is ${previous}`);
    return batch.changes.length;
  });
}

function putRow(db: Db, table: string, rowId: number, image: Record<string, ReplicaValue>): void {
  const names = Object.keys(image);
  const values = names.map((n) => image[n] ?? null);
  const updated = db.prepare(`UPDATE ${ident(table)} SET ${names.map((n) => `${ident(n)} = ?`).join(', ')} WHERE rowid = ?`).run(...values, rowId);
  if (updated.changes > 0) return;
  db.prepare(`INSERT INTO ${ident(table)} (rowid, ${names.map(ident).join(', ')}) VALUES (?, ${names.map(() => '?').join(', ')})`).run(rowId, ...values);
}

/** Every replicated table as of one committed state, and the seq of that state. */
export function takeSnapshot(raw: BetterSqlite3.Database): Snapshot {
  return raw.transaction(() => {
    const seq = replicatedSeq(raw);
    const tables = replicatedTables(raw).map((name) => {
      const columns = columnsOf(raw, name).map((c) => c.name);
      const rows = raw
        .prepare(`SELECT rowid, ${columns.map(ident).join(', ')} FROM ${ident(name)} ORDER BY rowid`)
        .raw()
        .all() as ReplicaValue[][];
      return { name, columns, rows };
    });
    return { seq, tables };
  })();
}

interface TriggerRow {
  name: string;
  sql: string;
}

/** BEFORE (and INSTEAD OF) triggers: the guards that refuse or ignore a delete. AFTER triggers keep running. */
function isGuard(trigger: TriggerRow): boolean {
  const timing = /^\s*CREATE\s+(?:TEMP\s+|TEMPORARY\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"(?:[^"]|"")+"|\S+)\s+(BEFORE|AFTER|INSTEAD\s+OF)?/i.exec(trigger.sql);
  return timing?.[1]?.toUpperCase() !== 'AFTER';
}

/**
 * Replaces every replicated table with the snapshot's rows, in one transaction: a member's first copy, or one far
 * behind. The guards (journal and audit append-only, a desk-registered patient kept) would refuse emptying the
 * tables, so they are dropped and recreated from their own SQL inside the transaction: no moment exists, even
 * after a crash, where the database holds the data without them. The log is cleared and the snapshot's seq
 * recorded as the base this desk holds.
 */
export function applySnapshot(raw: BetterSqlite3.Database, snap: Snapshot): void {
  refuseWhileCapturing(raw);
  const db = wrap(raw);
  db.transaction(() => {
    const tables = replicatedTables(raw);
    const given = snap.tables.map((t) => t.name).sort();
    if (given.join('\n') !== tables.join('\n')) throw new ReplicaSchemaError(`tables ${given.join(', ')}; this desk has ${tables.join(', ')}`);
    raw.pragma('defer_foreign_keys = ON');
    const triggers = tables.flatMap((table) => db.all<TriggerRow>(sql`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ${table} ORDER BY name`));
    const guards = triggers.filter(isGuard);
    for (const guard of guards) raw.exec(`DROP TRIGGER ${ident(guard.name)}`);
    for (const table of tables) raw.exec(`DELETE FROM ${ident(table)}`);
    for (const table of snap.tables) {
      const columns = columnsOf(raw, table.name).map((c) => c.name);
      if (columns.join('\n') !== table.columns.join('\n')) throw new ReplicaSchemaError(`table ${table.name} has columns ${table.columns.join(', ')}; here ${columns.join(', ')}`);
      const insert = raw.prepare(`INSERT INTO ${ident(table.name)} (rowid, ${columns.map(ident).join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`);
      for (const row of table.rows) {
        if (row.length !== columns.length + 1) throw new ReplicaSchemaError(`a row of ${table.name} has ${row.length} values`);
        insert.run(...row);
      }
    }
    for (const guard of guards) raw.exec(guard.sql);
    // An AUTOINCREMENT table's counter (audit) follows the rows now held, not what this desk held before.
    const counters = db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`);
    if (counters.length > 0) {
      for (const table of tables) {
        const max = raw.prepare(`SELECT coalesce(max(rowid), 0) AS n FROM ${ident(table)}`).get() as { n: number };
        db.run(sql`UPDATE sqlite_sequence SET seq = ${max.n} WHERE name = ${table}`);
      }
    }
    db.run(sql`DELETE FROM repl_log`);
    setBaseSeq(db, snap.seq);
  });
}

/**
 * SHA-256 over every replicated table (by name; rows by rowid; every column with its rowid), with the seq it is
 * at, read in one transaction: two desks at the same seq must give the same digest.
 */
export function stateDigest(raw: BetterSqlite3.Database): { seq: number; digest: string } {
  return raw.transaction(() => {
    const hash = createHash('sha256');
    for (const table of replicatedTables(raw)) {
      const columns = columnsOf(raw, table).map((c) => c.name);
      hash.update(JSON.stringify([table, columns]));
      hash.update('\n');
      const rows = raw
        .prepare(`SELECT rowid, ${columns.map(ident).join(', ')} FROM ${ident(table)} ORDER BY rowid`)
        .raw()
        .iterate() as IterableIterator<ReplicaValue[]>;
      for (const row of rows) {
        hash.update(JSON.stringify(row));
        hash.update('\n');
      }
    }
    return { seq: replicatedSeq(raw), digest: hash.digest('hex') };
  })();
}

/**
 * Forgets the log up to throughSeq (every member holds it, or will get a snapshot), remembering it as the base so
 * replicatedSeq stays where it was and canServeFrom refuses anything older.
 */
export function pruneLog(raw: BetterSqlite3.Database, throughSeq: number): void {
  const db = wrap(raw);
  db.transaction(() => {
    const through = Math.min(throughSeq, replicatedSeq(raw));
    if (through <= baseSeq(db)) return;
    db.run(sql`DELETE FROM repl_log WHERE seq <= ${through}`);
    setBaseSeq(db, through);
  });
}
