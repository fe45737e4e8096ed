import { ACCESS_TOKEN_TYPE } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { CLOCK, type Clock } from '../common/clock.js';
import { tokensConfig } from '../config/tokens.config.js';
import { KEY_STORE, NoSigningKeyError, type KeyStore } from '../keys/key-store.js';
import { AuthMetrics } from '../metrics/auth-metrics.js';
import type { User } from '../users/user.entity.js';

export interface IssuedAccessToken {
  token: string;
  expiresIn: number;
  scope: string;
}

/** Signs RFC 9068 access tokens with the key store's current signing key. */
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

  async issue(user: User): Promise<IssuedAccessToken> {
    const key = this.keys.signingKey();
    if (!key) throw new NoSigningKeyError();
    const iat = Math.floor(this.clock.now() / 1000);
    const expiresIn = Math.floor(this.config.accessTokenTtlMs / 1000);
    const scope = user.scopes.join(' ');
    const token = await new SignJWT({ username: user.username, scope })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.config.issuer)
      .setSubject(user.id)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + expiresIn)
      .setJti(randomUUID())
      .sign(key.privateKey);
    this.metrics.tokenIssued(key.alg, key.kid);
    return { token, expiresIn, scope };
  }
}
