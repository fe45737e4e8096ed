/** Time, injected so that expiry and rotation run on a controllable clock in tests. */
export interface Clock {
  now(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };
