import { ACCESS_TOKEN_TYPE, MAX_TOKEN_LENGTH, SUPPORTED_ALGORITHMS } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { jwtVerify, type JWTPayload } from 'jose';
import { CLOCK, type Clock } from '../time/clock.js';
import { tokensConfig } from '../config/tokens.config.js';
import { localKeySet } from '../keys/jwks-document.js';
import { KEY_STORE, type KeyStore } from '../keys/key-store.js';

/**
 * Reads an access token only if we issued it and it is valid now: signed by a key of our own JWKS,
 * our issuer, `typ: at+jwt`, within its times. The inverse of TokenService, for introspection and
 * RFC 7009 revocation. A forged or foreign token is never trusted, so nobody can write a `jti` of
 * their choosing to the revocation feed (the public `/auth/revoke` would otherwise let anyone grow it).
 */
@Injectable()
export class AccessTokenReader {
  constructor(
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(tokensConfig.KEY) private readonly config: ConfigType<typeof tokensConfig>,
  ) {}

  /** The verified claims; undefined for anything else (forged, expired, foreign, malformed, a refresh token). */
  async read(token: string): Promise<JWTPayload | undefined> {
    if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) return undefined;
    try {
      const { payload } = await jwtVerify(token, localKeySet(this.keys.jwks()), {
        issuer: this.config.issuer,
        typ: ACCESS_TOKEN_TYPE,
        algorithms: [...SUPPORTED_ALGORITHMS],
        clockTolerance: Math.floor(this.config.clockToleranceMs / 1000),
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        currentDate: new Date(this.clock.now()),
      });
      return payload;
    } catch {
      // Every way a token can fail to be ours and valid gets the same answer: not one of ours.
      return undefined;
    }
  }
}
