import { ErrorCode, HttpMappedError } from '@app/contracts';

/** The SQL surface both drivers offer. Statements use `$1, $2, ...` placeholders in either dialect. */
export interface Queryable {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface Database extends Queryable {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `work` in one transaction that holds the database-wide migration/maintenance lock. */
  exclusive<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const DATABASE = Symbol('DATABASE');

/** The database could not be reached or answered with an error: routes that need it answer 503. */
export class DatabaseUnavailableError extends HttpMappedError {
  readonly status = 503;
  readonly code = ErrorCode.ServiceUnavailable;
  override readonly retryAfterSeconds = 5;
  override readonly logLevel = 'warn';

  constructor(cause: unknown) {
    super('The user store is unavailable; retry later', `database unavailable: ${(cause as Error | undefined)?.message ?? 'unknown'}`, { cause });
  }
}

/**
 * A value the database cannot store as text: PostgreSQL refuses a NUL byte (SQLSTATE 22021
 * `character_not_in_repertoire`) or a character the database encoding lacks (22P05). Every identifier
 * is checked by its pattern before it gets here; this is the backstop, so such input is a 400 that
 * changes nothing, never a 500. Rendered `invalid_request` on the `/oauth/*` routes.
 */
export class UnstorableTextError extends HttpMappedError {
  readonly status = 400;
  readonly code = ErrorCode.Validation;
  override readonly oauthError = 'invalid_request';

  constructor(cause: unknown) {
    super(
      'The request holds a character that cannot be stored (a NUL byte or a control character)',
      `unstorable text: SQLSTATE ${String((cause as { code?: unknown } | undefined)?.code)}`,
      {
        cause,
      },
    );
  }
}
