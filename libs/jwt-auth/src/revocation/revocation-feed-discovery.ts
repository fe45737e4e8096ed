import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { DEFAULT_ISSUER_METADATA_MAX_BYTES, JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import { fetchAdvertisedFeed } from './issuer-metadata-fetcher.js';

/**
 * `off`: the feed is configured (or turned off), nothing is discovered. `pending`: the first read of
 * the metadata has not ended. `failing`: no read has succeeded yet, retrying. `found`: the feed is
 * known. `not_advertised`: the metadata names no feed; no revocation check, no more reads.
 */
export type FeedDiscoveryState = 'off' | 'pending' | 'failing' | 'found' | 'not_advertised';

/** Told by discovery what it found; `failed` after each attempt that read no metadata. */
export interface FeedDiscoveryListener {
  found(feedUri: string): void;
  failed(): void;
}

/** Retries after a failed read: 1 s, 2 s, 4 s… up to one a minute, for as long as it fails. */
export const DISCOVERY_RETRY_FIRST_MS = 1_000;
export const DISCOVERY_RETRY_MAX_MS = 60_000;

/** The wait before the next read once `failures` reads in a row have failed (1 or more). */
export function discoveryRetryDelay(failures: number): number {
  return Math.min(DISCOVERY_RETRY_MAX_MS, DISCOVERY_RETRY_FIRST_MS * 2 ** Math.max(0, Math.min(failures - 1, 16)));
}

/**
 * Finds the revocation feed in the issuer's metadata when `revocationFeedUri` is unset
 * (docs/revocation.md, "Discovery"): reads the document in the background (`start` returns at once),
 * each location of `issuerMetadataUris` in turn, bounded by `jwksTimeout` and 64 KiB; until one
 * answers, retries with backoff (`discoveryRetryDelay`). Logs once per change of state: a warning when
 * it starts failing, a line when it finds the feed or learns there is none; each further failure at debug.
 */
@Injectable()
export class RevocationFeedDiscovery {
  private readonly logger = new Logger(RevocationFeedDiscovery.name);
  private readonly shutdown = new AbortController();
  private current: FeedDiscoveryState;
  private discovered?: string;
  private failures = 0;
  private listener?: FeedDiscoveryListener;
  private reading?: Promise<FeedDiscoveryState>;
  private timer?: NodeJS.Timeout;

  constructor(@Inject(JWT_AUTH_SETTINGS) private readonly settings: JwtAuthSettings) {
    this.current = settings.revocationFeedUri === undefined && settings.issuerMetadataUris.length > 0 ? 'pending' : 'off';
  }

  get state(): FeedDiscoveryState {
    return this.current;
  }

  /** No feed known yet, and one may still be found (`pending` or `failing`). */
  get awaiting(): boolean {
    return this.current === 'pending' || this.current === 'failing';
  }

  /** The feed the metadata advertises, once `found`. */
  get feedUri(): string | undefined {
    return this.discovered;
  }

  /** Starts discovering in the background: the first read now, not awaited; retries on its own. */
  start(listener: FeedDiscoveryListener): void {
    if (!this.awaiting || this.listener) return;
    this.listener = listener;
    void this.run();
  }

  /** Ends discovery: the pending retry is cancelled and a read in flight aborted. */
  stop(): void {
    clearTimeout(this.timer);
    this.shutdown.abort();
  }

  /** One read of the metadata, each location in turn; concurrent calls share it. Never rejects. */
  attempt(): Promise<FeedDiscoveryState> {
    if (!this.awaiting || this.shutdown.signal.aborted) return Promise.resolve(this.current);
    this.reading ??= this.read().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async run(): Promise<void> {
    if ((await this.attempt()) !== 'failing' || this.shutdown.signal.aborted) return;
    this.timer = setTimeout(() => void this.run(), discoveryRetryDelay(this.failures));
    this.timer.unref();
  }

  private async read(): Promise<FeedDiscoveryState> {
    const problems: string[] = [];
    for (const uri of this.settings.issuerMetadataUris) {
      try {
        const limits = { timeoutMs: this.settings.jwksTimeout, maxBytes: DEFAULT_ISSUER_METADATA_MAX_BYTES, issuer: this.settings.issuer };
        this.settle(uri, await fetchAdvertisedFeed(uri, { ...limits, signal: this.shutdown.signal }));
        return this.current;
      } catch (error: unknown) {
        if (this.shutdown.signal.aborted) return this.current;
        problems.push(`${uri}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.fail(problems.join('; '));
    return this.current;
  }

  private settle(metadataUri: string, feedUri: string | undefined): void {
    const after = this.failures > 0 ? ` after ${this.failures} failed read(s)` : '';
    if (feedUri === undefined) {
      this.current = 'not_advertised';
      const message = `the issuer's metadata (${metadataUri}) advertises no revocation_feed_endpoint: no revocation check (set revocationFeedUri to name a feed, false to skip this read)`;
      // A staleness bound was asked for, yet there is no feed to bound: say so louder.
      if (this.settings.revocationMaxStaleness > 0) this.logger.warn(`${message}; revocationMaxStaleness has no effect`);
      else this.logger.log(message);
      return;
    }
    this.current = 'found';
    this.discovered = feedUri;
    this.logger.log(`revocation feed ${feedUri} found in the issuer's metadata (${metadataUri})${after}`);
    this.listener?.found(feedUri);
  }

  private fail(problems: string): void {
    this.failures += 1;
    const next = `next read in ${discoveryRetryDelay(this.failures) / 1000} s`;
    if (this.current === 'failing') {
      this.logger.debug(`issuer metadata still unreadable (${problems}); ${next}`);
    } else {
      this.current = 'failing';
      const staleness = this.settings.revocationMaxStaleness;
      const consequence =
        staleness > 0
          ? `tokens are refused (503) once ${staleness / 1000} s have passed without a feed (revocationMaxStaleness)`
          : 'no revocation check until it is read';
      this.logger.warn(`cannot read the issuer's metadata to find its revocation feed (${problems}); ${consequence}; retrying with backoff, ${next}`);
    }
    this.listener?.failed();
  }
}
