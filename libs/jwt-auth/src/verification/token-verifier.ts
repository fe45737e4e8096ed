import { Inject, Injectable } from '@nestjs/common';
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { ACCESS_TOKEN_TYPE, type AuthenticatedCaller, type JwsAlgorithm } from '@app/contracts';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS, REQUIRED_CLAIMS } from '../jwt-auth.constants.js';
import { TokenExpiredError, TokenInvalidError } from '../jwt-auth.errors.js';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { toAuthenticatedUser } from './authenticated-user.js';
import { checkClaimTimes } from './claim-times.js';
import { keyAcceptsAlgorithm } from './key-algorithm.js';
import { SigningKeyResolver, type ResolvedKey } from './signing-key.resolver.js';
import { readTrustedHeader } from './token-header.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * Verifies an access token and returns the user it authenticates. Pure: it reads the token, the
 * (cached) key set and the clock, and writes nothing but its caches (keys, verified tokens).
 * Throws TokenInvalidError, TokenExpiredError or JwksUnreachableError, whose `reason` says why
 * (the exception filter logs it at debug).
 */
@Injectable()
export class TokenVerifier {
  constructor(
    @Inject(JWT_AUTH_SETTINGS) private readonly settings: JwtAuthSettings,
    @Inject(JWT_AUTH_CLOCK) private readonly clock: JwtAuthClock,
    private readonly keys: SigningKeyResolver,
    private readonly verified: VerifiedTokenCache,
  ) {}

  async verify(token: string): Promise<AuthenticatedCaller> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const { alg, kid } = readTrustedHeader(token, this.settings.algorithms);
    const resolved = await this.keys.resolve(kid);
    const payload = await this.verifySignedClaims(token, resolved, alg);
    const user = toAuthenticatedUser(payload);
    this.verified.remember(token, user, resolved, payload);
    return user;
  }

  private async verifySignedClaims(token: string, resolved: ResolvedKey, alg: JwsAlgorithm): Promise<JWTPayload> {
    if (!keyAcceptsAlgorithm(resolved.key, resolved.jwkAlg, alg)) {
      const kind = resolved.jwkAlg ?? resolved.key.asymmetricKeyType;
      throw new TokenInvalidError(`key ${resolved.kid} (${kind}) does not do ${alg}`);
    }
    const currentDate = new Date(this.clock());
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, resolved.key, {
        algorithms: [alg],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: this.settings.clockTolerance,
        requiredClaims: REQUIRED_CLAIMS,
        currentDate,
      }));
    } catch (error: unknown) {
      if (error instanceof errors.JWTExpired) throw new TokenExpiredError(`jose: ${error.code}: ${error.message}`);
      if (error instanceof errors.JOSEError) throw new TokenInvalidError(`jose: ${error.code}: ${error.message}`);
      throw new TokenInvalidError(`key unusable for ${alg} (${error instanceof Error ? error.name : 'unknown error'})`);
    }
    const now = Math.floor(currentDate.getTime() / 1000);
    checkClaimTimes(payload, { now, tolerance: this.settings.clockTolerance, maxTokenAge: this.settings.maxTokenAge });
    return payload;
  }
}
