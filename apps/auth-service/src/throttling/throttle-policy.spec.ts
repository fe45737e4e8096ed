import type { ThrottlePolicy } from '../config/throttle.config.js';
import { afterFailure, type CounterState, forgetAt, lockedFor } from './throttle-policy.js';

const MINUTE = 60_000;
const policy: ThrottlePolicy = { maxFailures: 3, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: 60 * MINUTE };

function failures(count: number, now = 0, start?: CounterState): CounterState | undefined {
  let state = start;
  for (let i = 0; i < count; i++) state = afterFailure(state, policy, now);
  return state;
}

describe('throttle policy', () => {
  it('counts failures without locking below maxFailures', () => {
    const state = failures(2, 1000);
    expect(state).toEqual({ failures: 2, lastFailureAt: 1000, lockedUntil: 0 });
    expect(lockedFor(state, 1000)).toBe(0);
  });

  it('locks for lockoutMs at the maxFailures-th failure', () => {
    const state = failures(3, 1000)!;
    expect(state.lockedUntil).toBe(1000 + 5 * MINUTE);
    expect(lockedFor(state, 1000 + MINUTE)).toBe(4 * MINUTE);
    expect(lockedFor(state, 1000 + 5 * MINUTE)).toBe(0);
  });

  it('doubles the lockout with each failure after one ends, capped at maxLockoutMs', () => {
    let state = failures(3, 0)!;
    const lockouts: number[] = [state.lockedUntil];
    for (let i = 0; i < 5; i++) {
      const now = state.lockedUntil;
      state = afterFailure(state, policy, now);
      lockouts.push(state.lockedUntil - now);
    }
    expect(lockouts).toEqual([5, 10, 20, 40, 60, 60].map((m) => m * MINUTE));
  });

  it('never overflows into a lockout longer than the cap', () => {
    const state = failures(2000, 0)!;
    expect(state.lockedUntil).toBe(60 * MINUTE);
  });

  it('forgets a counter windowMs after its last failure or the end of its lockout', () => {
    const counting = failures(2, 0)!;
    expect(forgetAt(counting, policy)).toBe(15 * MINUTE);
    expect(afterFailure(counting, policy, 15 * MINUTE)).toEqual({ failures: 1, lastFailureAt: 15 * MINUTE, lockedUntil: 0 });
    expect(afterFailure(counting, policy, 15 * MINUTE - 1).failures).toBe(3);

    const locked = failures(3, 0)!;
    expect(forgetAt(locked, policy)).toBe(20 * MINUTE);
    // Right after the lockout ends the count is kept, so the next failure locks again (for longer).
    expect(afterFailure(locked, policy, 5 * MINUTE).lockedUntil).toBe(15 * MINUTE);
  });
});
