/**
 * The JWK set document could not be obtained: network error, timeout, a redirect, a non-2xx answer,
 * a body over the size limit, or a body that is not a JWK set. The last good set keeps working.
 */
export class JwksFetchError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`JWKS fetch failed: ${reason}`, options);
    this.name = 'JwksFetchError';
  }
}
