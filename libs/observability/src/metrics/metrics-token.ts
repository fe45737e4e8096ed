import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigValidationError, type Environment, setting } from '@app/config';

/** RFC 6750's b64token, at least 16 characters: what fits `Authorization: Bearer <it>` as written. */
const TOKEN = /^[A-Za-z0-9\-._~+/]{16,}=*$/;

/**
 * METRICS_TOKEN: unset (the default) leaves `/metrics` open; set, a scrape needs
 * `Authorization: Bearer <it>`. The refusal never repeats the value.
 */
export function readMetricsToken(env: Environment): string | undefined {
  const token = setting(env, 'METRICS_TOKEN');
  if (token !== undefined && !TOKEN.test(token)) {
    throw new ConfigValidationError('METRICS_TOKEN', 'must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / (a bearer token; the value is not shown)');
  }
  return token;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an `Authorization` header carries `Bearer <expected>`, compared in constant time (both sides
 * hashed first, so neither the token's length nor its first wrong byte shows in the time taken).
 */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return timingSafeEqual(digest(match?.[1] ?? ''), digest(expected)) && match !== null;
}
