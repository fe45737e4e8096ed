import { Logger } from '@nestjs/common';
import pg from 'pg';
import { DatabaseUnavailableError, type Database, type Queryable, UnstorableTextError } from './database.js';

/** Any fixed number: the cluster-wide advisory lock that serializes migrations and maintenance. */
const MAINTENANCE_LOCK_ID = 7_462_001;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // BIGINT (oid 20) holds epoch milliseconds here: well inside Number's exact range.
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'];
const NETWORK_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i;

/**
 * Connection-level failures (server down, starting up or shutting down, out of connections), as opposed to
 * a bad statement: SQLSTATE classes 08 (connection), 53 (resources), 57P (57P01 admin shutdown, 57P02
 * crash shutdown, 57P03 cannot connect now), socket errors, and pg's own messages for a lost connection.
 */
export function unavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  const connection = /^(08|53|57P)/.test(code) || NETWORK_CODES.includes(code);
  const message = error instanceof Error ? error.message : '';
  return connection || NETWORK_MESSAGES.test(message) ? new DatabaseUnavailableError(error) : error;
}

/** SQLSTATEs of text the database cannot hold: 22021 (a NUL byte, not in any encoding's repertoire), 22P05 (untranslatable). */
const UNSTORABLE_TEXT_CODES = ['22021', '22P05'];

/** A driver error as the callers see it: a connection failure (503), text PostgreSQL cannot hold (400), or as it came. */
export function mapError(error: unknown): unknown {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  if (UNSTORABLE_TEXT_CODES.includes(code)) return new UnstorableTextError(error);
  return unavailable(error);
}

/** PostgreSQL through a small pool; shared by every auth-service replica. */
export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly logger = new Logger(PostgresDatabase.name);
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, max: 10, types, connectionTimeoutMillis: 5000 });
    // An idle client that loses its server (a restart sends 57P01 to every connection) must not crash
    // the process: the pool drops it and the next query opens a new connection, or reports the outage.
    this.pool.on('error', (error) => this.logger.warn(`idle database connection lost: ${error.message}`));
  }

  async query<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      return (await this.pool.query(sql, params as unknown[])).rows as T[];
    } catch (error) {
      throw mapError(error);
    }
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      return (await this.pool.query(sql, params as unknown[])).rowCount ?? 0;
    } catch (error) {
      throw mapError(error);
    }
  }

  /**
   * One checked-out client for the whole transaction. While it is out of the pool nobody else listens
   * for its 'error' event, and the server may end the connection between two statements (57P01 on a
   * restart): that error is recorded here instead of crashing the process, the next statement fails,
   * and the client is released with the error so the pool destroys it instead of handing it out again.
   */
  async transaction<T>(work: (tx: Queryable) => Promise<T>, lock = false): Promise<T> {
    const client = await this.pool.connect().catch((error: unknown) => {
      throw unavailable(error);
    });
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error;
    };
    client.on('error', onError);
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
      const mapped = mapError(broken ?? error);
      if (mapped instanceof DatabaseUnavailableError) broken ??= mapped;
      // A failed ROLLBACK changes nothing: the server rolls back a transaction whose connection ends.
      else await client.query('ROLLBACK').catch((rollback: unknown) => (broken ??= rollback as Error));
      throw mapped;
    } finally {
      client.release(broken);
      if (!broken) client.off('error', onError);
    }
  }

  exclusive<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(work, true);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
