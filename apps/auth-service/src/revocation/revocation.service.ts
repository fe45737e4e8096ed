import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CLOCK, type Clock } from '../time/clock.js';
import { MAX_ACCESS_TOKEN_TTL_MS, tokensConfig } from '../config/tokens.config.js';
import { feedBody, type FeedPage } from './revocation-feed.js';
import { RevocationRecorder } from './revocation-recorder.js';
import { type Revocation, RevocationRepository } from './revocation.repository.js';

/**
 * Budgets against a flood of the feed (docs/revocation.md "Budgets"), counted in live `jti` entries:
 * one session's access tokens add at most SESSION_TOKEN_BUDGET, beyond that the session itself is
 * revoked (one `sid` entry); a client's tokens of no session (client credentials) at most
 * CLIENT_TOKEN_BUDGET, beyond that one `client_id` entry cuts every token it was issued so far.
 */
export const SESSION_TOKEN_BUDGET = 3;
export const CLIENT_TOKEN_BUDGET = 20;

/** An access token we issued and verified, as revocation needs it (NumericDates). */
export interface RevocableToken {
  jti: string;
  exp: number;
  iat: number;
  sid?: string;
  clientId: string;
  /**
   * Got by token exchange (it carries `act`): it names the user's session but belongs to the service
   * that exchanged it, so it counts against that client's budget, never the user's session's.
   */
  exchanged?: boolean;
}

/**
 * What revoking an access token did: `listed` it (its `jti`), found it `covered` already (its `jti`,
 * its session or a client entry after its `iat`; nothing written), `expired` (nothing to refuse),
 * cut its client (`client_cut`: one `client_id` entry), or found its session over its budget
 * (`session_over_budget`: nothing written; the caller ends the session, which lists its `sid`).
 */
export type TokenRevocationOutcome = 'listed' | 'covered' | 'expired' | 'client_cut' | 'session_over_budget';

/**
 * The feed (docs/revocation.md): access tokens revoked within the budgets, clients cut, the answers
 * read by verifiers. One token's entry lives until its own `exp` + tolerance; session and client
 * entries as RevocationRecorder says.
 */
@Injectable()
export class RevocationService {
  private readonly toleranceMs: number;
  private readonly issuer: string;
  private full?: { latest: number; body: Buffer; validUntil: number };

  constructor(
    private readonly repository: RevocationRepository,
    private readonly recorder: RevocationRecorder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(tokensConfig.KEY) tokens: ConfigType<typeof tokensConfig>,
  ) {
    this.toleranceMs = tokens.clockToleranceMs;
    this.issuer = tokens.issuer;
  }

  /**
   * Revokes one access token within the budgets (TokenRevocationOutcome). A token already covered
   * writes nothing, so revoking it again, however often, leaves the feed and its cursor as they are;
   * that case is one read, without the writers' lock. The budget is counted and the entry written
   * under the feed's writer lock, so concurrent revocations cannot pass a budget together.
   */
  async revokeToken(token: RevocableToken): Promise<TokenRevocationOutcome> {
    const now = this.clock.now();
    // Capped at the longest lifetime ACCESS_TOKEN_TTL allows, whatever `exp` a token of ours carries.
    const expiresAt = Math.min(token.exp * 1000, now + MAX_ACCESS_TOKEN_TTL_MS) + this.toleranceMs;
    if (expiresAt <= now) return 'expired';
    if (this.covers(await this.repository.listing({ jti: token.jti, sid: token.sid, clientId: token.clientId }, now), token.iat)) return 'covered';
    return this.repository.locked(async (tx) => {
      if (this.covers(await this.repository.listing({ jti: token.jti, sid: token.sid, clientId: token.clientId }, now, tx), token.iat)) return 'covered';
      // A user's own token counts against its session; a client-credentials or exchanged one against its client.
      const sessionSid = token.exchanged ? undefined : token.sid;
      const owner = sessionSid === undefined ? { clientId: token.clientId } : { sid: sessionSid };
      const budget = sessionSid === undefined ? CLIENT_TOKEN_BUDGET : SESSION_TOKEN_BUDGET;
      if ((await this.repository.countTokens(tx, owner, now)) >= budget) {
        if (sessionSid !== undefined) return 'session_over_budget';
        await this.repository.record(tx, [this.recorder.clientEntry(token.clientId, now)]);
        return 'client_cut';
      }
      await this.repository.record(tx, [{ type: 'jti', value: token.jti, revokedAt: now, expiresAt, sid: sessionSid, clientId: token.clientId }]);
      return 'listed';
    });
  }

  /** Every token of a client issued before now (disabled, removed, or over its budget). */
  async revokeClient(clientId: string): Promise<void> {
    await this.repository.add([this.recorder.clientEntry(clientId, this.clock.now())]);
  }

  /** Whether the feed refuses this access token: its `jti`, its session, or its client after its `iat` (introspection). */
  async isTokenRevoked(token: Omit<RevocableToken, 'exp'>): Promise<boolean> {
    return this.covers(await this.repository.listing(token, this.clock.now()), token.iat);
  }

  /**
   * The full answer (no `since`, or one beyond `latest`) as the bytes sent, built once per cursor and
   * kept until an entry in it expires: a full read of an unchanged feed costs no query and no
   * serialization. Any write moves the cursor (deletions only ever come with an insert, or with
   * expiry), so a different `latest` means a different answer.
   */
  async fullDocument(latest: number): Promise<Buffer> {
    const now = this.clock.now();
    if (this.full?.latest === latest && now < this.full.validUntil) return this.full.body;
    const page = await this.page(undefined, latest);
    const body = Buffer.from(JSON.stringify(feedBody(this.issuer, page)));
    const validUntil = page.entries.reduce((earliest, e) => Math.min(earliest, e.expiresAt), Number.POSITIVE_INFINITY);
    this.full = { latest, body, validUntil };
    return body;
  }

  /** The verifier's rule (libs/jwt-auth RevocationIndex): any `jti` or `sid` entry, or a client entry later than `iat`. */
  private covers(listing: ReadonlyArray<Pick<Revocation, 'type' | 'revokedAt'>>, iat: number): boolean {
    return listing.some((e) => e.type !== 'client_id' || iat < Math.ceil(e.revokedAt / 1000));
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
