import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, setting } from '../environment.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, parseDuration, SECOND_MS } from '@app/contracts';

export interface DurationRule {
  /** The default, written as an operator would (`15m`). */
  fallback: string;
  /** Bounds, milliseconds, both included. */
  min: number;
  max: number;
}

const UNITS: Array<[string, number]> = [
  ['d', DAY_MS],
  ['h', HOUR_MS],
  ['m', MINUTE_MS],
  ['s', SECOND_MS],
];

/** Milliseconds as the shortest exact text `parseDuration` reads back: `86400000` gives `1d`, `1500` gives `1500ms`. */
export function formatDuration(ms: number): string {
  const unit = UNITS.find(([, size]) => ms !== 0 && ms % size === 0);
  return unit ? `${ms / unit[1]}${unit[0]}` : `${ms}ms`;
}

/** A duration (`900` seconds, `500ms`, `30s`, `15m`, `12h`, `7d`) within `[min, max]`, in milliseconds. */
export function duration(env: Environment, name: string, { fallback, min, max }: DurationRule): number {
  const value = setting(env, name) ?? fallback;
  const ms = parseDuration(value);
  if (ms === undefined) throw new ConfigValidationError(name, `must be a duration such as 500ms, 30s, 15m, 12h or 7d (got "${value}")`);
  if (ms < min || ms > max) {
    throw new ConfigValidationError(name, `must be between ${formatDuration(min)} and ${formatDuration(max)} (got "${value}")`);
  }
  return ms;
}
