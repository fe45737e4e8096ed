import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, setting } from '../environment.js';

/** The one boolean vocabulary of every variable (docs/configuration.md), compared case-insensitively. */
export const TRUE_WORDS = ['true', '1', 'yes', 'on'] as const;
export const FALSE_WORDS = ['false', '0', 'no', 'off'] as const;

const TRUE = new Set<string>(TRUE_WORDS);
const FALSE = new Set<string>(FALSE_WORDS);

/** `true/false`, `1/0`, `yes/no` or `on/off` in any case; unset or blank gives `fallback`. */
export function boolean(env: Environment, name: string, fallback: boolean): boolean {
  const value = setting(env, name);
  if (value === undefined) return fallback;
  if (TRUE.has(value.toLowerCase())) return true;
  if (FALSE.has(value.toLowerCase())) return false;
  throw new ConfigValidationError(name, `must be a boolean: true/false, 1/0, yes/no or on/off (got "${value}")`);
}
