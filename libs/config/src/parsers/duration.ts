import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, setting } from '../environment.js';
import { parseDuration } from '@app/contracts';

export interface DurationRule {
  /** The default, written as an operator would (`15m`). */
  fallback: string;
  /** Bounds, milliseconds, both included. */
  min: number;
  max: number;
}

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
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
