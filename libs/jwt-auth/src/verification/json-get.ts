import { BodyTooLargeError, describeBodyFailure, readJsonBody } from './bounded-body.js';
import { describeFetchFailure } from './fetch-failure.js';

export interface JsonGetLimits {
  /** The `Accept` header. */
  accept: string;
  /** Ends the whole exchange, connection to last body byte (a timeout, maybe with the application's shutdown). */
  signal: AbortSignal;
  /** Largest body read; a longer one is cut off and refused. */
  maxBytes: number;
  /** Which statuses carry the document: 200 unless said otherwise. */
  accepts?: (status: number) => boolean;
}

/**
 * One bounded GET of a JSON document, the way every fetch of the verifier reads (the JWKS, the
 * issuer's metadata): a deadline over the whole exchange, no redirects (a 3xx is a failure: the
 * configured URL names the final one, and a redirect cannot send the verifier elsewhere), only the
 * accepted statuses, the body streamed and cut off at `maxBytes`, UTF-8 JSON. Every failure becomes
 * `fail(message)`, whose message never holds the body (JSON.parse's would quote it).
 */
export async function getJson(uri: string, limits: JsonGetLimits, fail: (message: string, cause?: unknown) => Error): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(uri, { headers: { accept: limits.accept }, redirect: 'manual', signal: limits.signal });
  } catch (error: unknown) {
    throw fail(`no answer (${describeFetchFailure(error)})`, error);
  }
  if (!(limits.accepts ?? ((status) => status === 200))(response.status)) {
    await response.body?.cancel();
    const redirect = response.status >= 300 && response.status < 400 ? ', redirects are not followed' : '';
    throw fail(`answered HTTP ${response.status}${redirect}`);
  }
  try {
    return await readJsonBody(response, limits.maxBytes);
  } catch (error: unknown) {
    // No cause: a logged error's cause is serialized too.
    throw fail(error instanceof BodyTooLargeError ? error.message : `unreadable body (${describeBodyFailure(error)})`);
  }
}
