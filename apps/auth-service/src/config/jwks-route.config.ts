import { ConfigValidationError, defineNamespace, type Environment, setting } from '@app/config';
import { keysConfig } from './keys.config.js';

/** Where the auth-service serves its JWKS and which extra headers the answer carries (`jwks` namespace). */
export interface JwksRouteConfig {
  /** `JWKS_PATH`: the route of the key set; the metadata's `jwks_uri` is the issuer plus this path. */
  path: string;
  /** `JWKS_HEADERS`: extra answer headers (lower-case name, value), sent on 200 and 304 alike. */
  headers: Array<[string, string]>;
}

export const DEFAULT_JWKS_PATH = '/.well-known/jwks.json';

/** Segments of RFC 3986 unreserved characters: no query, fragment, percent-escape or router syntax (`:`, `*`). */
const PATH_PATTERN = /^(\/[A-Za-z0-9._~-]+)+$/;
/** First segments other routes own (auth, OAuth, health, metrics, the API docs). */
const TAKEN_FIRST_SEGMENTS = new Set(['auth', 'oauth', 'health', 'metrics', 'docs', 'docs-json']);
/** Metadata routes beside the JWKS. */
const TAKEN_PATHS = new Set(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']);

/** RFC 9110 `token`: what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, space and tab: no CR, LF or other control character can split the answer. */
const FIELD_VALUE = /^[\t\x20-\x7e]+$/;

/**
 * Headers an operator may not set on the JWKS answer: connection-level ones (hop-by-hop, framing),
 * what describes the body (`content-*`: it is always JSON, unencoded), the validators the service
 * computes (`etag`, `last-modified`), and what another part owns: helmet's security headers, CORS
 * (`CORS_ORIGINS`), the request id, cookies.
 */
const REFUSED_NAMES = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'http2-settings',
  'etag',
  'last-modified',
  'date',
  'set-cookie',
  'location',
  'www-authenticate',
  'retry-after',
  'x-request-id',
  'strict-transport-security',
  'origin-agent-cluster',
  'referrer-policy',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
]);
const REFUSED_PREFIXES = ['proxy-', 'content-', 'cross-origin-', 'access-control-'];

/** Headers whose directives tell caches how long they may serve the key set. */
const CACHE_HEADERS = new Set(['cache-control', 'cdn-cache-control', 'surrogate-control']);

/**
 * `JWKS_PATH` and `JWKS_HEADERS`. With managed keys, a cache header may not let the key set be
 * served longer than the activation delay: a new key must reach every verifier before it signs
 * (docs/key-rotation.md, invariant 1).
 */
export const jwksConfig = defineNamespace('jwks', (env): JwksRouteConfig => {
  const keys = keysConfig(env);
  const maxCacheSeconds = keys.source === 'managed' ? Math.floor(keys.managed.activationDelayMs / 1000) : undefined;
  return { path: jwksPath(env), headers: jwksHeaders(env, maxCacheSeconds) };
});

function jwksPath(env: Environment): string {
  const path = setting(env, 'JWKS_PATH') ?? DEFAULT_JWKS_PATH;
  const segments = path.split('/').slice(1);
  if (!PATH_PATTERN.test(path) || segments.some((segment) => segment === '.' || segment === '..')) {
    throw new ConfigValidationError(
      'JWKS_PATH',
      `must be an absolute path of letters, digits and "-._~" segments, without query or trailing slash (got "${path}")`,
    );
  }
  if (TAKEN_FIRST_SEGMENTS.has(segments[0].toLowerCase()) || TAKEN_PATHS.has(path.toLowerCase())) {
    throw new ConfigValidationError('JWKS_PATH', `collides with another route of the auth-service (got "${path}")`);
  }
  return path;
}

/** `Name=value` entries separated by `;` (a value cannot hold `;`), e.g. `Cache-Control=public, max-age=60; CDN-Cache-Control=max-age=30`. */
function jwksHeaders(env: Environment, maxCacheSeconds: number | undefined): Array<[string, string]> {
  const text = setting(env, 'JWKS_HEADERS');
  if (text === undefined) return [];
  const headers = new Map<string, string>();
  for (const entry of text.split(';')) {
    if (entry.trim() === '') continue;
    const split = entry.indexOf('=');
    const name = entry.slice(0, Math.max(split, 0)).trim();
    const value = entry.slice(split + 1).trim();
    if (split < 0 || !TOKEN.test(name)) {
      throw new ConfigValidationError(
        'JWKS_HEADERS',
        `must be "Name=value" entries separated by ";", each name an HTTP token (got "${printable(entry.trim())}")`,
      );
    }
    const lower = name.toLowerCase();
    if (!FIELD_VALUE.test(value))
      throw new ConfigValidationError('JWKS_HEADERS', `${name} needs a value of visible ASCII characters, no CR, LF or other control character`);
    if (REFUSED_NAMES.has(lower) || REFUSED_PREFIXES.some((prefix) => lower.startsWith(prefix))) {
      throw new ConfigValidationError('JWKS_HEADERS', `may not set ${name}: the service or the connection owns that header`);
    }
    if (headers.has(lower)) throw new ConfigValidationError('JWKS_HEADERS', `names ${name} twice`);
    if (maxCacheSeconds !== undefined && CACHE_HEADERS.has(lower)) checkCacheLifetime(name, value, maxCacheSeconds);
    headers.set(lower, value);
  }
  return [...headers];
}

/** `max-age` / `s-maxage` plus `stale-while-revalidate` is how old a cache may serve the set. */
function checkCacheLifetime(name: string, value: string, maxSeconds: number): void {
  const directive = (key: string) => Number(new RegExp(`(?:^|,)\\s*${key}\\s*=\\s*"?(\\d+)`, 'i').exec(value)?.[1] ?? 0);
  const served = Math.max(directive('max-age'), directive('s-maxage')) + directive('stale-while-revalidate');
  if (served > maxSeconds) {
    throw new ConfigValidationError(
      'JWKS_HEADERS',
      `${name} lets caches serve the key set for ${served}s, longer than KEY_ACTIVATION_DELAY (${maxSeconds}s): a new key could sign before verifiers see it`,
    );
  }
}

/** An operator's entry, cut short and with control characters shown escaped. */
function printable(text: string): string {
  return JSON.stringify(text.slice(0, 64)).slice(1, -1);
}
