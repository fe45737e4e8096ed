import type { JwtAuthClientSettings } from '../interfaces/jwt-auth-options.interface.js';
import { DownstreamTokenError } from '../jwt-auth.errors.js';
import { describeBodyFailure, readJsonBody } from '../verification/bounded-body.js';
import { describeFetchFailure } from '../verification/fetch-failure.js';

/** Largest token answer read: ours are about 1.2 KB. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** An RFC 6749 5.2 `error` worth repeating in a log line. */
const ERROR_CODE = /^[a-z_]{1,64}$/;

/** What the token endpoint gave. */
export interface TokenAnswer {
  accessToken: string;
  expiresInMs: number;
}

/** RFC 6749 2.3.1: id and secret form-encoded, then joined with `:` and base64-encoded. */
function basicCredentials(client: JwtAuthClientSettings): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(client.id)}:${encode(client.secret)}`).toString('base64')}`;
}

/**
 * One POST to the issuer's token endpoint as `client` (`client_secret_basic`), bounded like every
 * read of the package: a timeout over the whole exchange, no redirects, the body cut off past 64 KiB.
 * Resolves with a Bearer access token and its lifetime; throws DownstreamTokenError otherwise (502 with
 * the issuer's `error` when it refused, 503 when it could not be read). Nothing of the request or the
 * answer's body reaches the error's message. A DPoP-bound answer (`token_type: DPoP`) is not accepted
 * here: binding downstream tokens to the service's key would add the proof to this request.
 */
export async function requestToken(endpoint: string, client: JwtAuthClientSettings, form: Record<string, string>): Promise<TokenAnswer> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: basicCredentials(client), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(client.timeout),
    });
  } catch (error: unknown) {
    throw new DownstreamTokenError(`the token endpoint did not answer (${describeFetchFailure(error)})`);
  }
  let body: unknown;
  try {
    body = await readJsonBody(response, MAX_ANSWER_BYTES);
  } catch (error: unknown) {
    throw new DownstreamTokenError(`the token endpoint answered HTTP ${response.status} with an unreadable body (${describeBodyFailure(error)})`);
  }
  const answer = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (response.status !== 200) {
    const error = typeof answer.error === 'string' && ERROR_CODE.test(answer.error) ? answer.error : undefined;
    if (response.status >= 500 || error === undefined) throw new DownstreamTokenError(`the token endpoint answered HTTP ${response.status}`);
    throw new DownstreamTokenError(`the issuer refused the token request: ${error}`, error);
  }
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = answer;
  if (typeof accessToken !== 'string' || accessToken === '') throw new DownstreamTokenError('the token answer has no access_token');
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') throw new DownstreamTokenError('the token answer is not a Bearer token');
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)
    throw new DownstreamTokenError('the token answer has no positive expires_in');
  return { accessToken, expiresInMs: expiresIn * 1000 };
}
