/**
 * The audit trail in words (issue 18 item 10): every operation of the contract has its words, every audit record
 * reads as a sentence, and what the manager reads names the patient's appointment when the reader knows it.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS, OPERATION_NAMES, type AuditEntry, type JournalEntry } from '../../../shared/api';
import {
  AUDIT_KIND_OPERATION,
  auditSentence,
  describeAuditEntry,
  JOURNAL_OP_OPERATION,
  nameAsWords,
  OPERATION_WORDS,
  operationWords,
  type AuditWordsContext,
} from '../../../shared/api/audit-words';
import { TEST_DAY } from '../../support/clock';

/** 09:12:04 in London on the test day (BST). */
const AT = `${TEST_DAY}T08:12:04.000Z`;

function entry(kind: AuditEntry['kind'], detail: unknown): AuditEntry {
  return { seq: 1, id: 'a1', at: AT, user: 'sjones', desk: 'FRONT-1', kind, detail, prevHash: '0', hash: '1' };
}

function journalEntry(seq: number, op: string, after: unknown): JournalEntry {
  return {
    seq,
    id: `j${seq}`,
    at: AT,
    user: 'sjones',
    desk: 'FRONT-1',
    op,
    entity: 'appointment',
    entityId: 'appt-1',
    before: null,
    after,
    baseVersion: null,
    prevHash: '0',
    hash: '1',
  };
}

const context = (journal: JournalEntry[] = []): AuditWordsContext => ({
  person: (username) => (username === 'sjones' ? { name: 'Sam Jones', role: 'receptionist' } : undefined),
  journal: (seq) => journal.find((j) => j.seq === seq),
  appointment: (id) => (id === 'appt-1' ? "Ada Test's 09:10 with Dr Patel" : undefined),
});

/** Words, not data: no braces, brackets or quotes of JSON, no camelCase name, no "undefined". */
function expectWords(text: string): void {
  expect(text).not.toMatch(/[{}[\]]|undefined|null|[a-z][A-Z]/);
  expect(text.trim()).not.toBe('');
}

describe('the audit trail in words', () => {
  it('has words for every operation in the contract', () => {
    expect(Object.keys(OPERATION_WORDS).toSorted()).toEqual([...OPERATION_NAMES].toSorted());
    for (const name of OPERATION_NAMES) {
      expectWords(OPERATION_WORDS[name]);
      expect(operationWords(name)).toBe(OPERATION_WORDS[name]);
    }
  });

  it('traces each kind of record and each journal op it knows to an operation of the contract', () => {
    expect(Object.keys(AUDIT_KIND_OPERATION).toSorted()).toEqual([...AUDIT_KINDS].toSorted());
    for (const operation of [...Object.values(AUDIT_KIND_OPERATION), ...Object.values(JOURNAL_OP_OPERATION)]) {
      if (operation !== null) expect(OPERATION_NAMES).toContain(operation);
    }
  });

  it('reads every kind of record as words, even with nothing in its detail', () => {
    for (const kind of AUDIT_KINDS) {
      for (const detail of [null, {}, 'odd', [1, 2]]) expectWords(describeAuditEntry(entry(kind, detail)));
    }
  });

  it('says who checked whom in, from where and when', () => {
    const journal = [journalEntry(7, 'appointment.setStatus', { status: 'arrived', version: 2 })];
    const record = entry('journal', { journalSeq: 7, journalId: 'j7', op: 'appointment.setStatus', entity: 'appointment', entityId: 'appt-1' });
    expect(auditSentence(record, context(journal))).toBe("09:12:04 Sam Jones (receptionist, desk FRONT-1) checked in Ada Test's 09:10 with Dr Patel");
    // Without the journal or the day the manager still reads words, only fewer of them.
    expect(auditSentence(record)).toBe('09:12:04 sjones (desk FRONT-1) changed an appointment');
  });

  it('words a cancellation with its reason, a batch of no-shows, a rebooking and an undo', () => {
    const cases: Array<[string, unknown, string]> = [
      ['appointment.setStatus', { status: 'cancelled', reason: 'Patient unwell, cannot attend' }, "cancelled Ada Test's 09:10 with Dr Patel (Patient unwell, cannot attend)"],
      [
        'appointment.setStatus',
        { status: 'dna', batch: { id: 'b1', kind: 'session-dna', sessionId: 's1', size: 3 } },
        "marked as did not attend Ada Test's 09:10 with Dr Patel with the session's other no-shows",
      ],
      ['appointment.rebook', { status: 'cancelled', booked: { start: '2026-07-21T13:20:00.000Z' } }, "rebooked Ada Test's 09:10 with Dr Patel to 21/07/2026 14:20"],
      ['appointment.undo', { status: 'booked' }, "undid the last change to Ada Test's 09:10 with Dr Patel, back to Booked"],
      [
        'appointment.undo',
        { status: 'booked', batch: { kind: 'session-dna-undo', undoes: 'b1' } },
        "undid the last change to Ada Test's 09:10 with Dr Patel with the session's other no-shows, back to Booked",
      ],
      ['desk.setMode', { mode: 'outage' }, 'switched the desk to outage mode'],
    ];
    for (const [op, after, words] of cases) {
      const journal = [journalEntry(3, op, after)];
      expect(describeAuditEntry(entry('journal', { journalSeq: 3, op, entityId: 'appt-1' }), context(journal))).toBe(words);
    }
  });

  it('words sign-ins, prints and settings', () => {
    expect(auditSentence(entry('sign-in', { role: 'receptionist' }), context())).toBe('09:12:04 Sam Jones (receptionist, desk FRONT-1) signed in');
    expect(describeAuditEntry(entry('print', { what: 'sheet', sheet: 'clinician-list', date: TEST_DAY, from: '12:00' }))).toBe(
      'printed the rest-of-day clinician lists from 12:00 for 20/07/2026',
    );
    expect(describeAuditEntry(entry('print', { what: 'sheet', sheet: 'master-list', date: TEST_DAY }))).toBe('printed the master list for 20/07/2026');
    expect(describeAuditEntry(entry('settings-changed', { setting: 'idleLockMinutes', from: 5, to: 7 }))).toBe('changed the screen-lock time to 7 minutes');
    expect(describeAuditEntry(entry('export', { what: 'log' }))).toBe("exported the desk's log");
  });

  it('reads an op it does not know as words made from its name', () => {
    expect(nameAsWords('merge.reopenItem')).toBe('merge reopen item');
    const words = describeAuditEntry(entry('journal', { journalSeq: 9, op: 'appointment.reopenItem', entityId: 'x' }));
    expect(words).toBe('recorded "appointment reopen item"');
    expect(operationWords('frobnicateDesk')).toBe('did "frobnicate desk"');
  });
});
