import { DAY_MS, defineNamespace, duration, list, MINUTE_MS, oneOf, trustedUrl } from '@app/config';
import { type JwsAlgorithm, SUPPORTED_ALGORITHMS } from '@app/contracts';

/** The longest ACCESS_TOKEN_TTL accepted: also the longest any token of ours can live (revocation entries are capped by it). */
export const MAX_ACCESS_TOKEN_TTL_MS = DAY_MS;

/** What the issued tokens carry and how long they live (`tokens` namespace). */
export interface TokensConfig {
  issuer: string;
  audiences: string[];
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  algorithm: JwsAlgorithm;
  clockToleranceMs: number;
}

export const tokensConfig = defineNamespace('tokens', (env): TokensConfig => ({
  // Verbatim, trailing slash included: AUTH_ISSUER is the `iss` of every token, which verifiers
  // compare as an exact string (RFC 8414 issuer identity); URLs are derived from it with joinUrl.
  // In production it must be set, and https unless loopback or in ALLOW_INSECURE_HTTP.
  issuer: trustedUrl(env, 'AUTH_ISSUER', { fallback: 'http://localhost:3000', localFallback: true }),
  audiences: list(env, 'AUTH_AUDIENCE', { fallback: ['resource-service'], entry: 'a non-empty name' }),
  algorithm: oneOf(env, 'JWT_ALGORITHM', SUPPORTED_ALGORITHMS, 'RS256'),
  accessTokenTtlMs: duration(env, 'ACCESS_TOKEN_TTL', { fallback: '15m', min: 1000, max: MAX_ACCESS_TOKEN_TTL_MS }),
  clockToleranceMs: duration(env, 'CLOCK_TOLERANCE', { fallback: '30s', min: 0, max: 5 * MINUTE_MS }),
  refreshTokenTtlMs: duration(env, 'REFRESH_TOKEN_TTL', { fallback: '30d', min: MINUTE_MS, max: 365 * DAY_MS }),
}));
