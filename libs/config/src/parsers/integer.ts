import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, setting } from '../environment.js';

export interface IntegerRule {
  fallback: number;
  min: number;
  max: number;
}

/** A whole number of decimal digits within `[min, max]`; unset or blank gives `fallback`. */
export function integer(env: Environment, name: string, { fallback, min, max }: IntegerRule): number {
  const value = setting(env, name);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigValidationError(name, `must be an integer from ${min} to ${max} (got "${value}")`);
  }
  return parsed;
}

/** A TCP port, 0 (any free port) to 65535. */
export function port(env: Environment, name: string, fallback: number): number {
  return integer(env, name, { fallback, min: 0, max: 65_535 });
}
