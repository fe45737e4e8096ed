import { getJson } from './json-get.js';
import { JwksFetchError } from './jwks-fetch.error.js';

/** A JWK set as read: `keys` is an array, its entries not yet looked at (see `importKeySet`). */
export type JwksFetcher = (uri: string) => Promise<{ keys: unknown[] }>;

export interface JwksFetchLimits {
  /** The whole exchange, connection to last body byte (`jwksTimeout`). */
  timeoutMs: number;
  /** Largest body read; a longer one is cut off and refused (`jwksMaxBytes`). */
  maxBytes: number;
}

/**
 * The HTTP GET of the JWK set. Every way it can fail is one error type, JwksFetchError, on which the
 * resolver keeps its last good set:
 * - the timeout covers the whole exchange, body included, so a trickling answer is cut off;
 * - redirects are not followed (a 3xx is a failure): JWKS_URI names the final URL, and a redirect
 *   cannot send the verifier to another host or to a body it did not ask for;
 * - only a 2xx counts (a 304 too is a failure: no validator is ever sent);
 * - the body is read streamed and cut off at `maxBytes`; it must be UTF-8 JSON, an object whose
 *   `keys` is an array (HTML, invalid JSON, `{}` and `[]` are all refused).
 */
export function createJwksFetcher(limits: JwksFetchLimits): JwksFetcher {
  return async (uri) => {
    const body = await getJson(
      uri,
      {
        accept: 'application/jwk-set+json, application/json',
        signal: AbortSignal.timeout(limits.timeoutMs),
        maxBytes: limits.maxBytes,
        accepts: (status) => status >= 200 && status < 300,
      },
      (message, cause) => new JwksFetchError(message, cause === undefined ? undefined : { cause }),
    );
    if (!isJwkSet(body)) throw new JwksFetchError('the body is not a JWK set (an object with a "keys" array)');
    return body;
  };
}

function isJwkSet(body: unknown): body is { keys: unknown[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { keys?: unknown }).keys);
}
