import type { JWTPayload } from 'jose';
import type { AuthenticatedUser } from '@app/contracts';
import { TokenInvalidError } from '../jwt-auth.errors.js';

/**
 * Builds `request.user` from claims already verified (signature, iss, aud, exp, nbf, typ and presence
 * of the required claims: claims-set.ts, claim-times.ts), checking the types of the claims it reads.
 */
export function toAuthenticatedUser(payload: JWTPayload): AuthenticatedUser {
  const { sub, jti, exp, username, scope } = payload;
  if (!isNonEmptyString(sub)) throw new TokenInvalidError('"sub" is not a non-empty string');
  if (!isNonEmptyString(jti)) throw new TokenInvalidError('"jti" is not a non-empty string');
  if (!isNonEmptyString(username)) throw new TokenInvalidError('"username" is not a non-empty string');
  if (scope !== undefined && typeof scope !== 'string') throw new TokenInvalidError('"scope" is not a string');
  if (typeof exp !== 'number') throw new TokenInvalidError('"exp" is not a number');
  return {
    userId: sub,
    username,
    scopes: scope === undefined ? [] : scope.split(' ').filter((item) => item !== ''),
    tokenId: jti,
    expiresAt: exp,
  };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
