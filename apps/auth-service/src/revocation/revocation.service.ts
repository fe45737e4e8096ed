import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CLOCK, type Clock } from '../time/clock.js';
import { tokensConfig } from '../config/tokens.config.js';
import type { Queryable } from '../database/database.js';
import { type NewRevocation, type Revocation, RevocationRepository } from './revocation.repository.js';

/** The longest ACCESS_TOKEN_TTL accepted (tokens.config.ts). */
const MAX_TOKEN_LIFETIME_MS = 86_400_000;

/** One answer of the feed, before it becomes JSON. */
export interface FeedPage {
  cursor: number;
  full: boolean;
  entries: Revocation[];
}

/**
 * What revokes what, as feed entries (docs/revocation.md). An entry lives until every token it can
 * affect has expired: a session's or a client's tokens were all issued before the revocation, so they
 * are gone by `revoked_at + ACCESS_TOKEN_TTL + CLOCK_TOLERANCE`; one token by its own `exp` + tolerance.
 */
@Injectable()
export class RevocationService {
  /** How long a session or client entry is kept: ACCESS_TOKEN_TTL + CLOCK_TOLERANCE. */
  readonly retentionMs: number;
  private readonly toleranceMs: number;

  constructor(
    private readonly repository: RevocationRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
  ) {
    this.toleranceMs = tokens.clockToleranceMs;
    this.retentionMs = tokens.accessTokenTtlMs + tokens.clockToleranceMs;
  }

  /** Entries for sessions ended at `now`, to record in the transaction that ends them. */
  sessions(ids: readonly string[], now: number): NewRevocation[] {
    return ids.map((value) => ({ type: 'sid', value, revokedAt: now, expiresAt: now + this.retentionMs }));
  }

  /** Records session entries inside the caller's transaction. */
  recordSessions(tx: Queryable, ids: readonly string[], now: number): Promise<void> {
    return this.repository.record(tx, this.sessions(ids, now));
  }

  /** One access token (`jti`) until its `exp` (NumericDate) plus the clock tolerance. */
  async revokeToken(jti: string, exp: number): Promise<void> {
    const now = this.clock.now();
    // Capped at the longest lifetime ACCESS_TOKEN_TTL allows, whatever `exp` a token of ours carries.
    const expiresAt = Math.min(exp * 1000, now + MAX_TOKEN_LIFETIME_MS) + this.toleranceMs;
    if (expiresAt <= now) return;
    await this.repository.add([{ type: 'jti', value: jti, revokedAt: now, expiresAt }]);
  }

  /** Every token of a client issued before now (disabled or removed). */
  async revokeClient(clientId: string): Promise<void> {
    const now = this.clock.now();
    await this.repository.add([{ type: 'client_id', value: clientId, revokedAt: now, expiresAt: now + this.retentionMs }]);
  }

  /** Whether an access token's `jti` is listed (introspection answers such a token `active: false`). */
  isTokenRevoked(jti: string): Promise<boolean> {
    return this.repository.isListed('jti', jti, this.clock.now());
  }

  /** The latest cursor: what the ETag is made of. */
  latest(): Promise<number> {
    return this.repository.latest();
  }

  /**
   * Entries after `since`, up to the latest cursor read first (so nothing above the cursor returned
   * is skipped); every live entry when `since` is absent or beyond the latest cursor (another
   * database, or one restored from a backup).
   */
  async page(since: number | undefined, latest?: number): Promise<FeedPage> {
    const upTo = latest ?? (await this.repository.latest());
    const full = since === undefined || since > upTo;
    const entries = await this.repository.live(full ? 0 : since, upTo, this.clock.now());
    return { cursor: upTo, full, entries };
  }

  prune(): Promise<number> {
    return this.repository.prune(this.clock.now());
  }
}
