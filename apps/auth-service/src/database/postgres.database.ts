import pg from 'pg';
import { DatabaseUnavailableError, type Database, type Queryable } from './database.js';

/** Any fixed number: the cluster-wide advisory lock that serializes migrations and maintenance. */
const MAINTENANCE_LOCK_ID = 7_462_001;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // BIGINT (oid 20) holds epoch milliseconds here: well inside Number's exact range.
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Connection-level failures (server down, restarting, out of connections), as opposed to a bad statement. */
function unavailable(error: unknown): unknown {
  const code = String((error as { code?: unknown }).code ?? '');
  const connection = /^(08|53|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE'].includes(code);
  const message = error instanceof Error ? error.message : '';
  return connection || /Connection terminated|timeout exceeded when trying to connect/i.test(message) ? new DatabaseUnavailableError(error) : error;
}

/** PostgreSQL through a small pool; shared by every auth-service replica. */
export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 10, types, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      return (await this.pool.query(sql, params as unknown[])).rows as T[];
    } catch (error) {
      throw unavailable(error);
    }
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      return (await this.pool.query(sql, params as unknown[])).rowCount ?? 0;
    } catch (error) {
      throw unavailable(error);
    }
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>, lock = false): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unavailable(error);
    });
    const tx: Queryable = {
      query: async <R>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as R[],
      run: async (sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
    };
    try {
      await client.query('BEGIN');
      if (lock) await client.query('SELECT pg_advisory_xact_lock($1)', [MAINTENANCE_LOCK_ID]);
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw unavailable(error);
    } finally {
      client.release();
    }
  }

  exclusive<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(work, true);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
