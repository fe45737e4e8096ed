import type { JWTPayload } from 'jose';
import { TokenInvalidError } from '../jwt-auth.errors.js';

const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;

export interface ClaimTimeLimits {
  /** The verifier's clock, whole seconds since the epoch (milliseconds floored). */
  now: number;
  /** Leeway on `iat`, seconds: the same clock tolerance as on `exp` and `nbf`. */
  tolerance: number;
  /** Longest lifetime `exp - iat` accepted, seconds. */
  maxTokenAge: number;
}

/**
 * The time checks after `checkClaimsSet` (claims-set.ts: presence of `iat`/`nbf`/`exp`, JSON numbers,
 * `nbf <= now + tolerance`, `exp > now - tolerance`, the checks jose's `jwtVerify` made). A JSON-number
 * check accepts `exp: 1e400` (Infinity once parsed), which would never expire, and bounds nothing
 * about `iat`. Refused here (docs/security-model.md "The verification path"):
 * - an `iat`, `nbf` or `exp` that is not a NumericDate: a finite number, zero or more;
 * - an `iat` later than now + tolerance (a token from the future);
 * - a lifetime `exp - iat` above `maxTokenAge` (or `exp` not after `iat`).
 */
export function checkClaimTimes(payload: JWTPayload, limits: ClaimTimeLimits): void {
  for (const claim of TIME_CLAIMS) {
    const value: unknown = payload[claim];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TokenInvalidError(`"${claim}" is not a finite NumericDate of zero or more`);
    }
  }
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (iat > limits.now + limits.tolerance) {
    throw new TokenInvalidError(`"iat" is in the future: ${iat - limits.now} s ahead, tolerance ${limits.tolerance} s`);
  }
  if (exp <= iat || exp - iat > limits.maxTokenAge) {
    throw new TokenInvalidError(`lifetime exp - iat of ${exp - iat} s is outside (0, ${limits.maxTokenAge}] s`);
  }
}
