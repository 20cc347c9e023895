/**
 * The audit trail: who did what, from which desk, when. Every journal entry (mirrored here in the same
 * transaction), and every print, export, import, sign-in and failed sign-in. Append-only (the migration's
 * triggers refuse UPDATE/DELETE) and hash-chained like the journal, so a removed or altered entry shows.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditFilter, AuditKind } from '../../../shared/api';
import { RECOVERY_SHEET } from '../../../shared/api/readiness';
import { formatCsv } from '../../../shared/csv';
import { canonicalJson, chainHash, entryOfRow, GENESIS_HASH, mapRows, verifyChain, type ChainVerdict } from '../store/hash-chain';
import type { JournalAppend } from '../store/journal';
import { sql, type Db } from '../store/sql';

export interface AuditAppend {
  at: string;
  user: string;
  desk: string;
  kind: AuditKind;
  detail: unknown;
}

type Row = Record<string, unknown>;

/** What a record's hash covers: everything but its seq (SQLite assigns it) and its own links. */
function chainedContent(id: string, e: AuditAppend): Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'> {
  return { id, at: e.at, user: e.user, desk: e.desk, kind: e.kind, detail: e.detail ?? null };
}

/**
 * Why a merge-back item was set aside rather than keyed: the trail keeps it, since the journal entry that holds it
 * is purged with the outage's data once the retention period has passed, and the decision must stay accountable.
 */
function dismissalReason(entry: JournalAppend): { reason?: string } {
  if (entry.op !== 'merge.dismiss') return {};
  const reason = (entry.after as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' ? { reason } : {};
}

export class AuditTrail {
  constructor(private readonly db: Db) {}

  /** Must run inside the caller's transaction when it records a change, so the two commit together. */
  append(e: AuditAppend): AuditEntry {
    const last = this.db.get<{ hash: string }>(sql`SELECT hash FROM audit ORDER BY seq DESC LIMIT 1`);
    const prevHash = last?.hash ?? GENESIS_HASH;
    const content = chainedContent(randomUUID(), e);
    const hash = chainHash(prevHash, content);
    const result = this.db.run(sql`
      INSERT INTO audit (id, at, user, desk, kind, detail, prev_hash, hash)
      VALUES (${content.id}, ${e.at}, ${e.user}, ${e.desk}, ${e.kind}, ${canonicalJson(content.detail)}, ${prevHash}, ${hash})`);
    return { seq: Number(result.lastInsertRowid), ...content, prevHash, hash };
  }

  /** A journal entry's audit record: a reference to it, not a second copy of the patient data it holds. */
  appendJournal(entry: JournalAppend & { seq: number; id: string }): AuditEntry {
    return this.append({
      at: entry.at,
      user: entry.user,
      desk: entry.desk,
      // Loads and refreshes bring data in from the clinical system or a file: the trail calls them imports.
      kind: entry.op === 'mirror.load' || entry.op === 'mirror.refresh' || entry.op.startsWith('import') ? 'import' : 'journal',
      detail: { journalSeq: entry.seq, journalId: entry.id, op: entry.op, entity: entry.entity, entityId: entry.entityId, ...dismissalReason(entry) },
    });
  }

  list(filter: AuditFilter): AuditEntry[] {
    const after = filter.afterSeq ?? 0;
    const limit = filter.limit ?? 500;
    // Optional filters as "(? IS NULL OR col = ?)": one statement text, so one cached prepared statement.
    const user = filter.user ?? null;
    const kind = filter.kind ?? null;
    const from = filter.from === undefined ? null : new Date(filter.from).toISOString();
    const to = filter.to === undefined ? null : new Date(filter.to).toISOString();
    return this.db
      .all<Row>(
        sql`
        SELECT * FROM audit
        WHERE seq > ${after}
          AND (${user} IS NULL OR user = ${user})
          AND (${kind} IS NULL OR kind = ${kind})
          AND (${from} IS NULL OR at >= ${from})
          AND (${to} IS NULL OR at <= ${to})
        ORDER BY seq LIMIT ${limit}`,
      )
      .map(fromRow);
  }

  /**
   * When a recovery sheet was last printed for the key with this fingerprint (desk/recovery), from the print
   * records; null when never. A sheet printed for an earlier key does not count.
   */
  recoverySheetPrintedAt(keyFingerprint: string): string | null {
    return (
      this.db.get<{ at: string }>(sql`
        SELECT at FROM audit
        WHERE kind = 'print' AND json_extract(detail, '$.sheet') = ${RECOVERY_SHEET} AND json_extract(detail, '$.keyFingerprint') = ${keyFingerprint}
        ORDER BY seq DESC LIMIT 1`)?.at ?? null
    );
  }

  count(): number {
    return this.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit`)?.n ?? 0;
  }

  verify(): ChainVerdict {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>;
    return verifyChain(mapRows(rows, fromRow), GENESIS_HASH, (entry) => chainedContent(entry.id, entry));
  }
}

function fromRow(row: Row): AuditEntry {
  return entryOfRow<AuditEntry>(row, ['detail']);
}

const CSV_COLUMNS = ['seq', 'at', 'user', 'desk', 'kind', 'detail', 'hash'] as const;

/** The trail as CSV for a manager's spreadsheet; detail as canonical JSON. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const cell = (value: unknown): string => (typeof value === 'string' ? value : canonicalJson(value));
  return formatCsv([[...CSV_COLUMNS], ...entries.map((e) => CSV_COLUMNS.map((c) => cell(c === 'seq' ? String(e.seq) : e[c])))]);
}
