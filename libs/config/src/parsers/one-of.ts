import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, setting } from '../environment.js';

/** One of `allowed`, spelled exactly (case included); unset or blank gives `fallback`. */
export function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const value = setting(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigValidationError(name, `must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}
