/**
 * Redirect URIs: what may be registered (RFC 9700 2.1, RFC 8252 7) and how a requested one is matched
 * against the registered ones (RFC 9700 4.1.3: character for character; RFC 8252 7.3: the port of a
 * loopback IP literal may differ). docs/oidc.md "Clients".
 */

/** Schemes that run code or read local files wherever a browser follows them. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);

/** RFC 8252 7.1: a private-use scheme is a reversed domain name the app's publisher controls (`com.example.app`). */
const REVERSE_DNS_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+:$/;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Longest redirect URI accepted at registration. */
export const MAX_REDIRECT_URI_LENGTH = 2000;

/** Why `uri` cannot be registered as a redirect URI, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length === 0 || uri.length > MAX_REDIRECT_URI_LENGTH) return `a redirect URI is 1-${MAX_REDIRECT_URI_LENGTH} characters`;
  if (/[\s<>"`\\]/.test(uri) || /[^\x21-\x7E]/.test(uri)) return `${uri}: spaces, quotes and non-ASCII characters must be percent-encoded`;
  if (uri.includes('#')) return `${uri}: a redirect URI has no fragment (RFC 6749 3.1.2)`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri}: not an absolute URI`;
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `${uri}: the ${url.protocol} scheme is never a redirect URI`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname) ? undefined : `${uri}: plain http only for loopback (127.0.0.1, [::1], localhost); use https`;
  }
  if (!REVERSE_DNS_SCHEME.test(url.protocol))
    return `${uri}: a private-use scheme must be a reversed domain name, e.g. com.example.app:/callback (RFC 8252 7.1)`;
  return undefined;
}

/** RFC 8252 7.3: the loopback IP literals whose port a native app picks at run time. */
function isLoopbackIp(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

/**
 * `raw` without the port of its loopback authority, or undefined when the parsed form differs from
 * what was written (anything normalised away: dot segments, case, default ports), so only the port is relaxed.
 */
function portless(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (!isLoopbackIp(url)) return undefined;
  const written = url.port ? raw.replace(`:${url.port}`, '') : raw;
  url.port = '';
  return url.href === written ? written : undefined;
}

/**
 * Whether `requested` is one of `registered`: the same string, or, for a loopback IP literal over
 * http, the same string but for the port. Nothing is normalised (case, trailing slash, encoding).
 */
export function redirectUriAllowed(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const wanted = portless(requested);
  return wanted !== undefined && registered.some((candidate) => portless(candidate) === wanted);
}
