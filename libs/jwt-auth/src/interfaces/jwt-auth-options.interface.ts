import type { DurationText, JwsAlgorithm } from '@app/contracts';
import type { DpopNonces } from '../dpop/dpop-nonces.js';
import type { DpopReplayStore } from '../dpop/dpop-replay-store.js';
import type { JwtAuthMetrics } from './jwt-auth-metrics.interface.js';

/**
 * A duration option: text with its unit (`'500ms'`, `'30s'`, `'15m'`, `'12h'`, `'1d'`), as the
 * services' environment writes it, or a bare number in the unit the option's description names
 * (seconds for `clockTolerance` and `maxTokenAge`, milliseconds for the others), as before 0.3.0.
 */
export type JwtAuthDuration = DurationText | number;

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
  /** Leeway on `exp`, `nbf` and `iat` (default `'30s'`; a bare number: seconds). */
  clockTolerance?: JwtAuthDuration;
  /**
   * Longest token lifetime `exp - iat` accepted (default `'1d'`; a bare number: seconds); a token
   * issued for longer is refused, as is one whose `iat` is later than now + `clockTolerance`.
   */
  maxTokenAge?: JwtAuthDuration;
  /** How long a read of the key set is trusted before the next request reads it again (default `'10m'`; a bare number: milliseconds). */
  jwksCacheMaxAge?: JwtAuthDuration;
  /**
   * JWKS fetches unknown `kid`s may cause: this many at once, then one every 60 s / this number
   * (default 10). Requests sharing a fetch in flight count once.
   */
  jwksRequestsPerMinute?: number;
  /** Timeout of one JWKS fetch, connection to last body byte (default `'5s'`; a bare number: milliseconds). */
  jwksTimeout?: JwtAuthDuration;
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
  /** How often the feed is polled (default `'5s'`; a bare number: milliseconds). */
  revocationPollInterval?: JwtAuthDuration;
  /**
   * Fail closed: once the feed has not been read for this long (counted from start while it never
   * was, discovery included), every token is refused with a 503 until it is read again (a bare
   * number: milliseconds). Default 0: off, the last list read stays in force however old.
   */
  revocationMaxStaleness?: JwtAuthDuration;
  /**
   * This service's own client at the issuer (registered `--grant token-exchange --grant client_credentials`),
   * for `DownstreamTokens`: tokens to call the next service for the user (`forUser`, RFC 8693 token
   * exchange) or for itself (`forService`, client credentials). Unset: `DownstreamTokens` refuses to work.
   */
  client?: JwtAuthClientOptions;
  /** DPoP (RFC 9449, docs/dpop.md): always understood; these options tune it. */
  dpop?: JwtAuthDpopOptions;
}

/** `JwtAuthModule.forRoot({ client })`: the service's client id and secret, and how its downstream tokens are fetched and kept. */
export interface JwtAuthClientOptions {
  id: string;
  /** Sent with HTTP Basic (`client_secret_basic`) to the token endpoint only; never logged. */
  secret: string;
  /** Default: the `token_endpoint` of the issuer's metadata, read at the first request. */
  tokenEndpoint?: string;
  /** Tokens kept, least recently used dropped first (default 1,000). */
  cacheSize?: number;
  /** One token request, connection to last body byte (default `'5s'`; a bare number: milliseconds). */
  timeout?: JwtAuthDuration;
  /** A kept token is replaced this long before it expires (default `'30s'`, at most half its lifetime; a bare number: milliseconds). */
  refreshBefore?: JwtAuthDuration;
}

/** `client` after validation: durations in milliseconds. */
export interface JwtAuthClientSettings {
  id: string;
  secret: string;
  tokenEndpoint: string | undefined;
  cacheSize: number;
  timeout: number;
  refreshBefore: number;
}

/** How the verifier checks `Authorization: DPoP` requests and their proofs. */
export interface JwtAuthDpopOptions {
  /** Refuse every token not sent with a DPoP proof (bearer tokens included); default false: only bound tokens need one. */
  required?: boolean;
  /** How old (or how far ahead) a proof's `iat` may be, plus `clockTolerance`; and how long its `jti` is remembered (default `'60s'`; a bare number: seconds). */
  proofWindow?: JwtAuthDuration;
  /**
   * The public origin (and path prefix) clients reach this service at, e.g. `https://api.example.com`,
   * when a proxy in front changes scheme, host or port: the URL a proof must name (`htu`) is this plus
   * the request's path. Default: the request's own scheme, `Host` header and path.
   */
  publicUrl?: string;
  /**
   * Server nonces (RFC 9449 §9): `true` with a secret of this process, or a `DpopNonces` (e.g.
   * `new HmacDpopNonces(sharedSecret)`, so every replica accepts every replica's). Default false.
   */
  nonces?: boolean | DpopNonces;
  /** Where `jti`s are remembered; default a `MemoryDpopReplayStore` of this process (per instance, bounded). */
  replayStore?: DpopReplayStore;
}

/** `dpop` after validation. */
export interface JwtAuthDpopSettings {
  required: boolean;
  /** Seconds. */
  proofWindow: number;
  /** Normalized origin and path prefix, no trailing slash; undefined: from the request. */
  publicUrl: string | undefined;
  /** `true`: nonces of a secret of this process (built with the module's clock). */
  nonces: DpopNonces | true | undefined;
  /** Undefined: a `MemoryDpopReplayStore` of this process (built with the module's clock). */
  replayStore: DpopReplayStore | undefined;
}

/** The options after validation, with every default applied; durations as numbers, in the unit each field names. */
export interface JwtAuthSettings extends Required<
  Omit<JwtAuthModuleOptions, 'algorithms' | 'audience' | 'revocationFeedUri' | 'client' | 'dpop' | DurationOption>
> {
  /** Seconds. */
  clockTolerance: number;
  /** Seconds. */
  maxTokenAge: number;
  /** Milliseconds. */
  jwksCacheMaxAge: number;
  /** Milliseconds. */
  jwksTimeout: number;
  /** Milliseconds. */
  revocationPollInterval: number;
  /** Milliseconds; 0: off. */
  revocationMaxStaleness: number;
  algorithms: readonly JwsAlgorithm[];
  audience: string | string[];
  /** The feed given by `revocationFeedUri`; undefined when it is discovered or off. */
  revocationFeedUri: string | undefined;
  /** Where the issuer's metadata is looked for (in order) to discover the feed; empty: no discovery. */
  issuerMetadataUris: readonly string[];
  /** The service's own client (`DownstreamTokens`); undefined when not configured. */
  client: JwtAuthClientSettings | undefined;
  dpop: JwtAuthDpopSettings;
}

type DurationOption = 'clockTolerance' | 'maxTokenAge' | 'jwksCacheMaxAge' | 'jwksTimeout' | 'revocationPollInterval' | 'revocationMaxStaleness';

/** Milliseconds since the epoch; `Date.now` outside tests. */
export type JwtAuthClock = () => number;
