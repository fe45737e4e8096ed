import { ConfigValidationError, DAY_MS, defineNamespace, duration } from '@app/config';
import { tokensConfig } from './tokens.config.js';

/** How long refresh tokens and the sessions they belong to live (`sessions` namespace). */
export interface SessionsConfig {
  /** Idle lifetime of one refresh token (`REFRESH_TOKEN_TTL`): each rotation starts it again. */
  refreshTokenTtlMs: number;
  /** Absolute end of a session counted from its login (`SESSION_MAX_AGE`); rotation never passes it. */
  maxAgeMs: number;
  /** Lifetime of a single sign-on session of the hosted pages, from its sign-in (`SSO_SESSION_TTL`). */
  ssoSessionTtlMs: number;
}

export const sessionsConfig = defineNamespace('sessions', (env): SessionsConfig => {
  const { refreshTokenTtlMs } = tokensConfig(env);
  const maxAgeMs = duration(env, 'SESSION_MAX_AGE', { fallback: '90d', min: 60_000, max: 3650 * DAY_MS });
  if (maxAgeMs < refreshTokenTtlMs) {
    throw new ConfigValidationError('SESSION_MAX_AGE', `must be at least REFRESH_TOKEN_TTL (${refreshTokenTtlMs} ms), got ${maxAgeMs} ms`);
  }
  const ssoSessionTtlMs = duration(env, 'SSO_SESSION_TTL', { fallback: '12h', min: 60_000, max: 365 * 86_400_000 });
  return { refreshTokenTtlMs, maxAgeMs, ssoSessionTtlMs };
});
