import { boolean, DAY_MS, defineNamespace, dpopProofWindow, duration, httpUrl, integer, list, MINUTE_MS, setting, trustedUrl } from '@app/config';
import { isJwsAlgorithm, joinUrl, type JwsAlgorithm, SUPPORTED_ALGORITHMS } from '@app/contracts';

/** What the verifier (`@app/jwt-auth`) checks tokens against, and how it reads the issuer's keys (`verifier` namespace). */
export interface VerifierConfig {
  issuer: string;
  audience: string;
  jwksUri: string;
  /** Seconds of leeway on `exp`/`nbf`. */
  clockToleranceSeconds: number;
  algorithms: JwsAlgorithm[];
  /** Longest token lifetime `exp - iat` accepted, seconds (JWT_MAX_TOKEN_AGE). */
  maxTokenAgeSeconds: number;
  jwksCacheMaxAgeMs: number;
  jwksRequestsPerMinute: number;
  jwksTimeoutMs: number;
  /** Largest JWKS body read (JWKS_MAX_BYTES). */
  jwksMaxBytes: number;
  /** Verified tokens remembered by the verifier (0 = no cache). */
  verifiedTokenCacheSize: number;
  /** DPOP_PROOF_WINDOW, seconds (docs/dpop.md). */
  dpopProofWindowSeconds: number;
  /** DPOP_REQUIRED: refuse every token sent without a DPoP proof. */
  dpopRequired: boolean;
  /** PUBLIC_URL: the URL clients reach this service at, behind a proxy; the `htu` of their proofs. Undefined: from each request. */
  publicUrl: string | undefined;
}

const DEFAULT_ISSUER = 'http://localhost:3000';

export const verifierConfig = defineNamespace('verifier', (env): VerifierConfig => {
  const issuer = trustedUrl(env, 'AUTH_ISSUER', { fallback: DEFAULT_ISSUER, localFallback: true });
  return {
    issuer,
    audience: setting(env, 'AUTH_AUDIENCE') ?? 'resource-service',
    jwksUri: trustedUrl(env, 'JWKS_URI', { fallback: joinUrl(issuer, '.well-known/jwks.json') }),
    clockToleranceSeconds: duration(env, 'CLOCK_TOLERANCE', { fallback: '30s', min: 0, max: 5 * MINUTE_MS }) / 1000,
    algorithms: [
      ...new Set(list(env, 'JWT_ALGORITHMS', { fallback: SUPPORTED_ALGORITHMS, entry: `one of ${SUPPORTED_ALGORITHMS.join(', ')}`, parse: algorithm })),
    ],
    maxTokenAgeSeconds: duration(env, 'JWT_MAX_TOKEN_AGE', { fallback: '1d', min: 1000, max: 365 * DAY_MS }) / 1000,
    jwksCacheMaxAgeMs: duration(env, 'JWKS_CACHE_MAX_AGE', { fallback: '10m', min: 1, max: DAY_MS }),
    jwksRequestsPerMinute: integer(env, 'JWKS_REQUESTS_PER_MINUTE', { fallback: 10, min: 1, max: 10_000 }),
    jwksTimeoutMs: duration(env, 'JWKS_TIMEOUT', { fallback: '5s', min: 1, max: MINUTE_MS }),
    jwksMaxBytes: integer(env, 'JWKS_MAX_BYTES', { fallback: 512 * 1024, min: 1024, max: 64 * 1024 * 1024 }),
    verifiedTokenCacheSize: integer(env, 'JWT_VERIFIED_CACHE_SIZE', { fallback: 10_000, min: 0, max: 1_000_000 }),
    dpopProofWindowSeconds: dpopProofWindow(env) / 1000,
    dpopRequired: boolean(env, 'DPOP_REQUIRED', false),
    publicUrl: setting(env, 'PUBLIC_URL') === undefined ? undefined : httpUrl(env, 'PUBLIC_URL', ''),
  };
});

function algorithm(name: string): JwsAlgorithm | undefined {
  return isJwsAlgorithm(name) ? name : undefined;
}
