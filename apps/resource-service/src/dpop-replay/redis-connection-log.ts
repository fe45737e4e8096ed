/** The two levels the connection log writes at (a Nest `Logger` fits). */
export interface ConnectionLogger {
  warn(message: string): void;
  log(message: string): void;
}

/** At most one warning a minute however often the client retries (every ~2 s while Redis is away). */
export const REDIS_WARN_INTERVAL_MS = 60_000;

/**
 * What the Redis client of the DPoP replay records says about its connection, for operators: the
 * first failure at once, then at most one warning per `intervalMs` with the count of the failures in
 * between; "ready again" once a warned-of outage ends. Nothing of the URL is written (see `redisFailure`).
 */
export class RedisConnectionLog {
  private lastWarnAt: number | undefined;
  private unreported = 0;
  private warnedSinceReady = false;

  constructor(
    private readonly logger: ConnectionLogger,
    private readonly secrets: readonly string[],
    private readonly intervalMs = REDIS_WARN_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: unknown): void {
    const at = this.now();
    if (this.lastWarnAt !== undefined && at - this.lastWarnAt < this.intervalMs) {
      this.unreported++;
      return;
    }
    const more = this.unreported > 0 ? ` (${this.unreported} more failures since the last warning)` : '';
    this.lastWarnAt = at;
    this.unreported = 0;
    this.warnedSinceReady = true;
    this.logger.warn(
      `Redis of the DPoP replay records: ${redisFailure(error, this.secrets)}${more}; DPoP requests are refused (503) until it answers; reconnecting`,
    );
  }

  ready(): void {
    if (this.lastWarnAt === undefined) this.logger.log('Redis of the DPoP replay records: connected');
    else if (this.warnedSinceReady) this.logger.log('Redis of the DPoP replay records: connected again');
    this.warnedSinceReady = false;
  }
}

/**
 * A client error as one short phrase without the URL, host or password: a system error by its call
 * and code only (`connect ECONNREFUSED`: node's message adds the address), anything else (a Redis
 * reply such as `WRONGPASS …`, a timeout) by class and message with every secret blotted out.
 */
export function redisFailure(error: unknown, secrets: readonly string[]): string {
  if (!(error instanceof Error)) return 'the Redis client failed';
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (typeof code === 'string') return [syscall, code].filter((part) => typeof part === 'string').join(' ');
  let text = `${error.name}: ${error.message}`.slice(0, 300);
  for (const secret of secrets) if (secret !== '') text = text.replaceAll(secret, '…');
  return text;
}

/**
 * The parts of a Redis URL no log may show: the URL itself, its user and password (as written and
 * decoded: the config has checked they decode) and its host (bracketed or not), longest first.
 */
export function secretsOf(url: string): string[] {
  const { username, password, hostname } = new URL(url);
  const parts = [url, username, password, decodeURIComponent(username), decodeURIComponent(password), hostname, hostname.replace(/^\[(.*)\]$/, '$1')];
  return [...new Set(parts.filter((part) => part !== ''))].sort((a, b) => b.length - a.length);
}
