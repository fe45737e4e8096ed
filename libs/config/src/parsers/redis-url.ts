import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, isProduction, setting } from '../environment.js';
import { ALLOW_INSECURE_HTTP, insecureHttpHosts, isLoopbackHost } from './url.js';

/** The database index of a Redis URL's path: `/`, or `/` and decimal digits (node-redis reads it as `SELECT n`). */
const DATABASE_PATH = /^\/?(\d{1,9})?$/;

/**
 * A Redis URL (`redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS), or undefined when
 * unset. It may carry a password, so no message repeats any part of it. When NODE_ENV=production,
 * plain `redis://` only to a loopback host or one named in ALLOW_INSECURE_HTTP, the rule of the
 * trusted http URLs (docs/configuration.md "Transport"): on a plain path anyone could read the
 * password, or answer the service's commands themselves.
 */
export function redisUrl(env: Environment, name: string): string | undefined {
  const allowed = insecureHttpHosts(env);
  const value = setting(env, name);
  if (value === undefined) return undefined;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new ConfigValidationError(name, 'must be a redis:// or rediss:// URL with a host (the value is not repeated: it may hold a password)');
  }
  if (!DATABASE_PATH.test(url.pathname) || url.search !== '' || url.hash !== '') {
    throw new ConfigValidationError(name, 'may have no path but a database number (/0, /1, …), and no query or fragment');
  }
  if (!decodes(url.username) || !decodes(url.password)) {
    throw new ConfigValidationError(name, 'has a user or password that is not valid percent-encoding (write a % in it as %25)');
  }
  const host = url.hostname.toLowerCase();
  if (isProduction(env) && url.protocol === 'redis:' && !isLoopbackHost(host) && !allowed.includes(host)) {
    throw new ConfigValidationError(
      name,
      `must be a rediss:// (TLS) URL when NODE_ENV=production; plain redis:// is allowed only to a loopback host or one named in ${ALLOW_INSECURE_HTTP}`,
    );
  }
  return value;
}

function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}
