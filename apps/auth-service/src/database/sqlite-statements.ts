import type BetterSqlite3 from 'better-sqlite3';

/** Statements kept per connection; the service has a few dozen distinct texts, so this bound is rarely reached. */
const DEFAULT_CAPACITY = 200;

/** A statement prepared once, and which `$n` parameter each of its `?` takes. */
export interface PreparedStatement {
  statement: BetterSqlite3.Statement;
  /** For the i-th `?` of the rewritten text: the index of the parameter it takes (`$1` → 0). */
  order: readonly number[];
}

/**
 * `$n` placeholders (both drivers' dialect, `database.ts`) as SQLite's positional `?`, with the
 * parameter each one takes, in order: `$2 ... $1 ... $2` becomes `? ... ? ... ?` taking 1, 0, 1.
 */
export function positionalText(sql: string): { text: string; order: number[] } {
  const order: number[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  return { text, order };
}

/**
 * Prepared statements of one connection, keyed by SQL text: `prepare` and the placeholder rewrite run
 * once per text, not once per statement executed (docs/performance.md "Issuing tokens"). Bounded,
 * least recently used out first, so SQL built with a varying number of placeholders cannot grow it
 * without end.
 */
export class StatementCache {
  private readonly entries = new Map<string, PreparedStatement>();

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  get(sql: string): PreparedStatement {
    let entry = this.entries.get(sql);
    if (entry) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(sql);
    } else {
      const { text, order } = positionalText(sql);
      entry = { statement: this.db.prepare(text), order };
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(sql, entry);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The values to bind, in the order of the `?`s; booleans as 0/1 (SQLite has no boolean). */
export function bindValues(order: readonly number[], params: readonly unknown[]): unknown[] {
  const values = new Array<unknown>(order.length);
  for (let i = 0; i < order.length; i += 1) {
    const value = params[order[i]];
    values[i] = typeof value === 'boolean' ? Number(value) : value;
  }
  return values;
}
