import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import type { AuthenticatedCaller } from '@app/contracts';
import { JWT_AUTH_CLOCK, JWT_AUTH_SETTINGS } from '../jwt-auth.constants.js';
import { TokenInvalidError } from '../jwt-auth.errors.js';
import type { JwtAuthClock, JwtAuthSettings } from '../interfaces/jwt-auth-options.interface.js';
import { toAuthenticatedUser } from './authenticated-user.js';
import { checkClaimTimes } from './claim-times.js';
import { checkClaimsSet } from './claims-set.js';
import { decodeJsonSegment } from './compact-jws.js';
import { verifyJwsSignature } from './jws-signature.js';
import { keyAcceptsAlgorithm } from './key-algorithm.js';
import { SigningKeyResolver, type ResolvedKey } from './signing-key.resolver.js';
import { readTrustedHeader, type TrustedHeader } from './token-header.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * Verifies an access token and returns the user it authenticates, with node:crypto and checks of
 * its own (jose is not on this path; it signs on the auth side). Pure: it reads the token, the
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

  /**
   * The caller the token authenticates. Only an unknown `kid` waits (the key set is read, bounded):
   * a cached token and a key of the fresh set are answered without any I/O.
   */
  async verify(token: string): Promise<AuthenticatedCaller> {
    const cached = this.verified.get(token);
    if (cached) return cached;
    const header = readTrustedHeader(token, this.settings.algorithms);
    return this.accept(token, header, this.keys.known(header.kid) ?? (await this.keys.resolve(header.kid)));
  }

  private accept(token: string, header: TrustedHeader, resolved: ResolvedKey): AuthenticatedCaller {
    const payload = this.verifySignedClaims(header, resolved);
    const user = toAuthenticatedUser(payload);
    this.verified.remember(token, user, resolved, payload);
    return user;
  }

  /**
   * The order is fixed (docs/security-model.md, "The verification path"): the key must fit the
   * algorithm, then the signature (once, synchronously), and only a signed payload is decoded and
   * its claims read, so a forged token costs no more than a valid one and is refused as forged.
   */
  private verifySignedClaims({ alg, header, jws }: TrustedHeader, resolved: ResolvedKey): JWTPayload {
    if (!keyAcceptsAlgorithm(resolved.key, resolved.jwkAlg, alg)) {
      const kind = resolved.jwkAlg ?? resolved.key.asymmetricKeyType;
      throw new TokenInvalidError(`key ${resolved.kid} (${kind}) does not do ${alg}`);
    }
    verifyJwsSignature(alg, resolved.key, jws.signingInput, jws.signature);
    const payload = decodeJsonSegment(jws.payload);
    if (!payload) throw new TokenInvalidError('malformed payload (not canonical base64url of a UTF-8 JSON object)');
    const now = Math.floor(this.clock() / 1000);
    const tolerance = this.settings.clockTolerance;
    checkClaimsSet(header, payload, { issuer: this.settings.issuer, audience: this.settings.audience, clockTolerance: tolerance, now });
    checkClaimTimes(payload, { now, tolerance, maxTokenAge: this.settings.maxTokenAge });
    return payload;
  }
}
