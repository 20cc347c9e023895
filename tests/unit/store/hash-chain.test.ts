import { afterEach, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../electron/desk/audit/audit';
import type { OpenDesk } from '../../../electron/desk/open';
import { databasePath } from '../../../electron/desk/store/connection';
import { canonicalJson, chainHash, GENESIS_HASH, verifyChain } from '../../../electron/desk/store/hash-chain';
import { Journal } from '../../../electron/desk/store/journal';
import { Db } from '../../../electron/desk/store/sql';
import { openTestDesk } from '../../support/fixtures';
import { rawDatabase } from '../../support/raw-db';

interface Row {
  seq: number;
  prevHash: string;
  hash: string;
  note: string;
}

/** A well-formed chain of n rows, each hashing its note. */
function chain(n: number, start = GENESIS_HASH): Row[] {
  const rows: Row[] = [];
  let prevHash = start;
  for (let seq = 1; seq <= n; seq++) {
    const note = `row ${seq}`;
    const hash = chainHash(prevHash, { note });
    rows.push({ seq, prevHash, hash, note });
    prevHash = hash;
  }
  return rows;
}
const contentOf = (r: Row) => ({ note: r.note });
/** The rows at these positions, in this order. */
function pick(rows: readonly Row[], ...at: number[]): Row[] {
  return at.map((i) => {
    const r = rows[i];
    if (!r) throw new Error(`no row ${i}`);
    return r;
  });
}

describe('hash chain', () => {
  it('hashes the same content the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
    expect(chainHash(GENESIS_HASH, { a: 1, b: 2 })).toBe(chainHash(GENESIS_HASH, { b: 2, a: 1 }));
    expect(chainHash(GENESIS_HASH, { a: 1 })).not.toBe(chainHash('1'.repeat(64), { a: 1 }));
  });

  it('verifies an intact chain, from the genesis or from an anchor', () => {
    expect(verifyChain(chain(4), GENESIS_HASH, contentOf)).toEqual({ ok: true, entries: 4 });
    const anchor = chainHash(GENESIS_HASH, { purged: true });
    expect(verifyChain(chain(3, anchor), anchor, contentOf)).toEqual({ ok: true, entries: 3 });
    expect(verifyChain(chain(3, anchor), GENESIS_HASH, contentOf)).toMatchObject({ ok: false, seq: 1 });
  });

  it('finds a tampered row where it is', () => {
    const rows = chain(4).map((r) => (r.seq === 3 ? { ...r, note: 'rewritten' } : r));
    expect(verifyChain(rows, GENESIS_HASH, contentOf)).toEqual({ ok: false, seq: 3, reason: 'content does not match its hash' });
  });

  it('finds a removed row at the row after the gap, and a removed first row too', () => {
    const rows = chain(4);
    expect(verifyChain(pick(rows, 0, 2, 3), GENESIS_HASH, contentOf)).toEqual({ ok: false, seq: 3, reason: 'does not follow the entry before it' });
    expect(verifyChain(rows.slice(1), GENESIS_HASH, contentOf)).toMatchObject({ ok: false, seq: 2 });
  });

  it('finds rows swapped', () => {
    const rows = chain(3);
    expect(verifyChain(pick(rows, 0, 2, 1), GENESIS_HASH, contentOf)).toMatchObject({ ok: false, seq: 3 });
  });
});

describe('the journal and the audit trail keep the same chain', () => {
  const opened: OpenDesk[] = [];
  afterEach(() => {
    for (const d of opened.splice(0)) d.close();
  });

  function deskWithHistory() {
    const desk = openTestDesk();
    opened.push(desk);
    const ctx = { user: 'ann', desk: 'front-1' };
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-1', status: 'arrived' }, ctx);
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-2', status: 'dna' }, ctx);
    desk.dispatch('setAppointmentStatus', { appointmentId: 'appt-3', status: 'arrived' }, ctx);
    return desk;
  }

  it('both verify their real chains', () => {
    const desk = deskWithHistory();
    expect(desk.service.journal.verify()).toEqual({ ok: true, entries: 4 });
    expect(desk.service.audit.verify()).toEqual({ ok: true, entries: desk.service.audit.count() });
    expect(desk.service.audit.count()).toBeGreaterThanOrEqual(4);
  });

  it('a row removed behind their backs breaks each of them', () => {
    const desk = deskWithHistory();
    desk.close();
    opened.splice(0);
    const raw = rawDatabase(databasePath(desk.dataDir));
    try {
      raw.exec('DROP TRIGGER journal_is_append_only_delete; DROP TRIGGER audit_no_delete');
      raw.prepare('DELETE FROM journal WHERE seq = 2').run();
      raw.prepare('DELETE FROM audit WHERE seq = 2').run();
      const db = new Db(raw);
      expect(new Journal(db).verify()).toEqual({ ok: false, seq: 3, reason: 'does not follow the entry before it' });
      expect(new AuditTrail(db).verify()).toEqual({ ok: false, seq: 3, reason: 'does not follow the entry before it' });
    } finally {
      raw.close();
    }
  });
});
