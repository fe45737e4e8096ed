import { ConfigValidationError, DAY_MS, defineNamespace, duration, HOUR_MS, integer, SECOND_MS } from '@app/config';

/**
 * One counter's rule: `maxFailures` failures lock it for `lockoutMs`, and each further failure after a
 * lockout doubles that, up to `maxLockoutMs`. A counter is forgotten `windowMs` after its last failure
 * or lockout end.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
  maxLockoutMs: number;
}

/** The brute-force counters (`throttle` namespace; docs/sessions.md). */
export interface ThrottleConfig {
  /** Failed logins per username, whether or not the user exists. */
  loginAccount: ThrottlePolicy;
  /** Failed logins per client address (IPv6: per /64). */
  loginAddress: ThrottlePolicy;
  /** Registration attempts per client address, successful or not. */
  register: ThrottlePolicy;
}

export const throttleConfig = defineNamespace('throttle', (env): ThrottleConfig => {
  const windowMs = duration(env, 'LOGIN_FAILURE_WINDOW', { fallback: '15m', min: SECOND_MS, max: 7 * DAY_MS });
  const lockoutMs = duration(env, 'LOGIN_LOCKOUT', { fallback: '5m', min: SECOND_MS, max: DAY_MS });
  const maxLockoutMs = duration(env, 'LOGIN_LOCKOUT_MAX', { fallback: '1h', min: SECOND_MS, max: 7 * DAY_MS });
  if (maxLockoutMs < lockoutMs) {
    throw new ConfigValidationError('LOGIN_LOCKOUT_MAX', `must be at least LOGIN_LOCKOUT (${lockoutMs} ms), got ${maxLockoutMs} ms`);
  }
  const lockouts = { windowMs, lockoutMs, maxLockoutMs };
  return {
    loginAccount: { maxFailures: integer(env, 'LOGIN_MAX_FAILURES', { fallback: 5, min: 1, max: 1000 }), ...lockouts },
    loginAddress: { maxFailures: integer(env, 'LOGIN_ADDRESS_MAX_FAILURES', { fallback: 20, min: 1, max: 100_000 }), ...lockouts },
    register: {
      maxFailures: integer(env, 'REGISTER_MAX_PER_ADDRESS', { fallback: 5, min: 1, max: 10_000 }),
      windowMs: HOUR_MS,
      lockoutMs: HOUR_MS,
      maxLockoutMs: HOUR_MS,
    },
  };
});
