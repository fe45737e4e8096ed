import { ACCESS_TOKEN_TYPE } from '@app/contracts';
import { REQUIRED_CLAIMS } from '../jwt-auth.constants.js';
import { TokenExpiredError, TokenInvalidError } from '../jwt-auth.errors.js';

export interface ClaimsSetRules {
  issuer: string;
  audience: string | readonly string[];
  /** Seconds of leeway on `nbf` and `exp`. */
  clockTolerance: number;
  /** The verifier's clock, whole seconds since the epoch. */
  now: number;
}

/** `at+jwt` and `application/at+jwt`, in any letter case, name the same media type (RFC 7515 §4.1.9). */
const EXPECTED_TYPE = mediaType(ACCESS_TOKEN_TYPE);

/**
 * The checks jose's `jwtVerify` made on a token whose signature holds, in jose's order (so a token
 * with several faults is refused for the same one as before): `typ`; presence of every required
 * claim (`iss`, `sub`, `aud`, `exp`, `iat`, `nbf`, `jti`; `null` counts as present); `iss` exactly
 * the issuer; `aud` the audience or a list holding it; `iat`, `nbf`, `exp` JSON numbers;
 * `nbf <= now + tolerance` (else not yet valid); `exp > now - tolerance` (else expired).
 * `checkClaimTimes` and `toAuthenticatedUser` then check what jose left to the application.
 */
export function checkClaimsSet(header: Readonly<Record<string, unknown>>, claims: Readonly<Record<string, unknown>>, rules: ClaimsSetRules): void {
  const { typ } = header;
  if (typeof typ !== 'string' || mediaType(typ) !== EXPECTED_TYPE) throw new TokenInvalidError('unexpected "typ" header value');
  for (const claim of REQUIRED_CLAIMS) {
    if (!Object.hasOwn(claims, claim)) throw new TokenInvalidError(`missing required "${claim}" claim`);
  }
  if (claims.iss !== rules.issuer) throw new TokenInvalidError('unexpected "iss" claim value');
  if (!namesAudience(claims.aud, rules.audience)) throw new TokenInvalidError('unexpected "aud" claim value');

  const { iat, nbf, exp } = claims;
  if (typeof iat !== 'number') throw new TokenInvalidError('"iat" is not a number');
  if (typeof nbf !== 'number') throw new TokenInvalidError('"nbf" is not a number');
  if (nbf > rules.now + rules.clockTolerance) {
    throw new TokenInvalidError(`"nbf" is in the future: ${nbf - rules.now} s ahead, tolerance ${rules.clockTolerance} s`);
  }
  if (typeof exp !== 'number') throw new TokenInvalidError('"exp" is not a number');
  if (exp <= rules.now - rules.clockTolerance) {
    throw new TokenExpiredError(`"exp" has passed: ${rules.now - exp} s ago, tolerance ${rules.clockTolerance} s`);
  }
}

function namesAudience(aud: unknown, audience: string | readonly string[]): boolean {
  const accepted = typeof audience === 'string' ? [audience] : audience;
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && accepted.some((name) => aud.includes(name));
}

function mediaType(typ: string): string {
  const lower = typ.toLowerCase();
  return typ.includes('/') ? lower : `application/${lower}`;
}
