import { MINUTE_MS } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { sessionsConfig } from '../config/sessions.config.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { CLOCK, type Clock } from '../time/clock.js';
import { generateOpaqueSecret, hashOpaqueSecret, OPAQUE_SECRET } from './opaque-secret.js';
import { type SsoSession, SsoSessionRepository } from './sso-session.repository.js';

/** A session and the cookie secret that names it: the secret goes to the browser once, never stored. */
export interface SignedIn {
  session: SsoSession;
  secret: string;
}

/**
 * Single sign-on sessions of the hosted pages (docs/oidc.md "Sessions"): one per browser
 * sign-in, `SSO_SESSION_TTL` from its start; the app sessions started from it end with it.
 */
@Injectable()
export class SsoSessionsService {
  constructor(
    private readonly repository: SsoSessionRepository,
    private readonly appSessions: SessionsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(sessionsConfig.KEY) private readonly config: ConfigType<typeof sessionsConfig>,
  ) {}

  get ttlSeconds(): number {
    return Math.floor(this.config.ssoSessionTtlMs / 1000);
  }

  /** The live session of a cookie value, if any. */
  async fromCookie(secret: string | undefined): Promise<SsoSession | undefined> {
    if (secret === undefined || !OPAQUE_SECRET.test(secret)) return undefined;
    return this.repository.findLive(hashOpaqueSecret(secret), this.clock.now());
  }

  findLive(id: string): Promise<SsoSession | undefined> {
    return this.repository.findLiveById(id, this.clock.now());
  }

  /**
   * After a password check: the same user's live session gets a new secret and `auth_time` (so a
   * cookie planted before sign-in is worthless: no session fixation); another user's is ended and a
   * new one started.
   */
  async signedIn(userId: string, current: SsoSession | undefined): Promise<SignedIn> {
    const now = this.clock.now();
    const secret = generateOpaqueSecret();
    if (current && current.userId === userId && (await this.repository.renew(current.id, hashOpaqueSecret(secret), now))) {
      return { session: { ...current, authTime: now }, secret };
    }
    if (current) await this.end(current.id);
    const session: SsoSession = { id: randomUUID(), userId, authTime: now, expiresAt: now + this.config.ssoSessionTtlMs };
    await this.repository.insert(session, hashOpaqueSecret(secret), now);
    return { session, secret };
  }

  /**
   * Ends the SSO session, then every app session started from it (their `sid`s enter the revocation
   * feed). The SSO session goes first: no code is redeemed for it afterwards; `prune` mends a crash between.
   */
  async end(id: string, reason = 'logout'): Promise<number> {
    await this.repository.end(id, this.clock.now());
    return this.appSessions.revokeAllForSso(id, reason);
  }

  /**
   * Forgets ended and expired sessions, and mends what `end` may have left: before an ended
   * session's row goes, every app session still live in it is ended — one left by a crash between
   * the two steps of `end`, or started by a code redeemed while the logout ran (a no-op otherwise).
   * Sessions ended in the last minute wait for the next run, so an `end` in progress finishes first.
   */
  async prune(now: number): Promise<number> {
    const settled = now - MINUTE_MS;
    for (const id of await this.repository.endedBy(settled)) await this.appSessions.revokeAllForSso(id, 'logout');
    return this.repository.prune(now, settled);
  }
}
