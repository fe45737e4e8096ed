import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseUnavailableError, type Database, type Queryable } from './database.js';
import { bindValues, StatementCache } from './sqlite-statements.js';
import { WalDurability, type WalOpener } from './wal-durability.js';

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

/** Test seams of the embedded driver. */
export interface SqliteOptions {
  busyWaitMs?: number;
  /** How the `-wal` file is opened for flushing (tests inject failures); node:fs/promises by default. */
  openWal?: WalOpener;
}

/**
 * The embedded database: one SQLite file in DATA_DIR, WAL mode. better-sqlite3 is synchronous, so
 * each statement and each transaction runs to completion in turn; a promise chain keeps an async
 * transaction from interleaving with other statements on the same connection.
 *
 * Durability (docs/architecture.md "Storage"): `synchronous = NORMAL`, so a commit does not fsync on
 * the event loop; `WalDurability` flushes the `-wal` file on the libuv pool instead, and no call
 * returns (result or error) before every commit made on this connection until then is on disk: a
 * write's own commit, and any commit a read could have seen.
 */
export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly db: BetterSqlite3.Database;
  private readonly statements: StatementCache;
  private readonly wal: WalDurability;
  private readonly busyWaitMs: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, options: SqliteOptions = {}) {
    this.busyWaitMs = options.busyWaitMs ?? BUSY_WAIT_MS;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, 'auth.sqlite');
    this.db = new BetterSqlite3(file);
    this.db.pragma('busy_timeout = 0');
    const mode = this.db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`SQLite could not use WAL mode for ${file} (journal mode ${String(mode)})`);
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.statements = new StatementCache(this.db);
    this.wal = new WalDurability(`${file}-wal`, options.openWal);
  }

  /** Statements on the connection as it is (inside a transaction when one is open). */
  private readonly direct = {
    query: <T>(sql: string, params: readonly unknown[] = []): T[] => {
      const { statement, order } = this.statements.get(sql);
      const values = bindValues(order, params);
      if (!statement.reader) return (this.execute(statement, values), []) as T[];
      const rows = statement.all(...values) as T[];
      // A reader that writes (`UPDATE ... RETURNING`) outside a transaction is a commit of its own.
      if (!statement.readonly && !this.db.inTransaction) this.wal.committed();
      return rows;
    },
    run: (sql: string, params: readonly unknown[] = []): number => {
      const { statement, order } = this.statements.get(sql);
      return this.execute(statement, bindValues(order, params));
    },
  };

  private execute(statement: BetterSqlite3.Statement, values: unknown[]): number {
    const { changes } = statement.run(...values);
    if (!statement.readonly && !this.db.inTransaction) this.wal.committed();
    return changes;
  }

  private readonly inTransaction: Queryable = {
    query: async (sql, params) => this.direct.query(sql, params),
    run: async (sql, params) => this.direct.run(sql, params),
  };

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const guarded = () => {
      this.wal.check();
      return work();
    };
    const next = this.queue.then(guarded, guarded);
    this.queue = next.catch(() => undefined);
    return this.afterFlush(next);
  }

  /**
   * `done`'s outcome once every commit made before it settled is on disk. Waits outside the queue:
   * the next statements run while the flush does, and their commits share the next flush.
   */
  private async afterFlush<T>(done: Promise<T>): Promise<T> {
    try {
      const result = await done;
      await this.wal.durable();
      return result;
    } catch (error) {
      await this.wal.durable();
      throw error;
    }
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
        this.wal.committed();
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
    const closing = this.queue.then(() => this.db.close());
    this.queue = closing.catch(() => undefined);
    await closing;
    await this.wal.close();
  }
}
