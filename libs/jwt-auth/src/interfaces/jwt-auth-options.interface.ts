import type { JwsAlgorithm } from '@app/contracts';
import type { JwtAuthMetrics } from './jwt-auth-metrics.interface.js';

export interface JwtAuthModuleOptions {
  /** Where the issuer publishes its public keys (http or https). */
  jwksUri: string;
  /** Exact `iss` every token must carry. */
  issuer: string;
  /** Accepted `aud` value(s); a token must name at least one. */
  audience: string | string[];
  /** Pinned JWS algorithms; a header `alg` outside this list is refused before any key lookup. */
  algorithms: JwsAlgorithm[];
  /** Leeway on `exp` and `nbf`, in seconds. */
  clockTolerance: number;
  /** How long jwks-rsa caches a fetched key, in milliseconds (default 10 minutes). */
  jwksCacheMaxAge?: number;
  /** Upper bound on JWKS fetches per minute caused by unknown `kid`s (default 10). */
  jwksRequestsPerMinute?: number;
  /** Timeout of one JWKS fetch, in milliseconds (default 5000). */
  jwksTimeout?: number;
  /** Told every verification outcome and JWKS fetch result (e.g. prom-client counters); default: nothing. */
  metrics?: JwtAuthMetrics;
  /**
   * How many verified tokens to remember, so a token seen again skips the signature check while its
   * key is still confirmed by the key set (default 10,000; 0 turns the cache off). See VerifiedTokenCache.
   */
  verifiedTokenCacheSize?: number;
}

/** The options after validation, with every default applied. */
export interface JwtAuthSettings extends Required<Omit<JwtAuthModuleOptions, 'algorithms' | 'audience'>> {
  algorithms: readonly JwsAlgorithm[];
  audience: string | string[];
}

/** Milliseconds since the epoch; `Date.now` outside tests. */
export type JwtAuthClock = () => number;
