import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { tokensConfig } from '../config/tokens.config.js';
import type { Queryable } from '../database/database.js';
import { type NewRevocation, RevocationRepository } from './revocation.repository.js';

/**
 * The feed's write side for whole sessions and clients, the port a repository receives to list what
 * it ends inside its own transaction (the sessions repository ending a family writes its `sid` with
 * the same commit). It knows how long such an entry lives and nothing of the feed's reading, budgets
 * or cache (RevocationService). An entry lives until every token it can affect has expired: a
 * session's or a client's tokens were all issued before it, so they are gone by `revoked_at` +
 * ACCESS_TOKEN_TTL + CLOCK_TOLERANCE.
 */
@Injectable()
export class RevocationRecorder {
  /** How long a session or client entry is kept: ACCESS_TOKEN_TTL + CLOCK_TOLERANCE. */
  readonly retentionMs: number;

  constructor(
    private readonly repository: RevocationRepository,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
  ) {
    this.retentionMs = tokens.accessTokenTtlMs + tokens.clockToleranceMs;
  }

  /** Entries for sessions ended at `now`. */
  sessionEntries(ids: readonly string[], now: number): NewRevocation[] {
    return ids.map((value) => ({ type: 'sid', value, revokedAt: now, expiresAt: now + this.retentionMs }));
  }

  /** A client entry at `now`: refuses the client's tokens issued before it (verifiers compare whole seconds, rounded up). */
  clientEntry(clientId: string, now: number): NewRevocation {
    return { type: 'client_id', value: clientId, revokedAt: now, expiresAt: now + this.retentionMs };
  }

  /** Lists sessions ended at `now` inside the caller's transaction; returns the entries written. */
  recordSessions(tx: Queryable, ids: readonly string[], now: number): Promise<number> {
    return this.repository.record(tx, this.sessionEntries(ids, now));
  }
}
