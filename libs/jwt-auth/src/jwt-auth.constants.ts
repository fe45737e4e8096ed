/** Name under which `JwtAuthStrategy` registers with passport: `AuthGuard('jwt')`. */
export const JWT_AUTH_STRATEGY = 'jwt';

/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_KEY = 'jwt-auth:is-public';

/** Metadata key set by `@RequireScopes()`. */
export const REQUIRED_SCOPES_KEY = 'jwt-auth:required-scopes';

/** Injection token of the validated options, defaults applied (see `resolveJwtAuthOptions`). */
export const JWT_AUTH_SETTINGS = 'JWT_AUTH_SETTINGS';

/** Injection token of the metrics hook (`metrics` option, a no-op by default). */
export const JWT_AUTH_METRICS = 'JWT_AUTH_METRICS';

/** Injection token of the clock the verifier checks `exp`/`nbf` against; override it in tests. */
export const JWT_AUTH_CLOCK = 'JWT_AUTH_CLOCK';

export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
export const DEFAULT_JWKS_REQUESTS_PER_MINUTE = 10;
export const DEFAULT_JWKS_TIMEOUT_MS = 5_000;
/**
 * Largest JWKS body read. A 4096-bit RSA JWK is about 800 bytes, so 512 KiB holds several hundred keys
 * where an issuer publishes a handful, and reading it costs about a millisecond and at most a few MB.
 */
export const DEFAULT_JWKS_MAX_BYTES = 512 * 1024;
export const DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;
export const DEFAULT_REVOCATION_POLL_INTERVAL_MS = 5_000;
/**
 * Largest revocation feed body read: an entry is about 100 bytes, so 32 MiB holds some 300,000 live
 * entries, three times the 100,000 revocations per token lifetime the feed is sized for (docs/revocation.md).
 */
export const DEFAULT_REVOCATION_FEED_MAX_BYTES = 32 * 1024 * 1024;
/**
 * Largest issuer metadata document read (feed discovery): the auth-service's is about 1 KB, those of
 * larger providers under 10 KB.
 */
export const DEFAULT_ISSUER_METADATA_MAX_BYTES = 64 * 1024;
/** Longest lifetime `exp - iat` accepted by default, seconds: the auth-service's ACCESS_TOKEN_TTL allows at most one day. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 86_400;

/** Default leeway on `exp`, `nbf` and `iat`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** How many signing keys one read of the set keeps: keys in use and asked for first, then in the order listed. */
export const MAX_KNOWN_KEYS = 64;

/** Claims an access token must carry (docs/sessions.md, "The two tokens"); `username` and `scope` are checked separately. */
export const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti'];

/** How far a DPoP proof's `iat` may be from now (besides the clock tolerance), and how long its `jti` is remembered: 60 s. */
export const DEFAULT_DPOP_PROOF_WINDOW_SECONDS = 60;
