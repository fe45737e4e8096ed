/**
 * The JWK set document could not be obtained: network error, timeout, a non-2xx answer, or a body
 * that is not a JWK set. Anything else jwks-rsa reports means the key set was read.
 */
export class JwksFetchError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`JWKS fetch failed: ${reason}`, options);
    this.name = 'JwksFetchError';
  }
}

export type JwksFetcher = (uri: string) => Promise<{ keys: unknown[] }>;

/**
 * The HTTP GET that jwks-rsa runs for each (rate-limited) refetch. Ours rather than jwks-rsa's own, so
 * that "the endpoint failed" is one error type whatever the jwks-rsa version: its built-in request
 * reports a 500 and an empty key set with the same JwksError. The timeout covers the whole exchange.
 */
export function createJwksFetcher(timeoutMs: number): JwksFetcher {
  return async (uri) => {
    let response: Response;
    try {
      response = await fetch(uri, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error: unknown) {
      throw new JwksFetchError(`no answer (${describe(error)})`, { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new JwksFetchError(`answered HTTP ${response.status}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error: unknown) {
      throw new JwksFetchError(`unreadable body (${describe(error)})`, { cause: error });
    }
    if (!isJwkSet(body)) throw new JwksFetchError('the body is not a JWK set');
    return body;
  };
}

function isJwkSet(body: unknown): body is { keys: unknown[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { keys?: unknown }).keys);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const cause = error.cause instanceof Error ? `: ${(error.cause as NodeJS.ErrnoException).code ?? error.cause.name}` : '';
  return `${error.name}${cause}`;
}
