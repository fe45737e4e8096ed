import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, setting } from '../environment.js';

export interface ListRule<T> {
  /** The value when the variable is unset or blank. */
  fallback: readonly T[];
  /** What one entry must be, for the refusal (`an IP address or CIDR block`). */
  entry: string;
  /** The entry's value, or undefined when it is not one; the trimmed text itself when absent. */
  parse?: (item: string) => T | undefined;
}

/**
 * A comma-separated list; blanks around entries are dropped, an empty entry (`a,,b`, `a,`) and an
 * entry `parse` refuses stop the start. Unset or blank gives `fallback`.
 */
export function list<T = string>(env: Environment, name: string, { fallback, entry, parse }: ListRule<T>): T[] {
  const value = setting(env, name);
  if (value === undefined) return [...fallback];
  return value.split(',').map((raw) => {
    const item = raw.trim();
    const parsed = item === '' ? undefined : parse ? parse(item) : (item as T);
    if (parsed === undefined) {
      throw new ConfigValidationError(name, `must be a comma-separated list, each entry ${entry} (got "${item}")`);
    }
    return parsed;
  });
}
