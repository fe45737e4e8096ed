import { ConfigValidationError } from '../config-validation.error.js';
import { type Environment, isProduction, setting } from '../environment.js';
import { list } from './list.js';

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

/** The variable naming the hosts a trusted URL may reach over plain http in production. */
export const ALLOW_INSECURE_HTTP = 'ALLOW_INSECURE_HTTP';

/** A host name or IPv4 address as `new URL()` writes it: labels of letters, digits, `-` and `_`, dot-separated. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * ALLOW_INSECURE_HTTP: comma-separated host names (no scheme, port or wildcard), lower-cased; unset
 * gives none. Validated whatever NODE_ENV is, so a typo does not wait for production to show.
 */
export function insecureHttpHosts(env: Environment): string[] {
  return list(env, ALLOW_INSECURE_HTTP, {
    fallback: [],
    entry: 'a host name such as auth-service (no scheme, port or wildcard)',
    parse: (item) => (HOST_NAME.test(item.toLowerCase()) ? item.toLowerCase() : undefined),
  });
}

/** `localhost`, 127.0.0.0/8 or `::1` (as URL.hostname writes them): no network path to intercept. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

export interface TrustedUrlRule {
  /** The value when the variable is unset or blank. */
  fallback: string;
  /** The fallback is for local use only: in production the variable must be set. */
  localFallback?: boolean;
}

/**
 * A URL a service trusts for keys or revocations (AUTH_ISSUER, JWKS_URI, REVOCATION_FEED_URI): an
 * http(s) URL as `httpUrl` reads it and, when NODE_ENV=production, https unless its host is loopback
 * or listed in ALLOW_INSECURE_HTTP (docs/configuration.md "Transport"): anyone on a plain-http path
 * could serve their own keys or an empty revocation list.
 */
export function trustedUrl(env: Environment, name: string, { fallback, localFallback = false }: TrustedUrlRule): string {
  const allowed = insecureHttpHosts(env);
  if (!isProduction(env)) return httpUrl(env, name, fallback);
  if (localFallback && setting(env, name) === undefined) {
    throw new ConfigValidationError(name, `must be set when NODE_ENV=production (the default ${fallback} is for local use only)`);
  }
  const value = httpUrl(env, name, fallback);
  const { protocol, hostname } = new URL(value);
  if (protocol === 'http:' && !isLoopbackHost(hostname) && !allowed.includes(hostname)) {
    throw new ConfigValidationError(
      name,
      `must be an https URL when NODE_ENV=production (got "${value}"); plain http is allowed only to a loopback host or one named in ${ALLOW_INSECURE_HTTP}`,
    );
  }
  return value;
}
