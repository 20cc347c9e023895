/**
 * SQL only through the `sql` tag (Signal Desktop's convention): values never reach the query text, so an
 * apostrophe in O'Brien or a hostile string can only ever be a bound parameter.
 */
import type BetterSqlite3 from 'better-sqlite3';

export type SqlValue = string | number | bigint | null | Buffer;
export interface Query {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Query {
  return { text: strings.join('?'), params: values };
}

/** Statement cache per connection: preparing is the expensive part of a small query. */
export class Db {
  readonly raw: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(raw: BetterSqlite3.Database) {
    this.raw = raw;
  }

  prepare(text: string): BetterSqlite3.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.raw.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  run(q: Query): BetterSqlite3.RunResult {
    return this.prepare(q.text).run(...q.params);
  }

  get<T>(q: Query): T | undefined {
    return this.prepare(q.text).get(...q.params) as T | undefined;
  }

  all<T>(q: Query): T[] {
    return this.prepare(q.text).all(...q.params) as T[];
  }

  /** Runs fn in one transaction (BEGIN IMMEDIATE: a writer never waits on a reader's lock upgrade). */
  transaction<T>(fn: () => T): T {
    return this.raw.transaction(fn).immediate();
  }
}
