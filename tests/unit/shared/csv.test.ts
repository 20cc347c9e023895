import { describe, expect, it } from 'vitest';
import { csvField, formatCsv, looksLikeFormula } from '../../../shared/csv';
import { auditCsv } from '../../../electron/desk/audit/audit';
import { worklistCsv, type WorklistPatient } from '../../../shared/merge';

describe('CSV writer', () => {
  it('quotes only the fields that need it, with CRLF line ends', () => {
    expect(formatCsv([['a', 'b,c', 'say "hi"', 'two\nlines', null]])).toBe('a,"b,c","say ""hi""","two\nlines",\r\n');
    expect(formatCsv([['a;b', 'c,d']], { delimiter: ';' })).toBe('"a;b";c,d\r\n');
  });

  it.each(['=1+1', '+44 7700 900123', '-2', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")'])('neutralises a cell a spreadsheet would run as a formula: %j', (value) => {
    expect(looksLikeFormula(value)).toBe(true);
    const field = csvField(value);
    expect(field.startsWith(`"'`)).toBe(true);
    expect(field).toBe(`"'${value.replace(/"/g, '""')}"`);
  });

  it('leaves ordinary cells alone, a formula sign after the start included', () => {
    for (const value of ['Smith', '999 000 0018', 'a=b', '2026-07-20', '', "O'Brien"]) {
      expect(looksLikeFormula(value)).toBe(false);
      expect(csvField(value)).toBe(value);
    }
  });

  it("keeps formulas only when told to, for a clinical system's own export", () => {
    expect(csvField('+44 7700 900123', { formulas: 'keep' })).toBe('+44 7700 900123');
  });

  it('is the rule every CSV the desk writes follows: the audit export and the worklist', () => {
    const audit = auditCsv([{ seq: 1, id: 'i', at: '2026-07-20T08:00:00.000Z', user: '@evil', desk: '-d', kind: 'sign-in-failed', detail: null, prevHash: '0', hash: 'h' }]);
    expect(audit.split('\r\n')[1]).toBe(`1,2026-07-20T08:00:00.000Z,"'@evil","'-d",sign-in-failed,null,h`);
    const worklist: WorklistPatient[] = [
      {
        patientId: 'p1',
        name: '=CMD("calc")',
        nhsNumber: '999 000 0018',
        dateOfBirth: '01/02/1980',
        timeSensitive: false,
        flags: [],
        temporaryResident: false,
        rank: 2,
        items: [{ key: 'k1', action: '+ add a note', why: 'note', when: null, clinician: null, attendance: false, entryIds: ['e1'] }],
      },
    ];
    expect(worklistCsv(worklist).split('\r\n')[1]).toBe(`1,"'=CMD(""calc"")",999 000 0018,01/02/1980,routine,,,,"'+ add a note",note,k1`);
  });
});
