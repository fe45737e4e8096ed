import type { JWTPayload } from 'jose';
import { TokenInvalidError } from '../jwt-auth.errors.js';

const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;

export interface ClaimTimeLimits {
  /** The verifier's clock, whole seconds since the epoch (as jose reads it). */
  now: number;
  /** Leeway on `iat`, seconds: the same clock tolerance as on `exp` and `nbf`. */
  tolerance: number;
  /** Longest lifetime `exp - iat` accepted, seconds. */
  maxTokenAge: number;
}

/**
 * The time checks jose leaves to the application, run after jose has verified the signature, the
 * presence of `iat`/`nbf`/`exp` (required claims), that they are JSON numbers, `nbf <= now + tolerance`
 * and `exp > now - tolerance`. jose accepts any number, so `exp: 1e400` (Infinity once parsed) never
 * expires; and it checks `iat` only with its `maxTokenAge` option, which bounds `now - iat`, not the
 * lifetime. Refused here (docs/security-model.md "Claims"):
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
