/**
 * The journal: the truth about what the desk did. Append-only (triggers refuse UPDATE/DELETE) and
 * hash-chained: each entry's hash covers its content and the previous entry's hash, so a lost, altered or
 * reordered entry shows when the chain is verified.
 */
import { randomUUID } from 'node:crypto';
import type { JournalEntry } from '../../../shared/api';
import { canonicalJson, chainHash, entryOfRow, GENESIS_HASH, mapRows, verifyChain, type ChainVerdict } from './hash-chain';
import { sql, type Db } from './sql';

/**
 * Where the chain starts once retention has purged its oldest entries (migration 0005): the hash of the last
 * entry purged. Without it the first entry kept would look as if something before it had been lost.
 */
export const ANCHOR_META_KEY = 'journal.anchorHash';

/** What a caller records; the journal adds the id, the seq and the chain links. */
export type JournalAppend = Omit<JournalEntry, 'seq' | 'id' | 'prevHash' | 'hash'>;

/** What an entry's hash covers: everything but its seq (SQLite assigns it) and its own links. */
type ChainedContent = Omit<JournalEntry, 'seq' | 'prevHash' | 'hash'>;

type Row = Record<string, unknown>;

function chainedContent(id: string, e: JournalAppend): ChainedContent {
  return {
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
  };
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
    const content = chainedContent(randomUUID(), e);
    const { id } = content;
    const hash = chainHash(prevHash, content);
    const before = e.before === undefined ? null : canonicalJson(e.before);
    const after = e.after === undefined ? null : canonicalJson(e.after);
    const result = this.db.run(sql`
      INSERT INTO journal (id, at, user, desk, op, entity, entity_id, before, after, base_version, prev_hash, hash)
      VALUES (${id}, ${e.at}, ${e.user}, ${e.desk}, ${e.op}, ${e.entity}, ${e.entityId}, ${before}, ${after},
              ${e.baseVersion}, ${prevHash}, ${hash})`);
    const seq = Number(result.lastInsertRowid);
    for (const hook of this.appendHooks) hook({ ...e, seq, id });
    return { seq, ...content, prevHash, hash };
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
    return this.db.all<Row>(sql`SELECT * FROM journal WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`).map(fromRow);
  }

  /** Every entry of these operations, oldest first (merge-back's planner reads the desk's changes this way). */
  ofOps(ops: readonly string[]): JournalEntry[] {
    if (ops.length === 0) return [];
    return this.db.all<Row>({ text: `SELECT * FROM journal WHERE op IN (${ops.map(() => '?').join(', ')}) ORDER BY seq`, params: [...ops] }).map(fromRow);
  }

  /** Walks the whole chain from its anchor; the first entry that does not match is where the record broke. */
  verify(): ChainVerdict {
    const rows = this.db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as IterableIterator<Row>;
    return verifyChain(mapRows(rows, fromRow), this.anchor(), (entry) => chainedContent(entry.id, entry));
  }
}

function fromRow(row: Row): JournalEntry {
  return entryOfRow<JournalEntry>(row, ['before', 'after']);
}
