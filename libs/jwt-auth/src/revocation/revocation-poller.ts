import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AuthenticatedCaller } from '@app/contracts';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import type { JwtAuthMetrics, RevocationFeedResult } from '../interfaces/jwt-auth-metrics.interface.js';
import { DEFAULT_REVOCATION_FEED_MAX_BYTES, JWT_AUTH_CLOCK, JWT_AUTH_METRICS, JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import { fetchFeed } from './revocation-feed-fetcher.js';
import { RevocationFeedDiscovery, type FeedDiscoveryState } from './revocation-feed-discovery.js';
import { RevocationFeedStaleError } from './revocation-feed-stale.error.js';
import { RevocationIndex } from './revocation-index.js';

/** A feed outage is logged at most this often. */
const WARNING_INTERVAL_MS = 60_000;

/**
 * Keeps this verifier's copy of the issuer's revocation feed (docs/revocation.md): reads it whole at
 * start (a configured `revocationFeedUri`: before the application listens; a discovered one: as soon
 * as `RevocationFeedDiscovery` finds it, start never waits), then every `revocationPollInterval` asks
 * only for what is new (`?since=<cursor>`, `If-None-Match`: a 304 when nothing is). When a poll fails
 * the last list stays in force, the feed's age grows (the `metrics` hook), a warning is logged at most
 * once a minute, and readiness is not touched; with `revocationMaxStaleness` set, tokens are refused
 * with a 503 once the list is older than that, counted from start while no feed is known yet. With
 * `revocationFeedUri: false`, or metadata that names no feed, it does nothing and refuses nothing.
 * Every age is on the injected clock; the timers are the only real-time part.
 */
@Injectable()
export class RevocationPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationPoller.name);
  private readonly index = new RevocationIndex();
  private cursor?: string;
  private etag?: string;
  private startedAt: number;
  private lastRead?: number;
  private lastWarning = Number.NEGATIVE_INFINITY;
  private polling?: Promise<RevocationFeedResult>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private uri: string | undefined;

  constructor(
    @Inject(JWT_AUTH_SETTINGS) private readonly settings: JwtAuthSettings,
    @Inject(JWT_AUTH_CLOCK) private readonly clock: JwtAuthClock,
    @Inject(JWT_AUTH_METRICS) private readonly metrics: JwtAuthMetrics,
    private readonly discovery: RevocationFeedDiscovery,
  ) {
    this.startedAt = clock();
    this.uri = settings.revocationFeedUri;
  }

  /** A feed is known (configured or discovered): tokens are checked against it. */
  get enabled(): boolean {
    return this.uri !== undefined;
  }

  /** The feed polled, configured or discovered; undefined while none is known. */
  get feedUri(): string | undefined {
    return this.uri;
  }

  /** How the feed is being found: `off` when configured or turned off; for health checks and tests. */
  get discoveryState(): FeedDiscoveryState {
    return this.discovery.state;
  }

  /** Entries held (sessions, tokens and clients). */
  get size(): number {
    return this.index.size;
  }

  /** Milliseconds since the feed was last read (since start when never). */
  get ageMs(): number {
    return Math.max(0, this.clock() - (this.lastRead ?? this.startedAt));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.startedAt = this.clock();
    if (this.enabled) return this.follow();
    this.discovery.start({
      found: (uri) => {
        if (this.stopped) return;
        this.uri = uri;
        void this.follow();
      },
      // No feed to read yet: counted as a failed poll, so the feed's age (since start) shows on the metrics.
      failed: () => this.metrics.revocationFeed?.('error', this.ageMs / 1000),
    });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.discovery.stop();
  }

  /** The first full read, then a poll every `revocationPollInterval`. */
  private async follow(): Promise<void> {
    await this.poll();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.poll(), this.settings.revocationPollInterval);
    this.timer.unref();
  }

  /**
   * Refuses a verified caller whose token the feed lists (TokenInvalidError, reason `revoked: ...`),
   * or any caller when the list is older than `revocationMaxStaleness` (RevocationFeedStaleError),
   * which while discovery is still looking for the feed means that long after start.
   */
  check(caller: AuthenticatedCaller): void {
    if (this.uri === undefined) {
      // While discovery has not found the feed yet, the staleness bound runs from start.
      if (this.settings.revocationMaxStaleness > 0 && this.discovery.awaiting) this.refuseWhenStale();
      return;
    }
    this.refuseWhenStale();
    const reason = this.index.reasonFor(caller);
    if (reason) throw new TokenInvalidError(`revoked: ${reason}`);
  }

  /** One poll; concurrent calls share it. Never rejects; `error` while no feed is known. */
  poll(): Promise<RevocationFeedResult> {
    if (this.uri === undefined) return Promise.resolve('error');
    this.polling ??= this.read(this.uri).finally(() => (this.polling = undefined));
    return this.polling;
  }

  private refuseWhenStale(): void {
    const maxStaleness = this.settings.revocationMaxStaleness;
    if (maxStaleness <= 0 || this.ageMs <= maxStaleness) return;
    const age = Math.round(this.ageMs / 1000);
    const limit = `limit ${maxStaleness / 1000} s`;
    throw new RevocationFeedStaleError(
      this.uri === undefined
        ? `no revocation feed known ${age} s after start: the issuer's metadata could not be read (${limit})`
        : `the revocation feed was last read ${age} s ago (${limit})`,
    );
  }

  private async read(base: string): Promise<RevocationFeedResult> {
    const uri = this.cursor === undefined ? base : `${base}${base.includes('?') ? '&' : '?'}since=${encodeURIComponent(this.cursor)}`;
    let result: RevocationFeedResult;
    try {
      const answer = await fetchFeed(uri, this.cursor === undefined ? undefined : this.etag, {
        timeoutMs: this.settings.jwksTimeout,
        maxBytes: DEFAULT_REVOCATION_FEED_MAX_BYTES,
        issuer: this.settings.issuer,
      });
      if (answer.status === 'ok') {
        if (answer.full) this.index.replace(answer.entries);
        else this.index.add(answer.entries);
        this.cursor = answer.cursor;
        this.etag = answer.etag;
      }
      this.lastRead = this.clock();
      result = answer.status;
    } catch (error: unknown) {
      this.warn(error instanceof Error ? error.message : String(error));
      result = 'error';
    }
    this.index.prune(Math.floor(this.clock() / 1000));
    this.metrics.revocationFeed?.(result, this.ageMs / 1000);
    return result;
  }

  private warn(problem: string): void {
    const now = this.clock();
    const kept = `keeping the last list of ${this.index.size} entries, ${Math.round(this.ageMs / 1000)} s old`;
    if (now - this.lastWarning < WARNING_INTERVAL_MS) {
      this.logger.debug(`revocation feed unreadable (${problem}); ${kept}`);
      return;
    }
    this.lastWarning = now;
    this.logger.warn(`revocation feed ${this.uri} unreadable (${problem}); ${kept}`);
  }
}
