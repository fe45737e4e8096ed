import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../time/clock.js';
import { sessionsConfig } from '../config/sessions.config.js';
import { generateRefreshToken, hashRefreshToken, isRefreshTokenFormat } from './refresh-token.js';
import { SessionsRepository, type StoredRefreshToken } from './sessions.repository.js';

/**
 * What became of a presented refresh token, for the answer and for metrics:
 * `rotated` it was exchanged; `reused` it had been exchanged before, so its session is now revoked;
 * `expired` it or its session is past its end; `revoked` its session was ended (logout, revocation,
 * reuse, user disabled); `invalid` it is not a refresh token we issued.
 */
export type RefreshOutcome = 'rotated' | 'reused' | 'expired' | 'revoked' | 'invalid';

export interface IssuedRefreshToken {
  /** The token itself: goes to the client once and is never stored or logged. */
  token: string;
  expiresAt: number;
  /** Seconds until `expiresAt`. */
  expiresIn: number;
}

/** A presented token that can be exchanged: returned by `inspect`, consumed by `rotate`. */
export interface ActiveSession {
  familyId: string;
  userId: string;
  clientId: string;
  scope?: string;
  audience?: string;
  /** The DPoP key the session is bound to (public clients that started it with a proof). */
  dpopJkt?: string;
  tokenHash: string;
  familyExpiresAt: number;
}

export interface SessionGrant {
  clientId: string;
  scope?: string;
  audience?: string;
  /** Bind the session's refresh tokens to this DPoP key (docs/dpop.md "Refresh tokens"). */
  dpopJkt?: string;
  /** The single sign-on session the app session is started from (browser sign-in). */
  ssoSessionId?: string;
}

export type Inspection = { outcome: 'active'; session: ActiveSession } | { outcome: Exclude<RefreshOutcome, 'rotated'> };
export type Rotation = { outcome: 'rotated'; refresh: IssuedRefreshToken } | { outcome: Exclude<RefreshOutcome, 'rotated'> };

/**
 * Refresh-token sessions (RFC 9700 4.14): each login starts a family; every refresh token is single
 * use and is replaced on use; presenting a used one again revokes the whole family, since either the
 * client or a thief holds a stolen token and we cannot tell which.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly repository: SessionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(sessionsConfig.KEY) private readonly config: ConfigType<typeof sessionsConfig>,
  ) {}

  /**
   * Starts a session for a user who just logged in through `grant.clientId`; `scope` and `audience`
   * are what its access tokens carry (`scope` as granted, always; `audience` undefined: the default one).
   */
  async start(userId: string, grant: SessionGrant, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
    const now = this.clock.now();
    const familyExpiresAt = now + this.config.maxAgeMs;
    const issued = this.issue(now, familyExpiresAt);
    await this.repository.startFamily(
      { id: familyId, userId, ...grant, createdAt: now, expiresAt: familyExpiresAt },
      { hash: hashRefreshToken(issued.token), familyId, issuedAt: now, expiresAt: issued.expiresAt },
    );
    return issued;
  }

  /** Classifies a presented token; a reused one revokes its family here. Changes nothing else. */
  async inspect(presented: string): Promise<Inspection> {
    if (!isRefreshTokenFormat(presented)) return { outcome: 'invalid' };
    return this.classify(await this.repository.find(hashRefreshToken(presented)));
  }

  /**
   * Exchanges an active token for its successor. Of concurrent calls with one token exactly one gets
   * `rotated`; the others find it used and are treated as reuse.
   */
  async rotate(session: ActiveSession): Promise<Rotation> {
    const now = this.clock.now();
    const issued = this.issue(now, session.familyExpiresAt);
    const successor = { hash: hashRefreshToken(issued.token), familyId: session.familyId, issuedAt: now, expiresAt: issued.expiresAt };
    if (await this.repository.rotate(session.tokenHash, now, successor)) return { outcome: 'rotated', refresh: issued };
    const again = await this.classify(await this.repository.find(session.tokenHash));
    return again.outcome === 'active' ? { outcome: 'invalid' } : again;
  }

  /**
   * Ends the session a token belongs to (any token of it, used or not). False when the token is
   * unknown, or belongs to another client than `clientId` (when given).
   */
  async revoke(presented: string, reason: 'logout' | 'revocation', clientId?: string): Promise<boolean> {
    if (!isRefreshTokenFormat(presented)) return false;
    const found = await this.repository.find(hashRefreshToken(presented));
    if (!found || (clientId !== undefined && found.clientId !== clientId)) return false;
    await this.repository.revokeFamily(found.familyId, this.clock.now(), reason);
    return true;
  }

  /**
   * Ends a session by its id (an access token's `sid` past its revocation budget), as a logout does:
   * its refresh tokens stop working and its `sid` enters the feed, even when the session row is gone
   * already (pruned past its end while a token of it is still live).
   */
  async endSession(sessionId: string, reason: 'revocation'): Promise<void> {
    await this.repository.revokeFamily(sessionId, this.clock.now(), reason, { listAnyway: true });
  }

  /** The session of a presented token if it could be exchanged now; no side effect (introspection). */
  async peek(presented: string): Promise<StoredRefreshToken | undefined> {
    if (!isRefreshTokenFormat(presented)) return undefined;
    const found = await this.repository.find(hashRefreshToken(presented));
    const now = this.clock.now();
    const live = found && found.familyRevokedAt === undefined && found.usedAt === undefined && found.expiresAt > now && found.familyExpiresAt > now;
    return live ? found : undefined;
  }

  /** Whether a session (an access token's `sid`) is neither revoked nor past its end. */
  isLive(sessionId: string): Promise<boolean> {
    return this.repository.isFamilyLive(sessionId, this.clock.now());
  }

  revokeSession(session: ActiveSession, reason: string): Promise<boolean> {
    return this.repository.revokeFamily(session.familyId, this.clock.now(), reason);
  }

  /** Ends every session of a user (disabled by an operator); returns how many were live. */
  revokeAllForUser(userId: string, reason = 'user_disabled'): Promise<number> {
    return this.repository.revokeUser(userId, this.clock.now(), reason);
  }

  /** Ends every app session started from a single sign-on session (its logout, a reused code); returns how many. */
  revokeAllForSso(ssoSessionId: string, reason: string): Promise<number> {
    return this.repository.revokeSso(ssoSessionId, this.clock.now(), reason);
  }

  /** Ends one app session by id (an access token's `sid`); false when it was not live. */
  revokeById(sessionId: string, reason: string): Promise<boolean> {
    return this.repository.revokeFamily(sessionId, this.clock.now(), reason);
  }

  /** Ends every session of a client (disabled or removed by an operator); returns how many were live. */
  revokeAllForClient(clientId: string, reason: string): Promise<number> {
    return this.repository.revokeClient(clientId, this.clock.now(), reason);
  }

  private async classify(found: StoredRefreshToken | undefined): Promise<Inspection> {
    const now = this.clock.now();
    if (!found) return { outcome: 'invalid' };
    if (found.familyRevokedAt !== undefined) return { outcome: 'revoked' };
    if (found.usedAt !== undefined) {
      if (await this.repository.revokeFamily(found.familyId, now, 'reuse')) {
        this.logger.warn(`refresh token reuse: revoked session ${found.familyId} of user ${found.userId}`);
      }
      return { outcome: 'reused' };
    }
    if (found.expiresAt <= now || found.familyExpiresAt <= now) return { outcome: 'expired' };
    return {
      outcome: 'active',
      session: {
        familyId: found.familyId,
        userId: found.userId,
        clientId: found.clientId,
        scope: found.scope,
        audience: found.audience,
        dpopJkt: found.dpopJkt,
        tokenHash: found.tokenHash,
        familyExpiresAt: found.familyExpiresAt,
      },
    };
  }

  /** A new token, valid for REFRESH_TOKEN_TTL but never past the session's absolute end. */
  private issue(now: number, familyExpiresAt: number): IssuedRefreshToken {
    const expiresAt = Math.min(now + this.config.refreshTokenTtlMs, familyExpiresAt);
    return { token: generateRefreshToken(), expiresAt, expiresIn: Math.floor((expiresAt - now) / 1000) };
  }
}
