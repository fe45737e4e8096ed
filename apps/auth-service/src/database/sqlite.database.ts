import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseUnavailableError, type Database, type Queryable } from './database.js';

/** How long a statement waits for another connection's write lock before the request gets a 503. */
const BUSY_WAIT_MS = 10_000;

/** SQLITE_BUSY / SQLITE_LOCKED and their extended codes (better-sqlite3 reports e.g. SQLITE_BUSY_RECOVERY). */
export function isBusy(error: unknown): boolean {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  return /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

/** The file cannot be written or read at all (disk full, read-only, I/O error): the store is unavailable. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)(_|$)/;

function unavailable(error: unknown): unknown {
  return UNAVAILABLE.test(String((error as { code?: unknown } | undefined)?.code ?? '')) ? new DatabaseUnavailableError(error) : error;
}

/**
 * Retries a statement that met another connection's lock, yielding to the event loop between tries:
 * SQLite's own busy_timeout would block the whole process, including the lock holder if it is us.
 */
async function whenFree<T>(attempt: () => T, busyWaitMs: number): Promise<T> {
  const deadline = Date.now() + busyWaitMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error)) throw unavailable(error);
      if (Date.now() > deadline) throw new DatabaseUnavailableError(error);
      await sleep(delay + Math.random() * delay);
    }
  }
}

/** Rewrites `$n` placeholders to `?` and orders the parameters to match. */
function positional(sql: string, params: readonly unknown[]): [string, unknown[]] {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return '?';
  });
  return [text, ordered.map((v) => (typeof v === 'boolean' ? Number(v) : v))];
}

/**
 * The embedded database: one SQLite file in DATA_DIR, WAL mode. better-sqlite3 is synchronous, so
 * each statement and each transaction runs to completion in turn; a promise chain keeps an async
 * transaction from interleaving with other statements on the same connection.
 */
export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly db: BetterSqlite3.Database;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly busyWaitMs = BUSY_WAIT_MS,
  ) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new BetterSqlite3(join(dataDir, 'auth.sqlite'));
    this.db.pragma('busy_timeout = 0');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
  }

  /** Statements on the connection as it is (inside a transaction when one is open). */
  private readonly direct = {
    query: <T>(sql: string, params: readonly unknown[] = []): T[] => {
      const [text, values] = positional(sql, params);
      const statement = this.db.prepare(text);
      return (statement.reader ? statement.all(...values) : (statement.run(...values), [])) as T[];
    },
    run: (sql: string, params: readonly unknown[] = []): number => {
      const [text, values] = positional(sql, params);
      return this.db.prepare(text).run(...values).changes;
    },
  };

  private readonly inTransaction: Queryable = {
    query: async (sql, params) => this.direct.query(sql, params),
    run: async (sql, params) => this.direct.run(sql, params),
  };

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.serialize(() => whenFree(() => this.direct.query<T>(sql, params), this.busyWaitMs));
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.serialize(() => whenFree(() => this.direct.run(sql, params), this.busyWaitMs));
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.serialize(async () => {
      // IMMEDIATE takes the write lock at once, so two processes serialize instead of deadlocking.
      await whenFree(() => this.db.exec('BEGIN IMMEDIATE'), this.busyWaitMs);
      try {
        const result = await work(this.inTransaction);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        // SQLite may have rolled back already (an I/O error, a full disk): a second ROLLBACK would throw
        // "no transaction is active" and hide the real error.
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw unavailable(error);
      }
    });
  }

  exclusive<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.serialize(async () => this.db.close());
  }
}
