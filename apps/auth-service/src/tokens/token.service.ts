import type { ActorClaim } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../time/clock.js';
import { tokensConfig } from '../config/tokens.config.js';
import { signerFor } from '../keys/jws-signer.js';
import { KEY_STORE, NoSigningKeyError, type KeyStore } from '../keys/key-store.js';
import { AuthMetrics } from '../metrics/auth-metrics.js';
import type { User } from '../users/user.entity.js';

/**
 * Who a token is for (docs/oauth.md "Tokens"): a user acting through a client, with the session the
 * token belongs to; a client acting for itself (client credentials: `sub` = the client id); or a user
 * for whom a service acts (token exchange, docs/service-chains.md): the subject token's user and
 * session, `act` naming the services, and an expiry no later than the subject token's (`notAfter`,
 * seconds since the epoch).
 */
export type TokenSubject = (
  | { kind: 'user'; user: User; clientId: string; sessionId: string; scope: string[]; audience?: string }
  | { kind: 'client'; clientId: string; scope: string[]; audience?: string }
  | {
      kind: 'exchanged';
      user: { id: string; username: string };
      sessionId?: string;
      clientId: string;
      scope: string[];
      audience: string;
      act: ActorClaim;
      notAfter: number;
    }
) & {
  /** The DPoP key the token is bound to (RFC 9449 §6: `cnf.jkt`); undefined: a bearer token. */
  dpopJkt?: string;
};

/** RFC 9449 §5: the `token_type` of a token endpoint answer, `DPoP` for a token bound to a key. */
export function tokenTypeOf(subject: { dpopJkt?: string }): 'DPoP' | 'Bearer' {
  return subject.dpopJkt === undefined ? 'Bearer' : 'DPoP';
}

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  scope: string;
  /** `DPoP` when bound to a key, else `Bearer`: the answer's `token_type`. */
  tokenType: 'DPoP' | 'Bearer';
}

/** Signs RFC 9068 access tokens with the key store's current signing key (`keys/jws-signer.ts`). */
@Injectable()
export class TokenService {
  private readonly audience: string | string[];

  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(tokensConfig.KEY) private readonly config: ConfigType<typeof tokensConfig>,
    private readonly metrics: AuthMetrics,
  ) {
    this.audience = this.config.audiences.length === 1 ? this.config.audiences[0] : this.config.audiences;
  }

  async issue(subject: TokenSubject): Promise<IssuedAccessToken> {
    const key = this.keys.signingKey();
    if (!key) throw new NoSigningKeyError();
    const iat = Math.floor(this.clock.now() / 1000);
    const ttl = Math.floor(this.config.accessTokenTtlMs / 1000);
    const expiresIn = subject.kind === 'exchanged' ? Math.min(ttl, subject.notAfter - iat) : ttl;
    const scope = subject.scope.join(' ');
    const token = await signerFor(key)({
      ...claimsOf(subject, scope),
      iss: this.config.issuer,
      sub: subject.kind === 'client' ? subject.clientId : subject.user.id,
      aud: subject.audience ?? this.audience,
      iat,
      nbf: iat,
      exp: iat + expiresIn,
      jti: randomUUID(),
      ...(subject.dpopJkt === undefined ? {} : { cnf: { jkt: subject.dpopJkt } }),
    });
    this.metrics.tokenIssued(key.alg, key.kid);
    return { token, expiresIn, scope, tokenType: tokenTypeOf(subject) };
  }
}

/** The claims that tell the kinds of subject apart (docs/oauth.md "Tokens"). */
function claimsOf(subject: TokenSubject, scope: string): Record<string, unknown> {
  if (subject.kind === 'client') return { client_id: subject.clientId, scope };
  const user = { username: subject.user.username, ...(subject.sessionId === undefined ? {} : { sid: subject.sessionId }), client_id: subject.clientId, scope };
  return subject.kind === 'exchanged' ? { ...user, act: subject.act } : user;
}
