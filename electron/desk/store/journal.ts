/**
 * The journal: the truth about what the desk did. Append-only (triggers refuse UPDATE/DELETE) and
 * hash-chained: each entry's hash covers its content and the previous entry's hash, so a lost, altered or
 * reordered entry shows when the chain is verified.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { JournalEntry } from '../../../shared/api';
import { sql, type Db } from './sql';

export const GENESIS_HASH = '0'.repeat(64);
/**
 * Where the chain starts once retention has purged its oldest entries (migration 0005): the hash of the last
 * entry purged. Without it the first entry kept would look as if something before it had been lost.
 */
export const ANCHOR_META_KEY = 'journal.anchorHash';

export interface JournalAppend {
  at: string;
  user: string;
  desk: string;
  op: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  baseVersion: string | null;
}

interface JournalRow {
  seq: number;
  id: string;
  at: string;
  user: string;
  desk: string;
  op: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  base_version: string | null;
  prev_hash: string;
  hash: string;
}

/** JSON with keys sorted at every level: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

function entryHash(prevHash: string, id: string, e: JournalAppend): string {
  const content = canonicalJson({
    id,
    at: e.at,
    user: e.user,
    desk: e.desk,
    op: e.op,
    entity: e.entity,
    entityId: e.entityId,
    before: e.before ?? null,
    after: e.after ?? null,
    baseVersion: e.baseVersion,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export class Journal {
  /** Called inside the append's transaction (the audit trail records every entry in the same commit). */
  private readonly appendHooks: Array<(entry: JournalAppend & { seq: number; id: string }) => void> = [];

  constructor(private readonly db: Db) {}

  onAppend(hook: (entry: JournalAppend & { seq: number; id: string }) => void): void {
    this.appendHooks.push(hook);
  }

  /** Must run inside the caller's transaction, with the change it records. */
  append(e: JournalAppend): JournalEntry {
    const last = this.db.get<{ seq: number; hash: string }>(sql`SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1`);
    const prevHash = last?.hash ?? this.anchor();
    const id = randomUUID();
    const hash = entryHash(prevHash, id, e);
    const before = e.before === undefined ? null : canonicalJson(e.before);
    const after = e.after === undefined ? null : canonicalJson(e.after);
    const result = this.db.run(sql`
      INSERT INTO journal (id, at, user, desk, op, entity, entity_id, before, after, base_version, prev_hash, hash)
      VALUES (${id}, ${e.at}, ${e.user}, ${e.desk}, ${e.op}, ${e.entity}, ${e.entityId}, ${before}, ${after},
              ${e.baseVersion}, ${prevHash}, ${hash})`);
    for (const hook of this.appendHooks) hook({ ...e, seq: Number(result.lastInsertRowid), id });
    return {
      seq: Number(result.lastInsertRowid),
      id,
      at: e.at,
      user: e.user,
      desk: e.desk,
      op: e.op,
      entity: e.entity,
      entityId: e.entityId,
      before: e.before ?? null,
      after: e.after ?? null,
      baseVersion: e.baseVersion,
      prevHash,
      hash,
    };
  }

  private anchor(): string {
    return this.db.get<{ value: string }>(sql`SELECT value FROM meta WHERE key = ${ANCHOR_META_KEY}`)?.value ?? GENESIS_HASH;
  }

  lastSeq(): number {
    return this.db.get<{ seq: number | null }>(sql`SELECT max(seq) AS seq FROM journal`)?.seq ?? 0;
  }

  summary(): { entries: number; lastSeq: number; lastAt: string | null } {
    const row = this.db.get<{ n: number; seq: number | null; at: string | null }>(
      sql`SELECT count(*) AS n, max(seq) AS seq, (SELECT at FROM journal ORDER BY seq DESC LIMIT 1) AS at FROM journal`,
    );
    return { entries: row?.n ?? 0, lastSeq: row?.seq ?? 0, lastAt: row?.at ?? null };
  }

  list(afterSeq = 0, limit = 1000): JournalEntry[] {
    return this.db
      .all<JournalRow>(sql`SELECT * FROM journal WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`)
      .map(fromRow);
  }

  /** Every entry of these operations, oldest first (merge-back's planner reads the desk's changes this way). */
  ofOps(ops: readonly string[]): JournalEntry[] {
    if (ops.length === 0) return [];
    return this.db.all<JournalRow>({ text: `SELECT * FROM journal WHERE op IN (${ops.map(() => '?').join(', ')}) ORDER BY seq`, params: [...ops] }).map(fromRow);
  }

  /** Walks the whole chain; the first entry whose link or hash does not match is where the record broke. */
  verify(): { ok: true; entries: number } | { ok: false; seq: number; reason: string } {
    let prevHash = this.anchor();
    let entries = 0;
    for (const row of this.db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as IterableIterator<JournalRow>) {
      const entry = fromRow(row);
      if (entry.prevHash !== prevHash) return { ok: false, seq: entry.seq, reason: 'does not follow the entry before it' };
      if (entryHash(prevHash, entry.id, entry) !== entry.hash) return { ok: false, seq: entry.seq, reason: 'content does not match its hash' };
      prevHash = entry.hash;
      entries++;
    }
    return { ok: true, entries };
  }
}

function fromRow(row: JournalRow): JournalEntry {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    user: row.user,
    desk: row.desk,
    op: row.op,
    entity: row.entity,
    entityId: row.entity_id,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    baseVersion: row.base_version,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
