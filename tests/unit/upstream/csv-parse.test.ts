import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv } from '../../../electron/desk/upstream/csv/parse';
import { formatCsv } from '../../../shared/csv';

const fields = (text: string, delimiter?: string) => parseCsv(text, delimiter).map((r) => r.fields);

describe('RFC 4180 CSV parser', () => {
  it('reads plain fields with CRLF or LF line ends, with or without a final line end', () => {
    expect(fields('a,b,c\r\n1,2,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fields('a,b,c\n1,2,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fields('a,b\r1,2\r')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads quoted fields holding delimiters, escaped quotes and line breaks', () => {
    expect(fields('name,note\r\n"O\'Brien, Siobhán","said ""hello""\r\nthen left"\r\n')).toEqual([
      ['name', 'note'],
      ["O'Brien, Siobhán", 'said "hello"\r\nthen left'],
    ]);
    expect(fields('"",x\n')).toEqual([['', 'x']]);
  });

  it('strips a byte-order mark and keeps empty trailing fields', () => {
    expect(fields('\uFEFFa,b,\n1,,\n')).toEqual([
      ['a', 'b', ''],
      ['1', '', ''],
    ]);
    expect(fields('a,\n')).toEqual([['a', '']]);
    expect(fields('a,')).toEqual([['a', '']]);
  });

  it('drops blank lines and tells each record the line it starts on', () => {
    const records = parseCsv('h1,h2\n\n"multi\nline",x\nlast,y\n');
    expect(records.map((r) => [r.fields[0], r.line])).toEqual([
      ['h1', 1],
      ['multi\nline', 3],
      ['last', 5],
    ]);
  });

  it('names the line of an unclosed quote (a truncated file)', () => {
    expect(() => parseCsv('a,b\n1,"never closed\n2,3\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n1,"never closed\n2,3\n')).toThrow(/line 2: a quoted field is not closed/);
  });

  it('refuses text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a,b\n"x"y,2\n')).toThrow(/line 2: unexpected "y" after a closing quote/);
  });

  it('keeps a stray quote inside an unquoted field as written', () => {
    expect(fields('5\'10",x\n')).toEqual([['5\'10"', 'x']]);
  });

  it('reads other delimiters', () => {
    expect(fields('a;b\n"1;2";3\n', ';')).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
    expect(fields('a\tb\n1\t2\n', '\t')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('round-trips anything formatCsv writes (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\r', '\n', ' ', 'é', ';'), maxLength: 8 });
    // A record that is one empty field is a blank line, which the reader drops by design.
    const record = fc.array(field, { minLength: 1, maxLength: 5 }).filter((r) => !(r.length === 1 && r[0] === ''));
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ';'), (rows, delimiter) => {
        expect(fields(formatCsv(rows, { delimiter, formulas: 'keep' }), delimiter)).toEqual(rows);
      }),
      { numRuns: 300, seed: 4180 },
    );
  });
});
