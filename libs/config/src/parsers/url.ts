import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, setting } from '../environment.js';

/** Whether `text` parses as an absolute http: or https: URL. */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * An absolute http(s) URL, returned as written (only surrounding blanks dropped): an issuer is
 * compared as an exact string, trailing slash included (RFC 8414). Unset or blank gives `fallback`.
 */
export function httpUrl(env: Environment, name: string, fallback: string): string {
  const value = setting(env, name) ?? fallback;
  if (!isHttpUrl(value)) throw new ConfigValidationError(name, `must be an http(s) URL (got "${value}")`);
  return value;
}
