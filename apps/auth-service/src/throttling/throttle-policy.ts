import type { ThrottlePolicy } from '../config/throttle.config.js';

/** One failure counter (an account, an address) as stored. */
export interface CounterState {
  failures: number;
  lastFailureAt: number;
  /** Epoch ms until which attempts are refused; in the past (or 0) when not locked. */
  lockedUntil: number;
}

/** Milliseconds until the counter lets attempts through again; 0 when it does now. */
export function lockedFor(state: CounterState | undefined, now: number): number {
  return state && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

/** When a counter is forgotten: `windowMs` after its last failure or the end of its lockout, whichever is later. */
export function forgetAt(state: CounterState, policy: ThrottlePolicy): number {
  return Math.max(state.lastFailureAt, state.lockedUntil) + policy.windowMs;
}

/**
 * The counter after one more failure. The `maxFailures`-th failure locks it for `lockoutMs`; once that
 * ends, each further failure locks it again for twice as long as the previous lockout, up to
 * `maxLockoutMs`. A counter left alone for `windowMs` starts from zero.
 */
export function afterFailure(state: CounterState | undefined, policy: ThrottlePolicy, now: number): CounterState {
  const current = state && now < forgetAt(state, policy) ? state : undefined;
  const failures = (current?.failures ?? 0) + 1;
  const lockoutMs = Math.min(policy.lockoutMs * 2 ** Math.max(0, failures - policy.maxFailures), policy.maxLockoutMs);
  const lockedUntil = failures >= policy.maxFailures ? now + lockoutMs : (current?.lockedUntil ?? 0);
  return { failures, lastFailureAt: now, lockedUntil };
}
