/**
 * The hash chain the journal and the audit trail both keep: each row's hash covers its content and the hash of
 * the row before it, so a lost, altered or reordered row shows when the chain is walked. Written once here so the
 * two records cannot drift apart in how they hash or what they count as broken.
 */
import { createHash } from 'node:crypto';

/** The link before the first row of a chain that has never been purged. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with keys sorted at every level: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** A row's hash: its content (canonical JSON) chained to the previous row's hash. */
export function chainHash(prevHash: string, content: unknown): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; seq: number; reason: string };

/**
 * Walks rows in seq order from `start` (the genesis or the anchor left by a purge); the first row whose link or
 * hash does not match is where the record broke. `contentOf` gives what the row's hash was computed over.
 */
export function verifyChain<Row extends ChainLink>(rows: Iterable<Row>, start: string, contentOf: (row: Row) => unknown): ChainVerdict {
  let prevHash = start;
  let entries = 0;
  for (const row of rows) {
    if (row.prevHash !== prevHash) return { ok: false, seq: row.seq, reason: 'does not follow the entry before it' };
    if (chainHash(prevHash, contentOf(row)) !== row.hash) return { ok: false, seq: row.seq, reason: 'content does not match its hash' };
    prevHash = row.hash;
    entries++;
  }
  return { ok: true, entries };
}

/** Maps an iterator lazily, so a chain of any length is walked without holding it in memory. */
export function* mapRows<T, U>(rows: Iterable<T>, f: (row: T) => U): Generator<U> {
  for (const row of rows) yield f(row);
}

/** A column name as its entry's field: prev_hash → prevHash. */
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * A chained table's row (`SELECT *`) as its entry: snake_case columns become camelCase fields and the JSON columns
 * are parsed. Both tables name their links prev_hash and hash, and keep their content as canonical JSON text.
 */
export function entryOfRow<Entry>(row: Record<string, unknown>, jsonColumns: readonly string[]): Entry {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [fieldOf(column), jsonColumns.includes(column) && typeof value === 'string' ? (JSON.parse(value) as unknown) : value]),
  ) as Entry;
}
