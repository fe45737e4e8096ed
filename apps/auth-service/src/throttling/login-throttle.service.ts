import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CLOCK, type Clock } from '../time/clock.js';
import { throttleConfig, type ThrottlePolicy } from '../config/throttle.config.js';
import { afterFailure, type CounterState, forgetAt, lockedFor } from './throttle-policy.js';
import { type CounterWrite, ThrottleRepository } from './throttle.repository.js';

const accountKey = (username: string) => `login:user:${username}`;
const addressKey = (address: string) => `login:addr:${address}`;
const registerKey = (address: string) => `register:addr:${address}`;

/**
 * The brute-force defence of login and registration, in counters every replica shares.
 * Per username (known or not, so a lockout tells nothing about existence): each attempt is counted
 * as a failure before the password is checked, so a burst of parallel guesses cannot outrun the
 * limit, and a successful login clears the count. Per client address: failed logins, counted after
 * the check, so many users behind one address are not locked out by each other's successes.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly counters: ThrottleRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(throttleConfig.KEY) private readonly config: ConfigType<typeof throttleConfig>,
  ) {}

  /** Milliseconds the caller must wait (the account or the address is locked), or 0 after counting this attempt. */
  beforeLogin(username: string, address: string): Promise<number> {
    const now = this.clock.now();
    const account = accountKey(username);
    const client = addressKey(address);
    return this.counters.update([account, client], (counters) => {
      const waitMs = Math.max(lockedFor(counters.get(account), now), lockedFor(counters.get(client), now));
      if (waitMs > 0) return { result: waitMs, save: [] };
      return { result: 0, save: [this.fail(account, counters.get(account), this.config.loginAccount, now)] };
    });
  }

  /** The password was right: the account's count starts again (the address keeps its failures). */
  loginSucceeded(username: string): Promise<void> {
    return this.counters.clear(accountKey(username));
  }

  loginFailed(address: string): Promise<void> {
    const now = this.clock.now();
    const client = addressKey(address);
    return this.counters.update([client], (counters) => ({
      result: undefined,
      save: [this.fail(client, counters.get(client), this.config.loginAddress, now)],
    }));
  }

  /** Like beforeLogin for registration: every attempt from the address counts, successful or not. */
  beforeRegister(address: string): Promise<number> {
    const now = this.clock.now();
    const key = registerKey(address);
    return this.counters.update([key], (counters) => {
      const waitMs = lockedFor(counters.get(key), now);
      if (waitMs > 0) return { result: waitMs, save: [] };
      return { result: 0, save: [this.fail(key, counters.get(key), this.config.register, now)] };
    });
  }

  private fail(key: string, current: CounterState | undefined, policy: ThrottlePolicy, now: number): CounterWrite {
    const state = afterFailure(current, policy, now);
    return { key, state, forgetAt: forgetAt(state, policy) };
  }
}
