/**
 * A small RFC 4180 CSV reader: quoted fields, "" inside quotes, CRLF / LF / CR line ends, a UTF-8 byte-order
 * mark (Excel writes one), line breaks inside quoted fields. Our own rather than a dependency: it is short,
 * and an import must fail with the line it failed on, which is easiest when we own the loop.
 */
export interface CsvRecord {
  fields: string[];
  /** The physical line the record starts on (1-based); a quoted field may carry it over several lines. */
  line: number;
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

const QUOTE = 34; // "
const CR = 13;
const LF = 10;

export function parseCsv(input: string, delimiter = ','): CsvRecord[] {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new Error(`a CSV delimiter is one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
  }
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delim = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let fields: string[] = [];
  let recordLine = 1;

  const endRecord = (): void => {
    // A blank line is a record of one empty field; it is not data, so it is dropped.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
  };
  /** Consumes a line end at i if there is one; true when it did. */
  const lineEnd = (): boolean => {
    const c = text.charCodeAt(i);
    if (c === CR) {
      i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      return true;
    }
    if (c === LF) {
      i++;
      line++;
      return true;
    }
    return false;
  };

  if (n === 0) return records;
  recordLine = line;
  for (;;) {
    // At the start of a field.
    if (text.charCodeAt(i) === QUOTE) {
      const startLine = line;
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) throw new CsvSyntaxError(startLine, 'a quoted field is not closed (the file may be truncated)');
        value += text.slice(from, q);
        for (let k = from; k < q; k++) {
          const c = text.charCodeAt(k);
          if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) line++;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
    } else {
      // An unquoted field runs to the next delimiter or line end. A stray quote inside it is kept as written,
      // as spreadsheet programs do.
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === delim || c === CR || c === LF) break;
        j++;
      }
      fields.push(text.slice(i, j));
      i = j;
    }
    // After a field: the end of the text, a delimiter (a field follows, empty if the text ends) or a line end.
    if (i >= n) {
      endRecord();
      return records;
    }
    if (text.charCodeAt(i) === delim) {
      i++;
      if (i >= n) {
        fields.push('');
        endRecord();
        return records;
      }
      continue;
    }
    if (lineEnd()) {
      endRecord();
      if (i >= n) return records;
      recordLine = line;
      continue;
    }
    // Only a quoted field can end anywhere else.
    throw new CsvSyntaxError(line, `unexpected ${JSON.stringify(text[i])} after a closing quote (a quote inside a quoted field is written "")`);
  }
}
