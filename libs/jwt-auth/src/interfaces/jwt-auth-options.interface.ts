import type { JwsAlgorithm } from '@app/contracts';
import type { JwtAuthMetrics } from './jwt-auth-metrics.interface.js';

export interface JwtAuthModuleOptions {
  /** Where the issuer publishes its public keys (http or https); default `${issuer}/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Exact `iss` every token must carry. */
  issuer: string;
  /** Accepted `aud` value(s); a token must name at least one. */
  audience: string | string[];
  /**
   * Pinned JWS algorithms; a header `alg` outside this list is refused before any key lookup.
   * Default: every supported asymmetric one (`SUPPORTED_ALGORITHMS`: RS, PS, ES, EdDSA, Ed25519; never HMAC or `none`).
   */
  algorithms?: JwsAlgorithm[];
  /** Leeway on `exp`, `nbf` and `iat`, in seconds (default 30). */
  clockTolerance?: number;
  /**
   * Longest token lifetime `exp - iat` accepted, in seconds (default 86,400: one day); a token
   * issued for longer is refused, as is one whose `iat` is later than now + `clockTolerance`.
   */
  maxTokenAge?: number;
  /** How long a read of the key set is trusted before the next request reads it again, in milliseconds (default 10 minutes). */
  jwksCacheMaxAge?: number;
  /**
   * JWKS fetches unknown `kid`s may cause: this many at once, then one every 60 s / this number
   * (default 10). Requests sharing a fetch in flight count once.
   */
  jwksRequestsPerMinute?: number;
  /** Timeout of one JWKS fetch, connection to last body byte, in milliseconds (default 5000). */
  jwksTimeout?: number;
  /** Largest JWKS body read, in bytes (default 512 KiB); a longer one is cut off and refused, the last good set kept. */
  jwksMaxBytes?: number;
  /** Told every verification outcome and JWKS fetch result (e.g. prom-client counters); default: nothing. */
  metrics?: JwtAuthMetrics;
  /**
   * How many verified tokens to remember, so a token seen again skips the signature check while its
   * key is still confirmed by the key set (default 10,000; 0 turns the cache off). See VerifiedTokenCache.
   */
  verifiedTokenCacheSize?: number;
  /**
   * The issuer's revocation feed (`GET /oauth/revocations` of the auth-service). Unset: discovered in
   * the background from the issuer's metadata (`revocation_feed_endpoint` of its RFC 8414 document),
   * without delaying start or any request; no check while none is known. A URL: that feed, no
   * metadata read. `false`: no revocation check and no metadata read. Tokens whose `sid`, `jti` or
   * `client_id` the feed lists are refused (docs/revocation.md).
   */
  revocationFeedUri?: string | false;
  /** How often the feed is polled, in milliseconds (default 5000). */
  revocationPollInterval?: number;
  /**
   * Fail closed: once the feed has not been read for this many milliseconds (counted from start while
   * it never was, discovery included), every token is refused with a 503 until it is read again.
   * Default 0: off, the last list read stays in force however old.
   */
  revocationMaxStaleness?: number;
}

/** The options after validation, with every default applied. */
export interface JwtAuthSettings extends Required<Omit<JwtAuthModuleOptions, 'algorithms' | 'audience' | 'revocationFeedUri'>> {
  algorithms: readonly JwsAlgorithm[];
  audience: string | string[];
  /** The feed given by `revocationFeedUri`; undefined when it is discovered or off. */
  revocationFeedUri: string | undefined;
  /** Where the issuer's metadata is looked for (in order) to discover the feed; empty: no discovery. */
  issuerMetadataUris: readonly string[];
}

/** Milliseconds since the epoch; `Date.now` outside tests. */
export type JwtAuthClock = () => number;
