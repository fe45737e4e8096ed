import type { JwtAuthClock } from '../interfaces/jwt-auth-options.interface.js';

const MINUTE_MS = 60_000;

/**
 * How many JWKS fetches unknown `kid`s may still start: a token bucket on the verifier's clock,
 * `perMinute` deep and refilled by one every `60 s / perMinute`. Only a fetch actually started takes
 * a token; requests that share a fetch in flight take none. So a flood of made-up `kid`s gets the
 * issuer at most `perMinute` fetches up front and then one per interval, and each of those fetches
 * reads the whole set: a key published during the flood is found by the next one.
 * Counted in integer units (a token is 60,000 units, a millisecond refills `perMinute`): no drift.
 */
export class RefetchBudget {
  private readonly capacity: number;
  private units: number;
  private refilledAt: number;

  constructor(
    private readonly perMinute: number,
    private readonly clock: JwtAuthClock,
  ) {
    this.capacity = perMinute * MINUTE_MS;
    this.units = this.capacity;
    this.refilledAt = clock();
  }

  /** Takes a token if one is left; false means no fetch may start now. */
  tryTake(): boolean {
    const now = this.clock();
    // A clock set back refills nothing; counting restarts from the new time.
    if (now > this.refilledAt) this.units = Math.min(this.capacity, this.units + (now - this.refilledAt) * this.perMinute);
    this.refilledAt = now;
    if (this.units < MINUTE_MS) return false;
    this.units -= MINUTE_MS;
    return true;
  }

  /** Milliseconds until the next token, for the debug reason of a refused `kid`. */
  msUntilNext(): number {
    return Math.max(0, Math.ceil((MINUTE_MS - this.units) / this.perMinute));
  }
}
